"""Roles: principals.md §2 and the roles/ rows of README §9. Roles live in a namespace."""

from __future__ import annotations

import pytest

from helpers import (
    INVALID_CODE_IDS,
    INVALID_CODES,
    LONG_CODE,
    assert_error,
    assert_ok,
    assert_page,
    assert_success_flag,
    codes_of,
    department_target,
    new_department,
    new_namespace,
    new_organization,
    new_role,
    unique_code,
    unique_email,
)

EMPTY_AND_LONG = ["", LONG_CODE]
EMPTY_AND_LONG_IDS = ["empty", "100-chars"]


@pytest.fixture
def role(client):
    """A fresh role in the default namespace."""
    code = unique_code("role")
    return assert_ok(client.create_role(code=code, name=f"name {code}", description="fixture role"))


@pytest.fixture
def users(client):
    """Two fresh users."""
    return [assert_ok(client.create_user(email=unique_email("member"))) for _ in range(2)]


def user_targets(*users):
    return [{"targetType": "USER", "targetIdentifier": u["userId"]} for u in users]


def role_exists(client, code, namespace=None) -> bool:
    resp = client.get_role(code=code, namespace=namespace)
    if resp.get("statusCode") == 404:
        return False
    assert_ok(resp)
    return True


# ---------------------------------------------------------------------------- §2.1 create-role


class TestCreateRole:
    def test_echoes_the_role_in_the_default_namespace(self, client):
        code = unique_code("role")
        data = assert_ok(client.create_role(code=code, name="Role name", description="desc"))
        assert (data["code"], data["name"], data["description"], data["namespace"]) == (
            code,
            "Role name",
            "desc",
            "default",
        )
        assert data["id"]

    def test_explicit_default_namespace(self, client):
        data = assert_ok(client.create_role(code=unique_code("role"), namespace="default"))
        assert data["namespace"] == "default"

    def test_name_defaults_to_the_code_and_description_to_empty(self, client):
        code = unique_code("role")
        data = assert_ok(client.create_role(code=code))
        assert (data["name"], data["description"]) == (code, "")

    def test_is_enabled_by_default(self, client, role):
        assert role["status"] == "ENABLE"

    def test_creates_the_role_in_another_namespace(self, client):
        namespace = assert_ok(client.create_namespace(code=unique_code("ns")))["code"]
        code = unique_code("role")
        assert assert_ok(client.create_role(code=code, namespace=namespace))["namespace"] == namespace
        assert not role_exists(client, code)  # not in default

    def test_same_code_in_two_namespaces(self, client, role):
        namespace = assert_ok(client.create_namespace(code=unique_code("ns")))["code"]
        assert assert_ok(client.create_role(code=role["code"], namespace=namespace))["code"] == role["code"]

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_invalid_characters(self, client, code):
        assert_error(client.create_role(code=code), 400, f"invalid role code: {code}")

    @pytest.mark.parametrize("code", EMPTY_AND_LONG, ids=EMPTY_AND_LONG_IDS)
    def test_rejects_empty_or_too_long_code(self, client, code):
        assert_error(client.create_role(code=code), 400, "参数 code 格式错误")

    def test_unknown_namespace_is_not_found(self, client):
        assert_error(
            client.create_role(code=unique_code("role"), namespace=unique_code("missing")), 404, "权限组不存在"
        )

    def test_rejects_a_duplicate_code(self, client, role):
        assert_error(client.create_role(code=role["code"]), 409, "角色已存在")


# ---------------------------------------------------------------------------- §2.2 create-roles-batch


