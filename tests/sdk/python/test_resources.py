"""Resource definitions: resources.md §0–§11 and the resource/ rows of README §9.

Resources live in a namespace (default `default`); grants on them are covered by
test_authorization.py, the clean-up of grants on deletion by test_scenarios.py.
"""

from __future__ import annotations

import re

import pytest

from helpers import (
    BAD_CHAR_CODE,
    BAD_PAGING,
    BAD_PAGING_IDS,
    BLANK_CODE,
    INVALID_CODE_IDS,
    INVALID_CODES,
    LONG_CODE,
    assert_error,
    assert_ok,
    assert_page,
    assert_success_flag,
    authorize,
    codes_of,
    direct_grants,
    is_allowed,
    new_namespace,
    new_user,
    unique_code,
)

TYPES = ["DATA", "API", "MENU", "BUTTON", "UI"]
RESOURCE_FIELDS = {"code", "description", "name", "type", "actions", "apiIdentifier", "namespace", "linkedToTenant"}
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
HEX24 = re.compile(r"^[0-9a-f]{24}$")
# Anything delete-resource / delete-resources-batch must accept as a no-op (observed).
NO_OP_CODES = [BAD_CHAR_CODE, "", BLANK_CODE]
NO_OP_CODE_IDS = ["non-ascii", "empty", "blank"]


def actions(*names):
    """ResourceAction[] with a description per action."""
    return [{"name": n, "description": f"can {n}"} for n in names]


def many_actions(count: int):
    return actions(*(f"action-{i}" for i in range(count)))


def new_resource(client, namespace=None, **fields):
    """A fresh resource with two actions; returns the ResourceDto."""
    code = unique_code("res")
    spec = {
        "type": "DATA",
        "code": code,
        "name": f"name {code}",
        "description": "fixture resource",
        "actions": actions("read", "write"),
        "api_identifier": f"https://api.example.com/{code}",
        "namespace": namespace,
    }
    spec.update(fields)
    return assert_ok(client.create_resource(**spec))


@pytest.fixture
def resource(client):
    """A fresh resource in the default namespace."""
    return new_resource(client)


@pytest.fixture
def namespace(client):
    return new_namespace(client)


def get_resource(client, code, namespace=None):
    return assert_ok(client.get_resource(code=code, namespace=namespace))


def resource_exists(client, code, namespace=None) -> bool:
    resp = client.get_resource(code=code, namespace=namespace)
    if resp.get("statusCode") == 404:
        assert_error(resp, 404, "资源不存在")
        return False
    assert_ok(resp)
    return True


def common_resources(client, **query) -> list:
    return assert_page(assert_ok(client.list_common_resource(limit=50, **query)))


def resource_id(client, code, namespace="default") -> str:
    """The server id of a resource (list-common-resource is the only listing that shows it)."""
    found = [r for r in common_resources(client, keyword=code, namespace_code_list=namespace) if r["code"] == code]
    assert len(found) == 1, f"expected one resource {code} in {namespace}: {found!r}"
    return found[0]["id"]


# ---------------------------------------------------------------------------- §1 create-resource


