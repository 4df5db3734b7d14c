"""Organizations: principals.md §4.1–4.6 and the organizations/ rows of README §9.

genauth 5.1.0 has only the read methods (list_organizations, get_organization; README §10):
those tests take `client` and run with both packages; everything else uses `authing_client`.
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
    assert_error_contains,
    assert_ok,
    assert_page,
    assert_success_flag,
    codes_of,
    join_department,
    new_department,
    new_organization,
    new_user,
    organization_not_found,
    unique_code,
)


@pytest.fixture
def organization(authing_client):
    """A fresh organization (only its root department)."""
    return assert_ok(new_organization(authing_client))


def organization_codes(client) -> list:
    """Codes of every organization of the client's pool."""
    data = assert_ok(client.list_organizations(fetch_all=True))
    return codes_of(assert_page(data), "organizationCode")


def get_organization(client, code):
    return assert_ok(client.get_organization(organization_code=code))


# ---------------------------------------------------------------------------- §4.1 create-organization


class TestCreateOrganization:
    def test_echoes_code_and_name(self, authing_client):
        code = unique_code("org")
        data = assert_ok(
            authing_client.create_organization(metadata=None, organization_code=code, organization_name="组织")
        )
        assert (data["organizationCode"], data["organizationName"]) == (code, "组织")

    def test_returns_a_root_department_without_children_or_members(self, organization):
        assert organization["departmentId"]
        assert (organization["hasChildren"], organization["membersCount"], organization["isVirtualNode"]) == (
            False,
            0,
            False,
        )

    def test_echoes_description_and_open_department_id(self, authing_client):
        open_id = unique_code("open")
        data = assert_ok(new_organization(authing_client, description="about", open_department_id=open_id))
        assert (data["description"], data["openDepartmentId"]) == ("about", open_id)

    def test_metadata_is_ignored(self, authing_client):
        assert assert_ok(new_organization(authing_client, metadata={"any": "thing"}))["organizationCode"]

    def test_root_department_carries_the_organization_name_and_code(self, authing_client, organization):
        root = assert_ok(
            authing_client.get_department(
                organization_code=organization["organizationCode"], department_id=organization["departmentId"]
            )
        )
        assert (root["name"], root["code"], root["parentDepartmentId"]) == (
            organization["organizationName"],
            organization["organizationCode"],
            None,
        )

    def test_open_department_id_names_the_root_department(self, authing_client):
        open_id = unique_code("open")
        org = assert_ok(new_organization(authing_client, open_department_id=open_id))
        resp = authing_client.get_department(
            organization_code=org["organizationCode"], department_id=open_id, department_id_type="open_department_id"
        )
        assert assert_ok(resp)["departmentId"] == org["departmentId"]

    def test_code_of_a_deleted_organization_can_be_reused(self, authing_client, organization):
        code = organization["organizationCode"]
        assert_success_flag(authing_client.delete_organization(organization_code=code))
        again = assert_ok(new_organization(authing_client, organization_code=code))
        assert again["departmentId"] != organization["departmentId"]

    def test_root_alias_names_the_root_department(self, authing_client, organization):
        root = assert_ok(
            authing_client.get_department(organization_code=organization["organizationCode"], department_id="root")
        )
        assert root["departmentId"] == organization["departmentId"]

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_invalid_characters(self, authing_client, code):
        before = organization_codes(authing_client)
        resp = new_organization(authing_client, organization_code=code)
        assert_error(resp, 400, f"invalid organization code: {code}")
        assert organization_codes(authing_client) == before

    def test_rejects_a_too_long_code(self, authing_client):
        before = organization_codes(authing_client)
        resp = new_organization(authing_client, organization_code=LONG_CODE)
        assert_error(resp, 400, "参数 organizationCode 格式错误")
        assert organization_codes(authing_client) == before

    def test_empty_code_generates_one(self, authing_client):
        data = assert_ok(new_organization(authing_client, organization_code=""))
        assert data["organizationCode"]
        assert get_organization(authing_client, data["organizationCode"])["departmentId"] == data["departmentId"]

    def test_rejects_a_missing_name(self, authing_client):
        code = unique_code("org")
        resp = new_organization(authing_client, organization_code=code, organization_name=None)
        assert_error(resp, 400, "参数 organizationName 格式错误")
        assert code not in organization_codes(authing_client)

    def test_rejects_an_existing_code(self, authing_client, organization):
        code = organization["organizationCode"]
        resp = new_organization(authing_client, organization_code=code, organization_name="x")
        assert_error(resp, 409, "组织机构已存在")
        found = get_organization(authing_client, organization["organizationCode"])
        assert (found["organizationName"], found["departmentId"]) == (
            organization["organizationName"],
            organization["departmentId"],
        )


