//! Resource definitions through the real binary: resources.md §0–§11 and README §9 "resource/".

mod common;

use common::{assert_error, assert_ok, Client, TestServer};
use serde_json::{json, Value};

const LONG: &str =
    "1234567891123456789112345678911234567891123456789112345678911234567891123456789112345678911234567891";

async fn create(c: &Client, body: Value) -> Value {
    c.ok_post("create-resource", body).await
}

/// The codes `list-resources` shows for a namespace (`None` = default), newest first.
async fn listed_codes(c: &Client, namespace: Option<&str>) -> Vec<String> {
    let mut query = vec![("limit", "50")];
    if let Some(ns) = namespace {
        query.push(("namespace", ns));
    }
    let page = c.ok_get("list-resources", &query).await;
    page["list"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
}

async fn get_resource(c: &Client, code: &str) -> Value {
    c.get("get-resource", &[("code", code)]).await
}

#[tokio::test]
async fn create_get_update_round_trip_with_the_full_shape() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let created = create(
        &c,
        json!({
            "type": "API", "code": "orders", "name": "Orders", "description": "这是描述",
            "apiIdentifier": "https://my-awesome-api.com/api",
            "actions": [{"name": "orders:read", "description": "r"}, {"name": "orders:write"}, {"name": "orders:read", "description": "again"}]
        }),
    )
    .await;
    let expected = json!({
        "code": "orders", "name": "Orders", "description": "这是描述", "type": "API",
        "actions": [{"name": "orders:read", "description": "r"}, {"name": "orders:write", "description": ""}],
        "apiIdentifier": "https://my-awesome-api.com/api", "namespace": "default", "linkedToTenant": false
    });
    assert_eq!(created, expected);
    assert_eq!(c.ok_get("get-resource", &[("code", "orders")]).await, expected);
    assert_eq!(c.ok_get("get-resource", &[("code", "orders"), ("namespace", "default")]).await, expected);

    let minimal = create(&c, json!({"type": "DATA", "code": "books:v1.2"})).await;
    assert_eq!(minimal["actions"], json!([]));
    assert_eq!(minimal["namespace"], "default");

    let updated = c
        .ok_post(
            "update-resource",
            json!({"code": "orders", "type": "MENU", "description": "new", "actions": [{"name": "view", "description": ""}]}),
        )
        .await;
    assert_eq!(updated["type"], "MENU");
    assert_eq!(updated["description"], "new");
    assert_eq!(updated["name"], "Orders", "absent fields keep their value");
    assert_eq!(updated["apiIdentifier"], "https://my-awesome-api.com/api");
    assert_eq!(updated["actions"], json!([{"name": "view", "description": ""}]));
    assert_eq!(c.ok_get("get-resource", &[("code", "orders")]).await, updated);
}

#[tokio::test]
async fn create_refuses_bad_input_with_the_observed_messages_and_stores_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let valid = |code: &str| json!({"type": "DATA", "code": code, "description": "这是描述"});
    assert_error(&c.post("create-resource", valid("额！")).await, 400, "invalid resource code: 额！");
    assert_error(&c.post("create-resource", valid(" ")).await, 400, "invalid resource code:  ");
    assert_error(&c.post("create-resource", valid("*")).await, 400, "invalid resource code: *");
    assert_error(&c.post("create-resource", valid(LONG)).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-resource", json!({"type": "DATA"})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-resource", json!({"type": "DATA", "code": 5})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-resource", json!({"code": "x"})).await, 400, "参数 type 格式错误");
    assert_error(&c.post("create-resource", json!({"code": "x", "type": "FILE"})).await, 400, "参数 type 格式错误");
    let too_many: Vec<Value> = (0..101).map(|i| json!({"name": format!("a{i}"), "description": ""})).collect();
    let answer = c.post("create-resource", json!({"code": "x", "type": "DATA", "actions": too_many})).await;
    assert_error(&answer, 400, "参数 actions 格式错误");
    let answer =
        c.post("create-resource", json!({"code": "x", "type": "DATA", "actions": [{"description": "no name"}]})).await;
    assert_error(&answer, 400, "参数 actions 格式错误");
    let answer = c.post("create-resource", json!({"code": "x", "type": "DATA", "namespace": "nope"})).await;
    assert_error(&answer, 404, "权限组不存在");
    assert!(listed_codes(&c, None).await.is_empty());

    create(&c, valid("dup")).await;
    assert_error(&c.post("create-resource", valid("dup")).await, 409, "资源已存在");
    assert_eq!(listed_codes(&c, None).await, ["dup"]);
}

