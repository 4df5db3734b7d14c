//! Black-box tests of resource authorization and checks (resources.md §21–§27), including every
//! scenario of semantics.md §12, the §13 extensions, deep department trees, cascades and pool
//! isolation.

mod common;

use common::{assert_error, assert_ok, Client, TestServer};
use serde_json::{json, Value};

// ---- fixtures ---------------------------------------------------------------------------------

async fn user(c: &Client, username: &str) -> String {
    let data = c.ok_post("create-user", json!({"username": username})).await;
    data["userId"].as_str().unwrap().to_owned()
}

async fn role(c: &Client, code: &str, namespace: &str) -> String {
    let data = c.ok_post("create-role", json!({"code": code, "namespace": namespace})).await;
    data["id"].as_str().unwrap().to_owned()
}

async fn assign_role(c: &Client, code: &str, namespace: &str, targets: Value) {
    c.ok_post("assign-role", json!({"code": code, "namespace": namespace, "targets": targets})).await;
}

async fn group_with(c: &Client, code: &str, members: &[&str]) {
    c.ok_post("create-group", json!({"code": code, "name": code, "description": ""})).await;
    if !members.is_empty() {
        c.ok_post("add-group-members", json!({"code": code, "userIds": members})).await;
    }
}

/// Creates an organization and returns its root department's id.
async fn organization(c: &Client, code: &str) -> String {
    let data = c.ok_post("create-organization", json!({"organizationCode": code, "organizationName": code})).await;
    data["departmentId"].as_str().unwrap().to_owned()
}

async fn department(c: &Client, org: &str, parent: &str, name: &str) -> String {
    let data = c
        .ok_post("create-department", json!({"organizationCode": org, "parentDepartmentId": parent, "name": name}))
        .await;
    data["departmentId"].as_str().unwrap().to_owned()
}

async fn join_department(c: &Client, org: &str, department: &str, user: &str) {
    c.ok_post(
        "add-department-members",
        json!({"organizationCode": org, "departmentId": department, "userIds": [user]}),
    )
    .await;
}

/// One authorize-resources item granting `code` with `actions` (type DATA).
fn item(target_type: &str, identifiers: &[&str], code: &str, actions: &[&str]) -> Value {
    json!({
        "targetType": target_type,
        "targetIdentifiers": identifiers,
        "resources": [{"code": code, "actions": actions, "resourceType": "DATA"}],
    })
}

async fn authorize(c: &Client, namespace: &str, items: Vec<Value>) {
    c.ok_post("authorize-resources", json!({"namespace": namespace, "list": items})).await;
}

async fn allowed_in(c: &Client, namespace: &str, user: &str, action: &str, resource: &str) -> bool {
    let data = c
        .ok_post(
            "is-action-allowed",
            json!({"namespace": namespace, "userId": user, "action": action, "resource": resource}),
        )
        .await;
    data["allowed"].as_bool().expect("allowed is a boolean")
}

async fn allowed(c: &Client, user: &str, action: &str, resource: &str) -> bool {
    allowed_in(c, "default", user, action, resource).await
}

async fn direct_grants(c: &Client, target_type: &str, identifier: &str, extra: &[(&str, &str)]) -> Value {
    let mut query = vec![("targetType", target_type), ("targetIdentifier", identifier)];
    query.extend_from_slice(extra);
    c.ok_get("get-authorized-resources", &query).await
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|e| e["resourceCode"].as_str().unwrap()).collect()
}

// ---- semantics §12 ----------------------------------------------------------------------------

#[tokio::test]
async fn s1_to_s5_matching_of_codes_and_actions() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "s1").await;
    authorize(&c, "default", vec![item("USER", &[&u], "books:123", &["books:read"])]).await;
    assert!(allowed(&c, &u, "books:read", "books:123").await, "S1");
    assert!(!allowed(&c, &u, "books:edit", "books:123").await, "S2");

    let v = user(&c, "s3").await;
    authorize(&c, "default", vec![item("USER", &[&v], "books:*", &["books:*"])]).await;
    assert!(allowed(&c, &v, "books:edit", "books:999").await, "S3");

    let w = user(&c, "s4").await;
    authorize(&c, "default", vec![item("USER", &[&w], "books", &["read"])]).await;
    assert!(allowed(&c, &w, "read", "books:7").await, "S4");

    let x = user(&c, "s5").await;
    authorize(&c, "default", vec![item("USER", &[&x], "books:1", &["read"])]).await;
    assert!(!allowed(&c, &x, "read", "books:12").await, "S5");
    assert!(!allowed(&c, &x, "read", "never-registered:1").await, "unknown resource is just false");
}