class TestCreateRolesBatch:
    def test_creates_every_item(self, client):
        codes = [unique_code("rb") for _ in range(2)]
        assert_success_flag(client.create_roles_batch(list=[{"code": c, "name": c} for c in codes]))
        assert [role_exists(client, c) for c in codes] == [True, True]

    def test_each_item_has_its_own_namespace(self, client):
        namespace = assert_ok(client.create_namespace(code=unique_code("ns")))["code"]
        in_ns, in_default = unique_code("rb"), unique_code("rb")
        items = [{"code": in_ns, "namespace": namespace}, {"code": in_default}]
        assert_success_flag(client.create_roles_batch(list=items))
        assert (role_exists(client, in_ns, namespace), role_exists(client, in_default)) == (True, True)

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_an_invalid_item_code(self, client, code):
        assert_error(client.create_roles_batch(list=[{"code": code}]), 400, f"invalid role code: {code}")

    def test_rejects_an_empty_item_code(self, client):
        assert_error(client.create_roles_batch(list=[{"code": ""}]), 400, "role code must not empty")

    def test_rejects_an_empty_list(self, client):
        assert_error(client.create_roles_batch(list=[]), 400, "参数 list 格式错误")

    def test_a_duplicate_creates_nothing(self, client, role):
        fresh = unique_code("rb")
        resp = client.create_roles_batch(list=[{"code": fresh}, {"code": role["code"]}])
        assert_error(resp, 409, "角色已存在")
        assert not role_exists(client, fresh)


# ---------------------------------------------------------------------------- §2.3 get-role


class TestGetRole:
    def test_without_namespace_reads_the_default_one(self, client, role):
        data = assert_ok(client.get_role(code=role["code"]))
        assert (data["code"], data["namespace"], data["description"]) == (role["code"], "default", "fixture role")

    def test_with_explicit_namespace(self, client, role):
        assert assert_ok(client.get_role(code=role["code"], namespace="default"))["id"] == role["id"]

    def test_unknown_code_is_not_found(self, client):
        assert_error(client.get_role(code=unique_code("missing")), 404, "角色不存在")

    def test_unknown_namespace_is_not_found(self, client, role):
        assert_error(client.get_role(code=role["code"], namespace=unique_code("missing")), 404, "权限组不存在")


# ---------------------------------------------------------------------------- §2.4 update-role


