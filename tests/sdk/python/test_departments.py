"""Departments: principals.md §4.7–4.19, get/set-user-departments (§1.11–1.12) and the
department/ rows of README §9.

genauth 5.1.0 has none of these methods (README §10), so every test uses `authing_client`.
Each test builds its own organization, so department trees never overlap between tests.
"""

from __future__ import annotations

import pytest

from helpers import (
    BAD_PAGING,
    BAD_PAGING_IDS,
    INVALID_CODE_IDS,
    INVALID_CODES,
    LONG_CODE,
    assert_error,
    assert_error_status,
    assert_ok,
    assert_page,
    assert_success_flag,
    join_department,
    new_department,
    new_organization,
    new_user,
    organization_not_found,
    unique_code,
)

# A well-formed user id that is not a user of any pool here (the SDK spec's example).
FOREIGN_USER_ID = "5a597f35085a2000144a10ed"
UNKNOWN_DEPARTMENT_ID = "0" * 24


@pytest.fixture
def client(authing_client):
    """Shadows the two-package `client`: every method used here exists only in `authing`."""
    return authing_client


@pytest.fixture
def organization(client):
    return assert_ok(new_organization(client))


@pytest.fixture
def department(client, organization):
    """A child of the organization's root, with a code."""
    return new_department(client, organization, code=unique_code("dc"), description="about")


@pytest.fixture
def users(client):
    return [new_user(client) for _ in range(2)]


def ids_of(items, key="userId") -> list:
    return [item[key] for item in items]


def get_department(client, organization, department_id, **extra):
    return assert_ok(
        client.get_department(
            organization_code=organization["organizationCode"], department_id=department_id, **extra
        )
    )


def department_exists(client, department_id) -> bool:
    """Looks the id up across all organizations of the pool (get-department without a code)."""
    resp = client.get_department(department_id=department_id)
    if resp.get("statusCode") == 404:
        return False
    assert_ok(resp)
    return True


def children_ids(client, organization, department_id) -> list:
    data = assert_ok(
        client.list_children_departments(
            organization_code=organization["organizationCode"], department_id=department_id
        )
    )
    return sorted(ids_of(assert_page(data), "departmentId"))


def member_ids(client, organization, department_id) -> list:
    data = client.list_department_member_ids(
        organization_code=organization["organizationCode"], department_id=department_id
    )
    return sorted(assert_ok(data))


def user_department_ids(client, user) -> list:
    data = assert_ok(client.get_user_departments(user_id=user["userId"], limit=50))
    return sorted(ids_of(assert_page(data), "departmentId"))


def organization_members_count(client, organization) -> int:
    return assert_ok(client.get_organization(organization_code=organization["organizationCode"]))["membersCount"]


def set_departments(client, user, *departments, **options):
    items = [{"departmentId": d["departmentId"]} for d in departments]
    return client.set_user_departments(user_id=user["userId"], departments=items, **options)


# ---------------------------------------------------------------------------- organizationCode checks
# principals.md §4 / README §9: common to every department endpoint.

BAD_ORG_CODES = [unique_code("missing"), "额！ ", "", " "]
BAD_ORG_CODE_IDS = ["random", "non-ascii", "empty", "blank"]

# Every department endpoint, called with `code` as organizationCode; `member` is a member of
# `department`, `outsider` is not.
ORG_CODE_CALLS = {
    "update_department": lambda c, code, d, member, outsider: c.update_department(
        organization_code=code, department_id=d, name="renamed"
    ),
    "delete_department": lambda c, code, d, member, outsider: c.delete_department(
        organization_code=code, department_id=d
    ),
    "get_department": lambda c, code, d, member, outsider: c.get_department(organization_code=code, department_id=d),
    "add_department_members": lambda c, code, d, member, outsider: c.add_department_members(
        user_ids=[outsider], organization_code=code, department_id=d
    ),
    "remove_department_members": lambda c, code, d, member, outsider: c.remove_department_members(
        user_ids=[member], organization_code=code, department_id=d
    ),
    "list_children_departments": lambda c, code, d, member, outsider: c.list_children_departments(
        organization_code=code, department_id=d
    ),
    "list_department_members": lambda c, code, d, member, outsider: c.list_department_members(
        organization_code=code, department_id=d
    ),
    "list_department_member_ids": lambda c, code, d, member, outsider: c.list_department_member_ids(
        organization_code=code, department_id=d
    ),
    "search_department_members": lambda c, code, d, member, outsider: c.search_department_members(
        organization_code=code, department_id=d, keywords="member"
    ),
    "search_departments": lambda c, code, d, member, outsider: c.search_departments(
        keywords="dept", organization_code=code
    ),
    "get_parent_department": lambda c, code, d, member, outsider: c.get_parent_department(
        organization_code=code, department_id=d
    ),
    "is_user_in_department": lambda c, code, d, member, outsider: c.is_user_in_department(
        user_id=member, organization_code=code, department_id=d
    ),
}


class TestOrganizationCodeChecks:
    @pytest.fixture
    def setting(self, client, organization, department, users):
        """(call, snapshot): the endpoint bound to the fixtures, and a read-back of the state it
        could change."""
        member, outsider = users
        join_department(client, organization, department["departmentId"], member)

        def snapshot():
            found = get_department(client, organization, department["departmentId"])
            return found["name"], member_ids(client, organization, department["departmentId"])

        def call(method, code):
            fn = ORG_CODE_CALLS[method]
            return fn(client, code, department["departmentId"], member["userId"], outsider["userId"])

        return call, snapshot

    @pytest.mark.parametrize("method", ORG_CODE_CALLS)
    @pytest.mark.parametrize("code", BAD_ORG_CODES, ids=BAD_ORG_CODE_IDS)
    def test_unknown_organization_is_not_found(self, setting, method, code):
        call, snapshot = setting
        before = snapshot()
        assert_error(call(method, code), 404, organization_not_found(code))
        assert snapshot() == before

    @pytest.mark.parametrize("method", ORG_CODE_CALLS)
    def test_rejects_a_too_long_organization_code(self, setting, method):
        call, snapshot = setting
        before = snapshot()
        assert_error(call(method, LONG_CODE), 400, "参数 organizationCode 格式错误")
        assert snapshot() == before


# ---------------------------------------------------------------------------- §4.7 create-department