#[tokio::test]
async fn s6_s7_s17_roles_namespaces_and_disabled_roles() {
    let server = TestServer::start().await;
    let c = server.client().await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    let u = user(&c, "u").await;
    role(&c, "r", "default").await;
    authorize(&c, "default", vec![item("ROLE", &["r"], "*", &["*"])]).await;
    assign_role(&c, "r", "default", json!([{"targetType": "USER", "targetIdentifier": u}])).await;
    assert!(allowed(&c, &u, "anything", "x:1").await, "S6");

    let v = user(&c, "v").await;
    role(&c, "r", "ns2").await;
    authorize(&c, "ns2", vec![item("ROLE", &["r"], "*", &["*"])]).await;
    assign_role(&c, "r", "ns2", json!([{"targetType": "USER", "targetIdentifier": v}])).await;
    assert!(allowed_in(&c, "ns2", &v, "anything", "x:1").await);
    assert!(!allowed(&c, &v, "anything", "x:1").await, "S7: namespaces are isolated");

    c.ok_post("update-role", json!({"code": "r", "namespace": "default", "status": "DISABLE"})).await;
    assert!(!allowed(&c, &u, "anything", "x:1").await, "S17");
    c.ok_post("update-role", json!({"code": "r", "namespace": "default", "status": "ENABLE"})).await;
    assert!(allowed(&c, &u, "anything", "x:1").await);
}

#[tokio::test]
async fn s8_s9_s10_groups_and_departments() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    group_with(&c, "g", &[&u]).await;
    authorize(&c, "default", vec![item("GROUP", &["g"], "doc:1", &["read"])]).await;
    assert!(allowed(&c, &u, "read", "doc:1").await, "S8");

    let root = organization(&c, "org").await;
    let d = department(&c, "org", &root, "D").await;
    let child = department(&c, "org", &d, "C").await;
    let v = user(&c, "v").await;
    join_department(&c, "org", &child, &v).await;
    authorize(&c, "default", vec![item("DEPARTMENT", &[&d], "doc:2", &["read"])]).await;
    assert!(!allowed(&c, &v, "read", "doc:2").await, "S9: no downward inheritance");

    let w = user(&c, "w").await;
    join_department(&c, "org", &d, &w).await;
    assert!(allowed(&c, &w, "read", "doc:2").await, "direct department members get its grants");
    role(&c, "r", "default").await;
    assign_role(&c, "r", "default", json!([{"targetType": "DEPARTMENT", "targetIdentifier": d}])).await;
    authorize(&c, "default", vec![item("ROLE", &["r"], "doc:3", &["read"])]).await;
    assert!(allowed(&c, &w, "read", "doc:3").await, "S10");
    assert!(!allowed(&c, &v, "read", "doc:3").await, "the role does not reach a child's members by default");
}

#[tokio::test]
async fn s11_s12_replace_and_revoke() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    authorize(&c, "default", vec![item("USER", &[&u], "books:123", &["books:read"])]).await;
    authorize(&c, "default", vec![item("USER", &[&u], "pens:1", &["write"])]).await;
    authorize(&c, "default", vec![item("USER", &[&u], "books:123", &["books:edit", "books:edit"])]).await;
    let data = direct_grants(&c, "USER", &u, &[]).await;
    assert_eq!(data["totalCount"], 2);
    let books = &data["list"].as_array().unwrap().iter().find(|e| e["resourceCode"] == "books:123").unwrap();
    assert_eq!(books["actions"], json!(["books:edit"]), "S11: replaced, de-duplicated");
    assert!(!allowed(&c, &u, "books:read", "books:123").await);

    authorize(&c, "default", vec![item("USER", &[&u], "books:123", &[])]).await;
    let data = direct_grants(&c, "USER", &u, &[]).await;
    assert_eq!(codes(&data["list"]), vec!["pens:1"], "S12: revoked; other grants untouched");
}

