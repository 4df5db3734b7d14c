//! Organizations and departments (principals.md §4, README §9 organizations/ and department/).

mod common;

use common::{assert_error, assert_ok, Client, TestServer};
use serde_json::{json, Value};

const LONG: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// Creates an organization and returns its DTO.
async fn organization(c: &Client, code: &str) -> Value {
    c.ok_post(
        "create-organization",
        json!({"organizationCode": code, "organizationName": format!("{code} root 用户池")}),
    )
    .await
}

/// Creates a department under `parent` (an id or `root`) and returns its id.
async fn department(c: &Client, org: &str, parent: &str, code: &str) -> String {
    let created = c
        .ok_post(
            "create-department",
            json!({"organizationCode": org, "parentDepartmentId": parent, "name": format!("{code} name"), "code": code}),
        )
        .await;
    created["departmentId"].as_str().unwrap().to_owned()
}

async fn get_department(c: &Client, org: &str, id: &str) -> Value {
    c.get("get-department", &[("organizationCode", org), ("departmentId", id)]).await
}

async fn user(c: &Client, username: &str) -> String {
    let created = c.ok_post("create-user", json!({"username": username, "name": username})).await;
    created["userId"].as_str().unwrap().to_owned()
}

async fn member_ids(c: &Client, org: &str, department: &str) -> Vec<String> {
    let ids = c.ok_get("list-department-member-ids", &[("organizationCode", org), ("departmentId", department)]).await;
    serde_json::from_value(ids).unwrap()
}

#[tokio::test]
async fn organizations_are_created_read_listed_and_searched() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let org = organization(&c, "acme").await;
    assert_eq!(org["organizationCode"], "acme");
    assert_eq!(org["organizationName"], "acme root 用户池");
    assert_eq!(org["hasChildren"], false);
    assert_eq!(org["membersCount"], 0);
    assert_eq!(org["isVirtualNode"], false);
    let root_id = org["departmentId"].as_str().unwrap();
    assert_eq!(root_id.len(), 24);

    let root = c.ok_get("get-department", &[("organizationCode", "acme"), ("departmentId", "root")]).await;
    assert_eq!(root["departmentId"], root_id);
    assert_eq!(root["name"], "acme root 用户池");
    assert_eq!(root["code"], "acme");
    assert!(root["parentDepartmentId"].is_null());
    assert_eq!(root["parentDepartmentCode"], "");

    let generated = c.ok_post("create-organization", json!({"organizationCode": "", "organizationName": "g"})).await;
    assert_eq!(generated["organizationCode"].as_str().unwrap().len(), 24);

    for bad in ["额！", " "] {
        let answer = c.post("create-organization", json!({"organizationCode": bad, "organizationName": "x"})).await;
        assert_error(&answer, 400, &format!("invalid organization code: {bad}"));
    }
    let answer = c.post("create-organization", json!({"organizationCode": LONG, "organizationName": "x"})).await;
    assert_error(&answer, 400, "参数 organizationCode 格式错误");
    let answer = c.post("create-organization", json!({"organizationCode": "nameless"})).await;
    assert_error(&answer, 400, "参数 organizationName 格式错误");
    let answer = c.post("create-organization", json!({"organizationCode": "acme", "organizationName": "again"})).await;
    assert_error(&answer, 409, "组织机构已存在");

    let got = c.ok_get("get-organization", &[("organizationCode", "acme")]).await;
    assert_eq!(got["departmentId"], root_id);
    assert_error(
        &c.get("get-organization", &[("organizationCode", "nope")]).await,
        404,
        "organization not found for code: nope",
    );

    let listed = c.ok_get("list-organizations", &[("page", "1"), ("limit", "1")]).await;
    assert_eq!(listed["totalCount"], 2);
    assert_eq!(listed["list"][0]["organizationCode"], generated["organizationCode"], "newest first");
    let all = c.ok_get("list-organizations", &[("limit", "1"), ("fetchAll", "true")]).await;
    assert_eq!(all["list"].as_array().unwrap().len(), 2);

    let found = c.ok_get("search-organizations", &[("keywords", "ROOT 用户池")]).await;
    assert_eq!(found["totalCount"], 1);
    assert_eq!(found["list"][0]["organizationCode"], "acme");
    assert_error(&c.get("search-organizations", &[("keywords", "")]).await, 400, "参数 keywords 格式错误");
    for endpoint in ["list-organizations", "search-organizations"] {
        for (key, value, field) in [("page", "-1", "page"), ("limit", "-1", "limit"), ("limit", "10000", "limit")] {
            let answer = c.get(endpoint, &[("keywords", "acme"), (key, value)]).await;
            assert_error(&answer, 400, &format!("参数 {field} 格式错误"));
        }
    }
}