class TestCreateResource:
    def test_echoes_every_field(self, client):
        code = unique_code("res")
        data = assert_ok(
            client.create_resource(
                type="API",
                code=code,
                name="资源名字",
                description="desc",
                actions=actions("read", "books:edit"),
                api_identifier="https://my-awesome-api.com/api",
                namespace="default",
            )
        )
        assert data == {
            "code": code,
            "name": "资源名字",
            "description": "desc",
            "type": "API",
            "actions": actions("read", "books:edit"),
            "apiIdentifier": "https://my-awesome-api.com/api",
            "namespace": "default",
            "linkedToTenant": False,
        }

    def test_can_be_read_back(self, client, resource):
        assert get_resource(client, resource["code"]) == resource

    def test_defaults_to_the_default_namespace_and_no_actions(self, client):
        data = assert_ok(client.create_resource(type="DATA", code=unique_code("res")))
        assert (data["namespace"], data["actions"], data["linkedToTenant"]) == ("default", [], False)
        assert RESOURCE_FIELDS <= set(data)

    def test_an_action_without_description_gets_an_empty_one(self, client):
        data = assert_ok(client.create_resource(type="DATA", code=unique_code("res"), actions=[{"name": "read"}]))
        assert data["actions"] == [{"name": "read", "description": ""}]

    def test_repeated_action_names_keep_the_first(self, client):
        repeated = [{"name": "read", "description": "first"}, {"name": "read", "description": "second"}]
        data = assert_ok(client.create_resource(type="DATA", code=unique_code("res"), actions=repeated))
        assert data["actions"] == [{"name": "read", "description": "first"}]
        assert get_resource(client, data["code"])["actions"] == [{"name": "read", "description": "first"}]

    @pytest.mark.parametrize("resource_type", TYPES)
    def test_accepts_every_type(self, client, resource_type):
        data = assert_ok(client.create_resource(type=resource_type, code=unique_code("res")))
        assert get_resource(client, data["code"])["type"] == resource_type

    def test_creates_the_resource_in_another_namespace_only(self, client, namespace):
        data = new_resource(client, namespace=namespace)
        assert data["namespace"] == namespace
        assert get_resource(client, data["code"], namespace)["namespace"] == namespace
        assert not resource_exists(client, data["code"])

    def test_same_code_in_two_namespaces(self, client, resource, namespace):
        data = new_resource(client, namespace=namespace, code=resource["code"], description="other")
        assert (data["code"], data["namespace"]) == (resource["code"], namespace)
        assert get_resource(client, resource["code"])["description"] == "fixture resource"

    def test_accepts_a_code_of_64_characters(self, client):
        code = unique_code("res").ljust(64, "x")
        assert assert_ok(client.create_resource(type="DATA", code=code))["code"] == code

    def test_accepts_letters_digits_dash_underscore_colon_and_dot(self, client):
        code = unique_code("Res_09") + ":v1.2"
        assert assert_ok(client.create_resource(type="DATA", code=code))["code"] == code
        assert resource_exists(client, code)

    def test_accepts_100_actions(self, client):
        data = assert_ok(client.create_resource(type="DATA", code=unique_code("res"), actions=many_actions(100)))
        assert len(data["actions"]) == 100

    @pytest.mark.parametrize("code", [LONG_CODE, "r" * 65], ids=["100-chars", "65-chars"])
    def test_rejects_a_too_long_code(self, client, code):
        assert_error(client.create_resource(type="DATA", code=code), 400, "参数 code 格式错误")
        assert not resource_exists(client, code)

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_invalid_characters(self, client, code):
        assert_error(client.create_resource(type="DATA", code=code), 400, f"invalid resource code: {code}")

    def test_rejects_the_wildcard_as_a_definition_code(self, client):
        # semantics §10: `*` is reserved (it is the "everything" grant code).
        assert_error(client.create_resource(type="DATA", code="*"), 400, "invalid resource code: *")
        assert not resource_exists(client, "*")

    def test_accepts_the_other_codes_v2_reserved(self, client, namespace):
        # semantics §10: of the V2 reserved codes only `*` stays refused.
        reserved = ["userpool", "user", "application", "role", "group", "org", "api", "resource-namespace"]
        for code in reserved + ["custom-resource"]:
            assert assert_ok(client.create_resource(type="DATA", code=code, namespace=namespace))["code"] == code

    def test_an_empty_code_is_accepted_but_not_stored(self, client, namespace):
        data = assert_ok(client.create_resource(type="DATA", code="", description="ghost", namespace=namespace))
        assert (data["code"], data["description"]) == ("", "ghost")
        assert_error(client.get_resource(code="", namespace=namespace), 404, "资源不存在")
        assert assert_ok(client.list_resources(namespace=namespace))["totalCount"] == 0

    def test_rejects_a_missing_type(self, client):
        code = unique_code("res")
        assert_error(client.create_resource(type=None, code=code), 400, "参数 type 格式错误")
        assert not resource_exists(client, code)

    def test_rejects_an_unknown_type(self, client):
        code = unique_code("res")
        assert_error(client.create_resource(type="TABLE", code=code), 400, "参数 type 格式错误")
        assert not resource_exists(client, code)

    def test_rejects_more_than_100_actions(self, client):
        code = unique_code("res")
        resp = client.create_resource(type="DATA", code=code, actions=many_actions(101))
        assert_error(resp, 400, "参数 actions 格式错误")
        assert not resource_exists(client, code)

    def test_unknown_namespace_is_not_found(self, client):
        code = unique_code("res")
        assert_error(
            client.create_resource(type="DATA", code=code, namespace=unique_code("missing")), 404, "权限组不存在"
        )
        assert not resource_exists(client, code)

    def test_rejects_a_duplicate_code_and_keeps_the_original(self, client, resource):
        resp = client.create_resource(type="API", code=resource["code"], description="replacement")
        assert_error(resp, 409, "资源已存在")
        assert get_resource(client, resource["code"]) == resource


# ---------------------------------------------------------------------------- §2 create-resources-batch


