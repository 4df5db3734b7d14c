//! Roles through the real binary: principals.md §2 and README §9 "roles/".

mod common;

use common::{assert_error, assert_ok, Client, TestServer};
use serde_json::{json, Value};

const LONG: &str =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

async fn create_user(c: &Client, username: &str) -> String {
    let user = c.ok_post("create-user", json!({"username": username})).await;
    user["userId"].as_str().unwrap().to_owned()
}

/// An organization's root department id.
async fn create_department(c: &Client, code: &str) -> String {
    let org = c.ok_post("create-organization", json!({"organizationCode": code, "organizationName": code})).await;
    org["departmentId"].as_str().unwrap().to_owned()
}

fn users(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"targetType": "USER", "targetIdentifier": id})).collect())
}

async fn role_codes(c: &Client, namespace: &str) -> Vec<String> {
    let listed = c.ok_get("list-roles", &[("namespace", namespace), ("limit", "50")]).await;
    listed["list"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
}

async fn member_ids(c: &Client, code: &str) -> Vec<String> {
    let listed = c.ok_get("list-role-members", &[("code", code), ("limit", "50")]).await;
    listed["list"].as_array().unwrap().iter().map(|u| u["userId"].as_str().unwrap().to_owned()).collect()
}

async fn department_ids(c: &Client, code: &str) -> Vec<String> {
    let listed = c.ok_get("list-role-departments", &[("code", code), ("limit", "50")]).await;
    listed["list"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn create_and_get_a_role() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let created =
        c.ok_post("create-role", json!({"code": "admin", "description": "d", "disableTime": "4102444800000"})).await;
    assert_eq!(created["code"], "admin");
    assert_eq!(created["name"], "admin", "name defaults to the code");
    assert_eq!(created["namespace"], "default");
    assert_eq!(created["status"], "ENABLE");
    assert_eq!(created["disableTime"], 4_102_444_800_000_i64);
    assert!(created["id"].as_str().is_some_and(|id| id.len() == 24));

    let plain = c.ok_post("create-role", json!({"code": "plain", "namespace": "default", "name": "Plain"})).await;
    assert_eq!(
        (plain["name"].clone(), plain["description"].clone(), plain["disableTime"].clone()),
        (json!("Plain"), json!(""), Value::Null)
    );

    for query in [vec![("code", "admin")], vec![("code", "admin"), ("namespace", "default")]] {
        let got = c.ok_get("get-role", &query).await;
        assert_eq!(got, created);
    }
    assert_error(&c.get("get-role", &[("code", "ghost")]).await, 404, "角色不存在");
    assert_error(&c.get("get-role", &[("code", "admin"), ("namespace", "nope")]).await, 404, "权限组不存在");
    assert_error(&c.get("get-role", &[("code", "")]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("get-role", &[]).await, 400, "参数 code 格式错误");
}

#[tokio::test]
async fn create_role_errors_change_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-role", json!({"code": "taken"})).await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    assert_error(&c.post("create-role", json!({"code": "额！"})).await, 400, "invalid role code: 额！");
    assert_error(&c.post("create-role", json!({"code": " "})).await, 400, "invalid role code:  ");
    assert_error(&c.post("create-role", json!({"code": ""})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-role", json!({"code": LONG})).await, 400, "参数 code 格式错误");
    assert_error(&c.post("create-role", json!({})).await, 400, "参数 code 格式错误");
    assert_error(
        &c.post("create-role", json!({"code": "x", "disableTime": "soon"})).await,
        400,
        "参数 disableTime 格式错误",
    );
    assert_error(&c.post("create-role", json!({"code": "x", "namespace": "nope"})).await, 404, "权限组不存在");
    assert_error(&c.post("create-role", json!({"code": "taken"})).await, 409, "角色已存在");
    assert_eq!(role_codes(&c, "default").await, ["taken"]);
    // Codes are unique per namespace only.
    assert_eq!(c.ok_post("create-role", json!({"code": "taken", "namespace": "ns2"})).await["namespace"], "ns2");
}

#[tokio::test]
async fn create_roles_batch_is_all_or_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    let ok = c
        .ok_post(
            "create-roles-batch",
            json!({"list": [{"code": "r1", "name": "R1"}, {"code": "r2", "namespace": "ns2"}]}),
        )
        .await;
    assert_eq!(ok, json!({"success": true}));
    assert_eq!(c.ok_get("get-role", &[("code", "r1")]).await["name"], "R1");
    assert_eq!(c.ok_get("get-role", &[("code", "r2"), ("namespace", "ns2")]).await["namespace"], "ns2");

    for (item, status, message) in [
        (json!({"code": "额！"}), 400, "invalid role code: 额！".to_owned()),
        (json!({"code": " "}), 400, "invalid role code:  ".to_owned()),
        (json!({"code": LONG}), 400, format!("invalid role code: {LONG}")),
        (json!({"code": ""}), 400, "role code must not empty".to_owned()),
        (json!({"code": "r1"}), 409, "角色已存在".to_owned()),
        (json!({"code": "fresh"}), 409, "角色已存在".to_owned()),
        (json!({"code": "x", "namespace": "nope"}), 404, "权限组不存在".to_owned()),
        (json!({"code": "x", "name": 5}), 400, "参数 list 格式错误".to_owned()),
    ] {
        let answer = c.post("create-roles-batch", json!({"list": [{"code": "fresh"}, item]})).await;
        assert_error(&answer, status, &message);
    }
    assert_error(&c.post("create-roles-batch", json!({"list": []})).await, 400, "参数 list 格式错误");
    assert_error(&c.post("create-roles-batch", json!({})).await, 400, "参数 list 格式错误");
    assert_eq!(role_codes(&c, "default").await, ["r1"], "no failed batch created anything");
}

#[tokio::test]
async fn update_role_renames_in_place() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let id = c.ok_post("create-role", json!({"code": "old", "name": "Old"})).await["id"].clone();
    c.ok_post("create-role", json!({"code": "other"})).await;
    let user = create_user(&c, "alice").await;
    c.ok_post("assign-role", json!({"code": "old", "targets": users(&[&user])})).await;

    let ok = c
        .ok_post("update-role", json!({"code": "old", "newCode": "new", "namespace": "default", "description": "d"}))
        .await;
    assert_eq!(ok, json!({"success": true}));
    let got = c.ok_get("get-role", &[("code", "new")]).await;
    assert_eq!((got["id"].clone(), got["name"].clone(), got["description"].clone()), (id, json!("Old"), json!("d")));
    assert_error(&c.get("get-role", &[("code", "old")]).await, 404, "角色不存在");
    assert_eq!(member_ids(&c, "new").await, [user], "assignments follow the role");

    c.ok_post(
        "update-role",
        json!({"code": "new", "newCode": "", "status": "disable", "disableTime": 123, "enablePermissionApply": true}),
    )
    .await;
    let got = c.ok_get("get-role", &[("code", "new")]).await;
    assert_eq!((got["status"].clone(), got["disableTime"].clone()), (json!("DISABLE"), json!(123)));
    assert_eq!(got["enablePermissionApply"], true);
    c.ok_post("update-role", json!({"code": "new", "status": "Enable"})).await;
    assert_eq!(c.ok_get("get-role", &[("code", "new")]).await["status"], "ENABLE");

    for (body, status, message) in [
        (json!({"code": "new", "newCode": "额！"}), 400, "invalid role code: 额！"),
        (json!({"code": "new", "newCode": " "}), 400, "invalid role code:  "),
        (json!({"code": "new", "newCode": LONG}), 400, "参数 newCode 格式错误"),
        (json!({"code": "new", "newCode": "other"}), 409, "角色已存在"),
        (json!({"code": "new", "status": "ON"}), 400, "参数 status 格式错误"),
        (json!({"code": "ghost", "newCode": "x"}), 404, "角色不存在"),
        (json!({"code": "new", "newCode": "x", "namespace": "nope"}), 404, "权限组不存在"),
        (json!({"code": "", "newCode": "x"}), 400, "参数 code 格式错误"),
    ] {
        assert_error(&c.post("update-role", body).await, status, message);
    }
    let mut codes = role_codes(&c, "default").await;
    codes.sort();
    assert_eq!(codes, ["new", "other"]);
}

#[tokio::test]
async fn delete_roles_batch_is_atomic_and_cascades() {
    let server = TestServer::start().await;
    let c = server.client().await;
    for code in ["a", "b", "c"] {
        c.ok_post("create-role", json!({"code": code})).await;
    }
    let user = create_user(&c, "bob").await;
    c.ok_post("assign-role", json!({"code": "a", "targets": users(&[&user])})).await;
    c.ok_post(
        "authorize-resources",
        json!({"namespace": "default", "list": [{"targetType": "ROLE", "targetIdentifiers": ["a"],
            "resources": [{"code": "books:1", "resourceType": "DATA", "actions": ["read"]}]}]}),
    )
    .await;

    assert_error(&c.post("delete-roles-batch", json!({"codeList": ["a", "ghost"]})).await, 404, "角色不存在");
    assert_error(
        &c.post("delete-roles-batch", json!({"codeList": ["a"], "namespace": "nope"})).await,
        404,
        "权限组不存在",
    );
    assert_error(&c.post("delete-roles-batch", json!({"codeList": []})).await, 400, "参数 codeList 格式错误");
    assert_eq!(role_codes(&c, "default").await, ["c", "b", "a"], "failed deletes deleted nothing");

    assert_eq!(
        c.ok_post("delete-roles-batch", json!({"codeList": ["a", "b"], "namespace": "default"})).await,
        json!({"success": true})
    );
    assert_eq!(role_codes(&c, "default").await, ["c"]);

    // A new role with the old code starts clean: no members, no grants.
    c.ok_post("create-role", json!({"code": "a"})).await;
    assert!(member_ids(&c, "a").await.is_empty());
    let granted = c.ok_get("get-role-authorized-resources", &[("code", "a")]).await;
    assert_eq!(granted["totalCount"], 0, "{granted}");
}

#[tokio::test]
async fn list_roles_pages_newest_first() {
    let server = TestServer::start().await;
    let c = server.client().await;
    for (code, name) in [("reader", "Reader"), ("writer", "Writer"), ("admin", "Boss")] {
        c.ok_post("create-role", json!({"code": code, "name": name})).await;
    }
    let all = c.ok_get("list-roles", &[("namespace", "default")]).await;
    assert_eq!(all["totalCount"], 3);
    assert_eq!(all["list"][0]["code"], "admin");
    assert_eq!(all["list"][0]["namespaceName"], "default");
    let page = c.ok_get("list-roles", &[("page", "2"), ("limit", "2")]).await;
    assert_eq!((page["totalCount"].clone(), page["list"][0]["code"].clone()), (json!(3), json!("reader")));
    let found = c.ok_get("list-roles", &[("keywords", "boss")]).await;
    assert_eq!((found["totalCount"].clone(), found["list"][0]["code"].clone()), (json!(1), json!("admin")));
    assert_eq!(c.ok_get("list-roles", &[("keywords", "rite")]).await["totalCount"], 1);

    assert_error(&c.get("list-roles", &[("namespace", "nope")]).await, 404, "权限组不存在");
    assert_error(&c.get("list-roles", &[("page", "-1")]).await, 400, "参数 page 格式错误");
    assert_error(&c.get("list-roles", &[("limit", "-1")]).await, 400, "参数 limit 格式错误");
    assert_error(&c.get("list-roles", &[("limit", "10000")]).await, 400, "参数 limit 格式错误");
}

#[tokio::test]
async fn assign_and_revoke_users() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-role", json!({"code": "r"})).await;
    let (u1, u2) = (create_user(&c, "u1").await, create_user(&c, "u2").await);

    // Twice, with and without namespace: idempotent.
    assert_eq!(
        c.ok_post("assign-role", json!({"code": "r", "targets": users(&[&u1, &u2])})).await,
        json!({"success": true})
    );
    c.ok_post(
        "assign-role",
        json!({"code": "r", "namespace": "default", "targets": users(&[&u1, &u2]), "endTime": 4102444800000_i64}),
    )
    .await;
    assert_eq!(member_ids(&c, "r").await, [u2.clone(), u1.clone()]);
    let with_namespace = c.ok_get("list-role-members", &[("code", "r"), ("namespace", "default")]).await;
    assert_eq!(with_namespace["totalCount"], 2);
    let roles_of_u1 = c.ok_get("get-user-roles", &[("userId", &u1)]).await;
    assert_eq!(roles_of_u1["list"][0]["code"], "r", "{roles_of_u1}");

    assert_eq!(
        c.ok_post("revoke-role", json!({"code": "r", "targets": users(&[&u1])})).await,
        json!({"success": true})
    );
    c.ok_post("revoke-role", json!({"code": "r", "namespace": "default", "targets": users(&[&u1])})).await;
    assert_eq!(member_ids(&c, "r").await, [u2.as_str()]);
}

#[tokio::test]
async fn assign_and_revoke_errors_change_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-role", json!({"code": "r"})).await;
    let user = create_user(&c, "u").await;
    c.ok_post("assign-role", json!({"code": "r", "targets": users(&[&user])})).await;
    let stranger = create_user(&c, "stranger").await;
    let group_target = json!([{"targetType": "GROUP", "targetIdentifier": "g"}]);
    let department_target = json!([{"targetType": "DEPARTMENT", "targetIdentifier": "ghost"}]);
    for endpoint in ["assign-role", "revoke-role"] {
        for (body, status, message) in [
            (json!({"code": "ghost", "targets": users(&[&stranger])}), 404, "角色不存在"),
            (json!({"code": "r", "namespace": "nope", "targets": users(&[&stranger])}), 404, "权限组不存在"),
            (json!({"code": "r", "targets": users(&[&stranger, "ghost"])}), 404, "用户不存在"),
            (json!({"code": "r", "targets": department_target.clone()}), 404, "部门不存在"),
            (json!({"code": "r", "targets": []}), 400, "参数 targets 格式错误"),
            (json!({"code": "r"}), 400, "参数 targets 格式错误"),
            (json!({"code": "r", "targets": group_target.clone()}), 400, "参数 targets 格式错误"),
            (json!({"code": "r", "targets": [{"targetType": "USER"}]}), 400, "参数 targets 格式错误"),
            (json!({"code": "", "targets": users(&[&stranger])}), 400, "参数 code 格式错误"),
        ] {
            assert_error(&c.post(endpoint, body).await, status, message);
        }
    }
    assert_error(
        &c.post("assign-role", json!({"code": "r", "targets": users(&[&stranger]), "endTime": "later"})).await,
        400,
        "参数 endTime 格式错误",
    );
    assert_eq!(member_ids(&c, "r").await, [user]);
}