class TestUpdateRole:
    def test_renames_the_code(self, client, role):
        new_code = unique_code("role-new")
        resp = client.update_role(
            name=None, code=role["code"], new_code=new_code, namespace="default", description="d2"
        )
        assert_success_flag(resp)
        data = assert_ok(client.get_role(code=new_code))
        assert (data["id"], data["description"]) == (role["id"], "d2")
        assert not role_exists(client, role["code"])

    def test_updates_the_name_only(self, client, role):
        assert_success_flag(client.update_role(name="New name", code=role["code"], new_code=None))
        data = assert_ok(client.get_role(code=role["code"]))
        assert (data["name"], data["description"]) == ("New name", "fixture role")

    def test_empty_new_code_keeps_the_code(self, client, role):
        assert_success_flag(client.update_role(name=None, code=role["code"], new_code="", description="kept"))
        assert assert_ok(client.get_role(code=role["code"]))["description"] == "kept"

    @pytest.mark.parametrize("new_code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_an_invalid_new_code(self, client, role, new_code):
        resp = client.update_role(name=None, code=role["code"], new_code=new_code)
        assert_error(resp, 400, f"invalid role code: {new_code}")

    def test_rejects_a_too_long_new_code(self, client, role):
        resp = client.update_role(name=None, code=role["code"], new_code=LONG_CODE)
        assert_error(resp, 400, "参数 newCode 格式错误")

    def test_unknown_role_is_not_found(self, client):
        resp = client.update_role(name="x", code=unique_code("missing"), new_code=None)
        assert_error(resp, 404, "角色不存在")

    def test_unknown_namespace_is_not_found(self, client, role):
        resp = client.update_role(name="x", code=role["code"], new_code=None, namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")

    def test_rejects_a_new_code_already_in_use(self, client, role):
        other = assert_ok(client.create_role(code=unique_code("role")))
        resp = client.update_role(name=None, code=role["code"], new_code=other["code"])
        assert_error(resp, 409, "角色已存在")

    def test_members_follow_a_renamed_role(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(users[0])))
        new_code = unique_code("role-new")
        assert_success_flag(client.update_role(name=None, code=role["code"], new_code=new_code))
        members = assert_page(assert_ok(client.list_role_members(code=new_code)), min_total=1)
        assert [m["userId"] for m in members] == [users[0]["userId"]]


# ---------------------------------------------------------------------------- §2.5 delete-roles-batch


class TestDeleteRolesBatch:
    def test_deletes_the_listed_roles(self, client, role):
        assert_success_flag(client.delete_roles_batch(code_list=[role["code"]]))
        assert not role_exists(client, role["code"])

    def test_unknown_code_is_not_found_and_nothing_is_deleted(self, client, role):
        resp = client.delete_roles_batch(code_list=[role["code"], unique_code("missing")])
        assert_error(resp, 404, "角色不存在")
        assert role_exists(client, role["code"])

    def test_unknown_namespace_is_not_found(self, client, role):
        resp = client.delete_roles_batch(code_list=[role["code"]], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")

    def test_rejects_an_empty_list(self, client):
        assert_error(client.delete_roles_batch(code_list=[]), 400, "参数 codeList 格式错误")

    def test_deleted_role_disappears_from_its_members(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(users[0])))
        assert_success_flag(client.delete_roles_batch(code_list=[role["code"]]))
        roles = assert_ok(client.get_user_roles(user_id=users[0]["userId"]))
        assert role["code"] not in codes_of(roles["list"])


# ---------------------------------------------------------------------------- §2.6 list-roles


class TestListRoles:
    def test_lists_roles_of_the_default_namespace(self, client, role):
        assert_page(assert_ok(client.list_roles(namespace="default")), min_total=1)

    def test_lists_the_newest_first(self, client, role):
        items = assert_ok(client.list_roles(page=1, limit=1))["list"]
        assert codes_of(items) == [role["code"]]

    def test_keywords_filter_by_code(self, client, role):
        items = assert_page(assert_ok(client.list_roles(keywords=role["code"])), min_total=1)
        assert codes_of(items) == [role["code"]]

    def test_only_lists_the_requested_namespace(self, client, role):
        namespace = assert_ok(client.create_namespace(code=unique_code("ns")))["code"]
        assert assert_ok(client.list_roles(namespace=namespace)) == {"totalCount": 0, "list": []}

    def test_unknown_namespace_is_not_found(self, client):
        assert_error(client.list_roles(namespace=unique_code("missing")), 404, "权限组不存在")

    def test_rejects_a_negative_page(self, client):
        assert_error(client.list_roles(page=-1, limit=10), 400, "参数 page 格式错误")

    @pytest.mark.parametrize("limit", [-1, 10000])
    def test_rejects_a_limit_outside_1_to_50(self, client, limit):
        assert_error(client.list_roles(page=1, limit=limit), 400, "参数 limit 格式错误")


# ---------------------------------------------------------------------------- §2.7, 2.9, 2.11 assignment


class TestAssignRole:
    def test_assigns_users_without_namespace(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(*users)))
        members = assert_page(assert_ok(client.list_role_members(code=role["code"])), min_total=2)
        assert sorted(m["userId"] for m in members) == sorted(u["userId"] for u in users)

    def test_assigns_users_with_namespace(self, client, role, users):
        resp = client.assign_role(code=role["code"], namespace="default", targets=user_targets(*users))
        assert_success_flag(resp)
        assert assert_ok(client.list_role_members(code=role["code"], namespace="default"))["totalCount"] == 2

    def test_assigning_twice_is_idempotent(self, client, role, users):
        for _ in range(2):
            assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(*users)))
        assert assert_ok(client.list_role_members(code=role["code"]))["totalCount"] == 2

    def test_assigned_role_is_listed_for_the_user(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(users[0])))
        roles = assert_ok(client.get_user_roles(user_id=users[0]["userId"]))
        assert codes_of(roles["list"]) == [role["code"]]

    def test_unknown_role_is_not_found(self, client, users):
        resp = client.assign_role(code=unique_code("missing"), targets=user_targets(*users))
        assert_error(resp, 404, "角色不存在")

    def test_unknown_namespace_is_not_found(self, client, role, users):
        resp = client.assign_role(code=role["code"], namespace=unique_code("missing"), targets=user_targets(*users))
        assert_error(resp, 404, "权限组不存在")

    def test_unknown_user_is_not_found(self, client, role):
        resp = client.assign_role(code=role["code"], targets=[{"targetType": "USER", "targetIdentifier": "0" * 24}])
        assert_error(resp, 404, "用户不存在")

    def test_rejects_empty_targets(self, client, role):
        assert_error(client.assign_role(code=role["code"], targets=[]), 400, "参数 targets 格式错误")


