//! Groups (principals.md §3, README §9 "groups/"), black-box over HTTP.

mod common;

use common::{assert_error, Client, TestServer};
use serde_json::{json, Value};

async fn create_group(c: &Client, code: &str) -> Value {
    c.ok_post("create-group", json!({"code": code, "name": format!("{code} name"), "description": "d"})).await
}

async fn create_user(c: &Client, username: &str) -> String {
    let user = c.ok_post("create-user", json!({"username": username})).await;
    user["userId"].as_str().expect("created users have an id").to_owned()
}

async fn group_count(c: &Client) -> u64 {
    c.ok_get("list-groups", &[("limit", "50")]).await["totalCount"].as_u64().unwrap()
}

async fn member_ids(c: &Client, code: &str) -> Vec<String> {
    let page = c.ok_get("list-group-members", &[("code", code), ("limit", "50")]).await;
    page["list"].as_array().unwrap().iter().map(|u| u["userId"].as_str().unwrap().to_owned()).collect()
}

async fn grant_doc_read(c: &Client, group_code: &str) {
    let grant = json!({
        "namespace": "default",
        "list": [{
            "targetType": "GROUP",
            "targetIdentifiers": [group_code],
            "resources": [{"code": "doc:1", "actions": ["read"], "resourceType": "DATA"}],
        }],
    });
    c.ok_post("authorize-resources", grant).await;
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|g| g["code"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn create_group_echoes_and_fills_defaults() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let group =
        c.ok_post("create-group", json!({"code": "developer", "name": "Developers", "description": "devs"})).await;
    assert_eq!(group["code"], "developer");
    assert_eq!(group["name"], "Developers");
    assert_eq!(group["description"], "devs");
    assert_eq!(group["type"], "static");
    assert_eq!(group["metadataSource"], json!([]));
    assert_eq!(group["members"], json!([]));
    assert!(group.get("customData").is_none());
    let id = group["id"].as_str().unwrap();
    assert!(id.len() == 24 && id.chars().all(|ch| ch.is_ascii_hexdigit()), "{id}");

    let minimal = c.ok_post("create-group", json!({"code": "ops", "name": "Ops", "type": "static"})).await;
    assert_eq!(minimal["description"], "");
    assert_eq!(c.ok_get("get-group", &[("code", "developer")]).await, group);
}

#[tokio::test]
async fn custom_data_is_stored_and_shown_on_request() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let custom = json!({"team": "core", "size": 3, "name": "shadowed"});
    let created = c.ok_post("create-group", json!({"code": "g", "name": "G", "customData": custom})).await;
    assert_eq!(created["customData"], custom);

    assert!(c.ok_get("get-group", &[("code", "g")]).await.get("customData").is_none());
    assert_eq!(c.ok_get("get-group", &[("code", "g"), ("withCustomData", "true")]).await["customData"], custom);
    let flat = c.ok_get("list-groups", &[("flatCustomData", "true")]).await;
    let item = &flat["list"][0];
    assert_eq!(item["team"], "core");
    assert_eq!(item["size"], 3);
    assert_eq!(item["name"], "G", "custom fields never shadow the group's own fields");
    assert!(item.get("customData").is_none());

    let replaced = json!({"team": "edge"});
    let updated = c.ok_post("update-group", json!({"code": "g", "customData": replaced})).await;
    assert_eq!(updated["customData"], replaced);
    let all = c.ok_get("get-all-groups", &[("withCustomData", "true")]).await;
    assert_eq!(all[0]["customData"], replaced);
}

