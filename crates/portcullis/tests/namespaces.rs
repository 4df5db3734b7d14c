//! Namespaces through the real binary: resources.md §12–20 and README §9 "namespace/".

mod common;

use common::{assert_error, assert_ok, TestServer};
use serde_json::json;

const LONG: &str =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

#[tokio::test]
async fn create_get_update_and_delete_a_namespace() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let created = c.ok_post("create-namespace", json!({"code": "ns1", "name": "One", "description": "d"})).await;
    assert_eq!(created, json!({"code": "ns1", "name": "One", "description": "d"}));
    assert_eq!(c.ok_get("get-namespace", &[("code", "ns1")]).await["name"], "One");

    let updated = c.ok_post("update-namespace", json!({"code": "ns1", "newCode": "ns2", "name": "Two"})).await;
    assert_eq!(updated["code"], "ns2");
    assert_eq!(updated["name"], "Two");
    assert_error(&c.get("get-namespace", &[("code", "ns1")]).await, 404, "namespace not exists");

    assert_eq!(c.ok_post("delete-namespace", json!({"code": "ns2"})).await, json!({"success": true}));
    assert_error(&c.get("get-namespace", &[("code", "ns2")]).await, 404, "namespace not exists");
}

#[tokio::test]
async fn bad_codes_get_the_observed_messages_and_create_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    assert_error(&c.post("create-namespace", json!({"code": "额！"})).await, 400, "invalid namespace code: 额！");
    assert_error(&c.post("create-namespace", json!({"code": " "})).await, 400, "invalid namespace code:  ");
    assert_error(&c.post("create-namespace", json!({"code": ""})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-namespace", json!({"code": LONG})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-namespace", json!({"code": 7})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-namespace", json!({})).await, 400, "参数 code 格式错误");
    let listed = c.ok_get("list-namespaces", &[("limit", "50")]).await;
    assert_eq!(listed["totalCount"], 1, "only default exists: {listed}");
}

#[tokio::test]
async fn duplicates_conflict() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "dup"})).await;
    assert_error(&c.post("create-namespace", json!({"code": "dup"})).await, 409, "权限分组已存在");
    assert_error(&c.post("create-namespace", json!({"code": "default"})).await, 409, "权限分组已存在");
}

#[tokio::test]
async fn batch_creation_is_all_or_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let ok =
        c.ok_post("create-namespaces-batch", json!({"list": [{"code": "b1"}, {"code": "b2", "name": "B2"}]})).await;
    assert_eq!(ok, json!({"success": true}));
    for (item, message) in [
        (json!({"code": "额！"}), "invalid namespace code: 额！".to_owned()),
        (json!({"code": " "}), "invalid namespace code:  ".to_owned()),
        (json!({"code": LONG}), format!("invalid namespace code: {LONG}")),
        (json!({"code": ""}), "namespace name must not be empty".to_owned()),
    ] {
        let answer = c.post("create-namespaces-batch", json!({"list": [{"code": "fresh"}, item]})).await;
        assert_error(&answer, 400, &message);
    }
    assert_error(
        &c.post("create-namespaces-batch", json!({"list": [{"code": "fresh"}, {"code": "b1"}]})).await,
        409,
        "权限分组已存在",
    );
    assert_error(&c.post("create-namespaces-batch", json!({"list": []})).await, 400, "参数 list 格式错误");
    assert_error(&c.get("get-namespace", &[("code", "fresh")]).await, 404, "namespace not exists");
}

#[tokio::test]
async fn lookups_validate_length_and_report_not_found() {
    let server = TestServer::start().await;
    let c = server.client().await;
    assert_error(&c.get("get-namespace", &[("code", "")]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("get-namespace", &[("code", LONG)]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("get-namespace", &[("code", "额！")]).await, 404, "namespace not exists");
    assert_error(&c.post("delete-namespace", json!({"code": "额！"})).await, 404, "权限组不存在");
    assert_error(&c.post("delete-namespace", json!({"code": ""})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("update-namespace", json!({"code": "nope", "name": "x"})).await, 404, "权限组不存在");
}

#[tokio::test]
async fn update_validates_the_new_code() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "u1"})).await;
    assert_error(
        &c.post("update-namespace", json!({"code": "u1", "newCode": "额！"})).await,
        400,
        "invalid namespace code: 额！",
    );
    assert_error(
        &c.post("update-namespace", json!({"code": "u1", "newCode": LONG})).await,
        400,
        "参数 newCode 格式错误",
    );
    let kept = c.ok_post("update-namespace", json!({"code": "u1", "newCode": "", "name": "N"})).await;
    assert_eq!(kept["code"], "u1");
    c.ok_post("create-namespace", json!({"code": "u2"})).await;
    assert_error(&c.post("update-namespace", json!({"code": "u1", "newCode": "u2"})).await, 409, "权限分组已存在");
    assert_error(
        &c.post("update-namespace", json!({"code": "default", "newCode": "other"})).await,
        422,
        "默认权限分组不可修改 code",
    );
}