#[tokio::test]
async fn departments_get_roles_too() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-role", json!({"code": "r"})).await;
    let d1 = create_department(&c, "org1").await;
    let d2 = create_department(&c, "org2").await;
    let targets = json!([
        {"targetType": "DEPARTMENT", "targetIdentifier": d1},
        {"targetType": "DEPARTMENT", "targetIdentifier": d2, "inheritByChildren": true}
    ]);
    c.ok_post("assign-role", json!({"code": "r", "targets": targets})).await;
    let listed = c.ok_get("list-role-departments", &[("code", "r")]).await;
    assert_eq!(listed["totalCount"], 2);
    assert_eq!(listed["list"][0]["id"], d2.as_str());
    assert_eq!(listed["list"][0]["name"], "org2");
    assert!(member_ids(&c, "r").await.is_empty(), "departments are not members");

    c.ok_post("revoke-role", json!({"code": "r", "targets": [{"targetType": "DEPARTMENT", "targetIdentifier": d2}]}))
        .await;
    assert_eq!(department_ids(&c, "r").await, [d1]);

    assert_error(&c.get("list-role-departments", &[("code", "")]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("list-role-departments", &[("code", LONG)]).await, 400, "参数 code 格式错误");
    assert_error(&c.get("list-role-departments", &[("code", " ")]).await, 404, "角色不存在");
    assert_error(&c.get("list-role-departments", &[("code", "r"), ("namespace", "nope")]).await, 404, "权限组不存在");
}