#[tokio::test]
async fn s13_s14_resource_list_filters_by_prefix() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    let mut list = item("USER", &[&u], "books:123", &["read"]);
    list["resources"].as_array_mut().unwrap().extend([
        json!({"code": "books:fictions_123", "actions": ["read"], "resourceType": "DATA"}),
        json!({"code": "pens:1", "actions": ["read"], "resourceType": "API"}),
    ]);
    authorize(&c, "default", vec![list]).await;
    let filtered = direct_grants(&c, "USER", &u, &[("resourceList", "books:*")]).await;
    let mut found = codes(&filtered["list"]);
    found.sort();
    assert_eq!(found, vec!["books:123", "books:fictions_123"], "S13");
    let filtered = direct_grants(&c, "USER", &u, &[("resourceList", "books:fictions_")]).await;
    assert_eq!(codes(&filtered["list"]), vec!["books:fictions_123"], "S14");
    let both = direct_grants(&c, "USER", &u, &[("resourceList[]", "pens:"), ("resourceList[]", "books:fic")]).await;
    assert_eq!(both["totalCount"], 2);
    let typed = direct_grants(&c, "USER", &u, &[("resourceType", "API")]).await;
    assert_eq!(codes(&typed["list"]), vec!["pens:1"]);
}

#[tokio::test]
async fn s15_s18_deletions_reach_grants() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    let v = user(&c, "v").await;
    authorize(&c, "default", vec![item("USER", &[&u, &v], "books:123", &["books:read"])]).await;
    c.ok_post("delete-users-batch", json!({"userIds": [u]})).await;
    let targets = c.ok_post("get-resource-authorized-targets", json!({"resource": "books:123"})).await;
    assert_eq!(targets["totalCount"], 1, "S15");
    assert_eq!(targets["list"][0]["targetIdentifier"], v.as_str());

    c.ok_post("create-resource", json!({"code": "books", "type": "DATA", "actions": []})).await;
    assert!(allowed(&c, &v, "books:read", "books:123").await);
    c.ok_post("delete-resource", json!({"code": "books"})).await;
    assert!(!allowed(&c, &v, "books:read", "books:123").await, "S18: instance grants go with the class");
    assert_eq!(direct_grants(&c, "USER", &v, &[]).await["totalCount"], 0);
}

#[tokio::test]
async fn s16_deny_wins_and_is_listed_only_with_denied() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    authorize(&c, "default", vec![item("USER", &[&u], "books:123", &["books:read"])]).await;
    c.ok_post(
        "authorize-resources",
        json!({"list": [{
            "targetType": "USER",
            "targetIdentifiers": [u],
            "resources": [{"code": "books:*", "actions": ["books:read"], "resourceType": "DATA", "effect": "DENY"}],
        }]}),
    )
    .await;
    assert!(!allowed(&c, &u, "books:read", "books:123").await, "S16: DENY wins");
    assert_eq!(codes(&direct_grants(&c, "USER", &u, &[]).await["list"]), vec!["books:123"]);
    let with_denied = direct_grants(&c, "USER", &u, &[("withDenied", "true")]).await;
    assert_eq!(with_denied["totalCount"], 2);
    let deny = with_denied["list"].as_array().unwrap().iter().find(|e| e["effect"] == "DENY").unwrap();
    assert_eq!(deny["resourceCode"], "books:*");

    let effective = c.ok_get("get-user-authorized-resources", &[("userId", &u)]).await;
    let effects: Vec<&str> =
        effective["list"].as_array().unwrap().iter().map(|e| e["effect"].as_str().unwrap()).collect();
    assert_eq!(effects, vec!["ALLOW", "DENY"], "the effective listing shows DENY entries too");
    let targets = c.ok_post("get-resource-authorized-targets", json!({"resource": "books:*"})).await;
    assert_eq!(targets["totalCount"], 0, "targets are ALLOW grants only");
}

// ---- the inheritByChildren extension and deep trees -------------------------------------------