#[tokio::test]
async fn an_empty_code_is_echoed_but_not_stored() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let echoed = create(&c, json!({"type": "DATA", "code": "", "description": "这是描述"})).await;
    assert_eq!(echoed["code"], "");
    assert_eq!(echoed["description"], "这是描述");
    assert_eq!(echoed["namespace"], "default");
    assert_error(&get_resource(&c, "").await, 404, "资源不存在");
    assert!(listed_codes(&c, None).await.is_empty());
    let answer = c.post("create-resource", json!({"type": "DATA", "code": "", "namespace": "nope"})).await;
    assert_error(&answer, 404, "权限组不存在");
}

#[tokio::test]
async fn batch_creation_is_all_or_nothing_with_the_observed_messages() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    let item = |code: &str| json!({"code": code, "description": "这是描述", "type": "DATA"});
    let ok =
        c.ok_post("create-resources-batch", json!({"list": [item("b1"), item("b2")], "namespace": "default"})).await;
    assert_eq!(ok, json!({"success": true}));
    c.ok_post("create-resources-batch", json!({"list": [item("b1")], "namespace": "ns2"})).await;

    for (bad, status, message) in [
        (item("额！"), 400, "invalid resource code: 额！".to_owned()),
        (item(" "), 400, "invalid resource code:  ".to_owned()),
        (item(LONG), 400, format!("invalid resource code: {LONG}")),
        (json!({"description": "no code", "type": "DATA"}), 500, "未知错误".to_owned()),
        (json!({"code": "x", "type": "FILE"}), 400, "参数 list 格式错误".to_owned()),
        (json!({"code": "x"}), 400, "参数 list 格式错误".to_owned()),
        (json!("not an object"), 400, "参数 list 格式错误".to_owned()),
        (item("b1"), 409, "资源已存在".to_owned()),
        (item("fresh"), 409, "资源已存在".to_owned()),
    ] {
        let answer = c.post("create-resources-batch", json!({"list": [item("fresh"), bad]})).await;
        assert_error(&answer, status, &message);
    }
    assert_error(&c.post("create-resources-batch", json!({"list": []})).await, 400, "参数 list 格式错误");
    assert_error(&c.post("create-resources-batch", json!({})).await, 400, "参数 list 格式错误");
    let too_many: Vec<Value> = (0..51).map(|i| item(&format!("r{i}"))).collect();
    assert_error(&c.post("create-resources-batch", json!({"list": too_many})).await, 400, "参数 list 格式错误");
    let answer = c.post("create-resources-batch", json!({"list": [item("fresh")], "namespace": "nope"})).await;
    assert_error(&answer, 404, "权限组不存在");

    assert_eq!(listed_codes(&c, None).await, ["b2", "b1"]);
    assert_eq!(listed_codes(&c, Some("ns2")).await, ["b1"]);
}