class TestRevokeRole:
    def test_revokes_an_assignment(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(*users)))
        assert_success_flag(client.revoke_role(code=role["code"], targets=user_targets(users[0])))
        members = assert_ok(client.list_role_members(code=role["code"]))["list"]
        assert [m["userId"] for m in members] == [users[1]["userId"]]

    def test_revoking_with_namespace(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(users[0])))
        assert_success_flag(client.revoke_role(code=role["code"], namespace="default", targets=user_targets(users[0])))
        assert assert_ok(client.list_role_members(code=role["code"]))["totalCount"] == 0

    def test_revoking_something_not_assigned_succeeds(self, client, role, users):
        assert_success_flag(client.revoke_role(code=role["code"], targets=user_targets(*users)))

    def test_unknown_role_is_not_found(self, client, users):
        resp = client.revoke_role(code=unique_code("missing"), targets=user_targets(*users))
        assert_error(resp, 404, "角色不存在")

    def test_unknown_namespace_is_not_found(self, client, role, users):
        resp = client.revoke_role(code=role["code"], namespace=unique_code("missing"), targets=user_targets(*users))
        assert_error(resp, 404, "权限组不存在")

    def test_unknown_user_is_not_found(self, client, role):
        resp = client.revoke_role(code=role["code"], targets=[{"targetType": "USER", "targetIdentifier": "0" * 24}])
        assert_error(resp, 404, "用户不存在")

    def test_rejects_empty_targets(self, client, role):
        assert_error(client.revoke_role(code=role["code"], targets=[]), 400, "参数 targets 格式错误")