class TestCreateDepartment:
    def test_echoes_organization_code_and_name(self, client, organization):
        data = assert_ok(
            client.create_department(
                organization_code=organization["organizationCode"],
                name="研发部",
                parent_department_id=organization["departmentId"],
                metadata=None,
            )
        )
        assert (data["organizationCode"], data["name"]) == (organization["organizationCode"], "研发部")
        assert data["departmentId"] and data["departmentId"] != organization["departmentId"]

    def test_returns_a_department_dto(self, client, organization):
        code, open_id = unique_code("dc"), unique_code("open")
        data = new_department(client, organization, code=code, description="d", open_department_id=open_id)
        assert {k: data[k] for k in ("code", "description", "openDepartmentId", "parentDepartmentId")} == {
            "code": code,
            "description": "d",
            "openDepartmentId": open_id,
            "parentDepartmentId": organization["departmentId"],
        }
        # The root's code is the organization's code (principals.md §4.1).
        assert data["parentDepartmentCode"] == organization["organizationCode"]
        assert (data["membersCount"], data["hasChildren"], data["isVirtualNode"]) == (0, False, False)
        assert data["createdAt"]

    def test_parent_code_is_the_parents_code(self, client, organization, department):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        assert (child["parentDepartmentId"], child["parentDepartmentCode"]) == (
            department["departmentId"],
            department["code"],
        )

    def test_root_alias_as_parent(self, client, organization):
        data = new_department(client, organization, parent_department_id="root")
        assert data["parentDepartmentId"] == organization["departmentId"]

    def test_parent_by_code(self, client, organization, department):
        child = new_department(
            client, organization, parent_department_id=department["code"], department_id_type="code"
        )
        assert child["parentDepartmentId"] == department["departmentId"]

    def test_parent_by_open_department_id(self, client, organization):
        parent = new_department(client, organization, open_department_id=unique_code("open"))
        child = new_department(
            client,
            organization,
            parent_department_id=parent["openDepartmentId"],
            department_id_type="open_department_id",
        )
        assert child["parentDepartmentId"] == parent["departmentId"]

    def test_virtual_node_is_echoed(self, client, organization):
        assert new_department(client, organization, is_virtual_node=True)["isVirtualNode"] is True

    def test_metadata_is_ignored(self, client, organization):
        assert new_department(client, organization, metadata={"any": "thing"})["departmentId"]

    def test_parent_gains_children(self, client, organization, department):
        assert get_department(client, organization, "root")["hasChildren"] is True
        assert children_ids(client, organization, "root") == [department["departmentId"]]

    def test_code_of_a_deleted_department_can_be_reused(self, client, organization, department):
        resp = client.delete_department(
            organization_code=organization["organizationCode"], department_id=department["departmentId"]
        )
        assert_success_flag(resp)
        assert new_department(client, organization, code=department["code"])["code"] == department["code"]

    def test_same_code_in_another_organization(self, client, department):
        other = assert_ok(new_organization(client))
        assert new_department(client, other, code=department["code"])["code"] == department["code"]

    def test_rejects_an_existing_code(self, client, organization, department):
        resp = client.create_department(
            organization_code=organization["organizationCode"],
            name="again",
            parent_department_id="root",
            metadata=None,
            code=department["code"],
        )
        assert_error(resp, 409, "部门已存在")
        assert children_ids(client, organization, "root") == [department["departmentId"]]

    def test_unknown_parent_is_not_found(self, client, organization):
        resp = client.create_department(
            organization_code=organization["organizationCode"],
            name="orphan",
            parent_department_id=UNKNOWN_DEPARTMENT_ID,
            metadata=None,
        )
        assert_error(resp, 404, "部门不存在")
        assert children_ids(client, organization, "root") == []

    def test_parent_of_another_organization_is_not_found(self, client, organization):
        other = new_department(client, assert_ok(new_organization(client)))
        resp = client.create_department(
            organization_code=organization["organizationCode"],
            name="cross",
            parent_department_id=other["departmentId"],
            metadata=None,
        )
        assert_error(resp, 404, "部门不存在")
        assert children_ids(client, organization, "root") == []

    def test_rejects_an_unsupported_department_id_type(self, client, organization):
        resp = client.create_department(
            organization_code=organization["organizationCode"],
            name="x",
            parent_department_id="root",
            metadata=None,
            department_id_type="sync_relation",
        )
        assert_error(resp, 400, "参数 departmentIdType 格式错误")
        assert children_ids(client, organization, "root") == []

    def test_rejects_a_missing_name(self, client, organization):
        resp = client.create_department(
            organization_code=organization["organizationCode"],
            name=None,
            parent_department_id="root",
            metadata=None,
        )
        assert_error(resp, 400, "参数 name 格式错误")
        assert children_ids(client, organization, "root") == []

    @pytest.mark.parametrize("code", [unique_code("missing"), "", "额！ "], ids=["random", "empty", "non-ascii"])
    def test_unknown_organization_is_not_found(self, client, code):
        resp = client.create_department(organization_code=code, name="x", parent_department_id="root", metadata=None)
        assert_error(resp, 404, organization_not_found(code))

    def test_blank_organization_code_is_invalid(self, client):
        resp = client.create_department(organization_code=" ", name="x", parent_department_id="root", metadata=None)
        assert_error(resp, 400, "invalid organization code  ")

    def test_rejects_a_too_long_organization_code(self, client):
        resp = client.create_department(
            organization_code=LONG_CODE, name="x", parent_department_id="root", metadata=None
        )
        assert_error(resp, 400, "参数 organizationCode 格式错误")


# ---------------------------------------------------------------------------- §4.8 update-department