#[tokio::test]
async fn batch_assign_and_revoke_are_all_or_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    c.ok_post("create-role", json!({"code": "a"})).await;
    c.ok_post("create-role", json!({"code": "b", "namespace": "ns2"})).await;
    let (u1, u2) = (create_user(&c, "u1").await, create_user(&c, "u2").await);
    let both = json!([{"code": "a"}, {"code": "b", "namespace": "ns2"}]);

    for (body, status, message) in [
        (json!({"targets": users(&[&u1]), "roles": [{"code": "a"}, {"code": "ghost"}]}), 404, "角色不存在"),
        (
            json!({"targets": users(&[&u1]), "roles": [{"code": "a"}, {"code": "b", "namespace": "nope"}]}),
            404,
            "权限组不存在",
        ),
        (json!({"targets": users(&[&u1, "ghost"]), "roles": both.clone()}), 404, "用户不存在"),
        (json!({"targets": users(&[&u1]), "roles": []}), 400, "参数 roles 格式错误"),
        (json!({"targets": users(&[&u1]), "roles": [{"namespace": "ns2"}]}), 400, "参数 roles 格式错误"),
        (json!({"targets": [], "roles": both.clone()}), 400, "参数 targets 格式错误"),
    ] {
        assert_error(&c.post("assign-role-batch", body.clone()).await, status, message);
        assert_error(&c.post("revoke-role-batch", body).await, status, message);
    }
    let eleven: Vec<&str> = vec![u1.as_str(); 11];
    assert_error(
        &c.post("assign-role-batch", json!({"targets": users(&eleven), "roles": both.clone()})).await,
        400,
        "参数 targets 格式错误",
    );
    assert!(member_ids(&c, "a").await.is_empty());

    assert_eq!(
        c.ok_post("assign-role-batch", json!({"targets": users(&[&u1, &u2]), "roles": both.clone()})).await,
        json!({"success": true})
    );
    assert_eq!(member_ids(&c, "a").await.len(), 2);
    let in_ns2 = c.ok_get("list-role-members", &[("code", "b"), ("namespace", "ns2")]).await;
    assert_eq!(in_ns2["totalCount"], 2);

    c.ok_post("revoke-role-batch", json!({"targets": users(&[&u1]), "roles": both})).await;
    assert_eq!(member_ids(&c, "a").await, [u2.as_str()]);
    let in_ns2 = c.ok_get("list-role-members", &[("code", "b"), ("namespace", "ns2")]).await;
    assert_eq!(in_ns2["list"][0]["userId"], u2.as_str());
    assert_eq!(in_ns2["totalCount"], 1);
}

