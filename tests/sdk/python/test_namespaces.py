"""Namespaces ("permission groups"): resources.md §12–20 and README §8–9."""

from __future__ import annotations

import pytest

from helpers import (
    BAD_CHAR_CODE,
    BLANK_CODE,
    INVALID_CODE_IDS,
    INVALID_CODES,
    LONG_CODE,
    assert_error,
    assert_ok,
    assert_page,
    assert_success_flag,
    codes_of,
    unique_code,
)

# Bad inputs that the SDK specs check, with the id they get in test names.
EMPTY_AND_LONG = ["", LONG_CODE]
EMPTY_AND_LONG_IDS = ["empty", "100-chars"]
ANY_BAD_CODE = [BAD_CHAR_CODE, "", BLANK_CODE, LONG_CODE]
ANY_BAD_CODE_IDS = ["non-ascii", "empty", "blank", "100-chars"]


@pytest.fixture
def namespace(client):
    """A fresh namespace {code, name, description}."""
    code = unique_code("ns")
    return assert_ok(client.create_namespace(code=code, name=f"name of {code}", description="fixture namespace"))


def namespace_exists(client, code: str) -> bool:
    resp = client.get_namespace(code=code)
    if resp.get("statusCode") == 404:
        return False
    assert_ok(resp)
    return True


# ---------------------------------------------------------------------------- §12 create-namespace


class TestCreateNamespace:
    def test_echoes_code_name_and_description(self, client):
        code = unique_code("ns")
        data = assert_ok(client.create_namespace(code=code, name="权限分组名字", description="desc"))
        assert (data["code"], data["name"], data["description"]) == (code, "权限分组名字", "desc")

    def test_created_namespace_can_be_read_back(self, client):
        code = unique_code("ns")
        assert_ok(client.create_namespace(code=code, name="readable"))
        data = assert_ok(client.get_namespace(code=code))
        assert (data["code"], data["name"]) == (code, "readable")

    def test_name_defaults_to_the_code(self, client):
        code = unique_code("ns")
        assert assert_ok(client.create_namespace(code=code))["name"] == code

    def test_accepts_a_code_of_64_characters(self, client):
        code = unique_code("ns").ljust(64, "x")
        assert assert_ok(client.create_namespace(code=code))["code"] == code

    def test_accepts_letters_digits_dash_and_underscore(self, client):
        code = unique_code("Ns_09").replace("-", "_") + "-Z"
        assert assert_ok(client.create_namespace(code=code))["code"] == code

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_invalid_characters(self, client, code):
        assert_error(client.create_namespace(code=code, name="x"), 400, f"invalid namespace code: {code}")

    @pytest.mark.parametrize("code", EMPTY_AND_LONG, ids=EMPTY_AND_LONG_IDS)
    def test_rejects_empty_or_too_long_code(self, client, code):
        assert_error(client.create_namespace(code=code, name="x"), 400, "参数 code 格式错误")

    def test_rejects_a_code_of_65_characters(self, client):
        assert_error(client.create_namespace(code="n" * 65), 400, "参数 code 格式错误")

    def test_rejects_a_duplicate_code(self, client, namespace):
        assert_error(client.create_namespace(code=namespace["code"]), 409, "权限分组已存在")

    def test_rejects_the_default_code_which_always_exists(self, client):
        assert_error(client.create_namespace(code="default"), 409, "权限分组已存在")


# ---------------------------------------------------------------------------- §13 create-namespaces-batch