class TestCreateResourcesBatch:
    def test_creates_every_item(self, client):
        codes = [unique_code("rb"), unique_code("rb")]
        items = [
            {"code": codes[0], "type": "MENU", "name": "first", "description": "d1", "actions": actions("view")},
            {"code": codes[1], "type": "API", "apiIdentifier": "https://api.example.com"},
        ]
        assert_success_flag(client.create_resources_batch(list=items, namespace="default"))
        first, second = assert_ok(client.get_resources_batch(code_list=codes))
        assert (first["type"], first["name"], first["description"], first["actions"]) == (
            "MENU",
            "first",
            "d1",
            actions("view"),
        )
        assert (second["type"], second["apiIdentifier"], second["actions"]) == ("API", "https://api.example.com", [])

    def test_defaults_to_the_default_namespace(self, client):
        code = unique_code("rb")
        assert_success_flag(client.create_resources_batch(list=[{"code": code, "type": "DATA"}]))
        assert get_resource(client, code)["namespace"] == "default"

    def test_one_namespace_for_the_whole_batch(self, client, namespace):
        codes = [unique_code("rb"), unique_code("rb")]
        items = [{"code": c, "type": "DATA"} for c in codes]
        assert_success_flag(client.create_resources_batch(list=items, namespace=namespace))
        assert codes_of(assert_ok(client.get_resources_batch(code_list=codes, namespace=namespace))) == codes
        assert assert_ok(client.get_resources_batch(code_list=codes)) == []

    def test_accepts_50_items(self, client, namespace):
        items = [{"code": unique_code("rb"), "type": "DATA"} for _ in range(50)]
        assert_success_flag(client.create_resources_batch(list=items, namespace=namespace))
        assert assert_ok(client.list_resources(namespace=namespace))["totalCount"] == 50

    @pytest.mark.parametrize("items", [None, []], ids=["missing", "empty"])
    def test_rejects_a_missing_or_empty_list(self, client, items):
        assert_error(client.create_resources_batch(list=items), 400, "参数 list 格式错误")

    def test_rejects_more_than_50_items_and_creates_nothing(self, client, namespace):
        items = [{"code": unique_code("rb"), "type": "DATA"} for _ in range(51)]
        assert_error(client.create_resources_batch(list=items, namespace=namespace), 400, "参数 list 格式错误")
        assert assert_ok(client.list_resources(namespace=namespace))["totalCount"] == 0

    def test_an_item_without_code_is_an_unknown_error_and_creates_nothing(self, client):
        fresh = unique_code("rb")
        resp = client.create_resources_batch(list=[{"code": fresh, "type": "DATA"}, {"type": "DATA"}])
        assert_error(resp, 500, "未知错误")
        assert not resource_exists(client, fresh)

    @pytest.mark.parametrize("code", [BAD_CHAR_CODE, BLANK_CODE, LONG_CODE], ids=["non-ascii", "blank", "100-chars"])
    def test_rejects_an_invalid_item_code_and_creates_nothing(self, client, code):
        fresh = unique_code("rb")
        resp = client.create_resources_batch(list=[{"code": fresh, "type": "DATA"}, {"code": code, "type": "DATA"}])
        assert_error(resp, 400, f"invalid resource code: {code}")
        assert not resource_exists(client, fresh)

    def test_rejects_an_existing_code_and_creates_nothing(self, client, resource):
        fresh = unique_code("rb")
        items = [{"code": fresh, "type": "DATA"}, {"code": resource["code"], "type": "API"}]
        assert_error(client.create_resources_batch(list=items), 409, "资源已存在")
        assert not resource_exists(client, fresh)
        assert get_resource(client, resource["code"]) == resource

    def test_rejects_a_code_repeated_inside_the_batch(self, client):
        code = unique_code("rb")
        items = [{"code": code, "type": "DATA"}, {"code": code, "type": "API"}]
        assert_error(client.create_resources_batch(list=items), 409, "资源已存在")
        assert not resource_exists(client, code)

    def test_unknown_namespace_is_not_found(self, client):
        code = unique_code("rb")
        resp = client.create_resources_batch(list=[{"code": code, "type": "DATA"}], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")
        assert not resource_exists(client, code)


# ---------------------------------------------------------------------------- §3 get-resource


class TestGetResource:
    def test_returns_the_resource_dto(self, client, resource):
        data = get_resource(client, resource["code"], "default")
        assert RESOURCE_FIELDS <= set(data)
        assert (data["code"], data["type"], data["actions"], data["namespace"]) == (
            resource["code"],
            "DATA",
            actions("read", "write"),
            "default",
        )

    def test_unknown_code_is_not_found(self, client):
        assert_error(client.get_resource(code=unique_code("missing")), 404, "资源不存在")

    @pytest.mark.parametrize("code", ["", BAD_CHAR_CODE, BLANK_CODE], ids=["empty", "non-ascii", "blank"])
    def test_empty_or_invalid_code_is_not_found(self, client, code):
        assert_error(client.get_resource(code=code), 404, "资源不存在")

    def test_rejects_a_missing_code(self, client):
        assert_error(client.get_resource(code=None), 400, "参数 code 格式错误")

    def test_unknown_namespace_is_not_found(self, client, resource):
        assert_error(client.get_resource(code=resource["code"], namespace=unique_code("missing")), 404, "权限组不存在")

    def test_does_not_find_a_resource_of_another_namespace(self, client, resource, namespace):
        assert_error(client.get_resource(code=resource["code"], namespace=namespace), 404, "资源不存在")

    def test_lookup_is_case_sensitive(self, client, resource):
        assert_error(client.get_resource(code=resource["code"].upper()), 404, "资源不存在")


# ---------------------------------------------------------------------------- §4 get-resources-batch


class TestGetResourcesBatch:
    def test_returns_the_found_resources_in_request_order(self, client):
        first, second = new_resource(client), new_resource(client)
        found = assert_ok(client.get_resources_batch(code_list=[second["code"], first["code"]]))
        assert found == [second, first]

    def test_skips_unknown_and_invalid_codes(self, client, resource):
        codes = [unique_code("missing"), "额！ ", resource["code"]]
        assert codes_of(assert_ok(client.get_resources_batch(code_list=codes))) == [resource["code"]]

    def test_only_unknown_codes_give_an_empty_array(self, client):
        assert assert_ok(client.get_resources_batch(code_list=[unique_code("missing"), "额！ "])) == []

    def test_looks_in_the_given_namespace(self, client, resource, namespace):
        other = new_resource(client, namespace=namespace)
        found = assert_ok(client.get_resources_batch(code_list=[resource["code"], other["code"]], namespace=namespace))
        assert codes_of(found) == [other["code"]]

    def test_accepts_a_comma_separated_string(self, client):
        first, second = new_resource(client), new_resource(client)
        found = assert_ok(client.get_resources_batch(code_list=f"{first['code']},{second['code']}"))
        assert codes_of(found) == [first["code"], second["code"]]

    def test_accepts_a_json_array_string(self, client):
        first, second = new_resource(client), new_resource(client)
        found = assert_ok(client.get_resources_batch(code_list=f'["{second["code"]}","{first["code"]}"]'))
        assert codes_of(found) == [second["code"], first["code"]]

    @pytest.mark.parametrize("code_list", [None, []], ids=["missing", "empty"])
    def test_rejects_a_missing_or_empty_list(self, client, code_list):
        assert_error(client.get_resources_batch(code_list=code_list), 400, "参数 codeList 格式错误")

    def test_rejects_more_than_50_codes(self, client):
        codes = [unique_code("x") for _ in range(51)]
        assert_error(client.get_resources_batch(code_list=codes), 400, "参数 codeList 格式错误")

    def test_unknown_namespace_is_not_found(self, client, resource):
        resp = client.get_resources_batch(code_list=[resource["code"]], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")


# ---------------------------------------------------------------------------- §5 list-resources


class TestListResources:
    def test_lists_the_namespace_newest_first(self, client, namespace):
        created = [new_resource(client, namespace=namespace)["code"] for _ in range(3)]
        data = assert_ok(client.list_resources(namespace=namespace))
        assert data["totalCount"] == 3
        assert codes_of(data["list"]) == created[::-1]
        assert all(item["namespace"] == namespace and RESOURCE_FIELDS <= set(item) for item in data["list"])

    def test_works_without_arguments_on_the_default_namespace(self, client, resource):
        items = assert_page(assert_ok(client.list_resources()), min_total=1)
        assert len(items) <= 10  # default limit
        assert all(item["namespace"] == "default" for item in items)
        assert items[0]["code"] == resource["code"]

    def test_does_not_list_other_namespaces(self, client, namespace, resource):
        assert assert_ok(client.list_resources(namespace=namespace)) == {"totalCount": 0, "list": []}

    @pytest.mark.parametrize("resource_type", TYPES)
    def test_filters_by_type(self, client, namespace, resource_type):
        for t in TYPES:
            new_resource(client, namespace=namespace, type=t)
        items = assert_page(assert_ok(client.list_resources(namespace=namespace, type=resource_type)))
        assert [item["type"] for item in items] == [resource_type]

    def test_pages_do_not_overlap(self, client, namespace):
        created = [new_resource(client, namespace=namespace)["code"] for _ in range(3)]
        page1 = assert_ok(client.list_resources(namespace=namespace, page=1, limit=2))
        page2 = assert_ok(client.list_resources(namespace=namespace, page=2, limit=2))
        assert (page1["totalCount"], page2["totalCount"], len(page1["list"]), len(page2["list"])) == (3, 3, 2, 1)
        assert codes_of(page1["list"]) + codes_of(page2["list"]) == created[::-1]

    def test_a_page_past_the_end_is_empty(self, client, namespace):
        new_resource(client, namespace=namespace)
        assert assert_ok(client.list_resources(namespace=namespace, page=3, limit=1)) == {"totalCount": 1, "list": []}

    def test_rejects_an_unknown_type(self, client):
        assert_error(client.list_resources(type="TABLE"), 400, "参数 type 格式错误")

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, paging, field):
        assert_error(client.list_resources(**{"page": 1, "limit": 10, **paging}), 400, f"参数 {field} 格式错误")

    def test_unknown_namespace_is_not_found(self, client):
        assert_error(client.list_resources(namespace=unique_code("missing")), 404, "权限组不存在")


# ---------------------------------------------------------------------------- §6 list-common-resource


class TestListCommonResource:
    def test_lists_resources_of_every_namespace(self, client, env, namespace):
        marker = unique_code("common")
        in_default = new_resource(client, code=f"{marker}-a")
        in_other = new_resource(client, namespace=namespace, code=f"{marker}-b", name="other name")
        items = common_resources(client, keyword=marker)
        assert sorted((r["code"], r["namespace"]) for r in items) == [
            (in_default["code"], "default"),
            (in_other["code"], namespace),
        ]
        for item in items:
            assert RESOURCE_FIELDS <= set(item)
            assert HEX24.match(item["id"]), item
            assert isinstance(item["namespaceId"], int) and not isinstance(item["namespaceId"], bool), item
            assert item["userPoolId"] == env.pool1.user_pool_id
            assert ISO_MS.match(item["createdAt"]) and ISO_MS.match(item["updatedAt"]), item
        by_ns = {item["namespace"]: item for item in items}
        assert by_ns[namespace]["namespaceName"] == assert_ok(client.get_namespace(code=namespace))["name"]
        assert by_ns["default"]["namespaceId"] != by_ns[namespace]["namespaceId"]
        assert by_ns[namespace]["name"] == "other name"

    def test_keyword_matches_a_code_substring_case_insensitively(self, client, resource):
        assert codes_of(common_resources(client, keyword=resource["code"][4:].upper())) == [resource["code"]]

    def test_keyword_matches_the_name(self, client):
        marker = unique_code("名字")
        created = new_resource(client, name=f"named {marker}")
        assert codes_of(common_resources(client, keyword=marker)) == [created["code"]]

    def test_namespace_code_list_as_a_comma_separated_string(self, client):
        marker = unique_code("ncl")
        namespaces = [new_namespace(client) for _ in range(3)]
        for ns in namespaces:
            new_resource(client, namespace=ns, code=f"{marker}-{ns}")
        items = common_resources(client, keyword=marker, namespace_code_list=f"{namespaces[0]},{namespaces[2]}")
        assert sorted(codes_of(items, "namespace")) == sorted([namespaces[0], namespaces[2]])

    def test_namespace_code_list_as_a_json_array(self, client):
        marker = unique_code("ncl")
        namespaces = [new_namespace(client) for _ in range(2)]
        for ns in namespaces:
            new_resource(client, namespace=ns, code=f"{marker}-{ns}")
        items = common_resources(client, keyword=marker, namespace_code_list=f'["{namespaces[1]}"]')
        assert codes_of(items, "namespace") == [namespaces[1]]

    def test_unknown_namespace_codes_are_ignored(self, client, namespace):
        created = new_resource(client, namespace=namespace)
        items = common_resources(client, namespace_code_list=f"{unique_code('missing')},{namespace}")
        assert codes_of(items) == [created["code"]]

    def test_paginates(self, client):
        marker = unique_code("cpage")
        created = [new_resource(client, code=f"{marker}-{i}")["code"] for i in range(3)]
        page1 = assert_ok(client.list_common_resource(keyword=marker, page=1, limit=2))
        page2 = assert_ok(client.list_common_resource(keyword=marker, page=2, limit=2))
        assert (page1["totalCount"], page2["totalCount"], len(page1["list"]), len(page2["list"])) == (3, 3, 2, 1)
        assert sorted(codes_of(page1["list"]) + codes_of(page2["list"])) == sorted(created)

    def test_works_without_arguments(self, client, resource):
        assert len(assert_page(assert_ok(client.list_common_resource()), min_total=1)) <= 10

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, paging, field):
        assert_error(client.list_common_resource(**{"page": 1, "limit": 10, **paging}), 400, f"参数 {field} 格式错误")

    def test_does_not_show_resources_of_another_pool(self, client, pool2_client, resource):
        assert common_resources(pool2_client, keyword=resource["code"]) == []


