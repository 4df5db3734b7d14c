//! Users (principals.md §1), black-box over HTTP.

mod common;

use common::{assert_error, Client, TestServer};
use serde_json::{json, Value};

async fn create_user(c: &Client, body: Value) -> String {
    c.ok_post("create-user", body).await["userId"].as_str().unwrap().to_owned()
}

async fn get_user(c: &Client, id: &str) -> Value {
    c.get("get-user", &[("userId", id)]).await
}

/// An organization with one child department; returns (root id, child id).
async fn departments(c: &Client, code: &str) -> (String, String) {
    let org = c.ok_post("create-organization", json!({"organizationCode": code, "organizationName": code})).await;
    let root = org["departmentId"].as_str().unwrap().to_owned();
    let child = c
        .ok_post(
            "create-department",
            json!({"organizationCode": code, "name": "child", "parentDepartmentId": root, "code": "child"}),
        )
        .await;
    (root, child["departmentId"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn create_user_echoes_the_profile_with_the_contract_defaults() {
    let server = TestServer::start().await;
    let c = server.client().await;
    assert_eq!(c.post("set-custom-fields", json!({"list": []})).await["statusCode"], 200);
    let user = c
        .ok_post(
            "create-user",
            json!({
                "email": "Test@Example.com", "phone": "18800000000", "phoneCountryCode": "+86",
                "username": "tester", "name": "T", "nickname": "tt", "gender": "M",
                "emailVerified": true, "phoneVerified": false, "externalId": "ext-1",
                "password": "secret", "company": "ACME", "customData": {"school": "MIT", "intro": "hi"}
            }),
        )
        .await;
    assert_eq!(user["status"], "Activated");
    assert_eq!(user["email"], "test@example.com");
    for (field, value) in [
        ("phone", json!("18800000000")),
        ("phoneCountryCode", json!("+86")),
        ("username", json!("tester")),
        ("name", json!("T")),
        ("nickname", json!("tt")),
        ("gender", json!("M")),
        ("emailVerified", json!(true)),
        ("phoneVerified", json!(false)),
        ("externalId", json!("ext-1")),
        ("company", json!("ACME")),
        ("loginsCount", json!(0)),
        ("lastLogin", Value::Null),
        ("lastIp", Value::Null),
        ("customData", json!({"school": "MIT", "intro": "hi"})),
    ] {
        assert_eq!(user[field], value, "{field}");
    }
    assert!(user["photo"].as_str().is_some_and(|p| !p.is_empty()));
    assert!(user.get("password").is_none());
    assert!(user.get("identities").is_none() && user.get("departmentIds").is_none());
}

#[tokio::test]
async fn create_user_refuses_bad_input_and_creates_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let before = c.ok_post("list-users", json!({})).await["totalCount"].clone();
    let long = "x".repeat(1100);
    for (body, status, message) in [
        (json!({}), 400, "Must contain one of the following fields: username, phone, email"),
        (json!({"email": "test1@qqq"}), 400, "参数 email 格式错误"),
        (json!({"username": "a", "customData": {"k": long}}), 400, "customData must be less than 1024 characters"),
        (json!({"username": "a", "customData": [1]}), 400, "参数 customData 格式错误"),
        (json!({"username": "a", "phoneCountryCode": "+86"}), 400, "phone cannot be empty"),
        (json!({"username": "a", "gender": "X"}), 400, "参数 gender 格式错误"),
        (json!({"username": "a", "status": "Happy"}), 400, "参数 status 格式错误"),
        (json!({"username": "a", "phone": "1234567890#"}), 400, "参数 phone 格式错误"),
        (json!({"username": "a", "departmentIds": ["nope"]}), 404, "存在不合法的 departmentId: nope"),
        (json!({"username": "a", "options": {"passwordEncryptType": "rsa"}}), 400, "参数 passwordEncryptType 格式错误"),
    ] {
        assert_error(&c.post("create-user", body.clone()).await, status, message);
    }
    create_user(&c, json!({"username": "taken", "email": "t@x.com", "phone": "123", "externalId": "e"})).await;
    for (body, message) in [
        (json!({"username": "taken"}), "用户名已存在"),
        (json!({"email": "T@X.COM"}), "邮箱已存在"),
        (json!({"phone": "123"}), "手机号已存在"),
        (json!({"username": "n", "externalId": "e"}), "externalId 已存在"),
    ] {
        assert_error(&c.post("create-user", body).await, 409, message);
    }
    let after = c.ok_post("list-users", json!({})).await["totalCount"].clone();
    assert_eq!(after.as_u64(), before.as_u64().map(|n| n + 1));
}

#[tokio::test]
async fn create_users_batch_is_ordered_and_all_or_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let (root, _) = departments(&c, "org1").await;
    let created = c
        .ok_post(
            "create-users-batch",
            json!({"list": [{"username": "b1", "departmentIds": [root]}, {"username": "b2", "customData": {"a": 1}}]}),
        )
        .await;
    assert_eq!(created[0]["username"], "b1");
    assert_eq!(created[1]["username"], "b2");
    assert_eq!(created[1]["customData"], json!({"a": 1}));
    assert!(created[0].get("customData").is_none());

    let refused = c.post("create-users-batch", json!({"list": [{"username": "b3"}, {"username": "b3"}]})).await;
    assert_error(&refused, 409, "用户名已存在");
    let refused = c.post("create-users-batch", json!({"list": [{"username": "b4"}, {"email": "bad"}]})).await;
    assert_error(&refused, 400, "参数 email 格式错误");
    for username in ["b3", "b4"] {
        let answer = c.get("get-user", &[("userId", username), ("userIdType", "username")]).await;
        assert_error(&answer, 404, "用户不存在");
    }
    assert_error(&c.post("create-users-batch", json!({"list": []})).await, 400, "参数 list 格式错误");
    let too_many: Vec<Value> = (0..51).map(|i| json!({"username": format!("u{i}")})).collect();
    assert_error(&c.post("create-users-batch", json!({"list": too_many})).await, 400, "参数 list 格式错误");
}

#[tokio::test]
async fn get_user_by_every_id_type_and_with_flags() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let (root, _) = departments(&c, "org1").await;
    let id = create_user(
        &c,
        json!({"username": "u1", "email": "u1@x.com", "phone": "212-456-1111", "externalId": "e1",
               "departmentIds": [root], "customData": {"k": "v"}}),
    )
    .await;
    for (raw, kind) in [
        (id.as_str(), "user_id"),
        ("u1", "username"),
        ("U1@X.COM", "email"),
        ("212-456-1111", "phone"),
        ("e1", "external_id"),
    ] {
        let user = c.ok_get("get-user", &[("userId", raw), ("userIdType", kind)]).await;
        assert_eq!(user["userId"], id.as_str(), "{kind}");
        assert_eq!(user["email"], "u1@x.com");
    }
    let plain = c.ok_get("get-user", &[("userId", &id)]).await;
    assert!(plain.get("customData").is_none());
    let full = c
        .ok_get(
            "get-user",
            &[("userId", &id), ("withCustomData", "true"), ("withIdentities", "True"), ("withDepartmentIds", "true")],
        )
        .await;
    assert_eq!(full["customData"], json!({"k": "v"}));
    assert_eq!(full["identities"], json!([]));
    assert_eq!(full["departmentIds"], json!([root]));
    assert_eq!(full["mainDepartmentId"], root.as_str());
    let flat = c.ok_get("get-user", &[("userId", &id), ("flatCustomData", "true")]).await;
    assert_eq!(flat["k"], "v");

    assert_error(&get_user(&c, "test").await, 404, "用户不存在");
    assert_error(&get_user(&c, "").await, 400, "参数 userId 格式错误");
    assert_error(&c.get("get-user", &[]).await, 400, "参数 userId 格式错误");
    for (raw, kind, status, message) in [
        ("test#x.com", "email", 400, "参数 userId 格式错误"),
        ("1234567890#", "phone", 400, "参数 userId 格式错误"),
        ("212-456-1112", "phone", 404, "用户不存在"),
        ("a:b", "identity", 400, "参数 userIdType 格式错误"),
    ] {
        assert_error(&c.get("get-user", &[("userId", raw), ("userIdType", kind)]).await, status, message);
    }
}