#[tokio::test]
async fn a_grant_at_the_top_of_a_depth_32_chain_reaches_the_bottom_only_when_inherited() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let top = organization(&c, "deep").await;
    let mut bottom = top.clone();
    for depth in 1..32 {
        bottom = department(&c, "deep", &bottom, &format!("level{depth}")).await;
    }
    let u = user(&c, "u").await;
    join_department(&c, "deep", &bottom, &u).await;

    authorize(&c, "default", vec![item("DEPARTMENT", &[&top], "deep:1", &["read"])]).await;
    assert!(!allowed(&c, &u, "read", "deep:1").await, "without the flag the grant stays at the top");

    let mut inherited = item("DEPARTMENT", &[&top], "deep:1", &["read"]);
    inherited["inheritByChildren"] = json!(true);
    authorize(&c, "default", vec![inherited]).await;
    assert!(allowed(&c, &u, "read", "deep:1").await, "with the flag it reaches 31 levels down");

    role(&c, "deep_role", "default").await;
    authorize(&c, "default", vec![item("ROLE", &["deep_role"], "deep:2", &["read"])]).await;
    let assignment = json!([{"targetType": "DEPARTMENT", "targetIdentifier": top, "inheritByChildren": true}]);
    assign_role(&c, "deep_role", "default", assignment).await;
    assert!(allowed(&c, &u, "read", "deep:2").await, "inherited role assignments reach down too");

    let effective = c.ok_get("get-user-authorized-resources", &[("userId", &u)]).await;
    let mut found = codes(&effective["list"]);
    found.sort();
    assert_eq!(found, vec!["deep:1", "deep:2"]);

    c.ok_post("remove-department-members", json!({"organizationCode": "deep", "departmentId": bottom, "userIds": [u]}))
        .await;
    assert!(!allowed(&c, &u, "read", "deep:1").await, "leaving the department is seen at once");
}

// ---- cascades ---------------------------------------------------------------------------------

#[tokio::test]
async fn deleting_roles_groups_and_departments_is_seen_by_the_next_check() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    role(&c, "r", "default").await;
    assign_role(&c, "r", "default", json!([{"targetType": "USER", "targetIdentifier": u}])).await;
    group_with(&c, "g", &[&u]).await;
    let root = organization(&c, "org").await;
    let d = department(&c, "org", &root, "D").await;
    join_department(&c, "org", &d, &u).await;
    authorize(
        &c,
        "default",
        vec![
            item("ROLE", &["r"], "via:role", &["read"]),
            item("GROUP", &["g"], "via:group", &["read"]),
            item("DEPARTMENT", &[&d], "via:department", &["read"]),
        ],
    )
    .await;
    for resource in ["via:role", "via:group", "via:department"] {
        assert!(allowed(&c, &u, "read", resource).await, "{resource}");
    }
    c.ok_post("delete-roles-batch", json!({"codeList": ["r"]})).await;
    assert!(!allowed(&c, &u, "read", "via:role").await);
    c.ok_post("delete-groups-batch", json!({"codeList": ["g"]})).await;
    assert!(!allowed(&c, &u, "read", "via:group").await);
    c.ok_post("delete-department", json!({"organizationCode": "org", "departmentId": d})).await;
    assert!(!allowed(&c, &u, "read", "via:department").await);

    // A role re-created with the same code starts without the old grants.
    role(&c, "r", "default").await;
    let grants = c.ok_get("get-role-authorized-resources", &[("code", "r")]).await;
    assert_eq!(grants["totalCount"], 0);
}

// ---- listings ---------------------------------------------------------------------------------