# ---------------------------------------------------------------------------- §4.2 update-organization


class TestUpdateOrganization:
    def test_renames_the_code(self, authing_client, organization):
        old, new = organization["organizationCode"], unique_code("org-new")
        data = assert_ok(authing_client.update_organization(organization_code=old, organization_new_code=new))
        assert (data["organizationCode"], data["departmentId"]) == (new, organization["departmentId"])
        assert_error(authing_client.get_organization(organization_code=old), 404, organization_not_found(old))
        assert get_organization(authing_client, new)["departmentId"] == organization["departmentId"]

    def test_renaming_to_the_same_code_changes_nothing(self, authing_client, organization):
        code = organization["organizationCode"]
        data = assert_ok(authing_client.update_organization(organization_code=code, organization_new_code=code))
        assert (data["organizationCode"], data["departmentId"]) == (code, organization["departmentId"])

    def test_updates_name_and_description(self, authing_client, organization):
        code = organization["organizationCode"]
        data = assert_ok(
            authing_client.update_organization(organization_code=code, organization_name="新名", description="d")
        )
        assert (data["organizationCode"], data["organizationName"], data["description"]) == (code, "新名", "d")
        found = get_organization(authing_client, code)
        assert (found["organizationName"], found["description"]) == ("新名", "d")

    def test_sets_leaders(self, authing_client, organization):
        user = new_user(authing_client)
        resp = authing_client.update_organization(
            organization_code=organization["organizationCode"], leader_user_ids=[user["userId"]]
        )
        assert assert_ok(resp)["leaderUserIds"] == [user["userId"]]

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_an_invalid_new_code(self, authing_client, organization, code):
        resp = authing_client.update_organization(
            organization_code=organization["organizationCode"], organization_new_code=code
        )
        assert_error(resp, 400, f"invalid organization code: {code}")
        assert get_organization(authing_client, organization["organizationCode"])["departmentId"]

    def test_empty_new_code_keeps_the_code(self, authing_client, organization):
        code = organization["organizationCode"]
        data = assert_ok(authing_client.update_organization(organization_code=code, organization_new_code=""))
        assert data["organizationCode"] == code
        assert get_organization(authing_client, code)["organizationCode"] == code

    def test_rejects_a_too_long_new_code(self, authing_client, organization):
        code = organization["organizationCode"]
        resp = authing_client.update_organization(organization_code=code, organization_new_code=LONG_CODE)
        assert_error(resp, 400, "参数 organizationNewCode 格式错误")
        assert get_organization(authing_client, code)["organizationCode"] == code

    def test_unknown_organization_is_organization_not_found(self, authing_client):
        code = unique_code("missing")
        resp = authing_client.update_organization(organization_code=code, organization_name="x")
        assert_error(resp, 404, organization_not_found(code))
        assert code not in organization_codes(authing_client)

    def test_rejects_a_new_code_already_in_use(self, authing_client, organization):
        other = assert_ok(new_organization(authing_client))
        resp = authing_client.update_organization(
            organization_code=organization["organizationCode"], organization_new_code=other["organizationCode"]
        )
        assert_error(resp, 409, "组织机构已存在")
        assert get_organization(authing_client, other["organizationCode"])["departmentId"] == other["departmentId"]
        assert (
            get_organization(authing_client, organization["organizationCode"])["departmentId"]
            == organization["departmentId"]
        )

    def test_departments_follow_a_renamed_organization(self, authing_client, organization):
        department = new_department(authing_client, organization)
        new = unique_code("org-new")
        resp = authing_client.update_organization(
            organization_code=organization["organizationCode"], organization_new_code=new
        )
        assert_ok(resp)
        found = assert_ok(
            authing_client.get_department(organization_code=new, department_id=department["departmentId"])
        )
        assert found["organizationCode"] == new