#[tokio::test]
async fn get_user_batch_returns_found_users_in_request_order() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let a = create_user(&c, json!({"username": "a"})).await;
    let b = create_user(&c, json!({"username": "b"})).await;
    let found = c
        .ok_get(
            "get-user-batch",
            &[
                ("userIds", &b),
                ("userIds", "unknown"),
                ("userIds", &a),
                ("withCustomData", "true"),
                ("withIdentities", "true"),
                ("withDepartmentIds", "true"),
            ],
        )
        .await;
    assert_eq!(found.as_array().unwrap().len(), 2);
    assert_eq!(found[0]["userId"], b.as_str());
    assert_eq!(found[1]["userId"], a.as_str());
    assert_eq!(found[0]["customData"], json!({}));
    assert_eq!(found[0]["departmentIds"], json!([]));
    assert_eq!(found[0]["identities"], json!([]));
    let by_name = c.ok_get("get-user-batch", &[("userIds", "a,b"), ("userIdType", "username")]).await;
    assert_eq!(by_name.as_array().unwrap().len(), 2);
    assert_error(&c.get("get-user-batch", &[]).await, 400, "参数 userIds 格式错误");
}

#[tokio::test]
async fn list_users_filters_sorts_pages_and_validates() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let (root, _) = departments(&c, "org1").await;
    for (name, status) in [("zed", "Activated"), ("amy", "Suspended"), ("bob", "Activated")] {
        create_user(&c, json!({"username": name, "status": status, "nickname": format!("nick-{name}")})).await;
    }
    let bob = c.ok_get("get-user", &[("userId", "bob"), ("userIdType", "username")]).await["userId"].clone();
    c.ok_post("set-user-departments", json!({"userId": bob, "departments": [{"departmentId": root}]})).await;

    let page = c
        .ok_post(
            "list-users",
            json!({"keywords": "nick-", "options": {"pagination": {"page": 1, "limit": 2},
                   "withCustomData": true, "withIdentities": true, "withDepartmentIds": true}}),
        )
        .await;
    assert_eq!(page["totalCount"], 3);
    assert_eq!(page["list"][0]["username"], "bob", "newest first");
    assert_eq!(page["list"][0]["departmentIds"], json!([root]));
    assert_eq!(page["list"][0]["customData"], json!({}));
    assert_eq!(page["list"][0]["identities"], json!([]));

    let sorted = c
        .ok_post(
            "list-users",
            json!({"keywords": "nick-", "options": {"sort": [{"field": "username", "order": "asc"}]}}),
        )
        .await;
    let names: Vec<&str> = sorted["list"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["amy", "bob", "zed"]);

    let filtered = c
        .ok_post(
            "list-users",
            json!({"advancedFilter": [{"field": "status", "operator": "EQUAL", "value": "Activated"},
                                      {"field": "username", "operator": "IN", "value": ["amy", "zed", "bob"]}]}),
        )
        .await;
    assert_eq!(filtered["totalCount"], 2);
    let in_department = c
        .ok_post("list-users", json!({"advancedFilter": [{"field": "department", "operator": "IN", "value": [root]}]}))
        .await;
    assert_eq!(in_department["totalCount"], 1);

    for (body, message) in [
        (json!({"options": {"pagination": {"page": 0}}}), "参数 page 格式错误"),
        (json!({"options": {"pagination": {"limit": 0}}}), "参数 limit 格式错误"),
        (json!({"options": {"pagination": {"limit": 220}}}), "limit must less than 50"),
        (
            json!({"advancedFilter": [{"field": "status", "operator": "EQUAL", "value": "invalid"}]}),
            "参数 status 格式错误",
        ),
        (
            json!({"advancedFilter": [{"field": "shoeSize", "operator": "EQUAL", "value": "9"}]}),
            "参数 advancedFilter 格式错误",
        ),
        (json!({"options": {"sort": [{"field": "shoeSize"}]}}), "参数 sort 格式错误"),
        (json!({"options": {"fuzzySearchOn": ["shoeSize"]}}), "参数 fuzzySearchOn 格式错误"),
    ] {
        assert_error(&c.post("list-users", body).await, 400, message);
    }
}