class TestUpdateDepartment:
    def update(self, client, organization, department, **fields):
        return client.update_department(
            organization_code=organization["organizationCode"], department_id=department["departmentId"], **fields
        )

    def test_updates_name_description_and_code(self, client, organization, department):
        code = unique_code("dc-new")
        data = assert_ok(self.update(client, organization, department, name="新部门", description="d2", code=code))
        assert (data["departmentId"], data["name"], data["description"], data["code"]) == (
            department["departmentId"],
            "新部门",
            "d2",
            code,
        )
        found = assert_ok(
            client.get_department(organization_code=organization["organizationCode"], department_code=code)
        )
        assert (found["departmentId"], found["name"]) == (department["departmentId"], "新部门")

    def test_sets_leaders(self, client, organization, department, users):
        data = assert_ok(self.update(client, organization, department, leader_user_ids=ids_of(users)))
        assert data["leaderUserIds"] == ids_of(users)

    def test_sets_the_status(self, client, organization, department):
        assert assert_ok(self.update(client, organization, department, status=False))["status"] is False
        assert get_department(client, organization, department["departmentId"])["status"] is False

    def test_addresses_the_department_by_code(self, client, organization, department):
        resp = client.update_department(
            organization_code=organization["organizationCode"],
            department_id=department["code"],
            department_id_type="code",
            name="by code",
        )
        assert assert_ok(resp)["departmentId"] == department["departmentId"]

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_an_invalid_code(self, client, organization, department, code):
        resp = self.update(client, organization, department, code=code)
        assert_error(resp, 400, f"invalid organization code: {code}")
        assert get_department(client, organization, department["departmentId"])["code"] == department["code"]

    def test_rejects_a_too_long_code(self, client, organization, department):
        assert_error(self.update(client, organization, department, code=LONG_CODE), 400, "参数 code 格式错误")
        assert get_department(client, organization, department["departmentId"])["code"] == department["code"]

    def test_rejects_a_code_already_in_use(self, client, organization, department):
        other = new_department(client, organization, code=unique_code("dc"))
        assert_error(self.update(client, organization, other, code=department["code"]), 409, "部门已存在")
        assert get_department(client, organization, other["departmentId"])["code"] == other["code"]

    def test_recoding_the_root_recodes_the_organization(self, client, organization):
        root = {"departmentId": organization["departmentId"]}
        code = unique_code("org-new")
        assert assert_ok(self.update(client, organization, root, code=code))["code"] == code
        assert assert_ok(client.get_organization(organization_code=code))["departmentId"] == root["departmentId"]
        old = organization["organizationCode"]
        assert_error(client.get_organization(organization_code=old), 404, f"organization not found for code: {old}")

    def test_recoding_the_root_to_another_organizations_code_conflicts(self, client, organization):
        other = assert_ok(new_organization(client))
        root = {"departmentId": organization["departmentId"]}
        resp = self.update(client, organization, root, code=other["organizationCode"])
        assert_error(resp, 409, "组织机构已存在")
        assert assert_ok(client.get_organization(organization_code=organization["organizationCode"]))

    def test_unknown_department_is_not_found(self, client, organization):
        resp = client.update_department(
            organization_code=organization["organizationCode"], department_id=UNKNOWN_DEPARTMENT_ID, name="x"
        )
        assert_error(resp, 404, "部门不存在")

    def test_moves_the_department(self, client, organization, department):
        target = new_department(client, organization)
        data = assert_ok(self.update(client, organization, department, parent_department_id=target["departmentId"]))
        assert data["parentDepartmentId"] == target["departmentId"]
        assert children_ids(client, organization, target["departmentId"]) == [department["departmentId"]]
        assert children_ids(client, organization, "root") == [target["departmentId"]]

    def test_refuses_to_move_a_department_under_itself(self, client, organization, department):
        resp = self.update(client, organization, department, parent_department_id=department["departmentId"])
        assert_error_status(resp, 422)
        found = get_department(client, organization, department["departmentId"])
        assert found["parentDepartmentId"] == organization["departmentId"]

    def test_refuses_to_move_a_department_under_its_descendant(self, client, organization, department):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        grandchild = new_department(client, organization, parent_department_id=child["departmentId"])
        resp = self.update(client, organization, department, parent_department_id=grandchild["departmentId"])
        assert_error_status(resp, 422)
        found = get_department(client, organization, department["departmentId"])
        assert found["parentDepartmentId"] == organization["departmentId"]
        assert children_ids(client, organization, grandchild["departmentId"]) == []

    def test_refuses_to_move_the_root(self, client, organization, department):
        resp = client.update_department(
            organization_code=organization["organizationCode"],
            department_id="root",
            parent_department_id=department["departmentId"],
        )
        assert_error_status(resp, 422)
        assert get_department(client, organization, "root")["parentDepartmentId"] is None
        assert children_ids(client, organization, department["departmentId"]) == []


# ---------------------------------------------------------------------------- §4.9 delete-department


class TestDeleteDepartment:
    def delete(self, client, organization, department_id):
        return client.delete_department(organization_code=organization["organizationCode"], department_id=department_id)

    def test_deletes_the_department(self, client, organization, department):
        assert_success_flag(self.delete(client, organization, department["departmentId"]))
        assert_error(
            client.get_department(
                organization_code=organization["organizationCode"], department_id=department["departmentId"]
            ),
            404,
            "部门不存在",
        )
        assert children_ids(client, organization, "root") == []
        assert get_department(client, organization, "root")["hasChildren"] is False

    def test_detaches_the_members(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], *users)
        assert_success_flag(self.delete(client, organization, department["departmentId"]))
        for user in users:
            assert user_department_ids(client, user) == []
        assert organization_members_count(client, organization) == 0

    def test_removes_role_assignments(self, client, organization, department):
        role = assert_ok(client.create_role(code=unique_code("role")))
        targets = [{"targetType": "DEPARTMENT", "targetIdentifier": department["departmentId"]}]
        assert_success_flag(client.assign_role(code=role["code"], targets=targets))
        assert_success_flag(self.delete(client, organization, department["departmentId"]))
        assert assert_ok(client.list_role_departments(code=role["code"]))["totalCount"] == 0

    def test_removes_grants(self, client, organization, department):
        resource = unique_code("res")
        item = {
            "targetType": "DEPARTMENT",
            "targetIdentifiers": [department["departmentId"]],
            "resources": [{"code": resource, "actions": ["read"], "resourceType": "DATA"}],
        }
        assert_success_flag(client.authorize_resources(list=[item], namespace="default"))
        assert_success_flag(self.delete(client, organization, department["departmentId"]))
        targets = client.get_resource_authorized_targets(resource=resource, namespace="default")
        assert assert_ok(targets)["totalCount"] == 0

    @pytest.mark.parametrize("alias", [False, True], ids=["id", "root-alias"])
    def test_refuses_to_delete_the_root(self, client, organization, alias):
        resp = self.delete(client, organization, "root" if alias else organization["departmentId"])
        assert_error_status(resp, 422)
        assert get_department(client, organization, "root")["departmentId"] == organization["departmentId"]

    def test_refuses_to_delete_a_department_with_children(self, client, organization, department):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        assert_error_status(self.delete(client, organization, department["departmentId"]), 422)
        assert children_ids(client, organization, department["departmentId"]) == [child["departmentId"]]

    def test_unknown_department_is_not_found(self, client, organization, department):
        assert_error(self.delete(client, organization, UNKNOWN_DEPARTMENT_ID), 404, "部门不存在")
        assert children_ids(client, organization, "root") == [department["departmentId"]]


# ---------------------------------------------------------------------------- §4.10 get-department