#[tokio::test]
async fn organizations_are_updated_and_deleted_with_their_tree() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let root_id = organization(&c, "acme").await["departmentId"].as_str().unwrap().to_owned();
    let leader = user(&c, "leader").await;

    let updated = c
        .ok_post(
            "update-organization",
            json!({"organizationCode": "acme", "organizationNewCode": "acme2", "organizationName": "ACME",
                   "description": "d", "openDepartmentId": "o-root", "leaderUserIds": [leader]}),
        )
        .await;
    assert_eq!(updated["organizationCode"], "acme2");
    assert_eq!(updated["organizationName"], "ACME");
    assert_eq!(updated["openDepartmentId"], "o-root");
    assert_eq!(updated["leaderUserIds"], json!([leader]));
    let unchanged =
        c.ok_post("update-organization", json!({"organizationCode": "acme2", "organizationNewCode": ""})).await;
    assert_eq!(unchanged["organizationCode"], "acme2");
    for bad in ["额！", " "] {
        let answer =
            c.post("update-organization", json!({"organizationCode": "acme2", "organizationNewCode": bad})).await;
        assert_error(&answer, 400, &format!("invalid organization code: {bad}"));
    }
    let answer = c.post("update-organization", json!({"organizationCode": "acme2", "organizationNewCode": LONG})).await;
    assert_error(&answer, 400, "参数 organizationNewCode 格式错误");
    let answer = c.post("update-organization", json!({"organizationCode": "nope", "organizationName": "x"})).await;
    assert_error(&answer, 404, "organization not found for code: nope");
    let answer = c.post("update-organization", json!({"organizationCode": "acme2", "leaderUserIds": ["ghost"]})).await;
    assert_error(&answer, 404, "用户不存在");
    assert_eq!(c.ok_get("get-organization", &[("organizationCode", "acme2")]).await["leaderUserIds"], json!([leader]));

    let child = department(&c, "acme2", "root", "child").await;
    let grandchild = department(&c, "acme2", &child, "grandchild").await;
    c.ok_post(
        "add-department-members",
        json!({"organizationCode": "acme2", "departmentId": grandchild, "userIds": [leader]}),
    )
    .await;
    let org = c.ok_get("get-organization", &[("organizationCode", "acme2")]).await;
    assert_eq!((org["hasChildren"].clone(), org["membersCount"].clone()), (json!(true), json!(1)));

    assert_error(
        &c.post("delete-organization", json!({"organizationCode": ""})).await,
        400,
        "参数 organizationCode 格式错误",
    );
    let answer = c.post("delete-organization", json!({"organizationCode": "nope"})).await;
    assert_error(&answer, 404, "organization not found for code: nope");
    assert_ok(&c.post("delete-organization", json!({"organizationCode": "acme2"})).await);
    assert_error(
        &c.get("get-organization", &[("organizationCode", "acme2")]).await,
        404,
        "organization not found for code: acme2",
    );
    for id in [&root_id, &child, &grandchild] {
        assert_error(&c.get("get-department", &[("departmentId", id)]).await, 404, "部门不存在");
    }
    let departments = c.ok_get("get-user-departments", &[("userId", &leader)]).await;
    assert_eq!(departments["totalCount"], 0, "memberships went with the tree");
}