#[tokio::test]
async fn legacy_list_users_pages_and_filters_by_status() {
    let server = TestServer::start().await;
    let c = server.client().await;
    create_user(&c, json!({"username": "s1", "status": "Suspended"})).await;
    let suspended = c.ok_get("list-users", &[("status", "Suspended"), ("withCustomData", "true")]).await;
    assert_eq!(suspended["totalCount"], 1);
    assert_eq!(suspended["list"][0]["username"], "s1");
    assert_eq!(suspended["list"][0]["customData"], json!({}));
    let future = c.ok_get("list-users", &[("updatedAtStart", "99999999999")]).await;
    assert_eq!(future["totalCount"], 0);
    assert_error(&c.get("list-users", &[("status", "nope")]).await, 400, "参数 status 格式错误");
    assert_error(&c.get("list-users", &[("limit", "51")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-users", &[("page", "-1")]).await, 400, "参数 page 格式错误");
}

#[tokio::test]
async fn update_user_is_partial_and_refuses_conflicts_without_change() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let id = create_user(&c, json!({"username": "u1", "nickname": "n"})).await;
    create_user(&c, json!({"username": "u2", "email": "u2@x.com"})).await;
    let updated = c.ok_post("update-user", json!({"userId": id, "gender": "M", "customData": {"a": 1}})).await;
    assert_eq!(updated["gender"], "M");
    assert_eq!(updated["nickname"], "n");
    assert_eq!(updated["customData"], json!({"a": 1}));
    let by_name =
        c.ok_post("update-user", json!({"userId": "u1", "name": "N", "options": {"userIdType": "username"}})).await;
    assert_eq!(by_name["name"], "N");

    assert_error(&c.post("update-user", json!({"userId": id, "gender": ""})).await, 400, "参数 gender 格式错误");
    assert_error(&c.post("update-user", json!({"userId": id, "email": "U2@x.com"})).await, 409, "邮箱已存在");
    assert_error(&c.post("update-user", json!({"userId": "nobody", "name": "x"})).await, 404, "用户不存在");
    assert_error(&c.post("update-user", json!({"name": "x"})).await, 400, "参数 userId 格式错误");
    let user = c.ok_get("get-user", &[("userId", &id)]).await;
    assert_eq!(user["gender"], "M");
    assert!(user["email"].is_null(), "the refused update changed nothing");
}

#[tokio::test]
async fn delete_users_batch_cascades_and_skips_unknown_ids() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let (root, _) = departments(&c, "org1").await;
    let id = create_user(&c, json!({"username": "gone", "departmentIds": [root]})).await;
    let kept = create_user(&c, json!({"username": "kept"})).await;
    c.ok_post("create-role", json!({"code": "r1"})).await;
    c.ok_post("assign-role", json!({"code": "r1", "targets": [{"targetType": "USER", "targetIdentifier": id}]})).await;
    c.ok_post("create-group", json!({"code": "g1", "name": "g1"})).await;
    c.ok_post("add-group-members", json!({"code": "g1", "userIds": [id, kept]})).await;

    assert_error(&c.post("delete-users-batch", json!({"userIds": []})).await, 400, "参数 userIds 格式错误");
    c.ok_post("delete-users-batch", json!({"userIds": [id, "unknown"]})).await;
    assert_error(&get_user(&c, &id).await, 404, "用户不存在");
    assert_eq!(c.ok_get("list-role-members", &[("code", "r1")]).await["totalCount"], 0);
    assert_eq!(c.ok_get("list-group-members", &[("code", "g1")]).await["totalCount"], 1);
    let members =
        c.ok_get("list-department-member-ids", &[("organizationCode", "org1"), ("departmentId", &root)]).await;
    assert_eq!(members, json!([]));
    // The freed username can be used again.
    create_user(&c, json!({"username": "gone"})).await;
    c.ok_post("delete-users-batch", json!({"userIds": ["gone"], "options": {"userIdType": "username"}})).await;
    assert_error(&c.get("get-user", &[("userId", "gone"), ("userIdType", "username")]).await, 404, "用户不存在");
}

#[tokio::test]
async fn user_roles_and_groups_list_direct_memberships() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let id = create_user(&c, json!({"username": "u"})).await;
    c.ok_post("create-namespace", json!({"code": "ns1"})).await;
    c.ok_post("create-role", json!({"code": "r-default"})).await;
    c.ok_post("create-role", json!({"code": "r-ns1", "namespace": "ns1"})).await;
    for (code, namespace) in [("r-default", "default"), ("r-ns1", "ns1")] {
        let targets = json!([{"targetType": "USER", "targetIdentifier": id}]);
        c.ok_post("assign-role", json!({"code": code, "namespace": namespace, "targets": targets})).await;
    }
    let roles = c.ok_get("get-user-roles", &[("userId", &id)]).await;
    assert_eq!(roles["totalCount"], 1);
    assert_eq!(roles["list"][0]["code"], "r-default");
    let roles = c.ok_get("get-user-roles", &[("userId", "u"), ("userIdType", "username"), ("namespace", "ns1")]).await;
    assert_eq!(roles["list"][0]["code"], "r-ns1");
    assert_eq!(roles["list"][0]["namespace"], "ns1");

    c.ok_post("create-group", json!({"code": "g1", "name": "G"})).await;
    c.ok_post("add-group-members", json!({"code": "g1", "userIds": [id]})).await;
    let groups = c.ok_get("get-user-groups", &[("userId", &id)]).await;
    assert_eq!(groups["totalCount"], 1);
    assert_eq!(groups["list"][0]["code"], "g1");

    for endpoint in ["get-user-roles", "get-user-groups"] {
        assert_error(&c.get(endpoint, &[("userId", "")]).await, 400, "参数 userId 格式错误");
        assert_error(&c.get(endpoint, &[("userId", "unknown")]).await, 404, "用户不存在");
    }
    assert_error(&c.get("get-user-roles", &[("userId", &id), ("namespace", "nope")]).await, 404, "权限组不存在");
}