#[tokio::test]
async fn create_group_errors_change_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_group(&c, "taken").await;
    let long = "a".repeat(100);
    let cases = [
        (json!({"code": "taken", "name": "again"}), 409, "分组标识符已存在".to_owned()),
        (json!({"code": long, "name": "n"}), 400, "参数 code 格式错误".to_owned()),
        (json!({"code": "", "name": "n"}), 400, "参数 code 格式错误".to_owned()),
        (json!({"name": "n"}), 400, "参数 code 格式错误".to_owned()),
        (json!({"code": " ", "name": "n"}), 400, "invalid group code:  ".to_owned()),
        (json!({"code": "额！", "name": "n"}), 400, "invalid group code: 额！".to_owned()),
        (json!({"code": "fresh"}), 400, "参数 name 格式错误".to_owned()),
        (json!({"code": "fresh", "name": 5}), 400, "参数 name 格式错误".to_owned()),
        (json!({"code": "fresh", "name": "n", "type": "dynamic"}), 400, "参数 type 格式错误".to_owned()),
        (json!({"code": "fresh", "name": "n", "customData": [1]}), 400, "参数 customData 格式错误".to_owned()),
        (json!({"code": "fresh", "name": "n", "description": 1}), 400, "参数 description 格式错误".to_owned()),
    ];
    for (body, status, message) in cases {
        assert_error(&c.post("create-group", body).await, status, &message);
    }
    assert_eq!(group_count(&c).await, 1);
    assert_eq!(c.ok_get("get-group", &[("code", "taken")]).await["name"], "taken name");
}

#[tokio::test]
async fn create_groups_batch_is_ordered_and_all_or_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let created = c
        .ok_post(
            "create-groups-batch",
            json!({"list": [{"code": "b", "name": "B"}, {"code": "a", "name": "A", "description": "x"}]}),
        )
        .await;
    assert_eq!(codes(&created), ["b", "a"]);
    assert_eq!(created[1]["description"], "x");
    assert_eq!(created[0]["type"], "static");

    let long = "a".repeat(100);
    let conflicts = [
        json!({"list": [{"code": "a", "name": "A"}, {"code": "b", "name": "B"}]}),
        json!({"list": [{"code": "new1", "name": "N"}, {"code": "a", "name": "A"}]}),
        json!({"list": [{"code": "new1", "name": "N"}, {"code": "new1", "name": "N"}]}),
    ];
    for body in conflicts {
        assert_error(&c.post("create-groups-batch", body).await, 409, "分组标识符已存在");
    }
    let invalid = [
        json!({"list": [{"code": "new1", "name": "N"}, {"code": long, "name": "L"}]}),
        json!({"list": [{"code": "new1", "name": "N"}, {"code": "额！", "name": "L"}]}),
        json!({"list": [{"code": "new1", "name": "N"}, {"code": "new2"}]}),
        json!({"list": [{"code": "new1", "name": "N"}, "not an object"]}),
        json!({"list": []}),
        json!({}),
    ];
    for body in invalid {
        assert_error(&c.post("create-groups-batch", body).await, 400, "参数 list 格式错误");
    }
    assert_eq!(group_count(&c).await, 2);
    assert_error(&c.get("get-group", &[("code", "new1")]).await, 404, "分组不存在");
}

#[tokio::test]
async fn get_group_errors() {
    let server = TestServer::start().await;
    let c = server.client().await;
    assert_error(&c.get("get-group", &[("code", "unknown")]).await, 404, "分组不存在");
    assert_error(&c.get("get-group", &[("code", "额！")]).await, 404, "分组不存在");
    assert_error(&c.get("get-group", &[("code", "")]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("get-group", &[]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("get-group", &[("code", &"a".repeat(100))]).await, 400, "参数 code 格式错误");
    create_group(&c, "g").await;
    assert_error(
        &c.get("get-group", &[("code", "g"), ("withCustomData", "maybe")]).await,
        400,
        "参数 withCustomData 格式错误",
    );
}

#[tokio::test]
async fn update_group_renames_in_place_and_members_follow() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let original = create_group(&c, "old").await;
    let user = create_user(&c, "member1").await;
    c.ok_post("add-group-members", json!({"code": "old", "userIds": [user]})).await;
    grant_doc_read(&c, "old").await;

    let updated = c
        .ok_post("update-group", json!({"code": "old", "newCode": "new", "name": "Renamed", "description": "changed"}))
        .await;
    assert_eq!(updated["code"], "new");
    assert_eq!(updated["id"], original["id"]);
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["description"], "changed");
    assert_error(&c.get("get-group", &[("code", "old")]).await, 404, "分组不存在");
    assert_eq!(member_ids(&c, "new").await, [user]);
    let grants = c.ok_get("get-group-authorized-resources", &[("code", "new")]).await;
    assert_eq!(grants[0]["resourceCode"], "doc:1");
    assert_eq!(grants[0]["actions"], json!(["read"]));

    // An empty newCode or name keeps the current value.
    let kept = c.ok_post("update-group", json!({"code": "new", "newCode": "", "name": "", "description": "d2"})).await;
    assert_eq!(
        (kept["code"].as_str(), kept["name"].as_str(), kept["description"].as_str()),
        (Some("new"), Some("Renamed"), Some("d2"))
    );
}