#[tokio::test]
async fn every_department_endpoint_checks_the_organization_code() {
    let server = TestServer::start().await;
    let c = server.client().await;
    organization(&c, "acme").await;
    let endpoints_get = [
        "get-department",
        "list-children-departments",
        "list-department-member-ids",
        "list-department-members",
        "search-department-members",
        "get-parent-department",
        "is-user-in-department",
    ];
    let endpoints_post =
        ["delete-department", "add-department-members", "remove-department-members", "search-departments"];
    for code in ["random-org", "额！ ", "", " "] {
        let expected = format!("organization not found for code: {code}");
        for endpoint in endpoints_get {
            let query = [("organizationCode", code), ("departmentId", "root"), ("keywords", "x"), ("userId", "u")];
            assert_error(&c.get(endpoint, &query).await, 404, &expected);
        }
        for endpoint in endpoints_post {
            let body = json!({"organizationCode": code, "departmentId": "root", "keywords": "x", "userIds": ["u"]});
            assert_error(&c.post(endpoint, body).await, 404, &expected);
        }
        let update = json!({"organizationCode": code, "departmentId": "root", "name": "x"});
        assert_error(&c.post("update-department", update).await, 404, &expected);
    }
    for endpoint in endpoints_get {
        let query = [("organizationCode", LONG), ("departmentId", "root"), ("keywords", "x"), ("userId", "u")];
        assert_error(&c.get(endpoint, &query).await, 400, "参数 organizationCode 格式错误");
    }
    for endpoint in endpoints_post.into_iter().chain(["create-department", "update-department"]) {
        let body = json!({"organizationCode": LONG, "departmentId": "root", "parentDepartmentId": "root",
                          "name": "x", "keywords": "x", "userIds": ["u"]});
        assert_error(&c.post(endpoint, body).await, 400, "参数 organizationCode 格式错误");
    }
    // create-department's own wordings.
    for code in ["random-org", ""] {
        let body = json!({"organizationCode": code, "parentDepartmentId": "root", "name": "x"});
        assert_error(
            &c.post("create-department", body).await,
            404,
            &format!("organization not found for code: {code}"),
        );
    }
    let body = json!({"organizationCode": " ", "parentDepartmentId": "root", "name": "x"});
    assert_error(&c.post("create-department", body).await, 400, "invalid organization code  ");
    let answer = c
        .get(
            "get-department",
            &[("organizationCode", "acme"), ("departmentId", "root"), ("departmentIdType", "sync_relation")],
        )
        .await;
    assert_error(&answer, 400, "参数 departmentIdType 格式错误");
}