class TestCreateNamespacesBatch:
    def test_creates_every_item(self, client):
        codes = [unique_code("nsb"), unique_code("nsb")]
        assert_success_flag(client.create_namespaces_batch(list=[{"code": c, "name": f"n-{c}"} for c in codes]))
        found = assert_ok(client.get_namespaces_batch(code_list=codes))
        assert [(ns["code"], ns["name"]) for ns in found] == [(c, f"n-{c}") for c in codes]

    @pytest.mark.parametrize("code", [BAD_CHAR_CODE, BLANK_CODE, LONG_CODE], ids=["non-ascii", "blank", "100-chars"])
    def test_rejects_an_invalid_item_code(self, client, code):
        resp = client.create_namespaces_batch(list=[{"code": code, "name": "x"}])
        assert_error(resp, 400, f"invalid namespace code: {code}")

    def test_rejects_an_empty_item_code_with_the_name_message(self, client):
        resp = client.create_namespaces_batch(list=[{"code": "", "name": "x"}])
        assert_error(resp, 400, "namespace name must not be empty")

    def test_rejects_an_empty_list(self, client):
        assert_error(client.create_namespaces_batch(list=[]), 400, "参数 list 格式错误")

    def test_rejects_more_than_50_items(self, client):
        items = [{"code": unique_code("nsb")} for _ in range(51)]
        assert_error(client.create_namespaces_batch(list=items), 400, "参数 list 格式错误")
        assert not namespace_exists(client, items[0]["code"])

    def test_rejects_an_existing_code_and_creates_nothing(self, client, namespace):
        fresh = unique_code("nsb")
        resp = client.create_namespaces_batch(list=[{"code": fresh}, {"code": namespace["code"]}])
        assert_error(resp, 409, "权限分组已存在")
        assert not namespace_exists(client, fresh)

    def test_rejects_a_code_repeated_inside_the_batch(self, client):
        code = unique_code("nsb")
        assert_error(client.create_namespaces_batch(list=[{"code": code}, {"code": code}]), 409, "权限分组已存在")
        assert not namespace_exists(client, code)

    def test_invalid_item_creates_nothing(self, client):
        fresh = unique_code("nsb")
        resp = client.create_namespaces_batch(list=[{"code": fresh}, {"code": BAD_CHAR_CODE}])
        assert_error(resp, 400, f"invalid namespace code: {BAD_CHAR_CODE}")
        assert not namespace_exists(client, fresh)


# ---------------------------------------------------------------------------- §14 get-namespace


class TestGetNamespace:
    def test_returns_code_name_and_description(self, client, namespace):
        data = assert_ok(client.get_namespace(code=namespace["code"]))
        assert (data["code"], data["name"], data["description"]) == (
            namespace["code"],
            namespace["name"],
            "fixture namespace",
        )

    def test_default_namespace_exists_from_the_start(self, client):
        assert assert_ok(client.get_namespace(code="default"))["code"] == "default"

    def test_default_namespace_exists_in_a_pool_created_by_the_cli(self, pool2_client):
        assert assert_ok(pool2_client.get_namespace(code="default"))["code"] == "default"

    def test_unknown_code_is_not_found(self, client):
        assert_error(client.get_namespace(code=unique_code("missing")), 404, "namespace not exists")

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_invalid_code_is_not_found(self, client, code):
        assert_error(client.get_namespace(code=code), 404, "namespace not exists")

    @pytest.mark.parametrize("code", EMPTY_AND_LONG, ids=EMPTY_AND_LONG_IDS)
    def test_rejects_empty_or_too_long_code(self, client, code):
        assert_error(client.get_namespace(code=code), 400, "参数 code 格式错误")

    def test_lookup_is_case_sensitive(self, client, namespace):
        assert_error(client.get_namespace(code=namespace["code"].upper()), 404, "namespace not exists")


# ---------------------------------------------------------------------------- §15 get-namespaces-batch