class TestGetDepartment:
    def test_returns_the_department(self, client, organization, department):
        data = get_department(client, organization, department["departmentId"])
        keys = ("departmentId", "organizationCode", "name", "code", "description", "parentDepartmentId")
        assert {k: data[k] for k in keys} == {k: department[k] for k in keys}

    def test_by_department_code(self, client, organization, department):
        data = assert_ok(
            client.get_department(
                organization_code=organization["organizationCode"], department_code=department["code"]
            )
        )
        assert data["departmentId"] == department["departmentId"]

    def test_by_code_id_type(self, client, organization, department):
        data = get_department(client, organization, department["code"], department_id_type="code")
        assert data["departmentId"] == department["departmentId"]

    def test_by_open_department_id(self, client, organization):
        created = new_department(client, organization, open_department_id=unique_code("open"))
        open_id = created["openDepartmentId"]
        data = get_department(client, organization, open_id, department_id_type="open_department_id")
        assert data["departmentId"] == created["departmentId"]

    def test_root_alias(self, client, organization):
        assert get_department(client, organization, "root")["departmentId"] == organization["departmentId"]

    def test_without_organization_code(self, client, department):
        data = assert_ok(client.get_department(department_id=department["departmentId"]))
        assert (data["departmentId"], data["organizationCode"]) == (
            department["departmentId"],
            department["organizationCode"],
        )

    def test_members_count_counts_direct_members_only(self, client, organization, department, users):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        join_department(client, organization, department["departmentId"], users[0])
        join_department(client, organization, child["departmentId"], users[1])
        assert get_department(client, organization, department["departmentId"])["membersCount"] == 1
        assert get_department(client, organization, "root")["membersCount"] == 0

    def test_requires_an_id_or_a_code(self, client, organization):
        resp = client.get_department(organization_code=organization["organizationCode"])
        assert_error(resp, 400, "参数 departmentId 格式错误")

    def test_unknown_department_is_not_found(self, client, organization):
        resp = client.get_department(
            organization_code=organization["organizationCode"], department_id=UNKNOWN_DEPARTMENT_ID
        )
        assert_error(resp, 404, "部门不存在")

    def test_unknown_code_is_not_found(self, client, organization):
        resp = client.get_department(
            organization_code=organization["organizationCode"], department_code=unique_code("missing")
        )
        assert_error(resp, 404, "部门不存在")

    def test_department_of_another_organization_is_not_found(self, client, department):
        other = assert_ok(new_organization(client))
        resp = client.get_department(
            organization_code=other["organizationCode"], department_id=department["departmentId"]
        )
        assert_error(resp, 404, "部门不存在")

    def test_rejects_an_unsupported_department_id_type(self, client, organization, department):
        resp = client.get_department(
            organization_code=organization["organizationCode"],
            department_id=department["departmentId"],
            department_id_type="custom_field",
        )
        assert_error(resp, 400, "参数 departmentIdType 格式错误")


# ---------------------------------------------------------------------------- §4.11 list-children-departments


class TestListChildrenDepartments:
    def test_lists_direct_children_only(self, client, organization, department):
        sibling = new_department(client, organization)
        new_department(client, organization, parent_department_id=department["departmentId"])
        data = assert_ok(
            client.list_children_departments(organization_code=organization["organizationCode"], department_id="root")
        )
        assert data["totalCount"] == 2 and type(data["totalCount"]) is int
        assert sorted(ids_of(data["list"], "departmentId")) == sorted(
            [department["departmentId"], sibling["departmentId"]]
        )

    def test_items_are_department_dtos(self, client, organization, department):
        item = assert_ok(
            client.list_children_departments(organization_code=organization["organizationCode"], department_id="root")
        )["list"][0]
        keys = ("departmentId", "organizationCode", "name", "code", "parentDepartmentId")
        assert {k: item[k] for k in keys} == {k: department[k] for k in keys}

    def test_leaf_has_no_children(self, client, organization, department):
        data = assert_ok(
            client.list_children_departments(
                organization_code=organization["organizationCode"], department_id=department["departmentId"]
            )
        )
        assert data == {"totalCount": 0, "list": []}

    def test_virtual_node_filters(self, client, organization, department):
        virtual = new_department(client, organization, is_virtual_node=True)

        def listed(**flags):
            data = client.list_children_departments(
                organization_code=organization["organizationCode"], department_id="root", **flags
            )
            return sorted(ids_of(assert_ok(data)["list"], "departmentId"))

        assert listed(exclude_virtual_node=True) == [department["departmentId"]]
        assert listed(only_virtual_node=True) == [virtual["departmentId"]]

    def test_unknown_department_is_not_found(self, client, organization):
        resp = client.list_children_departments(
            organization_code=organization["organizationCode"], department_id=UNKNOWN_DEPARTMENT_ID
        )
        assert_error(resp, 404, "部门不存在")


# ---------------------------------------------------------------------------- §4.12–4.13 members


class TestDepartmentMembers:
    def call(self, client, method, organization, department_id, user_ids):
        return getattr(client, method)(
            user_ids=user_ids, organization_code=organization["organizationCode"], department_id=department_id
        )

    def test_added_members_are_listed(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], *users)
        assert member_ids(client, organization, department["departmentId"]) == sorted(ids_of(users))
        assert get_department(client, organization, department["departmentId"])["membersCount"] == 2

    def test_adding_to_the_root_alias(self, client, organization, users):
        join_department(client, organization, "root", users[0])
        assert member_ids(client, organization, organization["departmentId"]) == [users[0]["userId"]]

    def test_adding_a_member_twice_is_ignored(self, client, organization, department, users):
        for _ in range(2):
            join_department(client, organization, department["departmentId"], users[0])
        assert member_ids(client, organization, department["departmentId"]) == [users[0]["userId"]]

    def test_adding_an_unknown_user_is_not_found_and_adds_nobody(self, client, organization, department, users):
        resp = self.call(
            client, "add_department_members", organization, department["departmentId"], [users[0]["userId"], "0" * 24]
        )
        assert_error(resp, 404, "用户不存在")
        assert member_ids(client, organization, department["departmentId"]) == []

    def test_removed_members_are_no_longer_listed(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], *users)
        resp = self.call(
            client, "remove_department_members", organization, department["departmentId"], [users[0]["userId"]]
        )
        assert_success_flag(resp)
        assert member_ids(client, organization, department["departmentId"]) == [users[1]["userId"]]

    def test_removing_a_non_member_is_ignored(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        resp = self.call(
            client, "remove_department_members", organization, department["departmentId"], [users[1]["userId"]]
        )
        assert_success_flag(resp)
        assert member_ids(client, organization, department["departmentId"]) == [users[0]["userId"]]

    @pytest.mark.parametrize("method", ["add_department_members", "remove_department_members"])
    @pytest.mark.parametrize("count", [0, 51], ids=["empty", "51-ids"])
    def test_rejects_a_bad_user_list(self, client, organization, department, users, method, count):
        join_department(client, organization, department["departmentId"], users[0])
        user_ids = [users[1]["userId"]] * count
        resp = self.call(client, method, organization, department["departmentId"], user_ids)
        assert_error(resp, 400, "参数 userIds 格式错误")
        assert member_ids(client, organization, department["departmentId"]) == [users[0]["userId"]]

    @pytest.mark.parametrize("method", ["add_department_members", "remove_department_members"])
    def test_unknown_department_is_not_found(self, client, organization, users, method):
        resp = self.call(client, method, organization, UNKNOWN_DEPARTMENT_ID, ids_of(users))
        assert_error(resp, 404, "部门不存在")
        assert user_department_ids(client, users[0]) == []

    def test_a_user_can_be_in_departments_of_several_organizations(self, client, organization, department, users):
        other_org = assert_ok(new_organization(client))
        other = new_department(client, other_org)
        join_department(client, organization, department["departmentId"], users[0])
        join_department(client, other_org, other["departmentId"], users[0])
        assert user_department_ids(client, users[0]) == sorted([department["departmentId"], other["departmentId"]])

    def test_deleted_user_leaves_the_department(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], *users)
        assert_success_flag(client.delete_users_batch(user_ids=[users[0]["userId"]]))
        assert member_ids(client, organization, department["departmentId"]) == [users[1]["userId"]]