class TestListRoleMembers:
    def test_a_new_role_has_no_members(self, client, role):
        assert assert_ok(client.list_role_members(code=role["code"])) == {"totalCount": 0, "list": []}

    def test_paginates(self, client, role, users):
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(*users)))
        data = assert_ok(client.list_role_members(code=role["code"], page=2, limit=1))
        assert data["totalCount"] == 2 and len(data["list"]) == 1

    def test_unknown_role_is_not_found(self, client):
        assert_error(client.list_role_members(code=unique_code("missing")), 404, "角色不存在")

    def test_unknown_namespace_is_not_found(self, client, role):
        resp = client.list_role_members(code=role["code"], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")


# ---------------------------------------------------------------------------- §2.8, 2.10 batch assignment

MISSING_ID = "0" * 24
# Unknown things appended to otherwise valid targets / roles: (extra targets, extra roles, message).
UNKNOWN_REFERENCES = [
    ([], [{"code": unique_code("missing")}], "角色不存在"),
    ([], [{"code": "any-role", "namespace": unique_code("missing")}], "权限组不存在"),
    ([{"targetType": "USER", "targetIdentifier": MISSING_ID}], [], "用户不存在"),
    ([department_target(MISSING_ID)], [], "部门不存在"),
]
UNKNOWN_REFERENCE_IDS = ["unknown-role", "unknown-namespace", "unknown-user", "unknown-department"]
BATCH_METHODS = ["assign_role_batch", "revoke_role_batch"]


@pytest.fixture
def ns_role(client):
    """A fresh role in a fresh namespace."""
    return new_role(client, new_namespace(client))


@pytest.fixture
def organization(authing_client):
    """Department writes and list-role-departments exist only in `authing` (README §10)."""
    return assert_ok(new_organization(authing_client))


def many_users(client, count):
    """`count` fresh users, made with create-users-batch (at most 50 per call)."""
    users = []
    while len(users) < count:
        items = [{"email": unique_email("member")} for _ in range(min(50, count - len(users)))]
        users += assert_ok(client.create_users_batch(list=items))
    return users


def role_codes(*roles):
    """RoleCodeDto[]: roles of the default namespace without `namespace`, others with it."""
    return [
        {"code": r["code"]} if r["namespace"] == "default" else {"code": r["code"], "namespace": r["namespace"]}
        for r in roles
    ]


def member_ids(client, role) -> list:
    data = assert_ok(client.list_role_members(code=role["code"], namespace=role["namespace"], limit=50))
    return sorted(m["userId"] for m in assert_page(data))


def department_ids(authing_client, role) -> list:
    data = assert_ok(authing_client.list_role_departments(code=role["code"], namespace=role["namespace"], limit=50))
    return sorted(d["id"] for d in assert_page(data))


def user_role_codes(client, user, namespace=None) -> list:
    return sorted(codes_of(assert_ok(client.get_user_roles(user_id=user["userId"], namespace=namespace))["list"]))


class TestAssignRoleBatch:
    def test_gives_every_user_every_role(self, client, role, ns_role, users):
        assert_success_flag(client.assign_role_batch(targets=user_targets(*users), roles=role_codes(role, ns_role)))
        for user in users:
            assert user_role_codes(client, user) == [role["code"]]
            assert user_role_codes(client, user, ns_role["namespace"]) == [ns_role["code"]]
        assert member_ids(client, role) == member_ids(client, ns_role) == sorted(u["userId"] for u in users)

    def test_gives_departments_and_users_every_role(self, client, authing_client, organization, role, ns_role, users):
        departments = [new_department(authing_client, organization) for _ in range(2)]
        targets = [department_target(d["departmentId"]) for d in departments] + user_targets(users[0])
        assert_success_flag(client.assign_role_batch(targets=targets, roles=role_codes(role, ns_role)))
        for r in (role, ns_role):
            assert department_ids(authing_client, r) == sorted(d["departmentId"] for d in departments)
            assert member_ids(client, r) == [users[0]["userId"]]

    def test_tells_apart_roles_with_one_code_in_two_namespaces(self, client, role, users):
        twin = assert_ok(client.create_role(code=role["code"], namespace=new_namespace(client)))
        assert_success_flag(client.assign_role_batch(targets=user_targets(users[0]), roles=role_codes(twin)))
        assert (member_ids(client, role), member_ids(client, twin)) == ([], [users[0]["userId"]])

    def test_assigning_twice_is_idempotent(self, client, role, ns_role, users):
        for _ in range(2):
            assert_success_flag(client.assign_role_batch(targets=user_targets(*users), roles=role_codes(role, ns_role)))
        assert len(member_ids(client, role)) == len(member_ids(client, ns_role)) == 2

    def test_accepts_10_targets_and_10_roles(self, client):
        users, roles = many_users(client, 10), [new_role(client) for _ in range(10)]
        assert_success_flag(client.assign_role_batch(targets=user_targets(*users), roles=role_codes(*roles)))
        assert all(len(member_ids(client, r)) == 10 for r in roles)

    def test_rejects_more_than_10_targets(self, client, role):
        resp = client.assign_role_batch(targets=user_targets(*many_users(client, 11)), roles=role_codes(role))
        assert_error(resp, 400, "参数 targets 格式错误")
        assert member_ids(client, role) == []


class TestRevokeRoleBatch:
    def test_takes_every_role_from_every_listed_target(
        self, client, authing_client, organization, role, ns_role, users
    ):
        department = new_department(authing_client, organization)
        targets = user_targets(*users) + [department_target(department["departmentId"])]
        assert_success_flag(client.assign_role_batch(targets=targets, roles=role_codes(role, ns_role)))
        revoked = user_targets(users[0]) + [department_target(department["departmentId"])]
        assert_success_flag(client.revoke_role_batch(targets=revoked, roles=role_codes(role, ns_role)))
        for r in (role, ns_role):
            assert member_ids(client, r) == [users[1]["userId"]]
            assert department_ids(authing_client, r) == []
        assert (user_role_codes(client, users[0]), user_role_codes(client, users[0], ns_role["namespace"])) == ([], [])

    def test_leaves_roles_that_are_not_listed(self, client, role, ns_role, users):
        assert_success_flag(client.assign_role_batch(targets=user_targets(*users), roles=role_codes(role, ns_role)))
        assert_success_flag(client.revoke_role_batch(targets=user_targets(*users), roles=role_codes(ns_role)))
        assert (member_ids(client, role), member_ids(client, ns_role)) == (sorted(u["userId"] for u in users), [])

    def test_revoking_something_not_assigned_succeeds(self, client, role, ns_role, users):
        assert_success_flag(client.revoke_role_batch(targets=user_targets(*users), roles=role_codes(role, ns_role)))

    def test_accepts_more_than_10_targets(self, client, role):
        users = many_users(client, 11)
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(*users)))
        assert_success_flag(client.revoke_role_batch(targets=user_targets(*users), roles=role_codes(role)))
        assert member_ids(client, role) == []

    def test_rejects_more_than_50_targets(self, client, role):
        users = many_users(client, 51)
        assert_success_flag(client.assign_role(code=role["code"], targets=user_targets(*users[:50])))
        resp = client.revoke_role_batch(targets=user_targets(*users), roles=role_codes(role))
        assert_error(resp, 400, "参数 targets 格式错误")
        assert len(member_ids(client, role)) == 50