class TestGetNamespacesBatch:
    def test_returns_the_found_namespaces_in_request_order(self, client):
        first, second = (assert_ok(client.create_namespace(code=unique_code("nsg"))) for _ in range(2))
        found = assert_ok(client.get_namespaces_batch(code_list=[second["code"], first["code"]]))
        assert codes_of(found) == [second["code"], first["code"]]

    def test_skips_unknown_codes(self, client, namespace):
        found = assert_ok(client.get_namespaces_batch(code_list=[unique_code("missing"), namespace["code"]]))
        assert codes_of(found) == [namespace["code"]]

    @pytest.mark.parametrize("code", ANY_BAD_CODE, ids=ANY_BAD_CODE_IDS)
    def test_a_list_of_one_bad_code_matches_nothing(self, client, code):
        assert assert_ok(client.get_namespaces_batch(code_list=[code])) == []

    def test_rejects_an_empty_list(self, client):
        assert_error(client.get_namespaces_batch(code_list=[]), 400, "参数 codeList 格式错误")

    def test_rejects_more_than_50_codes(self, client):
        codes = [unique_code("x") for _ in range(51)]
        assert_error(client.get_namespaces_batch(code_list=codes), 400, "参数 codeList 格式错误")

    def test_accepts_a_comma_separated_string(self, client):
        # README §5: one plain value with commas is split on ','.
        first, second = (assert_ok(client.create_namespace(code=unique_code("nsc"))) for _ in range(2))
        found = assert_ok(client.get_namespaces_batch(code_list=f"{first['code']},{second['code']}"))
        assert codes_of(found) == [first["code"], second["code"]]


# ---------------------------------------------------------------------------- §16 update-namespace