# ---------------------------------------------------------------------------- §4.14–4.16 member listings


class TestListDepartmentMembers:
    def listing(self, client, organization, department_id, **params):
        return client.list_department_members(
            organization_code=organization["organizationCode"], department_id=department_id, **params
        )

    def test_lists_direct_members(self, client, organization, department, users):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        join_department(client, organization, department["departmentId"], users[0])
        join_department(client, organization, child["departmentId"], users[1])
        items = assert_page(assert_ok(self.listing(client, organization, department["departmentId"])), min_total=1)
        assert ids_of(items) == [users[0]["userId"]]

    def test_includes_descendants_when_asked(self, client, organization, department, users):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        join_department(client, organization, department["departmentId"], *users)
        join_department(client, organization, child["departmentId"], users[1])
        data = assert_ok(self.listing(client, organization, "root", include_children_departments=True))
        assert data["totalCount"] == 2
        assert sorted(ids_of(data["list"])) == sorted(ids_of(users))

    def test_items_are_user_dtos(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        item = assert_ok(self.listing(client, organization, department["departmentId"]))["list"][0]
        assert (item["userId"], item["email"], item["status"]) == (users[0]["userId"], users[0]["email"], "Activated")

    def test_newest_member_first_by_default(self, client, organization, department, users):
        for user in users:
            join_department(client, organization, department["departmentId"], user)
        items = assert_ok(self.listing(client, organization, department["departmentId"]))["list"]
        assert ids_of(items) == [users[1]["userId"], users[0]["userId"]]

    def test_order_by_asc(self, client, organization, department, users):
        for user in users:
            join_department(client, organization, department["departmentId"], user)
        data = self.listing(
            client, organization, department["departmentId"], sort_by="JoinDepartmentAt", order_by="Asc"
        )
        assert ids_of(assert_ok(data)["list"]) == ids_of(users)

    def test_paginates(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], *users)
        data = assert_ok(self.listing(client, organization, department["departmentId"], page=2, limit=1))
        assert (data["totalCount"], len(data["list"])) == (2, 1)

    def test_department_ids_when_asked(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        data = self.listing(client, organization, department["departmentId"], with_department_ids=True)
        assert assert_ok(data)["list"][0]["departmentIds"] == [department["departmentId"]]

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, organization, paging, field):
        assert_error(self.listing(client, organization, "root", **paging), 400, f"参数 {field} 格式错误")

    def test_unknown_department_is_not_found(self, client, organization):
        assert_error(self.listing(client, organization, UNKNOWN_DEPARTMENT_ID), 404, "部门不存在")


class TestListDepartmentMemberIds:
    def test_lists_direct_member_ids(self, client, organization, department, users):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        join_department(client, organization, department["departmentId"], users[0])
        join_department(client, organization, child["departmentId"], users[1])
        data = assert_ok(
            client.list_department_member_ids(
                organization_code=organization["organizationCode"], department_id=department["departmentId"]
            )
        )
        assert data == [users[0]["userId"]]

    def test_empty_department_has_no_ids(self, client, organization, department):
        assert member_ids(client, organization, department["departmentId"]) == []

    def test_unknown_department_is_not_found(self, client, organization):
        resp = client.list_department_member_ids(
            organization_code=organization["organizationCode"], department_id=UNKNOWN_DEPARTMENT_ID
        )
        assert_error(resp, 404, "部门不存在")


class TestSearchDepartmentMembers:
    @pytest.fixture
    def marker(self):
        return unique_code("Findme")

    def search(self, client, organization, department_id, keywords, **params):
        return client.search_department_members(
            organization_code=organization["organizationCode"], department_id=department_id, keywords=keywords, **params
        )

    def test_matches_the_name(self, client, organization, department, users, marker):
        named = new_user(client, name=f"Ann {marker}")
        join_department(client, organization, department["departmentId"], named, *users)
        data = assert_ok(self.search(client, organization, department["departmentId"], marker))
        assert ids_of(assert_page(data, min_total=1)) == [named["userId"]]

    def test_matches_the_email(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], *users)
        data = assert_ok(self.search(client, organization, department["departmentId"], users[1]["email"]))
        assert ids_of(data["list"]) == [users[1]["userId"]]

    def test_only_members_are_found(self, client, organization, department, marker):
        new_user(client, name=f"Outsider {marker}")
        data = assert_ok(self.search(client, organization, department["departmentId"], marker))
        assert data == {"totalCount": 0, "list": []}

    def test_includes_descendants_when_asked(self, client, organization, department, marker):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        named = new_user(client, name=f"Deep {marker}")
        join_department(client, organization, child["departmentId"], named)
        direct = assert_ok(self.search(client, organization, department["departmentId"], marker))
        assert direct["totalCount"] == 0
        deep = self.search(client, organization, department["departmentId"], marker, include_children_departments=True)
        assert ids_of(assert_ok(deep)["list"]) == [named["userId"]]

    def test_paginates(self, client, organization, department, marker):
        named = [new_user(client, name=f"{marker} {i}") for i in range(2)]
        join_department(client, organization, department["departmentId"], *named)
        data = assert_ok(self.search(client, organization, department["departmentId"], marker, page=2, limit=1))
        assert (data["totalCount"], len(data["list"])) == (2, 1)

    def test_rejects_empty_keywords(self, client, organization, department):
        resp = self.search(client, organization, department["departmentId"], "")
        assert_error(resp, 400, "参数 keywords 格式错误")

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, organization, paging, field):
        assert_error(self.search(client, organization, "root", "member", **paging), 400, f"参数 {field} 格式错误")

    def test_unknown_department_is_not_found(self, client, organization):
        assert_error(self.search(client, organization, UNKNOWN_DEPARTMENT_ID, "member"), 404, "部门不存在")