# ---------------------------------------------------------------------------- §4.3 delete-organization


class TestDeleteOrganization:
    def test_deletes_the_organization(self, authing_client, organization):
        code = organization["organizationCode"]
        assert_success_flag(authing_client.delete_organization(organization_code=code))
        assert_error(authing_client.get_organization(organization_code=code), 404, organization_not_found(code))
        assert code not in organization_codes(authing_client)

    def test_deletes_the_department_tree(self, authing_client, organization):
        child = new_department(authing_client, organization)
        grandchild = new_department(authing_client, organization, parent_department_id=child["departmentId"])
        assert_success_flag(authing_client.delete_organization(organization_code=organization["organizationCode"]))
        for department_id in (organization["departmentId"], child["departmentId"], grandchild["departmentId"]):
            assert_error(authing_client.get_department(department_id=department_id), 404, "部门不存在")

    def test_removes_the_memberships(self, authing_client, organization):
        user = new_user(authing_client)
        child = new_department(authing_client, organization)
        join_department(authing_client, organization, child["departmentId"], user)
        assert_success_flag(authing_client.delete_organization(organization_code=organization["organizationCode"]))
        assert assert_ok(authing_client.get_user_departments(user_id=user["userId"]))["totalCount"] == 0

    def test_removes_department_role_assignments(self, authing_client, organization):
        child = new_department(authing_client, organization)
        role = assert_ok(authing_client.create_role(code=unique_code("role")))
        targets = [{"targetType": "DEPARTMENT", "targetIdentifier": child["departmentId"]}]
        assert_success_flag(authing_client.assign_role(code=role["code"], targets=targets))
        assert assert_ok(authing_client.list_role_departments(code=role["code"]))["totalCount"] == 1
        assert_success_flag(authing_client.delete_organization(organization_code=organization["organizationCode"]))
        assert assert_ok(authing_client.list_role_departments(code=role["code"]))["totalCount"] == 0

    def test_removes_department_grants(self, authing_client, organization):
        child = new_department(authing_client, organization)
        resource = unique_code("res")
        item = {
            "targetType": "DEPARTMENT",
            "targetIdentifiers": [child["departmentId"]],
            "resources": [{"code": resource, "actions": ["read"], "resourceType": "DATA"}],
        }
        assert_success_flag(authing_client.authorize_resources(list=[item], namespace="default"))
        granted = authing_client.get_resource_authorized_targets(resource=resource, namespace="default")
        assert assert_ok(granted)["totalCount"] == 1
        assert_success_flag(authing_client.delete_organization(organization_code=organization["organizationCode"]))
        granted = authing_client.get_resource_authorized_targets(resource=resource, namespace="default")
        assert assert_ok(granted)["totalCount"] == 0

    def test_rejects_an_empty_code(self, authing_client):
        before = organization_codes(authing_client)
        resp = authing_client.delete_organization(organization_code="")
        assert_error(resp, 400, "参数 organizationCode 格式错误")
        assert organization_codes(authing_client) == before

    def test_unknown_code_is_organization_not_found(self, authing_client):
        before = organization_codes(authing_client)
        code = unique_code("missing")
        # The SDK spec only checks that the message contains the text; the contract gives it whole.
        resp = authing_client.delete_organization(organization_code=code)
        assert_error_contains(resp, 404, "organization not found for code")
        assert_error(resp, 404, organization_not_found(code))
        assert organization_codes(authing_client) == before