#[tokio::test]
async fn departments_are_created_read_updated_and_searched() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let root_id = organization(&c, "acme").await["departmentId"].as_str().unwrap().to_owned();
    let created = c
        .ok_post(
            "create-department",
            json!({"organizationCode": "acme", "parentDepartmentId": "root", "name": "Sales", "code": "sales",
                   "openDepartmentId": "o-sales", "description": "sells", "customData": {"floor": 3}, "metadata": {}}),
        )
        .await;
    assert_eq!(created["organizationCode"], "acme");
    assert_eq!(created["name"], "Sales");
    assert_eq!(created["code"], "sales");
    assert_eq!(created["parentDepartmentId"], root_id);
    assert_eq!(created["parentDepartmentCode"], "acme");
    assert_eq!(created["membersCount"], 0);
    assert_eq!(created["status"], true);
    let sales = created["departmentId"].as_str().unwrap().to_owned();
    // Parents may be named by open id or code too.
    let by_code = c
        .ok_post(
            "create-department",
            json!({"organizationCode": "acme", "parentDepartmentId": "sales", "departmentIdType": "code", "name": "EU"}),
        )
        .await;
    assert_eq!(by_code["parentDepartmentId"], sales);
    assert!(by_code["code"].is_null());
    let by_open_id = c
        .ok_post(
            "create-department",
            json!({"organizationCode": "acme", "parentDepartmentId": "o-sales", "departmentIdType": "open_department_id",
                   "name": "US", "code": "us"}),
        )
        .await;
    assert_eq!(by_open_id["parentDepartmentId"], sales);

    let answer = c
        .post("create-department", json!({"organizationCode": "acme", "parentDepartmentId": "nope", "name": "x"}))
        .await;
    assert_error(&answer, 404, "部门不存在");
    let answer = c
        .post(
            "create-department",
            json!({"organizationCode": "acme", "parentDepartmentId": "root", "name": "x", "code": "sales"}),
        )
        .await;
    assert_error(&answer, 409, "部门已存在");
    let answer = c.post("create-department", json!({"organizationCode": "acme", "parentDepartmentId": "root"})).await;
    assert_error(&answer, 400, "参数 name 格式错误");

    // get-department: by id, by code, across organizations, with custom data.
    let got = get_department(&c, "acme", &sales).await;
    assert_ok(&got);
    assert_eq!(got["data"]["departmentId"], sales);
    assert_eq!(got["data"]["hasChildren"], true);
    assert!(got["data"].get("customData").is_none());
    let got = c.ok_get("get-department", &[("departmentCode", "sales"), ("withCustomData", "true")]).await;
    assert_eq!(got["customData"], json!({"floor": 3}));
    let flat = c.ok_get("get-department", &[("departmentId", &sales), ("flatCustomData", "true")]).await;
    assert_eq!(flat["floor"], 3);
    assert_error(&c.get("get-department", &[("organizationCode", "acme")]).await, 400, "参数 departmentId 格式错误");
    assert_error(&get_department(&c, "acme", "nope").await, 404, "部门不存在");

    // update-department.
    let updated = c
        .ok_post(
            "update-department",
            json!({"organizationCode": "acme", "departmentId": "sales", "departmentIdType": "code",
                   "name": "Sales & Marketing", "code": "sm", "status": false, "description": "more"}),
        )
        .await;
    assert_eq!((updated["name"].clone(), updated["code"].clone()), (json!("Sales & Marketing"), json!("sm")));
    assert_eq!(updated["status"], false);
    for bad in ["额！", " "] {
        let answer =
            c.post("update-department", json!({"organizationCode": "acme", "departmentId": sales, "code": bad})).await;
        assert_error(&answer, 400, &format!("invalid organization code: {bad}"));
    }
    let answer =
        c.post("update-department", json!({"organizationCode": "acme", "departmentId": sales, "code": LONG})).await;
    assert_error(&answer, 400, "参数 code 格式错误");
    let answer =
        c.post("update-department", json!({"organizationCode": "acme", "departmentId": sales, "code": "us"})).await;
    assert_error(&answer, 409, "部门已存在");
    assert_eq!(get_department(&c, "acme", &sales).await["data"]["code"], "sm", "failed updates change nothing");

    // list-children-departments, search-departments, get-parent-department.
    let children =
        c.ok_get("list-children-departments", &[("organizationCode", "acme"), ("departmentId", &sales)]).await;
    assert_eq!(children["totalCount"], 2);
    assert_eq!(children["list"][0]["name"], "US", "newest first");
    let roots = c.ok_get("list-children-departments", &[("organizationCode", "acme"), ("departmentId", "root")]).await;
    assert_eq!(roots["totalCount"], 1);
    let found = c.ok_post("search-departments", json!({"organizationCode": "acme", "keywords": "marketing"})).await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["departmentId"], sales);
    let answer = c.post("search-departments", json!({"organizationCode": "acme", "keywords": ""})).await;
    assert_error(&answer, 400, "参数 keywords 格式错误");
    let parent = c.ok_get("get-parent-department", &[("organizationCode", "acme"), ("departmentId", &sales)]).await;
    assert_eq!(parent["departmentId"], root_id);
    let none = c.ok_get("get-parent-department", &[("organizationCode", "acme"), ("departmentId", "root")]).await;
    assert!(none.is_null());
}

#[tokio::test]
async fn moves_and_deletions_keep_the_tree_sound() {
    let server = TestServer::start().await;
    let c = server.client().await;
    organization(&c, "acme").await;
    // A deep chain: moves must walk it without recursion.
    let mut chain = vec![department(&c, "acme", "root", "d0").await];
    for depth in 1..40 {
        let parent = chain.last().unwrap().clone();
        chain.push(department(&c, "acme", &parent, &format!("d{depth}")).await);
    }
    let (top, deepest) = (&chain[0], chain.last().unwrap());
    let move_to =
        |who: &str, under: &str| json!({"organizationCode": "acme", "departmentId": who, "parentDepartmentId": under});
    let answer = c.post("update-department", move_to(top, deepest)).await;
    assert_error(&answer, 422, "不能将部门移动到其自身或其子部门下");
    assert_error(&c.post("update-department", move_to(top, top)).await, 422, "不能将部门移动到其自身或其子部门下");
    assert_error(&c.post("update-department", move_to("root", top)).await, 422, "根部门不可移动");
    assert_error(&c.post("update-department", move_to(deepest, "nope")).await, 404, "部门不存在");
    let moved = c.ok_post("update-department", move_to(deepest, "root")).await;
    assert_eq!(moved["parentDepartmentCode"], "acme");

    let delete = |id: &str| json!({"organizationCode": "acme", "departmentId": id});
    assert_error(&c.post("delete-department", delete("root")).await, 422, "根部门不可删除");
    assert_error(&c.post("delete-department", delete(top)).await, 422, "部门存在子部门，不可删除");
    assert_error(&c.post("delete-department", delete("nope")).await, 404, "部门不存在");
    assert_ok(&get_department(&c, "acme", top).await);
    let answer = c.post("delete-department", delete(deepest)).await;
    assert_ok(&answer);
    assert_eq!(answer["data"], json!({"success": true}));
    assert_error(&get_department(&c, "acme", deepest).await, 404, "部门不存在");
    assert_ok(&c.post("delete-organization", json!({"organizationCode": "acme"})).await);
    assert_error(&c.get("get-department", &[("departmentId", &chain[38])]).await, 404, "部门不存在");
}