# ---------------------------------------------------------------------------- §4.17 search-departments


class TestSearchDepartments:
    def search(self, client, organization, keywords):
        return client.search_departments(keywords=keywords, organization_code=organization["organizationCode"])

    def test_matches_the_name(self, client, organization):
        marker = unique_code("Sales")
        found = new_department(client, organization, name=f"华东 {marker}")
        new_department(client, organization)
        data = assert_ok(self.search(client, organization, marker))
        assert isinstance(data, list)
        assert ids_of(data, "departmentId") == [found["departmentId"]]

    def test_matches_the_code(self, client, organization, department):
        data = assert_ok(self.search(client, organization, department["code"]))
        assert ids_of(data, "departmentId") == [department["departmentId"]]

    def test_stays_inside_the_organization(self, client, organization):
        marker = unique_code("shared")
        mine = new_department(client, organization, name=marker)
        new_department(client, assert_ok(new_organization(client)), name=marker)
        assert ids_of(assert_ok(self.search(client, organization, marker)), "departmentId") == [mine["departmentId"]]

    def test_no_match_is_an_empty_list(self, client, organization, department):
        assert assert_ok(self.search(client, organization, unique_code("nothing"))) == []

    def test_rejects_empty_keywords(self, client, organization):
        assert_error(self.search(client, organization, ""), 400, "参数 keywords 格式错误")


# ---------------------------------------------------------------------------- §4.18 get-parent-department


class TestGetParentDepartment:
    def parent(self, client, organization, department_id):
        return client.get_parent_department(
            organization_code=organization["organizationCode"], department_id=department_id
        )

    def test_parent_of_a_child_of_the_root_is_the_root(self, client, organization, department):
        data = assert_ok(self.parent(client, organization, department["departmentId"]))
        assert data["departmentId"] == organization["departmentId"]

    def test_parent_of_a_nested_department(self, client, organization, department):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        data = assert_ok(self.parent(client, organization, child["departmentId"]))
        assert (data["departmentId"], data["code"]) == (department["departmentId"], department["code"])

    @pytest.mark.parametrize("alias", [False, True], ids=["id", "root-alias"])
    def test_root_has_no_parent(self, client, organization, alias):
        resp = self.parent(client, organization, "root" if alias else organization["departmentId"])
        assert assert_ok(resp) is None

    def test_unknown_department_is_not_found(self, client, organization):
        assert_error(self.parent(client, organization, UNKNOWN_DEPARTMENT_ID), 404, "部门不存在")


# ---------------------------------------------------------------------------- §4.19 is-user-in-department