# ---------------------------------------------------------------------------- §4.4 list-organizations


class TestListOrganizations:
    def test_works_without_arguments(self, client, organization):
        assert_page(assert_ok(client.list_organizations()), min_total=1)

    def test_lists_the_newest_first(self, client, organization):
        items = assert_page(assert_ok(client.list_organizations(page=1, limit=1)), min_total=1)
        assert codes_of(items, "organizationCode") == [organization["organizationCode"]]

    def test_pages_through_the_organizations(self, client, authing_client):
        older = assert_ok(new_organization(authing_client))
        newer = assert_ok(new_organization(authing_client))
        for page, expected in ((1, newer), (2, older)):
            data = assert_ok(client.list_organizations(page=page, limit=1))
            assert codes_of(data["list"], "organizationCode") == [expected["organizationCode"]]

    def test_fetch_all_returns_every_organization(self, client, organization, seed):
        data = assert_ok(client.list_organizations(fetch_all=True, limit=1))
        items = assert_page(data, min_total=2)
        assert len(items) == data["totalCount"]
        assert {organization["organizationCode"], seed.organization_code} <= set(codes_of(items, "organizationCode"))

    def test_items_are_organization_dtos(self, client, organization):
        item = assert_ok(client.list_organizations(page=1, limit=1))["list"][0]
        expected = {key: organization[key] for key in ("organizationCode", "organizationName", "departmentId")}
        assert {key: item[key] for key in expected} == expected
        assert (item["hasChildren"], item["membersCount"], item["isVirtualNode"]) == (False, 0, False)

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, paging, field):
        assert_error(client.list_organizations(**paging), 400, f"参数 {field} 格式错误")


# ---------------------------------------------------------------------------- §4.5 get-organization


class TestGetOrganization:
    def test_returns_the_organization(self, client, authing_client):
        created = assert_ok(new_organization(authing_client, description="about"))
        data = get_organization(client, created["organizationCode"])
        keys = ("organizationCode", "organizationName", "description", "departmentId", "hasChildren", "membersCount")
        assert {k: data[k] for k in keys} == {k: created[k] for k in keys}

    def test_returns_the_seed_organization(self, client, seed):
        data = get_organization(client, seed.organization_code)
        assert data["organizationName"] == seed.organization_name

    def test_unknown_code_is_organization_not_found(self, client):
        code = unique_code("missing")
        assert_error(client.get_organization(organization_code=code), 404, organization_not_found(code))

    def test_has_children_once_a_department_exists(self, client, authing_client, organization):
        new_department(authing_client, organization)
        assert get_organization(client, organization["organizationCode"])["hasChildren"] is True

    def test_members_count_counts_distinct_users_of_the_whole_tree(self, client, authing_client, organization):
        child = new_department(authing_client, organization)
        grandchild = new_department(authing_client, organization, parent_department_id=child["departmentId"])
        one, two = new_user(authing_client), new_user(authing_client)
        join_department(authing_client, organization, organization["departmentId"], one)
        join_department(authing_client, organization, child["departmentId"], one, two)
        join_department(authing_client, organization, grandchild["departmentId"], two)
        assert get_organization(client, organization["organizationCode"])["membersCount"] == 2


# ---------------------------------------------------------------------------- §4.6 search-organizations