#[tokio::test]
async fn the_default_namespace_cannot_be_deleted() {
    let server = TestServer::start().await;
    let c = server.client().await;
    assert_error(&c.post("delete-namespace", json!({"code": "default"})).await, 422, "默认权限分组不可删除");
    assert_ok(&c.post("delete-namespaces-batch", json!({"codeList": ["default", "额！", "", " ", LONG]})).await);
    c.ok_get("get-namespace", &[("code", "default")]).await;
    assert_error(&c.post("delete-namespaces-batch", json!({"codeList": []})).await, 400, "参数 codeList 格式错误");
    let eleven: Vec<String> = (0..11).map(|i| format!("n{i}")).collect();
    assert_error(&c.post("delete-namespaces-batch", json!({"codeList": eleven})).await, 400, "参数 codeList 格式错误");
}

#[tokio::test]
async fn batch_get_keeps_request_order_and_skips_unknown_codes() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespaces-batch", json!({"list": [{"code": "g1"}, {"code": "g2"}]})).await;
    let found = c.ok_get("get-namespaces-batch", &[("codeList", "g2"), ("codeList", "nope"), ("codeList", "g1")]).await;
    let codes: Vec<&str> = found.as_array().unwrap().iter().map(|n| n["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["g2", "g1"]);
    assert_error(&c.get("get-namespaces-batch", &[]).await, 400, "参数 codeList 格式错误");
}

#[tokio::test]
async fn listing_pages_newest_first_and_filters_by_keyword() {
    let server = TestServer::start().await;
    let c = server.client().await;
    for code in ["alpha", "beta", "alphabet"] {
        c.ok_post("create-namespace", json!({"code": code})).await;
    }
    let page = c.ok_get("list-namespaces", &[("page", "1"), ("limit", "2")]).await;
    assert_eq!(page["totalCount"], 4);
    assert_eq!(page["list"][0]["code"], "alphabet");
    assert_eq!(page["list"][0]["status"], 1);
    assert_eq!(page["list"][1]["code"], "beta");
    let filtered = c.ok_get("list-namespaces", &[("keywords", "ALPHA")]).await;
    assert_eq!(filtered["totalCount"], 2);
    assert_error(&c.get("list-namespaces", &[("page", "0")]).await, 400, "参数 page 格式错误");
    assert_error(&c.get("list-namespaces", &[("limit", "51")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-namespaces", &[("limit", "x")]).await, 400, "参数 limit 格式错误");
}

#[tokio::test]
async fn list_namespace_roles_requires_a_known_namespace() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let empty = c.ok_get("list-namespace-roles", &[("code", "default")]).await;
    assert_eq!(empty, json!({"totalCount": 0, "list": []}));
    assert_error(&c.get("list-namespace-roles", &[("code", "nope")]).await, 404, "权限组不存在");
    assert_error(&c.get("list-namespace-roles", &[]).await, 400, "参数 code 格式错误");
}

#[tokio::test]
async fn english_messages_follow_the_language_header() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let answer = reqwest::Client::new()
        .get(format!("{}/api/v3/get-namespace?code=", server.base_url))
        .bearer_auth(&c.token)
        .header("x-authing-lang", "en-US")
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_error(&answer, 400, "Invalid parameter: code");
}

#[tokio::test]
async fn pools_do_not_see_each_others_namespaces() {
    let server = TestServer::start().await;
    let first = server.client().await;
    let second = server.new_pool_client().await;
    first.ok_post("create-namespace", json!({"code": "private"})).await;
    assert_error(&second.get("get-namespace", &[("code", "private")]).await, 404, "namespace not exists");
    assert_error(&second.post("delete-namespace", json!({"code": "private"})).await, 404, "权限组不存在");
    second.ok_post("create-namespace", json!({"code": "private"})).await;
    assert_eq!(first.ok_get("list-namespaces", &[]).await["totalCount"], 2);
}

#[tokio::test]
async fn data_survives_a_restart() {
    let server = TestServer::start().await;
    server.client().await.ok_post("create-namespace", json!({"code": "durable"})).await;
    let storage = server.stop();
    let restarted = TestServer::start_in(storage, &[]).await;
    restarted.client().await.ok_get("get-namespace", &[("code", "durable")]).await;
}