class TestBatchAssignmentErrors:
    """What assign-role-batch and revoke-role-batch share: all-or-nothing, list limits."""

    @pytest.mark.parametrize("method", BATCH_METHODS)
    @pytest.mark.parametrize("extra_targets, extra_roles, message", UNKNOWN_REFERENCES, ids=UNKNOWN_REFERENCE_IDS)
    def test_an_unknown_reference_changes_nothing(
        self, client, authing_client, organization, role, ns_role, users, method, extra_targets, extra_roles, message
    ):
        department = new_department(authing_client, organization)
        targets = user_targets(*users) + [department_target(department["departmentId"])]
        roles = role_codes(role, ns_role)
        if method == "revoke_role_batch":
            assert_success_flag(client.assign_role_batch(targets=targets, roles=roles))

        def snapshot():
            return [(member_ids(client, r), department_ids(authing_client, r)) for r in (role, ns_role)]

        before = snapshot()
        resp = getattr(client, method)(targets=targets + extra_targets, roles=roles + extra_roles)
        assert_error(resp, 404, message)
        assert snapshot() == before

    @pytest.mark.parametrize("method", BATCH_METHODS)
    def test_rejects_empty_roles(self, client, users, method):
        assert_error(getattr(client, method)(targets=user_targets(*users), roles=[]), 400, "参数 roles 格式错误")

    @pytest.mark.parametrize("method", BATCH_METHODS)
    def test_rejects_empty_targets(self, client, role, method):
        assert_error(getattr(client, method)(targets=[], roles=role_codes(role)), 400, "参数 targets 格式错误")

    @pytest.mark.parametrize("method", BATCH_METHODS)
    def test_rejects_more_than_10_roles(self, client, users, method):
        roles = [new_role(client) for _ in range(11)]
        resp = getattr(client, method)(targets=user_targets(*users), roles=role_codes(*roles))
        assert_error(resp, 400, "参数 roles 格式错误")
        assert [member_ids(client, r) for r in roles] == [[]] * 11