class TestSearchOrganizations:
    def test_finds_the_seed_organization_by_name(self, authing_client, seed):
        items = assert_page(assert_ok(authing_client.search_organizations(keywords="root 用户池")), min_total=1)
        assert seed.organization_code in codes_of(items, "organizationCode")

    def test_matches_part_of_the_name(self, authing_client):
        marker = unique_code("Marker")
        created = assert_ok(new_organization(authing_client, organization_name=f"组织 {marker} 名称"))
        items = assert_page(assert_ok(authing_client.search_organizations(keywords=marker)), min_total=1)
        assert codes_of(items, "organizationCode") == [created["organizationCode"]]

    def test_matches_part_of_the_code(self, authing_client, organization):
        keywords = organization["organizationCode"][4:]
        items = assert_page(assert_ok(authing_client.search_organizations(keywords=keywords)), min_total=1)
        assert codes_of(items, "organizationCode") == [organization["organizationCode"]]

    def test_ignores_case(self, authing_client, organization):
        resp = authing_client.search_organizations(keywords=organization["organizationCode"].upper())
        assert codes_of(assert_ok(resp)["list"], "organizationCode") == [organization["organizationCode"]]

    def test_no_match_is_an_empty_page(self, authing_client):
        data = assert_ok(authing_client.search_organizations(keywords=unique_code("nothing")))
        assert data == {"totalCount": 0, "list": []}

    def test_pages_the_matches(self, authing_client):
        marker = unique_code("paged")
        older, _newer = (assert_ok(new_organization(authing_client, organization_name=marker)) for _ in range(2))
        data = assert_ok(authing_client.search_organizations(keywords=marker, page=2, limit=1))
        assert data["totalCount"] == 2
        assert codes_of(data["list"], "organizationCode") == [older["organizationCode"]]

    def test_rejects_empty_keywords(self, authing_client):
        assert_error(authing_client.search_organizations(keywords=""), 400, "参数 keywords 格式错误")

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, authing_client, seed, paging, field):
        resp = authing_client.search_organizations(keywords="root 用户池", **paging)
        assert_error(resp, 400, f"参数 {field} 格式错误")


# ---------------------------------------------------------------------------- pool isolation


class TestOrganizationPoolIsolation:
    def test_organization_of_pool1_is_not_found_from_pool2(self, pool2_client, organization):
        code = organization["organizationCode"]
        assert_error(pool2_client.get_organization(organization_code=code), 404, organization_not_found(code))

    def test_seed_organization_does_not_exist_in_pool2(self, pool2_client, seed):
        code = seed.organization_code
        assert_error(pool2_client.get_organization(organization_code=code), 404, organization_not_found(code))

    def test_organizations_of_pool1_are_not_listed_in_pool2(self, client, pool2_client, organization):
        assert not set(organization_codes(client)) & set(organization_codes(pool2_client))

    def test_search_in_pool2_does_not_find_pool1_organizations(self, authing_pool2_client, organization, seed):
        for keywords in (organization["organizationCode"], "root 用户池"):
            assert assert_ok(authing_pool2_client.search_organizations(keywords=keywords))["totalCount"] == 0

    def test_same_code_can_be_created_in_both_pools(self, authing_client, authing_pool2_client, organization):
        code = organization["organizationCode"]
        other = assert_ok(new_organization(authing_pool2_client, organization_code=code, organization_name="two"))
        assert other["departmentId"] != organization["departmentId"]
        assert get_organization(authing_client, code)["organizationName"] == organization["organizationName"]
        assert get_organization(authing_pool2_client, code)["organizationName"] == "two"

    def test_pool2_cannot_update_an_organization_of_pool1(self, authing_client, authing_pool2_client, organization):
        code = organization["organizationCode"]
        resp = authing_pool2_client.update_organization(organization_code=code, organization_name="hijacked")
        assert_error(resp, 404, organization_not_found(code))
        assert get_organization(authing_client, code)["organizationName"] == organization["organizationName"]

    def test_pool2_cannot_delete_an_organization_of_pool1(self, authing_client, authing_pool2_client, organization):
        code = organization["organizationCode"]
        resp = authing_pool2_client.delete_organization(organization_code=code)
        assert_error(resp, 404, organization_not_found(code))
        assert get_organization(authing_client, code)["departmentId"] == organization["departmentId"]