#[tokio::test]
async fn user_authorized_resources_merge_every_path() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = c.ok_post("create-user", json!({"username": "merged", "email": "Merged@Example.com"})).await;
    let u = u["userId"].as_str().unwrap().to_owned();
    role(&c, "r", "default").await;
    assign_role(&c, "r", "default", json!([{"targetType": "USER", "targetIdentifier": u}])).await;
    group_with(&c, "g", &[&u]).await;
    c.ok_post(
        "create-resource",
        json!({"code": "books", "type": "API", "description": "Books", "apiIdentifier": "https://api/books"}),
    )
    .await;
    authorize(
        &c,
        "default",
        vec![
            item("USER", &[&u], "books:1", &["read"]),
            item("ROLE", &["r"], "books:1", &["write", "read"]),
            item("GROUP", &["g"], "pens", &["draw"]),
        ],
    )
    .await;
    let data = c.ok_get("get-user-authorized-resources", &[("userId", &u)]).await;
    assert_eq!(data["totalCount"], 2);
    assert_eq!(
        data["list"][0],
        json!({
            "resourceCode": "books:1",
            "description": "Books",
            "resourceType": "DATA",
            "apiIdentifier": "https://api/books",
            "actions": ["read", "write"],
            "effect": "ALLOW",
        })
    );
    assert_eq!(data["list"][1]["resourceCode"], "pens");
    assert!(data["list"][1]["apiIdentifier"].is_null() && data["list"][1]["description"].is_null());

    let by_email =
        c.ok_get("get-user-authorized-resources", &[("userId", "merged@example.com"), ("userIdType", "email")]).await;
    assert_eq!(by_email["totalCount"], 2);
    let typed = c.ok_get("get-user-authorized-resources", &[("userId", &u), ("resourceType", "API")]).await;
    assert_eq!(typed["totalCount"], 0);

    assert_error(&c.get("get-user-authorized-resources", &[("userId", "")]).await, 400, "参数 userId 格式错误");
    assert_error(&c.get("get-user-authorized-resources", &[("userId", "nobody")]).await, 404, "用户不存在");
    let answer = c.get("get-user-authorized-resources", &[("userId", &u), ("userIdType", "identity")]).await;
    assert_error(&answer, 400, "参数 userIdType 格式错误");
    let answer = c.get("get-user-authorized-resources", &[("userId", &u), ("namespace", "missing")]).await;
    assert_error(&answer, 404, "权限组不存在");
}

#[tokio::test]
async fn role_and_group_listings() {
    let server = TestServer::start().await;
    let c = server.client().await;
    role(&c, "r", "default").await;
    group_with(&c, "g", &[]).await;
    c.ok_post(
        "authorize-resources",
        json!({"list": [
            {"targetType": "ROLE", "targetIdentifiers": ["r"], "resources": [
                {"code": "a", "actions": ["read"], "resourceType": "MENU"},
                {"code": "b", "actions": ["read"], "resourceType": "DATA", "effect": "DENY"},
            ]},
            {"targetType": "GROUP", "targetIdentifiers": ["g"], "resources": [
                {"code": "c", "actions": ["x"], "resourceType": "BUTTON"},
                {"code": "d", "actions": ["y"], "resourceType": "UI"},
            ]},
        ]}),
    )
    .await;
    let role_grants = c.ok_get("get-role-authorized-resources", &[("code", "r")]).await;
    assert_eq!(
        role_grants,
        json!({"totalCount": 1, "list": [
            {"resourceCode": "a", "resourceType": "MENU", "actions": ["read"], "apiIdentifier": null}
        ]}),
        "ALLOW grants only"
    );
    let typed = c.ok_get("get-role-authorized-resources", &[("code", "r"), ("resourceType", "DATA")]).await;
    assert_eq!(typed["totalCount"], 0);
    assert_error(&c.get("get-role-authorized-resources", &[("code", "nope")]).await, 404, "角色不存在");
    let answer = c.get("get-role-authorized-resources", &[("code", "r"), ("namespace", "missing")]).await;
    assert_error(&answer, 404, "权限组不存在");

    let group_grants = c.ok_get("get-group-authorized-resources", &[("code", "g")]).await;
    assert!(group_grants.is_array(), "data is a plain array");
    assert_eq!(codes(&group_grants), vec!["c", "d"]);
    let typed = c.ok_get("get-group-authorized-resources", &[("code", "g"), ("resourceType", "UI")]).await;
    assert_eq!(codes(&typed), vec!["d"]);
    assert_error(&c.get("get-group-authorized-resources", &[("code", "nope")]).await, 404, "分组不存在");
    let answer = c.get("get-group-authorized-resources", &[("code", "g"), ("namespace", "missing")]).await;
    assert_error(&answer, 404, "权限组不存在");
    group_with(&c, "empty", &[]).await;
    assert_eq!(c.ok_get("get-group-authorized-resources", &[("code", "empty")]).await, json!([]));
}