#[tokio::test]
async fn members_join_leave_and_are_listed() {
    let server = TestServer::start().await;
    let c = server.client().await;
    organization(&c, "acme").await;
    let sales = department(&c, "acme", "root", "sales").await;
    let eu = department(&c, "acme", &sales, "eu").await;
    let alice = user(&c, "alice").await;
    let bob = user(&c, "bob").await;
    let add = |department: &str, users: Vec<&str>| json!({"organizationCode": "acme", "departmentId": department, "userIds": users});

    assert_error(&c.post("add-department-members", add(&sales, vec![&alice, "ghost"])).await, 404, "用户不存在");
    assert!(member_ids(&c, "acme", &sales).await.is_empty(), "a failed add changes nothing");
    assert_error(&c.post("add-department-members", add(&sales, vec![])).await, 400, "参数 userIds 格式错误");
    assert_error(&c.post("add-department-members", add("nope", vec![&alice])).await, 404, "部门不存在");
    c.ok_post("add-department-members", add(&sales, vec![&alice])).await;
    c.ok_post("add-department-members", add(&sales, vec![&alice])).await;
    c.ok_post("add-department-members", add(&eu, vec![&bob])).await;
    assert_eq!(member_ids(&c, "acme", &sales).await, [alice.as_str()]);
    assert_eq!(get_department(&c, "acme", &sales).await["data"]["membersCount"], 1);

    let in_department = |department: &str, user: &str, children: &str| {
        let (department, user, children) = (department.to_owned(), user.to_owned(), children.to_owned());
        let c = c.clone();
        async move {
            let query = [
                ("organizationCode", "acme"),
                ("departmentId", department.as_str()),
                ("userId", user.as_str()),
                ("includeChildrenDepartments", children.as_str()),
            ];
            c.ok_get("is-user-in-department", &query).await["inDepartment"].as_bool().unwrap()
        }
    };
    assert!(in_department(&sales, &alice, "false").await);
    assert!(!in_department(&sales, &bob, "false").await);
    assert!(in_department(&sales, &bob, "true").await);
    assert!(in_department("root", &bob, "true").await);
    assert!(!in_department(&sales, "5a597f35085a2000144a10ed", "true").await, "unknown users are not members");
    assert_error(
        &c.get("is-user-in-department", &[("organizationCode", "acme"), ("departmentId", "root"), ("userId", "")])
            .await,
        400,
        "参数 userId 格式错误",
    );

    let direct = c.ok_get("list-department-members", &[("organizationCode", "acme"), ("departmentId", &sales)]).await;
    assert_eq!(direct["totalCount"], 1);
    assert_eq!(direct["list"][0]["userId"], alice);
    let query = [
        ("organizationCode", "acme"),
        ("departmentId", "root"),
        ("includeChildrenDepartments", "true"),
        ("orderBy", "Asc"),
    ];
    let all = c.ok_get("list-department-members", &query).await;
    let ids: Vec<&str> = all["list"].as_array().unwrap().iter().map(|u| u["userId"].as_str().unwrap()).collect();
    assert_eq!(ids, [alice.as_str(), bob.as_str()], "alice joined first");
    let paged = c
        .ok_get(
            "list-department-members",
            &[
                ("organizationCode", "acme"),
                ("departmentId", "root"),
                ("includeChildrenDepartments", "true"),
                ("limit", "1"),
            ],
        )
        .await;
    assert_eq!((paged["totalCount"].clone(), paged["list"][0]["userId"].clone()), (json!(2), json!(bob)));
    for (key, value) in [("sortBy", "name"), ("orderBy", "up"), ("limit", "10000"), ("page", "-1")] {
        let answer = c
            .get("list-department-members", &[("organizationCode", "acme"), ("departmentId", "root"), (key, value)])
            .await;
        assert_error(&answer, 400, &format!("参数 {key} 格式错误"));
    }
    let searched = c
        .ok_get(
            "search-department-members",
            &[
                ("organizationCode", "acme"),
                ("departmentId", "root"),
                ("includeChildrenDepartments", "true"),
                ("keywords", "BO"),
            ],
        )
        .await;
    assert_eq!((searched["totalCount"].clone(), searched["list"][0]["userId"].clone()), (json!(1), json!(bob)));
    let answer = c
        .get("search-department-members", &[("organizationCode", "acme"), ("departmentId", "root"), ("keywords", "")])
        .await;
    assert_error(&answer, 400, "参数 keywords 格式错误");

    c.ok_post("remove-department-members", add(&sales, vec![&alice, &bob, "ghost"])).await;
    assert!(member_ids(&c, "acme", &sales).await.is_empty());
    assert_eq!(member_ids(&c, "acme", &eu).await, [bob.as_str()], "other departments are untouched");
    // Deleting a department detaches its members; the users stay.
    c.ok_post("delete-department", json!({"organizationCode": "acme", "departmentId": eu})).await;
    assert_ok(&c.get("get-user", &[("userId", &bob)]).await);
    let departments = c.ok_get("get-user-departments", &[("userId", &bob)]).await;
    assert_eq!(departments["totalCount"], 0);
}