class TestUpdateNamespace:
    def test_renames_the_code(self, client, namespace):
        new_code = unique_code("ns-new")
        data = assert_ok(client.update_namespace(code=namespace["code"], name="renamed", new_code=new_code))
        assert (data["code"], data["name"]) == (new_code, "renamed")

    def test_old_code_is_gone_after_a_rename(self, client, namespace):
        new_code = unique_code("ns-new")
        assert_ok(client.update_namespace(code=namespace["code"], new_code=new_code))
        assert_error(client.get_namespace(code=namespace["code"]), 404, "namespace not exists")
        assert assert_ok(client.get_namespace(code=new_code))["name"] == namespace["name"]

    def test_updates_name_and_description_only(self, client, namespace):
        data = assert_ok(client.update_namespace(code=namespace["code"], description="new description"))
        assert (data["code"], data["name"], data["description"]) == (
            namespace["code"],
            namespace["name"],
            "new description",
        )
        stored = assert_ok(client.get_namespace(code=namespace["code"]))
        assert stored["description"] == "new description"

    def test_empty_new_code_keeps_the_code(self, client, namespace):
        data = assert_ok(client.update_namespace(code=namespace["code"], name="same code", new_code=""))
        assert data["code"] == namespace["code"]
        assert assert_ok(client.get_namespace(code=namespace["code"]))["name"] == "same code"

    @pytest.mark.parametrize("new_code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_an_invalid_new_code(self, client, namespace, new_code):
        resp = client.update_namespace(code=namespace["code"], new_code=new_code)
        assert_error(resp, 400, f"invalid namespace code: {new_code}")

    def test_rejects_a_too_long_new_code(self, client, namespace):
        assert_error(client.update_namespace(code=namespace["code"], new_code=LONG_CODE), 400, "参数 newCode 格式错误")

    def test_unknown_code_is_not_found(self, client):
        assert_error(client.update_namespace(code=unique_code("missing"), name="x"), 404, "权限组不存在")

    def test_rejects_a_new_code_already_in_use(self, client, namespace):
        other = assert_ok(client.create_namespace(code=unique_code("ns")))
        resp = client.update_namespace(code=namespace["code"], new_code=other["code"])
        assert_error(resp, 409, "权限分组已存在")

    def test_default_cannot_be_renamed(self, client):
        resp = client.update_namespace(code="default", new_code=unique_code("not-default"))
        assert_error(resp, 422, "默认权限分组不可修改 code")
        assert assert_ok(client.get_namespace(code="default"))["code"] == "default"

    def test_roles_follow_a_renamed_namespace(self, client, namespace):
        role = unique_code("role")
        assert_ok(client.create_role(code=role, namespace=namespace["code"]))
        new_code = unique_code("ns-new")
        assert_ok(client.update_namespace(code=namespace["code"], new_code=new_code))
        assert assert_ok(client.get_role(code=role, namespace=new_code))["namespace"] == new_code


# ---------------------------------------------------------------------------- §17 delete-namespace


class TestDeleteNamespace:
    def test_deletes_an_existing_namespace(self, client, namespace):
        assert_success_flag(client.delete_namespace(code=namespace["code"]))
        assert not namespace_exists(client, namespace["code"])

    def test_deleted_code_can_be_created_again(self, client, namespace):
        assert_success_flag(client.delete_namespace(code=namespace["code"]))
        assert assert_ok(client.create_namespace(code=namespace["code"]))["code"] == namespace["code"]

    def test_deleting_twice_is_not_found_the_second_time(self, client, namespace):
        assert_success_flag(client.delete_namespace(code=namespace["code"]))
        assert_error(client.delete_namespace(code=namespace["code"]), 404, "权限组不存在")

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_invalid_code_is_not_found(self, client, code):
        assert_error(client.delete_namespace(code=code), 404, "权限组不存在")

    @pytest.mark.parametrize("code", EMPTY_AND_LONG, ids=EMPTY_AND_LONG_IDS)
    def test_rejects_empty_or_too_long_code(self, client, code):
        assert_error(client.delete_namespace(code=code), 400, "参数 code 格式错误")

    def test_default_cannot_be_deleted(self, client):
        assert_error(client.delete_namespace(code="default"), 422, "默认权限分组不可删除")
        assert namespace_exists(client, "default")

    def test_roles_of_a_deleted_namespace_are_gone(self, client, namespace):
        role = unique_code("role")
        assert_ok(client.create_role(code=role, namespace=namespace["code"]))
        assert_success_flag(client.delete_namespace(code=namespace["code"]))
        assert_error(client.get_role(code=role, namespace=namespace["code"]), 404, "权限组不存在")


# ---------------------------------------------------------------------------- §18 delete-namespaces-batch


class TestDeleteNamespacesBatch:
    def test_deletes_every_listed_namespace(self, client):
        codes = [assert_ok(client.create_namespace(code=unique_code("nsd")))["code"] for _ in range(2)]
        assert_success_flag(client.delete_namespaces_batch(code_list=codes))
        assert [namespace_exists(client, c) for c in codes] == [False, False]

    @pytest.mark.parametrize("code", ANY_BAD_CODE, ids=ANY_BAD_CODE_IDS)
    def test_skips_bad_codes(self, client, code):
        assert_success_flag(client.delete_namespaces_batch(code_list=[code]))

    def test_skips_unknown_codes_and_deletes_the_rest(self, client, namespace):
        resp = client.delete_namespaces_batch(code_list=[unique_code("missing"), namespace["code"]])
        assert_success_flag(resp)
        assert not namespace_exists(client, namespace["code"])

    def test_silently_keeps_default(self, client, namespace):
        assert_success_flag(client.delete_namespaces_batch(code_list=["default", namespace["code"]]))
        assert namespace_exists(client, "default")
        assert not namespace_exists(client, namespace["code"])

    def test_rejects_an_empty_list(self, client):
        assert_error(client.delete_namespaces_batch(code_list=[]), 400, "参数 codeList 格式错误")

    def test_rejects_more_than_10_codes(self, client, namespace):
        codes = [namespace["code"]] + [unique_code("x") for _ in range(10)]
        assert_error(client.delete_namespaces_batch(code_list=codes), 400, "参数 codeList 格式错误")
        assert namespace_exists(client, namespace["code"])


# ---------------------------------------------------------------------------- §19 list-namespaces


class TestListNamespaces:
    def test_includes_default_with_status_on(self, client):
        items = assert_page(assert_ok(client.list_namespaces(page=1, limit=50, keywords="default")), min_total=1)
        default = next(ns for ns in items if ns["code"] == "default")
        assert default["status"] == 1
        assert isinstance(default["name"], str)

    def test_works_without_any_argument(self, client):
        items = assert_page(assert_ok(client.list_namespaces()), min_total=1)
        assert len(items) <= 10  # default limit

    def test_lists_the_newest_first(self, client, namespace):
        items = assert_page(assert_ok(client.list_namespaces(page=1, limit=1)), min_total=2)
        assert codes_of(items) == [namespace["code"]]

    def test_keywords_match_a_code_substring_case_insensitively(self, client, namespace):
        needle = namespace["code"][3:].upper()
        items = assert_page(assert_ok(client.list_namespaces(keywords=needle)), min_total=1)
        assert codes_of(items) == [namespace["code"]]

    def test_keywords_match_the_name(self, client):
        code = unique_code("ns")
        marker = unique_code("名字")
        assert_ok(client.create_namespace(code=code, name=f"named {marker}"))
        items = assert_page(assert_ok(client.list_namespaces(keywords=marker)), min_total=1)
        assert codes_of(items) == [code]

    def test_pages_do_not_overlap(self, client):
        prefix = unique_code("page")
        created = [assert_ok(client.create_namespace(code=f"{prefix}-{i}"))["code"] for i in range(3)]
        page1 = assert_ok(client.list_namespaces(page=1, limit=2, keywords=prefix))
        page2 = assert_ok(client.list_namespaces(page=2, limit=2, keywords=prefix))
        assert (page1["totalCount"], page2["totalCount"]) == (3, 3)
        assert sorted(codes_of(page1["list"]) + codes_of(page2["list"])) == sorted(created)
        assert len(page2["list"]) == 1

    @pytest.mark.parametrize("page", [0, -1])
    def test_rejects_a_page_below_1(self, client, page):
        assert_error(client.list_namespaces(page=page, limit=10), 400, "参数 page 格式错误")

    @pytest.mark.parametrize("limit", [0, -1, 51, 10000])
    def test_rejects_a_limit_outside_1_to_50(self, client, limit):
        assert_error(client.list_namespaces(page=1, limit=limit), 400, "参数 limit 格式错误")


# ---------------------------------------------------------------------------- §20 list-namespace-roles


class TestListNamespaceRoles:
    def test_lists_the_roles_of_the_namespace(self, client, namespace):
        roles = [unique_code("role") for _ in range(2)]
        for role in roles:
            assert_ok(client.create_role(code=role, name=f"name {role}", namespace=namespace["code"]))
        items = assert_page(assert_ok(client.list_namespace_roles(code=namespace["code"])), min_total=2)
        assert sorted(codes_of(items)) == sorted(roles)
        for item in items:
            assert item["namespace"] == namespace["code"]
            assert item["name"] == f"name {item['code']}"
            assert item["id"] and item["updatedAt"]

    def test_does_not_list_roles_of_other_namespaces(self, client, namespace):
        assert_ok(client.create_role(code=unique_code("role-in-default")))
        data = assert_ok(client.list_namespace_roles(code=namespace["code"]))
        assert data == {"totalCount": 0, "list": []}

    def test_keywords_filter_by_role_code(self, client, namespace):
        wanted = unique_code("wanted")
        assert_ok(client.create_role(code=wanted, namespace=namespace["code"]))
        assert_ok(client.create_role(code=unique_code("other"), namespace=namespace["code"]))
        items = assert_page(assert_ok(client.list_namespace_roles(code=namespace["code"], keywords="wanted")))
        assert codes_of(items) == [wanted]

    def test_paginates(self, client, namespace):
        for _ in range(3):
            assert_ok(client.create_role(code=unique_code("role"), namespace=namespace["code"]))
        data = assert_ok(client.list_namespace_roles(code=namespace["code"], page=2, limit=2))
        assert data["totalCount"] == 3 and len(data["list"]) == 1

    def test_unknown_namespace_is_not_found(self, client):
        assert_error(client.list_namespace_roles(code=unique_code("missing")), 404, "权限组不存在")

    def test_rejects_a_missing_code(self, client):
        assert_error(client.list_namespace_roles(code=None), 400, "参数 code 格式错误")