#[tokio::test]
async fn resource_authorized_targets_are_exact_paged_and_filterable() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    role(&c, "r", "default").await;
    group_with(&c, "g", &[]).await;
    let root = organization(&c, "org").await;
    authorize(&c, "default", vec![item("USER", &[&u], "doc:1", &["read"])]).await;
    authorize(&c, "default", vec![item("ROLE", &["r"], "doc:1", &["write"])]).await;
    authorize(&c, "default", vec![item("GROUP", &["g"], "doc:1", &["read"])]).await;
    authorize(&c, "default", vec![item("DEPARTMENT", &[&root], "doc:1", &["read"])]).await;
    authorize(&c, "default", vec![item("USER", &[&u], "doc:*", &["read"])]).await;

    let all = c.ok_post("get-resource-authorized-targets", json!({"resource": "doc:1", "limit": 50})).await;
    assert_eq!(all["totalCount"], 4, "exact code only: doc:* is not listed");
    let identifiers: Vec<(&str, &str)> = all["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["targetType"].as_str().unwrap(), t["targetIdentifier"].as_str().unwrap()))
        .collect();
    for expected in [("USER", u.as_str()), ("ROLE", "r"), ("GROUP", "g"), ("DEPARTMENT", root.as_str())] {
        assert!(identifiers.contains(&expected), "{expected:?} in {identifiers:?}");
    }
    let page = c.ok_post("get-resource-authorized-targets", json!({"resource": "doc:1", "page": 2, "limit": 3})).await;
    assert_eq!((page["totalCount"].as_u64(), page["list"].as_array().unwrap().len()), (Some(4), 1));
    let roles = c.ok_post("get-resource-authorized-targets", json!({"resource": "doc:1", "targetType": "ROLE"})).await;
    assert_eq!(roles["list"], json!([{"targetType": "ROLE", "targetIdentifier": "r", "actions": ["write"]}]));
    let none = c.ok_post("get-resource-authorized-targets", json!({"resource": "nothing"})).await;
    assert_eq!(none, json!({"totalCount": 0, "list": []}));

    let post = |body: Value| {
        let c = c.clone();
        async move { c.post("get-resource-authorized-targets", body).await }
    };
    assert_error(&post(json!({})).await, 400, "参数 resource 格式错误");
    assert_error(&post(json!({"resource": ""})).await, 400, "参数 resource 格式错误");
    assert_error(&post(json!({"resource": "doc:1", "targetType": "ORG"})).await, 400, "参数 targetType 格式错误");
    assert_error(&post(json!({"resource": "doc:1", "limit": 51})).await, 400, "参数 limit 格式错误");
    assert_error(&post(json!({"resource": "doc:1", "namespace": "missing"})).await, 404, "权限组不存在");
}

// ---- error rows -------------------------------------------------------------------------------

#[tokio::test]
async fn authorize_resources_refuses_malformed_lists_and_changes_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    let good = item("USER", &[&u], "ok", &["read"]);
    let with = |field: &str, value: Value| {
        let mut bad = good.clone();
        bad[field] = value;
        bad
    };
    let with_resource = |field: &str, value: Value| {
        let mut bad = good.clone();
        bad["resources"][0][field] = value;
        bad
    };
    let too_many_ids: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    let too_many_resources: Vec<Value> =
        (0..51).map(|i| json!({"code": format!("c{i}"), "actions": ["a"], "resourceType": "DATA"})).collect();
    let too_many_actions: Vec<String> = (0..51).map(|i| format!("a{i}")).collect();
    let malformed_lists = [
        json!(null),
        json!([]),
        json!(vec![good.clone(); 11]),
        json!("not a list"),
        json!([good.clone(), with("targetType", json!("ORG"))]),
        json!([with("targetType", json!(null))]),
        json!([with("targetIdentifiers", json!([]))]),
        json!([with("targetIdentifiers", json!(too_many_ids))]),
        json!([with("targetIdentifiers", json!(u))]),
        json!([with("resources", json!([]))]),
        json!([with("resources", json!(too_many_resources))]),
        json!([with("inheritByChildren", json!(true))]),
        json!([with_resource("code", json!(null))]),
        json!([with_resource("code", json!(""))]),
        json!([with_resource("actions", json!("read"))]),
        json!([with_resource("actions", json!(null))]),
        json!([with_resource("actions", json!(too_many_actions))]),
        json!([with_resource("actions", json!([1]))]),
        json!([with_resource("resourceType", json!("FILE"))]),
        json!([with_resource("resourceType", json!(null))]),
        json!([with_resource("effect", json!("MAYBE"))]),
    ];
    for list in malformed_lists {
        let answer = c.post("authorize-resources", json!({"list": list})).await;
        assert_error(&answer, 400, "参数 list 格式错误");
    }
    assert_eq!(direct_grants(&c, "USER", &u, &[]).await["totalCount"], 0, "nothing was stored");
}