#[tokio::test]
async fn single_and_batch_lookups() {
    let server = TestServer::start().await;
    let c = server.client().await;
    for code in ["a", "b", "c"] {
        create(&c, json!({"type": "DATA", "code": code})).await;
    }
    assert_error(&get_resource(&c, "").await, 404, "资源不存在");
    assert_error(&get_resource(&c, "额！").await, 404, "资源不存在");
    assert_error(&get_resource(&c, "missing").await, 404, "资源不存在");
    assert_error(&c.get("get-resource", &[]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("get-resource", &[("code", "a"), ("namespace", "nope")]).await, 404, "权限组不存在");

    let codes = |found: &Value| found.as_array().unwrap().iter().map(|r| r["code"].clone()).collect::<Vec<_>>();
    let found =
        c.ok_get("get-resources-batch", &[("codeList[]", "c"), ("codeList[]", "zzz"), ("codeList[]", "a")]).await;
    assert_eq!(codes(&found), [json!("c"), json!("a")]);
    assert_eq!(found[0]["namespace"], "default");
    let found = c.ok_get("get-resources-batch", &[("codeList", "b,额！ ")]).await;
    assert_eq!(codes(&found), [json!("b")]);
    let found = c.ok_get("get-resources-batch", &[("codeList", r#"["a","b"]"#)]).await;
    assert_eq!(codes(&found), [json!("a"), json!("b")]);
    assert_error(&c.get("get-resources-batch", &[]).await, 400, "参数 codeList 格式错误");
    let many: Vec<(&str, &str)> = (0..51).map(|_| ("codeList", "a")).collect();
    assert_error(&c.get("get-resources-batch", &many).await, 400, "参数 codeList 格式错误");
    assert_error(&c.get("get-resources-batch", &[("codeList", "a"), ("namespace", "nope")]).await, 404, "权限组不存在");
}

#[tokio::test]
async fn list_resources_pages_newest_first_and_filters_by_type() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    for (code, kind) in [("r1", "DATA"), ("r2", "API"), ("r3", "DATA")] {
        create(&c, json!({"type": kind, "code": code})).await;
    }
    create(&c, json!({"type": "DATA", "code": "other", "namespace": "ns2"})).await;

    let page = c.ok_get("list-resources", &[("page", "1"), ("limit", "2")]).await;
    assert_eq!(page["totalCount"], 3);
    assert_eq!(page["list"].as_array().unwrap().iter().map(|r| r["code"].clone()).collect::<Vec<_>>(), ["r3", "r2"]);
    let page = c.ok_get("list-resources", &[("page", "2"), ("limit", "2")]).await;
    assert_eq!(page["list"][0]["code"], "r1");
    let page = c.ok_get("list-resources", &[("type", "DATA")]).await;
    assert_eq!(page["totalCount"], 2);
    let page = c.ok_get("list-resources", &[("namespace", "ns2")]).await;
    assert_eq!(page["list"][0]["code"], "other");
    assert_eq!(page["list"][0]["namespace"], "ns2");

    assert_error(&c.get("list-resources", &[("type", "FILE")]).await, 400, "参数 type 格式错误");
    assert_error(&c.get("list-resources", &[("page", "0")]).await, 400, "参数 page 格式错误");
    assert_error(&c.get("list-resources", &[("limit", "-1")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-resources", &[("limit", "10000")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-resources", &[("namespace", "nope")]).await, 404, "权限组不存在");
}

#[tokio::test]
async fn common_resources_span_namespaces() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let ns = c.ok_post("create-namespace", json!({"code": "ns2", "name": "Second"})).await;
    assert_eq!(ns["code"], "ns2");
    create(&c, json!({"type": "DATA", "code": "alpha", "name": "First Thing"})).await;
    create(&c, json!({"type": "UI", "code": "beta", "namespace": "ns2"})).await;

    let page = c.ok_get("list-common-resource", &[]).await;
    assert_eq!(page["totalCount"], 2);
    let beta = &page["list"][0];
    assert_eq!(beta["code"], "beta");
    assert_eq!(beta["type"], "UI");
    assert_eq!(beta["namespace"], "ns2");
    assert_eq!(beta["namespaceName"], "Second");
    assert!(beta["namespaceId"].is_i64());
    assert_ne!(beta["namespaceId"], page["list"][1]["namespaceId"]);
    assert_eq!(beta["id"].as_str().unwrap().len(), 24);
    assert!(beta["userPoolId"].as_str().is_some_and(|p| !p.is_empty()));
    assert!(beta["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(beta["updatedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(beta["linkedToTenant"], false);

    let only_code =
        |page: &Value| page["list"].as_array().unwrap().iter().map(|r| r["code"].clone()).collect::<Vec<_>>();
    assert_eq!(only_code(&c.ok_get("list-common-resource", &[("keyword", "first")]).await), ["alpha"]);
    assert_eq!(only_code(&c.ok_get("list-common-resource", &[("keyword", "ET")]).await), ["beta"]);
    let by_ns = c.ok_get("list-common-resource", &[("namespaceCodeList", r#"["default","unknown"]"#)]).await;
    assert_eq!(only_code(&by_ns), ["alpha"]);
    let by_ns = c.ok_get("list-common-resource", &[("namespaceCodeList", "ns2,default")]).await;
    assert_eq!(by_ns["totalCount"], 2);
    assert_eq!(c.ok_get("list-common-resource", &[("namespaceCodeList", "unknown")]).await["totalCount"], 0);
    let page = c.ok_get("list-common-resource", &[("page", "2"), ("limit", "1")]).await;
    assert_eq!(only_code(&page), ["alpha"]);
    assert_error(&c.get("list-common-resource", &[("limit", "51")]).await, 400, "参数 limit 格式错误");
}

#[tokio::test]
async fn update_refuses_unknown_codes_and_bad_fields_without_changing_anything() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let before = create(&c, json!({"type": "DATA", "code": "books", "description": "d"})).await;
    for code in ["", "额！", "missing"] {
        let answer = c.post("update-resource", json!({"code": code, "description": "x"})).await;
        assert_error(&answer, 404, "资源不存在");
    }
    assert_error(&c.post("update-resource", json!({"description": "x"})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("update-resource", json!({"code": "books", "type": "FILE"})).await, 400, "参数 type 格式错误");
    let too_many: Vec<Value> = (0..101).map(|i| json!({"name": format!("a{i}")})).collect();
    let answer = c.post("update-resource", json!({"code": "books", "actions": too_many, "description": "x"})).await;
    assert_error(&answer, 400, "参数 actions 格式错误");
    let answer = c.post("update-resource", json!({"code": "books", "namespace": "nope", "description": "x"})).await;
    assert_error(&answer, 404, "权限组不存在");
    assert_eq!(c.ok_get("get-resource", &[("code", "books")]).await, before);
}

#[tokio::test]
async fn delete_resource_is_idempotent_but_checks_length_and_namespace() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create(&c, json!({"type": "DATA", "code": "books"})).await;
    create(&c, json!({"type": "DATA", "code": "pens"})).await;
    for code in ["books", "books", "unknown", "额！", "", " "] {
        assert_eq!(c.ok_post("delete-resource", json!({"code": code})).await, json!({"success": true}), "{code:?}");
    }
    assert_error(&get_resource(&c, "books").await, 404, "资源不存在");
    assert_error(&c.post("delete-resource", json!({"code": LONG})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("delete-resource", json!({})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("delete-resource", json!({"code": "pens", "namespace": "nope"})).await, 404, "权限组不存在");
    assert_eq!(listed_codes(&c, None).await, ["pens"]);
}

#[tokio::test]
async fn deleting_a_definition_revokes_grants_on_it_and_its_instances() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let user = c.ok_post("create-user", json!({"username": "reader"})).await;
    let user_id = user["userId"].as_str().unwrap().to_owned();
    create(&c, json!({"type": "DATA", "code": "books"})).await;
    let grant = |code: &str| json!({"code": code, "actions": ["read"], "resourceType": "DATA"});
    c.ok_post(
        "authorize-resources",
        json!({"namespace": "default", "list": [{
            "targetType": "USER", "targetIdentifiers": [user_id],
            "resources": [grant("books"), grant("books:1"), grant("bookshelf"), grant("pens:1")]
        }]}),
    )
    .await;
    let granted_codes = || async {
        let page =
            c.ok_get("get-authorized-resources", &[("targetType", "USER"), ("targetIdentifier", &user_id)]).await;
        let mut codes: Vec<String> =
            page["list"].as_array().unwrap().iter().map(|g| g["resourceCode"].as_str().unwrap().to_owned()).collect();
        codes.sort();
        codes
    };
    assert_eq!(granted_codes().await, ["books", "books:1", "bookshelf", "pens:1"]);
    c.ok_post("delete-resource", json!({"code": "books"})).await;
    assert_eq!(granted_codes().await, ["bookshelf", "pens:1"]);
}

#[tokio::test]
async fn batch_deletes_by_codes_and_ids_of_the_namespace() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    for code in ["a", "b", "c"] {
        create(&c, json!({"type": "DATA", "code": code})).await;
    }
    create(&c, json!({"type": "DATA", "code": "d", "namespace": "ns2"})).await;
    let ids = c.ok_get("list-common-resource", &[]).await["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap().to_owned(), r["id"].as_str().unwrap().to_owned()))
        .collect::<std::collections::HashMap<_, _>>();

    let answer = c
        .post(
            "delete-resources-batch",
            json!({"codeList": ["a", "", " ", "额！", LONG, "unknown"], "ids": [ids["b"], ids["d"]]}),
        )
        .await;
    assert_ok(&answer);
    assert_eq!(answer["data"], json!({"success": true}));
    assert_eq!(listed_codes(&c, None).await, ["c"]);
    assert_eq!(listed_codes(&c, Some("ns2")).await, ["d"], "ids of other namespaces are skipped");

    assert_ok(&c.post("delete-resources-batch", json!({})).await);
    let many: Vec<String> = (0..51).map(|i| format!("x{i}")).collect();
    assert_error(&c.post("delete-resources-batch", json!({"codeList": many})).await, 400, "参数 codeList 格式错误");
    assert_error(&c.post("delete-resources-batch", json!({"ids": many})).await, 400, "参数 ids 格式错误");
    let answer = c.post("delete-resources-batch", json!({"codeList": ["c"], "namespace": "nope"})).await;
    assert_error(&answer, 404, "权限组不存在");
    assert_eq!(listed_codes(&c, None).await, ["c"]);

    let answer = c.post("delete-resources-batch", json!({"codeList": ["d"], "namespace": "ns2"})).await;
    assert_ok(&answer);
    assert!(listed_codes(&c, Some("ns2")).await.is_empty());
}

#[tokio::test]
async fn common_batch_delete_works_by_id_across_namespaces() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    create(&c, json!({"type": "DATA", "code": "a"})).await;
    create(&c, json!({"type": "DATA", "code": "b", "namespace": "ns2"})).await;
    create(&c, json!({"type": "DATA", "code": "keep"})).await;
    let page = c.ok_get("list-common-resource", &[]).await;
    let ids: Vec<Value> =
        page["list"].as_array().unwrap().iter().filter(|r| r["code"] != "keep").map(|r| r["id"].clone()).collect();

    assert_error(&c.post("delete-common-resources-batch", json!({})).await, 400, "参数 ids 格式错误");
    assert_error(&c.post("delete-common-resources-batch", json!({"ids": []})).await, 400, "参数 ids 格式错误");
    let many: Vec<String> = (0..51).map(|i| format!("x{i}")).collect();
    assert_error(&c.post("delete-common-resources-batch", json!({"ids": many})).await, 400, "参数 ids 格式错误");
    assert_eq!(c.ok_get("list-common-resource", &[]).await["totalCount"], 3);

    let mut with_unknown = ids.clone();
    with_unknown.push(json!("000000000000000000000000"));
    let done = c.ok_post("delete-common-resources-batch", json!({"ids": with_unknown})).await;
    assert_eq!(done, json!({"success": true}));
    let left = c.ok_get("list-common-resource", &[]).await;
    assert_eq!(left["totalCount"], 1);
    assert_eq!(left["list"][0]["code"], "keep");
}

#[tokio::test]
async fn tenant_association_sets_the_flag() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "app1"})).await;
    create(&c, json!({"type": "DATA", "code": "books"})).await;
    create(&c, json!({"type": "DATA", "code": "pens", "namespace": "app1"})).await;

    let linked = c
        .ok_post("associate-tenant-resource", json!({"code": "books", "association": true, "appId": "some-app"}))
        .await;
    assert_eq!(linked, json!({"success": true}));
    assert_eq!(c.ok_get("get-resource", &[("code", "books")]).await["linkedToTenant"], true);
    c.ok_post(
        "associate-tenant-resource",
        json!({"code": "pens", "association": true, "appId": "app1", "tenantId": "t1"}),
    )
    .await;
    assert_eq!(c.ok_get("get-resource", &[("code", "pens"), ("namespace", "app1")]).await["linkedToTenant"], true);
    c.ok_post("associate-tenant-resource", json!({"code": "books", "association": false, "appId": "app1"})).await;
    assert_eq!(c.ok_get("get-resource", &[("code", "books")]).await["linkedToTenant"], false);

    let answer =
        c.post("associate-tenant-resource", json!({"code": "pens", "association": true, "appId": "other"})).await;
    assert_error(&answer, 404, "资源不存在");
    for (body, field) in [
        (json!({"association": true, "appId": "a"}), "code"),
        (json!({"code": "", "association": true, "appId": "a"}), "code"),
        (json!({"code": "books", "appId": "a"}), "association"),
        (json!({"code": "books", "association": "maybe", "appId": "a"}), "association"),
        (json!({"code": "books", "association": true}), "appId"),
        (json!({"code": "books", "association": true, "appId": "a", "tenantId": 3}), "tenantId"),
    ] {
        let answer = c.post("associate-tenant-resource", body).await;
        assert_error(&answer, 400, &format!("参数 {field} 格式错误"));
    }
    assert_eq!(c.ok_get("get-resource", &[("code", "books")]).await["linkedToTenant"], false);
}

#[tokio::test]
async fn another_pool_sees_none_of_these_resources() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let other = server.new_pool_client().await;
    create(&c, json!({"type": "DATA", "code": "secret"})).await;
    let id = c.ok_get("list-common-resource", &[]).await["list"][0]["id"].clone();

    assert_error(&get_resource(&other, "secret").await, 404, "资源不存在");
    assert_eq!(other.ok_get("get-resources-batch", &[("codeList", "secret")]).await, json!([]));
    assert_eq!(other.ok_get("list-common-resource", &[]).await["totalCount"], 0);
    assert_error(&other.post("update-resource", json!({"code": "secret", "name": "x"})).await, 404, "资源不存在");
    let answer =
        other.post("associate-tenant-resource", json!({"code": "secret", "association": true, "appId": "a"})).await;
    assert_error(&answer, 404, "资源不存在");
    other.ok_post("delete-resource", json!({"code": "secret"})).await;
    other.ok_post("delete-resources-batch", json!({"codeList": ["secret"], "ids": [id]})).await;
    other.ok_post("delete-common-resources-batch", json!({"ids": [id]})).await;
    create(&other, json!({"type": "DATA", "code": "secret"})).await;

    let still = c.ok_get("get-resource", &[("code", "secret")]).await;
    assert_eq!(still["linkedToTenant"], false);
    assert_eq!(c.ok_get("list-common-resource", &[]).await["list"][0]["id"], id);
}