#[tokio::test]
async fn deleting_a_department_removes_its_role_assignments_and_grants() {
    let server = TestServer::start().await;
    let c = server.client().await;
    organization(&c, "acme").await;
    let sales = department(&c, "acme", "root", "sales").await;
    c.ok_post("create-role", json!({"code": "seller"})).await;
    let target = json!([{"targetType": "DEPARTMENT", "targetIdentifier": sales}]);
    c.ok_post("assign-role", json!({"code": "seller", "targets": target})).await;
    c.ok_post(
        "authorize-resources",
        json!({"namespace": "default", "list": [{"targetType": "DEPARTMENT", "targetIdentifiers": [sales],
               "resources": [{"code": "doc:1", "actions": ["read"], "resourceType": "DATA"}]}]}),
    )
    .await;
    let role_departments = c.ok_get("list-role-departments", &[("code", "seller")]).await;
    assert_eq!(role_departments["totalCount"], 1);
    let targets =
        c.ok_post("get-resource-authorized-targets", json!({"resource": "doc:1", "namespace": "default"})).await;
    assert_eq!(targets["totalCount"], 1);

    c.ok_post("delete-department", json!({"organizationCode": "acme", "departmentId": sales})).await;
    assert_eq!(c.ok_get("list-role-departments", &[("code", "seller")]).await["totalCount"], 0);
    let targets =
        c.ok_post("get-resource-authorized-targets", json!({"resource": "doc:1", "namespace": "default"})).await;
    assert_eq!(targets["totalCount"], 0);
}

#[tokio::test]
async fn another_pool_sees_none_of_it() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let other = server.new_pool_client().await;
    organization(&c, "acme").await;
    let sales = department(&c, "acme", "root", "sales").await;
    assert_error(
        &other.get("get-organization", &[("organizationCode", "acme")]).await,
        404,
        "organization not found for code: acme",
    );
    assert_error(&other.get("get-department", &[("departmentId", &sales)]).await, 404, "部门不存在");
    assert_eq!(other.ok_get("list-organizations", &[]).await["totalCount"], 0);
    // The same code is free there, and its tree is its own.
    organization(&other, "acme").await;
    let answer = other
        .post("create-department", json!({"organizationCode": "acme", "parentDepartmentId": sales, "name": "x"}))
        .await;
    assert_error(&answer, 404, "部门不存在");
    assert_eq!(c.ok_get("list-organizations", &[]).await["totalCount"], 1);
}