#[tokio::test]
async fn authorize_resources_needs_every_target_and_is_all_or_nothing() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    c.ok_post("create-namespace", json!({"code": "ns2"})).await;
    role(&c, "only_in_ns2", "ns2").await;
    let good = item("USER", &[&u], "ok", &["read"]);
    for (bad, message) in [
        (item("USER", &[&u, "nobody"], "x", &["read"]), "用户不存在"),
        (item("ROLE", &["only_in_ns2"], "x", &["read"]), "角色不存在"),
        (item("GROUP", &["nope"], "x", &["read"]), "分组不存在"),
        (item("DEPARTMENT", &["nope"], "x", &["read"]), "部门不存在"),
    ] {
        let answer = c.post("authorize-resources", json!({"list": [good.clone(), bad]})).await;
        assert_error(&answer, 404, message);
    }
    let answer = c.post("authorize-resources", json!({"namespace": "missing", "list": [good.clone()]})).await;
    assert_error(&answer, 404, "权限组不存在");
    assert_eq!(direct_grants(&c, "USER", &u, &[]).await["totalCount"], 0, "no partial writes");

    // Without a namespace, `default` is used (semantics §13.1).
    let answer = c.post("authorize-resources", json!({"list": [good]})).await;
    assert_ok(&answer);
    assert_eq!(answer["data"], json!({"success": true}));
    assert_eq!(codes(&direct_grants(&c, "USER", &u, &[("namespace", "default")]).await["list"]), vec!["ok"]);
    assert_eq!(direct_grants(&c, "USER", &u, &[("namespace", "ns2")]).await["totalCount"], 0);
}

#[tokio::test]
async fn is_action_allowed_error_rows() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    let base = json!({"userId": u, "action": "read", "resource": "books:1"});
    for field in ["userId", "action", "resource"] {
        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove(field);
        let message = format!("参数 {field} 格式错误");
        assert_error(&c.post("is-action-allowed", missing).await, 400, &message);
        let mut empty = base.clone();
        empty[field] = json!("");
        assert_error(&c.post("is-action-allowed", empty).await, 400, &message);
    }
    let mut unknown_user = base.clone();
    unknown_user["userId"] = json!("nobody");
    assert_error(&c.post("is-action-allowed", unknown_user).await, 404, "用户不存在");
    let mut unknown_namespace = base.clone();
    unknown_namespace["namespace"] = json!("missing");
    assert_error(&c.post("is-action-allowed", unknown_namespace).await, 404, "权限组不存在");
    assert_eq!(c.ok_post("is-action-allowed", base).await, json!({"allowed": false}));
}