# ---------------------------------------------------------------------------- §7 update-resource


class TestUpdateResource:
    def test_replaces_the_given_fields(self, client, resource):
        data = assert_ok(
            client.update_resource(
                code=resource["code"],
                name="new name",
                description="new description",
                api_identifier="https://new.example.com",
                type="BUTTON",
                actions=actions("click"),
            )
        )
        expected = {
            **resource,
            "name": "new name",
            "description": "new description",
            "apiIdentifier": "https://new.example.com",
            "type": "BUTTON",
            "actions": actions("click"),
        }
        assert data == expected
        assert get_resource(client, resource["code"]) == expected

    def test_absent_fields_keep_their_value(self, client, resource):
        data = assert_ok(client.update_resource(code=resource["code"], description="only this"))
        assert data == {**resource, "description": "only this"}
        assert get_resource(client, resource["code"]) == {**resource, "description": "only this"}

    def test_actions_replace_the_whole_list(self, client, resource):
        data = assert_ok(client.update_resource(code=resource["code"], actions=actions("write", "delete")))
        assert data["actions"] == actions("write", "delete")

    def test_empty_actions_clear_the_list(self, client, resource):
        assert assert_ok(client.update_resource(code=resource["code"], actions=[]))["actions"] == []
        assert get_resource(client, resource["code"])["actions"] == []

    def test_updates_in_the_given_namespace_only(self, client, resource, namespace):
        other = new_resource(client, namespace=namespace, code=resource["code"])
        data = assert_ok(client.update_resource(code=resource["code"], namespace=namespace, description="ns only"))
        assert (data["namespace"], data["description"]) == (namespace, "ns only")
        assert get_resource(client, resource["code"]) == resource
        assert get_resource(client, other["code"], namespace)["description"] == "ns only"

    def test_unknown_code_is_not_found(self, client):
        assert_error(client.update_resource(code=unique_code("missing"), description="x"), 404, "资源不存在")

    @pytest.mark.parametrize("code", ["", BAD_CHAR_CODE, BLANK_CODE], ids=["empty", "non-ascii", "blank"])
    def test_empty_or_invalid_code_is_not_found(self, client, code):
        assert_error(client.update_resource(code=code, description="x"), 404, "资源不存在")

    def test_resource_of_another_namespace_is_not_found(self, client, resource, namespace):
        resp = client.update_resource(code=resource["code"], namespace=namespace, description="x")
        assert_error(resp, 404, "资源不存在")
        assert get_resource(client, resource["code"]) == resource

    def test_unknown_namespace_is_not_found(self, client, resource):
        resp = client.update_resource(code=resource["code"], namespace=unique_code("missing"), description="x")
        assert_error(resp, 404, "权限组不存在")
        assert get_resource(client, resource["code"]) == resource

    def test_rejects_an_unknown_type_and_changes_nothing(self, client, resource):
        resp = client.update_resource(code=resource["code"], type="TABLE", description="changed")
        assert_error(resp, 400, "参数 type 格式错误")
        assert get_resource(client, resource["code"]) == resource

    def test_rejects_more_than_100_actions_and_changes_nothing(self, client, resource):
        resp = client.update_resource(code=resource["code"], actions=many_actions(101))
        assert_error(resp, 400, "参数 actions 格式错误")
        assert get_resource(client, resource["code"]) == resource

    def test_changing_actions_does_not_touch_grants(self, client, resource):
        user = new_user(client)
        authorize(client, "USER", user["userId"], resource["code"], ["read"])
        assert_ok(client.update_resource(code=resource["code"], actions=actions("write")))
        assert is_allowed(client, user["userId"], "read", resource["code"])
        assert [g["actions"] for g in direct_grants(client, "USER", user["userId"])] == [["read"]]