class TestIsUserInDepartment:
    def check(self, client, organization, department_id, user_id, **params):
        resp = client.is_user_in_department(
            user_id=user_id, organization_code=organization["organizationCode"], department_id=department_id, **params
        )
        return assert_ok(resp)

    def test_member_is_in_the_department(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        assert self.check(client, organization, department["departmentId"], users[0]["userId"]) == {
            "inDepartment": True
        }

    def test_non_member_is_not(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        assert self.check(client, organization, department["departmentId"], users[1]["userId"]) == {
            "inDepartment": False
        }

    def test_a_user_outside_the_pool_is_not(self, client, organization, department):
        assert self.check(client, organization, department["departmentId"], FOREIGN_USER_ID) == {
            "inDepartment": False
        }

    def test_descendants_count_only_when_asked(self, client, organization, department, users):
        child = new_department(client, organization, parent_department_id=department["departmentId"])
        join_department(client, organization, child["departmentId"], users[0])
        user_id = users[0]["userId"]
        assert self.check(client, organization, "root", user_id)["inDepartment"] is False
        assert self.check(client, organization, "root", user_id, include_children_departments=True)["inDepartment"]

    def test_removed_member_is_no_longer_in(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        resp = client.remove_department_members(
            user_ids=[users[0]["userId"]],
            organization_code=organization["organizationCode"],
            department_id=department["departmentId"],
        )
        assert_success_flag(resp)
        assert self.check(client, organization, department["departmentId"], users[0]["userId"])["inDepartment"] is False

    def test_unknown_department_is_not_found(self, client, organization, users):
        resp = client.is_user_in_department(
            user_id=users[0]["userId"],
            organization_code=organization["organizationCode"],
            department_id=UNKNOWN_DEPARTMENT_ID,
        )
        assert_error(resp, 404, "部门不存在")


# ---------------------------------------------------------------------------- §1.11 get-user-departments


class TestGetUserDepartments:
    def test_new_user_has_no_departments(self, client, users):
        data = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))
        assert data == {"totalCount": 0, "list": []}

    def test_lists_direct_memberships(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        items = assert_page(assert_ok(client.get_user_departments(user_id=users[0]["userId"])), min_total=1)
        assert len(items) == 1
        item = items[0]
        assert {k: item[k] for k in ("organizationCode", "departmentId", "name", "code", "description")} == {
            k: department[k] for k in ("organizationCode", "departmentId", "name", "code", "description")
        }
        assert (item["isRoot"], item["isLeader"], item["isVirtualNode"]) == (False, False, False)
        assert item["joinedAt"] and item["createdAt"]

    def test_root_membership_is_marked(self, client, organization, users):
        join_department(client, organization, "root", users[0])
        item = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"][0]
        assert (item["departmentId"], item["isRoot"]) == (organization["departmentId"], True)

    def test_first_department_is_the_main_one(self, client, organization, department, users):
        other = new_department(client, organization)
        join_department(client, organization, department["departmentId"], users[0])
        join_department(client, organization, other["departmentId"], users[0])
        items = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"]
        main = {i["departmentId"]: i["isMainDepartment"] for i in items}
        assert main == {department["departmentId"]: True, other["departmentId"]: False}

    def test_paths_only_when_asked(self, client, organization, department, users):
        child = new_department(client, organization, parent_department_id=department["departmentId"], code="leaf-x")
        join_department(client, organization, child["departmentId"], users[0])
        plain = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"][0]
        assert plain.get("departmentIdPath") is None
        item = assert_ok(client.get_user_departments(user_id=users[0]["userId"], with_department_paths=True))["list"][0]
        assert item["departmentIdPath"] == [
            organization["departmentId"],
            department["departmentId"],
            child["departmentId"],
        ]
        assert item["departmentCodePath"] == [organization["organizationCode"], department["code"], "leaf-x"]
        assert item["departmentNamePath"] == [organization["organizationName"], department["name"], child["name"]]

    def test_newest_membership_first_by_default(self, client, organization, department, users):
        other = new_department(client, organization)
        for d in (department, other):
            join_department(client, organization, d["departmentId"], users[0])
        items = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"]
        assert ids_of(items, "departmentId") == [other["departmentId"], department["departmentId"]]

    @pytest.mark.parametrize("sort_by", ["DepartmentName", "DepartmemtCode", "DepartmentCode"])
    def test_sorts_ascending(self, client, organization, users, sort_by):
        b = new_department(client, organization, name="b-" + unique_code("n"), code="b-" + unique_code("c"))
        a = new_department(client, organization, name="a-" + unique_code("n"), code="a-" + unique_code("c"))
        for d in (a, b):
            join_department(client, organization, d["departmentId"], users[0])
        resp = client.get_user_departments(user_id=users[0]["userId"], sort_by=sort_by, order_by="Asc")
        assert ids_of(assert_ok(resp)["list"], "departmentId") == [a["departmentId"], b["departmentId"]]

    def test_paginates(self, client, organization, department, users):
        other = new_department(client, organization)
        for d in (department, other):
            join_department(client, organization, d["departmentId"], users[0])
        data = assert_ok(client.get_user_departments(user_id=users[0]["userId"], page=2, limit=1))
        assert (data["totalCount"], len(data["list"])) == (2, 1)

    def test_by_email(self, client, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        data = assert_ok(client.get_user_departments(user_id=users[0]["email"], user_id_type="email"))
        assert ids_of(data["list"], "departmentId") == [department["departmentId"]]

    def test_rejects_an_empty_user_id(self, client):
        assert_error(client.get_user_departments(user_id=""), 400, "参数 userId 格式错误")

    @pytest.mark.parametrize("id_type", ["identity", "sync_relation", "custom_field"])
    def test_rejects_an_unsupported_user_id_type(self, client, users, id_type):
        resp = client.get_user_departments(user_id=users[0]["userId"], user_id_type=id_type)
        assert_error(resp, 400, "参数 userIdType 格式错误")

    @pytest.mark.parametrize("user_id", ["0" * 24, " ", LONG_CODE], ids=["random", "blank", "100-chars"])
    def test_unknown_user_is_not_found(self, client, user_id):
        assert_error(client.get_user_departments(user_id=user_id), 404, "用户不存在")


# ---------------------------------------------------------------------------- §1.12 set-user-departments


class TestSetUserDepartments:
    @pytest.fixture
    def departments(self, client, organization):
        return [new_department(client, organization) for _ in range(3)]

    def test_sets_the_departments(self, client, departments, users):
        assert_success_flag(set_departments(client, users[0], *departments[:2]))
        assert user_department_ids(client, users[0]) == sorted(ids_of(departments[:2], "departmentId"))

    def test_replaces_the_previous_departments(self, client, departments, users):
        assert_success_flag(set_departments(client, users[0], *departments[:2]))
        assert_success_flag(set_departments(client, users[0], *departments[1:]))
        assert user_department_ids(client, users[0]) == sorted(ids_of(departments[1:], "departmentId"))

    def test_memberships_are_visible_from_the_department(self, client, organization, departments, users):
        assert_success_flag(set_departments(client, users[0], departments[0]))
        assert member_ids(client, organization, departments[0]["departmentId"]) == [users[0]["userId"]]

    def test_first_entry_is_the_main_department(self, client, departments, users):
        assert_success_flag(set_departments(client, users[0], *departments[:2]))
        items = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"]
        main = {i["departmentId"]: i["isMainDepartment"] for i in items}
        assert main == {departments[0]["departmentId"]: True, departments[1]["departmentId"]: False}

    def test_first_entry_is_main_when_none_is_marked(self, client, departments, users):
        items = [{"departmentId": d["departmentId"], "isMainDepartment": False} for d in departments[:2]]
        assert_success_flag(client.set_user_departments(user_id=users[0]["userId"], departments=items))
        listed = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"]
        main = {i["departmentId"]: i["isMainDepartment"] for i in listed}
        assert main == {departments[0]["departmentId"]: True, departments[1]["departmentId"]: False}

    def test_flags_are_stored(self, client, departments, users):
        items = [
            {"departmentId": departments[0]["departmentId"], "isLeader": True},
            {"departmentId": departments[1]["departmentId"], "isMainDepartment": True},
        ]
        assert_success_flag(client.set_user_departments(user_id=users[0]["userId"], departments=items))
        listed = assert_ok(client.get_user_departments(user_id=users[0]["userId"]))["list"]
        flags = {i["departmentId"]: (i["isLeader"], i["isMainDepartment"]) for i in listed}
        assert flags == {
            departments[0]["departmentId"]: (True, False),
            departments[1]["departmentId"]: (False, True),
        }

    def test_departments_of_several_organizations(self, client, departments, users):
        elsewhere = new_department(client, assert_ok(new_organization(client)))
        assert_success_flag(set_departments(client, users[0], departments[0], elsewhere))
        expected = sorted([departments[0]["departmentId"], elsewhere["departmentId"]])
        assert user_department_ids(client, users[0]) == expected

    def test_user_by_email(self, client, departments, users):
        resp = client.set_user_departments(
            user_id=users[0]["email"],
            departments=[{"departmentId": departments[0]["departmentId"]}],
            options={"userIdType": "email"},
        )
        assert_success_flag(resp)
        assert user_department_ids(client, users[0]) == [departments[0]["departmentId"]]

    @pytest.mark.parametrize("id_type", ["identity", "sync_relation", "custom_field"])
    def test_rejects_an_unsupported_user_id_type(self, client, departments, users, id_type):
        resp = set_departments(client, users[0], departments[0], options={"userIdType": id_type})
        assert_error(resp, 400, "参数 userIdType 格式错误")
        assert user_department_ids(client, users[0]) == []

    def test_rejects_an_empty_list(self, client, departments, users):
        assert_success_flag(set_departments(client, users[0], departments[0]))
        assert_error(set_departments(client, users[0]), 400, "参数 departments 格式错误")
        assert user_department_ids(client, users[0]) == [departments[0]["departmentId"]]

    def test_rejects_more_than_50(self, client, departments, users):
        assert_success_flag(set_departments(client, users[0], departments[0]))
        items = [{"departmentId": UNKNOWN_DEPARTMENT_ID}] * 51
        resp = client.set_user_departments(user_id=users[0]["userId"], departments=items)
        assert_error(resp, 400, "参数 departments 格式错误")
        assert user_department_ids(client, users[0]) == [departments[0]["departmentId"]]

    def test_rejects_two_main_departments(self, client, departments, users):
        assert_success_flag(set_departments(client, users[0], departments[0]))
        items = [{"departmentId": d["departmentId"], "isMainDepartment": True} for d in departments[1:]]
        assert_error_status(client.set_user_departments(user_id=users[0]["userId"], departments=items), 400)
        assert user_department_ids(client, users[0]) == [departments[0]["departmentId"]]

    @pytest.mark.parametrize(
        "department_id", [UNKNOWN_DEPARTMENT_ID, "", " ", LONG_CODE], ids=["random", "empty", "blank", "100-chars"]
    )
    def test_unknown_department_changes_nothing(self, client, departments, users, department_id):
        assert_success_flag(set_departments(client, users[0], departments[0]))
        items = [{"departmentId": departments[1]["departmentId"]}, {"departmentId": department_id}]
        resp = client.set_user_departments(user_id=users[0]["userId"], departments=items)
        assert_error(resp, 404, f"存在不合法的 departmentId: {department_id}")
        assert user_department_ids(client, users[0]) == [departments[0]["departmentId"]]

    def test_unknown_user_is_not_found(self, client, organization, departments):
        items = [{"departmentId": departments[0]["departmentId"]}]
        assert_error(client.set_user_departments(user_id="0" * 24, departments=items), 404, "用户不存在")
        assert member_ids(client, organization, departments[0]["departmentId"]) == []


# ---------------------------------------------------------------------------- §2.12 list-role-departments
# A role/ endpoint, but listed among the department/ rows of README §9.


class TestListRoleDepartments:
    @pytest.fixture
    def role(self, client):
        return assert_ok(client.create_role(code=unique_code("role")))

    def assign(self, client, role, *departments):
        targets = [{"targetType": "DEPARTMENT", "targetIdentifier": d["departmentId"]} for d in departments]
        assert_success_flag(client.assign_role(code=role["code"], targets=targets))

    def test_lists_the_assigned_departments(self, client, role, department):
        self.assign(client, role, department)
        items = assert_page(assert_ok(client.list_role_departments(code=role["code"])), min_total=1)
        assert [(i["id"], i["code"], i["name"], i["description"]) for i in items] == [
            (department["departmentId"], department["code"], department["name"], department["description"])
        ]

    def test_paginates(self, client, organization, role, department):
        self.assign(client, role, department, new_department(client, organization))
        data = assert_ok(client.list_role_departments(code=role["code"], page=2, limit=1))
        assert (data["totalCount"], len(data["list"])) == (2, 1)

    def test_role_without_departments_has_none(self, client, role):
        assert assert_ok(client.list_role_departments(code=role["code"])) == {"totalCount": 0, "list": []}

    @pytest.mark.parametrize("code", [unique_code("missing"), " "], ids=["random", "blank"])
    def test_unknown_role_is_not_found(self, client, code):
        assert_error(client.list_role_departments(code=code), 404, "角色不存在")

    @pytest.mark.parametrize("code", ["", LONG_CODE], ids=["empty", "100-chars"])
    def test_rejects_an_empty_or_too_long_code(self, client, code):
        assert_error(client.list_role_departments(code=code), 400, "参数 code 格式错误")


# ---------------------------------------------------------------------------- pool isolation


class TestDepartmentPoolIsolation:
    @pytest.fixture
    def pool2(self, authing_pool2_client):
        return authing_pool2_client

    def test_department_of_pool1_is_not_found_from_pool2(self, pool2, department):
        assert_error(pool2.get_department(department_id=department["departmentId"]), 404, "部门不存在")

    def test_seed_organization_is_unknown_to_department_endpoints_of_pool2(self, pool2, seed):
        code = seed.organization_code
        resp = pool2.get_department(organization_code=code, department_id="root")
        assert_error(resp, 404, organization_not_found(code))
        resp = pool2.create_department(organization_code=code, name="x", parent_department_id="root", metadata=None)
        assert_error(resp, 404, organization_not_found(code))

    def test_pool2_cannot_delete_a_department_of_pool1(self, client, pool2, organization, department):
        code = organization["organizationCode"]
        resp = pool2.delete_department(organization_code=code, department_id=department["departmentId"])
        assert_error(resp, 404, organization_not_found(code))
        assert department_exists(client, department["departmentId"])

    def test_user_of_pool2_cannot_join_a_department_of_pool1(self, client, pool2, organization, department):
        outsider = new_user(pool2)
        resp = client.add_department_members(
            user_ids=[outsider["userId"]],
            organization_code=organization["organizationCode"],
            department_id=department["departmentId"],
        )
        assert_error(resp, 404, "用户不存在")
        assert member_ids(client, organization, department["departmentId"]) == []

    def test_user_of_pool2_is_not_in_a_department_of_pool1(self, client, pool2, organization, department):
        outsider = new_user(pool2)
        resp = client.is_user_in_department(
            user_id=outsider["userId"],
            organization_code=organization["organizationCode"],
            department_id=department["departmentId"],
        )
        assert assert_ok(resp) == {"inDepartment": False}

    def test_pool2_cannot_set_a_department_of_pool1(self, pool2, department):
        user = new_user(pool2)
        resp = set_departments(pool2, user, department)
        assert_error(resp, 404, f"存在不合法的 departmentId: {department['departmentId']}")
        assert user_department_ids(pool2, user) == []

    def test_pool2_does_not_see_the_departments_of_a_pool1_user(self, client, pool2, organization, department, users):
        join_department(client, organization, department["departmentId"], users[0])
        assert_error(pool2.get_user_departments(user_id=users[0]["userId"]), 404, "用户不存在")

    def test_same_organization_and_department_codes_in_both_pools(self, client, pool2, organization, department):
        mirror_org = assert_ok(new_organization(pool2, organization_code=organization["organizationCode"]))
        mirror = new_department(pool2, mirror_org, code=department["code"], name="pool 2")
        assert mirror["departmentId"] != department["departmentId"]
        for c, expected in ((client, department), (pool2, mirror)):
            found = assert_ok(
                c.get_department(organization_code=organization["organizationCode"], department_code=department["code"])
            )
            assert (found["departmentId"], found["name"]) == (expected["departmentId"], expected["name"])
        found = assert_ok(
            pool2.search_departments(keywords=department["code"], organization_code=organization["organizationCode"])
        )
        assert ids_of(found, "departmentId") == [mirror["departmentId"]]