#[tokio::test]
async fn update_group_errors_change_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let before = create_group(&c, "a").await;
    create_group(&c, "b").await;
    let long = "x".repeat(100);
    let cases = [
        (json!({"code": "unknown", "name": "n"}), 404, "分组不存在".to_owned()),
        (json!({"code": "a", "newCode": "b", "name": "n"}), 409, "分组标识符已存在".to_owned()),
        (json!({"code": "a", "newCode": " ", "name": "n"}), 400, "invalid group code:  ".to_owned()),
        (json!({"code": "a", "newCode": long, "name": "n"}), 400, "参数 newCode 格式错误".to_owned()),
        (json!({"code": "", "name": "n"}), 400, "参数 code 格式错误".to_owned()),
        (json!({"code": "a", "name": "n", "customData": "text"}), 400, "参数 customData 格式错误".to_owned()),
    ];
    for (body, status, message) in cases {
        assert_error(&c.post("update-group", body).await, status, &message);
    }
    assert_eq!(c.ok_get("get-group", &[("code", "a")]).await, before);
}

#[tokio::test]
async fn delete_groups_batch_is_idempotent_and_cascades_memberships() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_group(&c, "doomed").await;
    create_group(&c, "kept").await;
    let user = create_user(&c, "member1").await;
    for code in ["doomed", "kept"] {
        c.ok_post("add-group-members", json!({"code": code, "userIds": [user]})).await;
    }

    let answer = c.ok_post("delete-groups-batch", json!({"codeList": ["doomed", "unknown", "额！"]})).await;
    assert_eq!(answer, json!({"success": true}));
    assert_error(&c.get("get-group", &[("code", "doomed")]).await, 404, "分组不存在");
    let user_groups = c.ok_get("get-user-groups", &[("userId", &user)]).await;
    assert_eq!(codes(&user_groups["list"]), ["kept"]);
    assert_eq!(member_ids(&c, "kept").await, [user.as_str()]);

    // Deleting again is fine; a group made again with the same code starts empty.
    c.ok_post("delete-groups-batch", json!({"codeList": ["doomed"]})).await;
    create_group(&c, "doomed").await;
    assert!(member_ids(&c, "doomed").await.is_empty());

    assert_error(&c.post("delete-groups-batch", json!({"codeList": []})).await, 400, "参数 codeList 格式错误");
    assert_error(&c.post("delete-groups-batch", json!({})).await, 400, "参数 codeList 格式错误");
    assert_eq!(group_count(&c).await, 2);
}

#[tokio::test]
async fn delete_groups_batch_removes_the_groups_grants() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_group(&c, "granted").await;
    grant_doc_read(&c, "granted").await;
    let targets =
        c.ok_post("get-resource-authorized-targets", json!({"namespace": "default", "resource": "doc:1"})).await;
    assert_eq!(targets["totalCount"], 1);

    c.ok_post("delete-groups-batch", json!({"codeList": ["granted"]})).await;
    let targets =
        c.ok_post("get-resource-authorized-targets", json!({"namespace": "default", "resource": "doc:1"})).await;
    assert_eq!(targets["totalCount"], 0);
}