# ---------------------------------------------------------------------------- §8 delete-resource


class TestDeleteResource:
    def test_deletes_the_resource(self, client, resource):
        assert_success_flag(client.delete_resource(code=resource["code"]))
        assert not resource_exists(client, resource["code"])

    def test_deleted_code_can_be_created_again(self, client, resource):
        assert_success_flag(client.delete_resource(code=resource["code"], namespace="default"))
        assert new_resource(client, code=resource["code"], description="again")["description"] == "again"

    def test_deleting_twice_succeeds(self, client, resource):
        assert_success_flag(client.delete_resource(code=resource["code"]))
        assert_success_flag(client.delete_resource(code=resource["code"]))

    def test_unknown_code_succeeds(self, client):
        assert_success_flag(client.delete_resource(code=unique_code("missing")))

    @pytest.mark.parametrize("code", NO_OP_CODES, ids=NO_OP_CODE_IDS)
    def test_empty_or_invalid_code_succeeds(self, client, code):
        assert_success_flag(client.delete_resource(code=code))

    def test_rejects_a_too_long_code(self, client):
        assert_error(client.delete_resource(code=LONG_CODE), 400, "参数 code 格式错误")

    def test_deletes_in_the_given_namespace_only(self, client, resource, namespace):
        new_resource(client, namespace=namespace, code=resource["code"])
        assert_success_flag(client.delete_resource(code=resource["code"], namespace=namespace))
        assert not resource_exists(client, resource["code"], namespace)
        assert get_resource(client, resource["code"]) == resource

    def test_unknown_namespace_is_not_found(self, client, resource):
        resp = client.delete_resource(code=resource["code"], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")
        assert resource_exists(client, resource["code"])


# ---------------------------------------------------------------------------- §9 delete-resources-batch


class TestDeleteResourcesBatch:
    def test_deletes_by_code(self, client):
        codes = [new_resource(client)["code"] for _ in range(2)]
        assert_success_flag(client.delete_resources_batch(code_list=codes))
        assert assert_ok(client.get_resources_batch(code_list=codes)) == []

    def test_deletes_by_id(self, client, resource):
        assert_success_flag(client.delete_resources_batch(ids=[resource_id(client, resource["code"])]))
        assert not resource_exists(client, resource["code"])

    def test_deletes_the_union_of_codes_and_ids(self, client, namespace):
        by_code, by_id, both, kept = (new_resource(client, namespace=namespace)["code"] for _ in range(4))
        ids = [resource_id(client, by_id, namespace), resource_id(client, both, namespace)]
        assert_success_flag(client.delete_resources_batch(namespace=namespace, code_list=[by_code, both], ids=ids))
        assert codes_of(assert_ok(client.list_resources(namespace=namespace))["list"]) == [kept]

    def test_ids_of_another_namespace_are_not_deleted(self, client, resource, namespace):
        assert_success_flag(
            client.delete_resources_batch(namespace=namespace, ids=[resource_id(client, resource["code"])])
        )
        assert resource_exists(client, resource["code"])

    def test_codes_are_looked_up_in_the_given_namespace(self, client, resource, namespace):
        assert_success_flag(client.delete_resources_batch(namespace=namespace, code_list=[resource["code"]]))
        assert resource_exists(client, resource["code"])

    @pytest.mark.parametrize(
        "code", [unique_code("missing"), *NO_OP_CODES, LONG_CODE], ids=["unknown", *NO_OP_CODE_IDS, "100-chars"]
    )
    def test_any_code_is_accepted(self, client, resource, code):
        assert_success_flag(client.delete_resources_batch(code_list=[resource["code"], code]))
        assert not resource_exists(client, resource["code"])

    def test_unknown_ids_are_skipped(self, client, resource):
        assert_success_flag(client.delete_resources_batch(ids=["0" * 24, "not-an-id"]))
        assert resource_exists(client, resource["code"])

    def test_no_lists_at_all_is_a_no_op(self, client, resource):
        assert_success_flag(client.delete_resources_batch())
        assert_success_flag(client.delete_resources_batch(code_list=[], ids=[]))
        assert resource_exists(client, resource["code"])

    def test_unknown_namespace_is_not_found(self, client, resource):
        resp = client.delete_resources_batch(namespace=unique_code("missing"), code_list=[resource["code"]])
        assert_error(resp, 404, "权限组不存在")
        assert resource_exists(client, resource["code"])


# ---------------------------------------------------------------------------- §10 delete-common-resources-batch


class TestDeleteCommonResourcesBatch:
    def test_deletes_by_id_across_namespaces(self, client, resource, namespace):
        other = new_resource(client, namespace=namespace)
        ids = [resource_id(client, resource["code"]), resource_id(client, other["code"], namespace)]
        assert_success_flag(client.batch_delete_common_resource(ids=ids))
        assert not resource_exists(client, resource["code"])
        assert not resource_exists(client, other["code"], namespace)

    def test_unknown_ids_are_skipped(self, client, resource):
        ids = ["0" * 24, resource_id(client, resource["code"])]
        assert_success_flag(client.batch_delete_common_resource(ids=ids))
        assert not resource_exists(client, resource["code"])

    @pytest.mark.parametrize("ids", [None, []], ids=["missing", "empty"])
    def test_rejects_missing_or_empty_ids(self, client, ids):
        assert_error(client.batch_delete_common_resource(ids=ids), 400, "参数 ids 格式错误")

    def test_rejects_more_than_50_ids_and_deletes_nothing(self, client, resource):
        ids = [resource_id(client, resource["code"])] + ["0" * 24] * 50
        assert_error(client.batch_delete_common_resource(ids=ids), 400, "参数 ids 格式错误")
        assert resource_exists(client, resource["code"])

    def test_cannot_delete_a_resource_of_another_pool(self, client, pool2_client, resource):
        assert_success_flag(pool2_client.batch_delete_common_resource(ids=[resource_id(client, resource["code"])]))
        assert get_resource(client, resource["code"]) == resource


# ---------------------------------------------------------------------------- §11 associate-tenant-resource


class TestAssociateTenantResource:
    def test_links_and_unlinks_a_resource_of_the_default_namespace(self, client, resource):
        app_id = unique_code("app")  # no namespace of that code: falls back to `default`
        assert_success_flag(client.associate_tenant_resource(code=resource["code"], association=True, app_id=app_id))
        assert get_resource(client, resource["code"])["linkedToTenant"] is True
        assert_success_flag(client.associate_tenant_resource(code=resource["code"], association=False, app_id=app_id))
        assert get_resource(client, resource["code"])["linkedToTenant"] is False

    def test_prefers_the_namespace_named_after_the_application(self, client, resource, namespace):
        new_resource(client, namespace=namespace, code=resource["code"])
        resp = client.associate_tenant_resource(
            code=resource["code"], association=True, app_id=namespace, tenant_id=unique_code("tenant")
        )
        assert_success_flag(resp)
        assert get_resource(client, resource["code"], namespace)["linkedToTenant"] is True
        assert get_resource(client, resource["code"])["linkedToTenant"] is False

    def test_finds_a_resource_only_in_the_application_namespace(self, client, namespace):
        created = new_resource(client, namespace=namespace)
        assert_success_flag(client.associate_tenant_resource(code=created["code"], association=True, app_id=namespace))
        assert get_resource(client, created["code"], namespace)["linkedToTenant"] is True

    def test_linked_resources_are_listed_as_linked(self, client, resource):
        assert_success_flag(
            client.associate_tenant_resource(code=resource["code"], association=True, app_id=unique_code("app"))
        )
        assert [r["linkedToTenant"] for r in common_resources(client, keyword=resource["code"])] == [True]

    def test_unknown_resource_is_not_found(self, client):
        resp = client.associate_tenant_resource(code=unique_code("missing"), association=True, app_id="default")
        assert_error(resp, 404, "资源不存在")

    @pytest.mark.parametrize(
        ("field", "overrides"),
        [("code", {"code": None}), ("association", {"association": None}), ("appId", {"app_id": None})],
        ids=["code", "association", "appId"],
    )
    def test_rejects_a_missing_field(self, client, resource, field, overrides):
        args = {"code": resource["code"], "association": True, "app_id": unique_code("app"), **overrides}
        assert_error(client.associate_tenant_resource(**args), 400, f"参数 {field} 格式错误")
        assert get_resource(client, resource["code"])["linkedToTenant"] is False


# ---------------------------------------------------------------------------- pool isolation


class TestResourcePoolIsolation:
    def test_another_pool_does_not_see_the_resource(self, pool2_client, resource):
        assert_error(pool2_client.get_resource(code=resource["code"]), 404, "资源不存在")
        assert assert_ok(pool2_client.get_resources_batch(code_list=[resource["code"]])) == []

    def test_another_pool_can_use_the_same_code(self, client, pool2_client, resource):
        data = assert_ok(pool2_client.create_resource(type="API", code=resource["code"], description="pool 2"))
        assert data["description"] == "pool 2"
        assert get_resource(client, resource["code"]) == resource

    def test_another_pool_cannot_update_or_delete_it(self, client, pool2_client, resource):
        assert_error(pool2_client.update_resource(code=resource["code"], description="x"), 404, "资源不存在")
        assert_success_flag(pool2_client.delete_resource(code=resource["code"]))
        assert_success_flag(pool2_client.delete_resources_batch(code_list=[resource["code"]]))
        assert get_resource(client, resource["code"]) == resource