#[tokio::test]
async fn list_role_members_pages_and_reports_unknowns() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-role", json!({"code": "r"})).await;
    let mut ids = Vec::new();
    for name in ["m1", "m2", "m3"] {
        let id = create_user(&c, name).await;
        c.ok_post("assign-role", json!({"code": "r", "targets": users(&[&id])})).await;
        ids.push(id);
    }
    let page = c
        .ok_get("list-role-members", &[("code", "r"), ("page", "2"), ("limit", "2"), ("withCustomData", "true")])
        .await;
    assert_eq!(page["totalCount"], 3);
    assert_eq!(page["list"][0]["userId"], ids[0].as_str());
    assert_eq!(page["list"][0]["username"], "m1");
    assert!(page["list"][0]["customData"].is_object(), "{page}");

    assert_error(&c.get("list-role-members", &[("code", "ghost")]).await, 404, "角色不存在");
    assert_error(&c.get("list-role-members", &[("code", "r"), ("namespace", "nope")]).await, 404, "权限组不存在");
    assert_error(&c.get("list-role-members", &[("code", "r"), ("limit", "10000")]).await, 400, "参数 limit 格式错误");
}

#[tokio::test]
async fn pools_are_isolated() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let other = server.new_pool_client().await;
    c.ok_post("create-role", json!({"code": "mine"})).await;
    let user = create_user(&c, "u").await;
    let other_user = create_user(&other, "u").await;

    assert_error(&other.get("get-role", &[("code", "mine")]).await, 404, "角色不存在");
    assert_error(&other.post("delete-roles-batch", json!({"codeList": ["mine"]})).await, 404, "角色不存在");
    assert_eq!(other.ok_get("list-roles", &[]).await["totalCount"], 0);
    // The other pool can reuse the code, and cannot assign this pool's users.
    other.ok_post("create-role", json!({"code": "mine"})).await;
    assert_error(
        &other.post("assign-role", json!({"code": "mine", "targets": users(&[&user])})).await,
        404,
        "用户不存在",
    );
    assert_error(
        &c.post("assign-role", json!({"code": "mine", "targets": users(&[&other_user])})).await,
        404,
        "用户不存在",
    );
    assert_ok(&c.post("assign-role", json!({"code": "mine", "targets": users(&[&user])})).await);
    assert!(member_ids(&other, "mine").await.is_empty());
}