#[tokio::test]
async fn list_groups_pages_newest_first_and_filters() {
    let server = TestServer::start().await;
    let c = server.client().await;
    for code in ["alpha", "beta", "gamma"] {
        create_group(&c, code).await;
    }
    let all = c.ok_get("list-groups", &[]).await;
    assert_eq!(all["totalCount"], 3);
    assert_eq!(codes(&all["list"]), ["gamma", "beta", "alpha"]);
    assert_eq!(all["list"][0]["members"], json!([]));

    let first = c.ok_get("list-groups", &[("page", "1"), ("limit", "1")]).await;
    assert_eq!((first["totalCount"].as_u64(), codes(&first["list"])), (Some(3), vec!["gamma"]));
    let third = c.ok_get("list-groups", &[("page", "3"), ("limit", "1")]).await;
    assert_eq!(codes(&third["list"]), ["alpha"]);

    let found = c.ok_get("list-groups", &[("keywords", "ALP")]).await;
    assert_eq!((found["totalCount"].as_u64(), codes(&found["list"])), (Some(1), vec!["alpha"]));
    let by_name = c.ok_get("list-groups", &[("keywords", "beta name"), ("withMetadata", "true")]).await;
    assert_eq!(codes(&by_name["list"]), ["beta"]);

    assert_error(&c.get("list-groups", &[("limit", "100000")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-groups", &[("limit", "0")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-groups", &[("page", "-1")]).await, 400, "参数 page 格式错误");
    assert_error(&c.get("list-groups", &[("page", "x")]).await, 400, "参数 page 格式错误");
}

#[tokio::test]
async fn get_all_groups_fetches_members_on_request() {
    let server = TestServer::start().await;
    let c = server.client().await;
    assert_eq!(c.ok_get("get-all-groups", &[]).await, json!([]));
    create_group(&c, "first").await;
    create_group(&c, "second").await;
    let user = create_user(&c, "member1").await;
    c.ok_post("add-group-members", json!({"code": "first", "userIds": [user]})).await;

    let plain = c.ok_get("get-all-groups", &[]).await;
    assert_eq!(codes(&plain), ["second", "first"]);
    assert_eq!(plain[1]["members"], json!([]));

    let fetched = c.ok_get("get-all-groups", &[("fetchMembers", "true")]).await;
    assert_eq!(fetched[1]["members"][0]["userId"], user.as_str());
    assert_eq!(fetched[1]["members"][0]["username"], "member1");
    assert_eq!(fetched[0]["members"], json!([]));
    assert_error(&c.get("get-all-groups", &[("fetchMembers", "yes please")]).await, 400, "参数 fetchMembers 格式错误");
}

#[tokio::test]
async fn adding_and_removing_members() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_group(&c, "g").await;
    let (u1, u2) = (create_user(&c, "member1").await, create_user(&c, "member2").await);

    c.ok_post("add-group-members", json!({"code": "g", "userIds": [u1, u2]})).await;
    c.ok_post("add-group-members", json!({"code": "g", "userIds": [u1]})).await;
    let mut members = member_ids(&c, "g").await;
    members.sort();
    let mut expected = vec![u1.clone(), u2.clone()];
    expected.sort();
    assert_eq!(members, expected);

    c.ok_post("remove-group-members", json!({"code": "g", "userIds": [u1]})).await;
    c.ok_post("remove-group-members", json!({"code": "g", "userIds": [u1]})).await;
    assert_eq!(member_ids(&c, "g").await, [u2.as_str()]);
}