#[tokio::test]
async fn set_and_get_user_departments() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let (root, child) = departments(&c, "org1").await;
    let id = create_user(&c, json!({"username": "u"})).await;
    let set = |departments: Value| json!({"userId": id, "departments": departments});
    c.ok_post("set-user-departments", set(json!([{"departmentId": root}, {"departmentId": child, "isLeader": true}])))
        .await;
    let page = c
        .ok_get(
            "get-user-departments",
            &[("userId", &id), ("withDepartmentPaths", "true"), ("sortBy", "DepartmentName"), ("orderBy", "Asc")],
        )
        .await;
    assert_eq!(page["totalCount"], 2);
    let child_item = &page["list"][0];
    assert_eq!(child_item["departmentId"], child.as_str());
    assert_eq!(child_item["organizationCode"], "org1");
    assert_eq!(child_item["isLeader"], true);
    assert_eq!(child_item["isMainDepartment"], false);
    assert_eq!(child_item["isRoot"], false);
    assert_eq!(child_item["departmentIdPath"], json!([root, child]));
    assert_eq!(page["list"][1]["isMainDepartment"], true);

    c.ok_post("set-user-departments", set(json!([{"departmentId": child, "isMainDepartment": true}]))).await;
    let page = c.ok_get("get-user-departments", &[("userId", &id)]).await;
    assert_eq!(page["totalCount"], 1);
    assert!(page["list"][0].get("departmentIdPath").is_none());

    let long = "x".repeat(100);
    for bad in ["unknown", "", " ", long.as_str()] {
        let answer = c.post("set-user-departments", set(json!([{"departmentId": root}, {"departmentId": bad}]))).await;
        assert_error(&answer, 404, &format!("存在不合法的 departmentId: {bad}"));
    }
    assert_error(&c.post("set-user-departments", set(json!([]))).await, 400, "参数 departments 格式错误");
    let unknown_user = json!({"userId": "nobody", "departments": [{"departmentId": root}]});
    assert_error(&c.post("set-user-departments", unknown_user).await, 404, "用户不存在");
    assert_eq!(c.ok_get("get-user-departments", &[("userId", &id)]).await["totalCount"], 1, "failures changed nothing");

    assert_error(&c.get("get-user-departments", &[("userId", "")]).await, 400, "参数 userId 格式错误");
    for unknown in ["random", " ", long.as_str()] {
        assert_error(&c.get("get-user-departments", &[("userId", unknown)]).await, 404, "用户不存在");
    }
    assert_error(
        &c.get("get-user-departments", &[("userId", &id), ("sortBy", "x")]).await,
        400,
        "参数 sortBy 格式错误",
    );
}

#[tokio::test]
async fn users_of_another_pool_are_not_found() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let other = server.new_pool_client().await;
    let id = create_user(&c, json!({"username": "mine", "email": "mine@x.com"})).await;
    assert_error(&get_user(&other, &id).await, 404, "用户不存在");
    assert_error(&other.get("get-user-roles", &[("userId", &id)]).await, 404, "用户不存在");
    assert_error(&other.post("update-user", json!({"userId": id, "name": "x"})).await, 404, "用户不存在");
    assert_eq!(other.ok_get("get-user-batch", &[("userIds", &id)]).await, json!([]));
    other.ok_post("delete-users-batch", json!({"userIds": [id]})).await;
    // Identifiers are unique per pool only.
    create_user(&other, json!({"username": "mine", "email": "mine@x.com"})).await;
    assert_eq!(c.ok_get("get-user", &[("userId", &id)]).await["username"], "mine");
}