/// The check reads a well-formed body without building a field map; every other body must be
/// answered exactly as the field map answers it.
#[tokio::test]
async fn is_action_allowed_reads_every_form_of_body_alike() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let u = user(&c, "u").await;
    authorize(&c, "default", vec![item("USER", &[&u], "books:1", &["read"])]).await;
    let check = |text: String| {
        let c = c.clone();
        async move { c.post_text("is-action-allowed", &text).await }
    };
    let allowed = json!({"allowed": true});

    // Escaped strings, a null namespace, unknown fields, and a repeated key (the last one wins).
    let escaped =
        format!(r#"{{"userId":"{u}","action":"re\u0061d","resource":"books\u003a1","namespace":null,"x":[1]}}"#);
    assert_eq!(check(escaped).await["data"], allowed);
    let repeated = format!(r#"{{"userId":"nobody","userId":"{u}","action":"read","resource":"books:1"}}"#);
    assert_eq!(check(repeated).await["data"], allowed);

    // Wrong types are refused by name, in the contract's order of fields.
    for (text, field) in [
        (r#"{"userId":5,"action":"read","resource":"books:1"}"#.to_owned(), "userId"),
        (r#"{"userId":"","action":5,"resource":"books:1"}"#.to_owned(), "userId"),
        (format!(r#"{{"userId":"{u}","action":["read"],"resource":"books:1"}}"#), "action"),
        (format!(r#"{{"userId":"{u}","action":"read","resource":{{}}}}"#), "resource"),
        (format!(r#"{{"userId":"{u}","action":"read","resource":"books:1","namespace":7}}"#), "namespace"),
        (String::new(), "userId"),
    ] {
        assert_error(&check(text.clone()).await, 400, &format!("参数 {field} 格式错误"));
    }
    for malformed in ["[1]", "{", r#"{"userId":"u""#] {
        assert_eq!(check(malformed.to_owned()).await["statusCode"], 400, "{malformed}");
    }
}

#[tokio::test]
async fn get_authorized_resources_error_rows() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let get = |query: Vec<(&'static str, String)>| {
        let c = c.clone();
        async move {
            let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.get("get-authorized-resources", &pairs).await
        }
    };
    let target = |kind: &str, id: &str| vec![("targetType", kind.to_owned()), ("targetIdentifier", id.to_owned())];
    for (kind, id, message) in [
        ("GROUP", "", "group not exists with code: "),
        ("GROUP", "额！ ", "group not exists with code: 额！ "),
        ("USER", "nobody", "user not exists with id: nobody"),
        ("ROLE", "nobody", "role not exists with code: nobody"),
        ("DEPARTMENT", "nobody", "department not exists with id: nobody"),
    ] {
        assert_error(&get(target(kind, id)).await, 404, message);
    }
    assert_error(&get(target("ORG", "x")).await, 400, "参数 targetType 格式错误");
    assert_error(&get(vec![("targetIdentifier", "x".into())]).await, 400, "参数 targetType 格式错误");
    let mut bad_type = target("GROUP", "g");
    bad_type.push(("resourceType", "FILE".into()));
    assert_error(&get(bad_type).await, 400, "参数 resourceType 格式错误");
    let mut too_many = target("GROUP", "g");
    too_many.extend((0..51).map(|i| ("resourceList[]", format!("c{i}"))));
    assert_error(&get(too_many).await, 400, "参数 resourceList 格式错误");
    let mut unknown_namespace = target("GROUP", "g");
    unknown_namespace.push(("namespace", "missing".into()));
    assert_error(&get(unknown_namespace).await, 404, "权限组不存在");
}

// ---- pools ------------------------------------------------------------------------------------

#[tokio::test]
async fn another_pool_sees_none_of_this_pools_targets_or_grants() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let other = server.new_pool_client().await;
    let u = user(&c, "u").await;
    role(&c, "r", "default").await;
    group_with(&c, "g", &[]).await;
    authorize(&c, "default", vec![item("USER", &[&u], "doc:1", &["read"])]).await;

    let answer = other.post("is-action-allowed", json!({"userId": u, "action": "read", "resource": "doc:1"})).await;
    assert_error(&answer, 404, "用户不存在");
    let answer = other.post("authorize-resources", json!({"list": [item("USER", &[&u], "doc:1", &["read"])]})).await;
    assert_error(&answer, 404, "用户不存在");
    let answer = other.post("authorize-resources", json!({"list": [item("ROLE", &["r"], "doc:1", &["read"])]})).await;
    assert_error(&answer, 404, "角色不存在");
    let answer = other.post("authorize-resources", json!({"list": [item("GROUP", &["g"], "doc:1", &["read"])]})).await;
    assert_error(&answer, 404, "分组不存在");
    let targets = other.ok_post("get-resource-authorized-targets", json!({"resource": "doc:1"})).await;
    assert_eq!(targets["totalCount"], 0);
    assert_error(&other.get("get-user-authorized-resources", &[("userId", &u)]).await, 404, "用户不存在");
    assert!(allowed(&c, &u, "read", "doc:1").await, "the owning pool is unaffected");
}