#[tokio::test]
async fn membership_errors_change_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_group(&c, "g").await;
    let user = create_user(&c, "member1").await;
    c.ok_post("add-group-members", json!({"code": "g", "userIds": [user]})).await;
    let too_many: Vec<String> = (0..51).map(|_| user.clone()).collect();
    for endpoint in ["add-group-members", "remove-group-members"] {
        let cases = [
            (json!({"code": "", "userIds": [user]}), 400, "参数 code 格式错误"),
            (json!({"userIds": [user]}), 400, "参数 code 格式错误"),
            (json!({"code": "g", "userIds": []}), 400, "参数 userIds 格式错误"),
            (json!({"code": "g"}), 400, "参数 userIds 格式错误"),
            (json!({"code": "g", "userIds": too_many}), 400, "参数 userIds 格式错误"),
            (json!({"code": "g", "userIds": [1]}), 400, "参数 userIds 格式错误"),
            (json!({"code": "unknown", "userIds": [user]}), 404, "分组不存在"),
            (json!({"code": "g", "userIds": [user, "000000000000000000000000"]}), 404, "用户不存在"),
        ];
        for (body, status, message) in cases {
            assert_error(&c.post(endpoint, body).await, status, message);
        }
    }
    assert_eq!(member_ids(&c, "g").await, [user.as_str()]);
}

#[tokio::test]
async fn list_group_members_pages_and_errors() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_group(&c, "g").await;
    let first = create_user(&c, "member1").await;
    let second = create_user(&c, "member2").await;
    c.ok_post("add-group-members", json!({"code": "g", "userIds": [first]})).await;
    c.ok_post("add-group-members", json!({"code": "g", "userIds": [second]})).await;

    let page = c.ok_get("list-group-members", &[("code", "g")]).await;
    assert_eq!(page["totalCount"], 2);
    assert_eq!(page["list"][0]["userId"], second.as_str(), "the latest member comes first");
    assert_eq!(page["list"][0]["username"], "member2");
    let last = c.ok_get("list-group-members", &[("code", "g"), ("page", "2"), ("limit", "1")]).await;
    assert_eq!((last["totalCount"].as_u64(), last["list"][0]["userId"].as_str()), (Some(2), Some(first.as_str())));
    let with_data = c.ok_get("list-group-members", &[("code", "g"), ("withCustomData", "true")]).await;
    assert!(with_data["list"][0].get("customData").is_some());

    assert_error(&c.get("list-group-members", &[("code", "unknown")]).await, 404, "分组不存在");
    assert_error(&c.get("list-group-members", &[("code", "")]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("list-group-members", &[("code", "g"), ("limit", "10000")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-group-members", &[("code", "g"), ("page", "-1")]).await, 400, "参数 page 格式错误");
}

#[tokio::test]
async fn groups_are_isolated_per_pool() {
    let server = TestServer::start().await;
    let a = server.client().await;
    let b = server.new_pool_client().await;
    create_group(&a, "shared-code").await;
    let user_a = create_user(&a, "member1").await;
    let user_b = create_user(&b, "member1").await;

    assert_error(&b.get("get-group", &[("code", "shared-code")]).await, 404, "分组不存在");
    assert_eq!(group_count(&b).await, 0);
    assert_eq!(b.ok_get("get-all-groups", &[]).await, json!([]));
    assert_error(&b.post("update-group", json!({"code": "shared-code", "name": "x"})).await, 404, "分组不存在");
    assert_error(
        &b.post("add-group-members", json!({"code": "shared-code", "userIds": [user_b]})).await,
        404,
        "分组不存在",
    );
    assert_error(&b.get("list-group-members", &[("code", "shared-code")]).await, 404, "分组不存在");
    b.ok_post("delete-groups-batch", json!({"codeList": ["shared-code"]})).await;
    a.ok_get("get-group", &[("code", "shared-code")]).await;

    // Another pool's user is unknown here, and codes are unique per pool only.
    assert_error(
        &a.post("add-group-members", json!({"code": "shared-code", "userIds": [user_b]})).await,
        404,
        "用户不存在",
    );
    create_group(&b, "shared-code").await;
    assert_error(
        &b.post("add-group-members", json!({"code": "shared-code", "userIds": [user_a]})).await,
        404,
        "用户不存在",
    );
    assert!(member_ids(&a, "shared-code").await.is_empty());
}
