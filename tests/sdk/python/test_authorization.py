"""Authorization endpoints: resources.md §21–§28, the resource/ rows of README §9, semantics.md §4–§11.

Endpoint behaviour (inputs, outputs, every error row) lives here; how grants combine into a
yes/no answer (matching, inheritance, cascades, renames) is in test_scenarios.py.
Department writes exist only in `authing` (README §10): those tests take `authing_client`.
"""

from __future__ import annotations

import pytest

from helpers import (
    BAD_PAGING,
    BAD_PAGING_IDS,
    assert_error,
    assert_ok,
    assert_page,
    assert_success_flag,
    authorize,
    direct_grants,
    grant_item,
    is_allowed,
    join_department,
    new_department,
    new_group_dto,
    new_namespace,
    new_organization,
    new_role,
    new_user,
    resource_item,
    unique_code,
    user_target,
)

TYPES = ["DATA", "API", "MENU", "BUTTON", "UI"]


@pytest.fixture
def user(client):
    return new_user(client)


@pytest.fixture
def role(client):
    """A fresh role in `default`."""
    return new_role(client)


@pytest.fixture
def group(client):
    return new_group_dto(client)


@pytest.fixture
def namespace(client):
    return new_namespace(client)


@pytest.fixture
def organization(authing_client):
    return assert_ok(new_organization(authing_client))


def res(prefix: str = "res") -> str:
    """A fresh grant code (a resource class nobody else uses)."""
    return unique_code(prefix)


def grant_codes(items) -> list:
    return [g["resourceCode"] for g in items]


def summary(items) -> list:
    """(resourceCode, resourceType, actions, effect) of each AuthorizedResourceDto."""
    return [(g["resourceCode"], g["resourceType"], g["actions"], g["effect"]) for g in items]


def targets_of(client, resource, **query):
    """get-resource-authorized-targets; returns the page object."""
    data = assert_ok(client.get_resource_authorized_targets(resource=resource, **query))
    assert_page(data)
    return data


def user_resources(client, user_id, **query) -> list:
    data = assert_ok(client.get_user_authorized_resources(user_id=user_id, **query))
    items = assert_page(data)
    assert data["totalCount"] == len(items), data
    return items


def role_resources(client, code, **query) -> list:
    data = assert_ok(client.get_role_authorized_resources(code=code, **query))
    items = assert_page(data)
    assert data["totalCount"] == len(items), data
    return items


# ---------------------------------------------------------------------------- §21 authorize-resources


class TestAuthorizeResources:
    def test_grants_a_user(self, client, user):
        code = res()
        item = grant_item("USER", user["userId"], resource_item(code, ["read", "write"]))
        assert_success_flag(client.authorize_resources(list=[item], namespace="default"))
        assert summary(direct_grants(client, "USER", user["userId"])) == [(code, "DATA", ["read", "write"], "ALLOW")]

    def test_grants_a_role_by_code(self, client, role):
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"], resource_type="API")
        assert summary(direct_grants(client, "ROLE", role["code"])) == [(code, "API", ["read"], "ALLOW")]

    def test_grants_a_group_by_code(self, client, group):
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"], resource_type="MENU")
        assert summary(direct_grants(client, "GROUP", group["code"])) == [(code, "MENU", ["read"], "ALLOW")]

    def test_grants_a_department_by_id(self, authing_client, organization):
        department = new_department(authing_client, organization)
        code = res()
        authorize(authing_client, "DEPARTMENT", department["departmentId"], code, ["read"], resource_type="UI")
        grants = direct_grants(authing_client, "DEPARTMENT", department["departmentId"])
        assert summary(grants) == [(code, "UI", ["read"], "ALLOW")]

    def test_the_wildcard_code_with_every_action_for_each_target_type(self, client, user, role, group):
        # The SDK spec's ROLE / GROUP / USER authorizations of `*` with actions ["*"].
        for target_type, identifier in (("ROLE", role["code"]), ("GROUP", group["code"]), ("USER", user["userId"])):
            authorize(client, target_type, identifier, "*", ["*"])
            assert summary(direct_grants(client, target_type, identifier)) == [("*", "DATA", ["*"], "ALLOW")]

    def test_codes_need_not_be_defined_resources(self, client, user):
        code = f"{res('never-defined')}:123"
        authorize(client, "USER", user["userId"], code, ["read"])
        assert_error(client.get_resource(code=code), 404, "资源不存在")
        assert grant_codes(direct_grants(client, "USER", user["userId"])) == [code]

    def test_every_target_gets_every_resource_of_its_item(self, client):
        users = [new_user(client), new_user(client)]
        codes = [res(), res()]
        item = grant_item(
            "USER",
            [u["userId"] for u in users],
            resource_item(codes[0], ["read"]),
            resource_item(codes[1], ["write"], "API"),
        )
        assert_success_flag(client.authorize_resources(list=[item], namespace="default"))
        for u in users:
            # One call creates both grants at once: their relative order is not specified.
            assert sorted(summary(direct_grants(client, "USER", u["userId"]))) == sorted(
                [(codes[0], "DATA", ["read"], "ALLOW"), (codes[1], "API", ["write"], "ALLOW")]
            )

    def test_applies_every_item(self, client, user, role, group):
        code = res()
        items = [
            grant_item("USER", user["userId"], resource_item(code, ["u"])),
            grant_item("ROLE", role["code"], resource_item(code, ["r"])),
            grant_item("GROUP", group["code"], resource_item(code, ["g"])),
        ]
        assert_success_flag(client.authorize_resources(list=items, namespace="default"))
        targets = targets_of(client, code)
        assert sorted((t["targetType"], t["targetIdentifier"], t["actions"]) for t in targets["list"]) == sorted(
            [("USER", user["userId"], ["u"]), ("ROLE", role["code"], ["r"]), ("GROUP", group["code"], ["g"])]
        )

    def test_without_namespace_uses_default(self, client, group):
        # semantics §13.1: the vendor spec's 404 here is deliberately not followed.
        code = res()
        item = grant_item("GROUP", group["code"], resource_item(code, ["*"]))
        assert_success_flag(client.authorize_resources(list=[item]))
        assert grant_codes(direct_grants(client, "GROUP", group["code"], namespace="default")) == [code]

    def test_the_seed_group_developer_can_be_authorized(self, client, seed):
        code = res()
        authorize(client, "GROUP", seed.group_code, code, ["*"])
        assert code in grant_codes(direct_grants(client, "GROUP", seed.group_code, namespace="default"))
        authorize(client, "GROUP", seed.group_code, code, [])  # leave the seed group as it was

    def test_grants_belong_to_their_namespace(self, client, user, namespace):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"], namespace=namespace)
        assert grant_codes(direct_grants(client, "USER", user["userId"], namespace=namespace)) == [code]
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_a_role_is_addressed_in_the_request_namespace(self, client, namespace):
        role = new_role(client, namespace=namespace)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"], namespace=namespace)
        assert grant_codes(direct_grants(client, "ROLE", role["code"], namespace=namespace)) == [code]

    def test_reauthorizing_replaces_actions_and_type(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read", "write"])
        authorize(client, "USER", user["userId"], code, ["delete"], resource_type="API")
        assert summary(direct_grants(client, "USER", user["userId"])) == [(code, "API", ["delete"], "ALLOW")]

    def test_reauthorizing_leaves_other_codes_and_targets_alone(self, client, user):
        other_user = new_user(client)
        code, other_code = res(), res()
        authorize(client, "USER", user["userId"], other_code, ["keep"])
        authorize(client, "USER", other_user["userId"], code, ["theirs"])
        authorize(client, "USER", user["userId"], code, ["first"])
        authorize(client, "USER", user["userId"], code, ["second"])
        assert summary(direct_grants(client, "USER", user["userId"])) == [
            (other_code, "DATA", ["keep"], "ALLOW"),
            (code, "DATA", ["second"], "ALLOW"),
        ]
        assert summary(direct_grants(client, "USER", other_user["userId"])) == [(code, "DATA", ["theirs"], "ALLOW")]

    def test_empty_actions_revoke_the_grant_only(self, client, user):
        code, other_code = res(), res()
        authorize(client, "USER", user["userId"], code, ["read"])
        authorize(client, "USER", user["userId"], other_code, ["read"])
        authorize(client, "USER", user["userId"], code, [])
        assert grant_codes(direct_grants(client, "USER", user["userId"])) == [other_code]
        assert targets_of(client, code) == {"totalCount": 0, "list": []}

    def test_revoking_a_grant_that_does_not_exist_succeeds(self, client, user):
        authorize(client, "USER", user["userId"], res(), [])
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_repeated_actions_are_kept_once_in_order(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["b", "a", "b", "c", "a"])
        assert direct_grants(client, "USER", user["userId"])[0]["actions"] == ["b", "a", "c"]

    def test_effect_defaults_to_allow(self, client, user):
        authorize(client, "USER", user["userId"], res(), ["read"])
        assert [g["effect"] for g in direct_grants(client, "USER", user["userId"], with_denied=True)] == ["ALLOW"]

    def test_a_null_effect_means_allow(self, client, user):
        # Python keeps a nested None as JSON null (README §5): null is "absent".
        code = res()
        item = grant_item("USER", user["userId"], {**resource_item(code, ["read"]), "effect": None})
        assert_success_flag(client.authorize_resources(list=[item], namespace="default"))
        assert summary(direct_grants(client, "USER", user["userId"])) == [(code, "DATA", ["read"], "ALLOW")]

    def test_stores_a_deny_grant(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"], effect="DENY")
        grants = direct_grants(client, "USER", user["userId"], with_denied=True)
        assert summary(grants) == [(code, "DATA", ["read"], "DENY")]

    def test_reauthorizing_replaces_the_effect(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"], effect="DENY")
        authorize(client, "USER", user["userId"], code, ["read"], effect="ALLOW")
        assert summary(direct_grants(client, "USER", user["userId"], with_denied=True)) == [
            (code, "DATA", ["read"], "ALLOW")
        ]

    def test_accepts_10_items_and_50_actions(self, client, user):
        codes = [res() for _ in range(10)]
        many = [f"act-{i}" for i in range(50)]
        items = [grant_item("USER", user["userId"], resource_item(c, many)) for c in codes]
        assert_success_flag(client.authorize_resources(list=items, namespace="default"))
        grants = direct_grants(client, "USER", user["userId"])
        assert sorted(grant_codes(grants)) == sorted(codes)
        assert all(g["actions"] == many for g in grants)

    def test_accepts_every_resource_type(self, client, user):
        items = [grant_item("USER", user["userId"], *(resource_item(f"{res()}-{t}", ["x"], t) for t in TYPES))]
        assert_success_flag(client.authorize_resources(list=items, namespace="default"))
        assert sorted(g["resourceType"] for g in direct_grants(client, "USER", user["userId"])) == sorted(TYPES)

    # ---- errors: nothing is stored

    def test_unknown_namespace_is_not_found(self, client, user):
        item = grant_item("USER", user["userId"], resource_item(res(), ["read"]))
        assert_error(client.authorize_resources(list=[item], namespace=unique_code("missing")), 404, "权限组不存在")
        assert direct_grants(client, "USER", user["userId"]) == []

    @pytest.mark.parametrize("items", [None, []], ids=["missing", "empty"])
    def test_rejects_a_missing_or_empty_list(self, client, items):
        assert_error(client.authorize_resources(list=items, namespace="default"), 400, "参数 list 格式错误")

    def test_rejects_more_than_10_items(self, client, user):
        items = [grant_item("USER", user["userId"], resource_item(res(), ["read"])) for _ in range(11)]
        assert_error(client.authorize_resources(list=items, namespace="default"), 400, "参数 list 格式错误")
        assert direct_grants(client, "USER", user["userId"]) == []

    @pytest.mark.parametrize(
        "change",
        [
            {"targetType": "APPLICATION"},
            {"targetType": None},
            {"targetIdentifiers": []},
            {"targetIdentifiers": "OVER_100"},
            {"resources": []},
            {"resources": "OVER_50"},
            {"resources": [{"actions": ["read"], "resourceType": "DATA"}]},
            {"resources": [{"code": "", "actions": ["read"], "resourceType": "DATA"}]},
            {"resources": [{"code": "books:1", "actions": "read", "resourceType": "DATA"}]},
            {"resources": [{"code": "books:1", "resourceType": "DATA"}]},
            {"resources": [{"code": "books:1", "actions": [f"a{i}" for i in range(51)], "resourceType": "DATA"}]},
            {"resources": [{"code": "books:1", "actions": ["read"], "resourceType": "TABLE"}]},
            {"resources": [{"code": "books:1", "actions": ["read"]}]},
            {"resources": [{"code": "books:1", "actions": ["read"], "resourceType": "DATA", "effect": "MAYBE"}]},
        ],
        ids=[
            "bad-target-type",
            "no-target-type",
            "no-target-identifiers",
            "101-target-identifiers",
            "no-resources",
            "51-resources",
            "resource-without-code",
            "resource-with-empty-code",
            "actions-not-an-array",
            "actions-missing",
            "51-actions",
            "bad-resource-type",
            "no-resource-type",
            "bad-effect",
        ],
    )
    def test_rejects_a_malformed_item_as_a_list_error(self, client, user, change):
        item = grant_item("USER", user["userId"], resource_item(res(), ["read"]))
        if change.get("targetIdentifiers") == "OVER_100":
            change = {"targetIdentifiers": [user["userId"]] * 101}
        if change.get("resources") == "OVER_50":
            change = {"resources": [resource_item(res(), ["read"]) for _ in range(51)]}
        item.update(change)
        item = {k: v for k, v in item.items() if v is not None}
        valid = grant_item("USER", user["userId"], resource_item(res(), ["read"]))
        assert_error(client.authorize_resources(list=[valid, item], namespace="default"), 400, "参数 list 格式错误")
        assert direct_grants(client, "USER", user["userId"], with_denied=True) == []

    def test_unknown_user_is_not_found_and_nothing_is_granted(self, client, user):
        items = [
            grant_item("USER", user["userId"], resource_item(res(), ["read"])),
            grant_item("USER", "0" * 24, resource_item(res(), ["read"])),
        ]
        assert_error(client.authorize_resources(list=items, namespace="default"), 404, "用户不存在")
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_one_unknown_target_in_an_item_grants_nothing(self, client, user):
        item = grant_item("USER", [user["userId"], unique_code("nobody")], resource_item(res(), ["read"]))
        assert_error(client.authorize_resources(list=[item], namespace="default"), 404, "用户不存在")
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_unknown_role_is_not_found(self, client):
        item = grant_item("ROLE", unique_code("missing"), resource_item(res(), ["read"]))
        assert_error(client.authorize_resources(list=[item], namespace="default"), 404, "角色不存在")

    def test_a_role_of_another_namespace_is_not_found(self, client, role, namespace):
        item = grant_item("ROLE", role["code"], resource_item(res(), ["read"]))
        assert_error(client.authorize_resources(list=[item], namespace=namespace), 404, "角色不存在")
        assert direct_grants(client, "ROLE", role["code"]) == []

    def test_unknown_group_is_not_found(self, client, user):
        items = [
            grant_item("USER", user["userId"], resource_item(res(), ["read"])),
            grant_item("GROUP", unique_code("missing"), resource_item(res(), ["read"])),
        ]
        assert_error(client.authorize_resources(list=items, namespace="default"), 404, "分组不存在")
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_unknown_department_is_not_found(self, client, user):
        items = [
            grant_item("USER", user["userId"], resource_item(res(), ["read"])),
            grant_item("DEPARTMENT", "0" * 24, resource_item(res(), ["read"])),
        ]
        assert_error(client.authorize_resources(list=items, namespace="default"), 404, "部门不存在")
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_a_failed_call_does_not_replace_an_existing_grant(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        items = [
            grant_item("USER", user["userId"], resource_item(code, ["write"])),
            grant_item("GROUP", unique_code("missing"), resource_item(code, ["write"])),
        ]
        assert_error(client.authorize_resources(list=items, namespace="default"), 404, "分组不存在")
        assert summary(direct_grants(client, "USER", user["userId"])) == [(code, "DATA", ["read"], "ALLOW")]

    def test_a_failed_call_does_not_revoke_an_existing_grant(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        items = [
            grant_item("USER", user["userId"], resource_item(code, [])),
            grant_item("USER", user["userId"], resource_item(res(), ["x"], "TABLE")),
        ]
        assert_error(client.authorize_resources(list=items, namespace="default"), 400, "参数 list 格式错误")
        assert is_allowed(client, user["userId"], "read", code)


# ---------------------------------------------------------------------------- §22 get-authorized-resources


class TestGetAuthorizedResources:
    def test_a_grant_without_definition_has_null_api_identifier(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        (grant,) = direct_grants(client, "USER", user["userId"])
        assert (grant["resourceCode"], grant["resourceType"], grant["actions"], grant["effect"]) == (
            code,
            "DATA",
            ["read"],
            "ALLOW",
        )
        assert grant["apiIdentifier"] is None
        assert grant.get("description") is None
        assert "condition" not in grant

    def test_description_and_api_identifier_come_from_the_definition(self, client, user):
        code = res("books")
        assert_ok(
            client.create_resource(type="API", code=code, description="Books", api_identifier="https://b.example")
        )
        authorize(client, "USER", user["userId"], code, ["read"])
        authorize(client, "USER", user["userId"], f"{code}:123", ["read"])
        grants = direct_grants(client, "USER", user["userId"])
        assert [(g["resourceCode"], g["description"], g["apiIdentifier"]) for g in grants] == [
            (code, "Books", "https://b.example"),
            (f"{code}:123", "Books", "https://b.example"),  # an instance shows its class
        ]

    def test_a_definition_in_another_namespace_does_not_count(self, client, user, namespace):
        code = res("books")
        assert_ok(
            client.create_resource(type="API", code=code, api_identifier="https://b.example", namespace=namespace)
        )
        authorize(client, "USER", user["userId"], code, ["read"])
        assert direct_grants(client, "USER", user["userId"])[0]["apiIdentifier"] is None

    def test_lists_direct_grants_only(self, client, user, group, role):
        own = res()
        authorize(client, "USER", user["userId"], own, ["read"])
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=[user["userId"]]))
        authorize(client, "GROUP", group["code"], res(), ["read"])
        assert_success_flag(client.assign_role(code=role["code"], targets=[user_target(user)]))
        authorize(client, "ROLE", role["code"], res(), ["read"])
        assert grant_codes(direct_grants(client, "USER", user["userId"])) == [own]

    def test_lists_in_grant_creation_order(self, client, user):
        codes = [res(f"order-{c}") for c in "zma"]  # creation order is not alphabetical
        for code in codes:
            authorize(client, "USER", user["userId"], code, ["read"])
        assert grant_codes(direct_grants(client, "USER", user["userId"])) == codes

    def test_no_grants_is_an_empty_page(self, client, user):
        data = assert_ok(client.get_authorized_resources(target_type="USER", target_identifier=user["userId"]))
        assert data == {"totalCount": 0, "list": []}

    def test_the_seed_group_developer_can_be_listed(self, client, seed):
        direct_grants(client, "GROUP", seed.group_code, namespace="default")

    def test_lists_a_role_group_and_department(self, client, authing_client, role, group, organization):
        department = new_department(authing_client, organization)
        for target_type, identifier in (
            ("ROLE", role["code"]),
            ("GROUP", group["code"]),
            ("DEPARTMENT", department["departmentId"]),
        ):
            code = res(target_type.lower())
            authorize(client, target_type, identifier, code, ["read"])
            assert grant_codes(direct_grants(client, target_type, identifier)) == [code]

    def test_filters_by_the_grant_resource_type(self, client, user):
        data_code, api_code = res(), res()
        # The definition says MENU; the filter looks at the grant's own type (semantics §10).
        assert_ok(client.create_resource(type="MENU", code=data_code))
        authorize(client, "USER", user["userId"], data_code, ["read"], resource_type="DATA")
        authorize(client, "USER", user["userId"], api_code, ["read"], resource_type="API")
        assert grant_codes(direct_grants(client, "USER", user["userId"], resource_type="DATA")) == [data_code]
        assert grant_codes(direct_grants(client, "USER", user["userId"], resource_type="API")) == [api_code]
        assert direct_grants(client, "USER", user["userId"], resource_type="MENU") == []

    def test_resource_list_keeps_grants_whose_code_starts_with_an_entry(self, client, user):
        cls = res("books")
        codes = [f"{cls}:1", f"{cls}:12", f"{cls}:2", f"{cls}x:1", cls]
        for code in codes:
            authorize(client, "USER", user["userId"], code, ["read"])
        assert grant_codes(direct_grants(client, "USER", user["userId"], resource_list=[f"{cls}:1"])) == [
            f"{cls}:1",
            f"{cls}:12",  # the filter is a prefix of the grant code (semantics §5.2)
        ]
        assert grant_codes(direct_grants(client, "USER", user["userId"], resource_list=[f"{cls}:*"])) == codes[:3]
        assert grant_codes(direct_grants(client, "USER", user["userId"], resource_list=[cls])) == codes

    def test_resource_list_entries_are_a_union(self, client, user):
        books, pens, cups = res("books"), res("pens"), res("cups")
        for code in (f"{books}:1", f"{pens}:1", f"{cups}:1"):
            authorize(client, "USER", user["userId"], code, ["read"])
        found = direct_grants(client, "USER", user["userId"], resource_list=[f"{books}:*", f"{cups}:*"])
        assert grant_codes(found) == [f"{books}:1", f"{cups}:1"]

    def test_resource_list_as_a_comma_separated_string(self, client, user):
        books, pens, cups = res("books"), res("pens"), res("cups")
        for code in (f"{books}:1", f"{pens}:1", f"{cups}:1"):
            authorize(client, "USER", user["userId"], code, ["read"])
        found = direct_grants(client, "USER", user["userId"], resource_list=f"{books}:*,{pens}:*")
        assert grant_codes(found) == [f"{books}:1", f"{pens}:1"]

    def test_resource_list_accepts_50_entries(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        entries = [code] + [res() for _ in range(49)]
        assert grant_codes(direct_grants(client, "USER", user["userId"], resource_list=entries)) == [code]

    def test_rejects_more_than_50_resource_list_entries(self, client, user):
        resp = client.get_authorized_resources(
            target_type="USER", target_identifier=user["userId"], resource_list=[res() for _ in range(51)]
        )
        assert_error(resp, 400, "参数 resourceList 格式错误")

    def test_deny_grants_only_with_with_denied(self, client, user):
        allowed, denied = res(), res()
        authorize(client, "USER", user["userId"], allowed, ["read"])
        authorize(client, "USER", user["userId"], denied, ["read"], effect="DENY")
        assert grant_codes(direct_grants(client, "USER", user["userId"])) == [allowed]
        assert grant_codes(direct_grants(client, "USER", user["userId"], with_denied=False)) == [allowed]
        assert summary(direct_grants(client, "USER", user["userId"], with_denied=True)) == [
            (allowed, "DATA", ["read"], "ALLOW"),
            (denied, "DATA", ["read"], "DENY"),
        ]

    def test_lists_the_grants_of_the_given_namespace(self, client, user, namespace):
        in_default, in_other = res(), res()
        authorize(client, "USER", user["userId"], in_default, ["read"])
        authorize(client, "USER", user["userId"], in_other, ["read"], namespace=namespace)
        assert grant_codes(direct_grants(client, "USER", user["userId"])) == [in_default]
        assert grant_codes(direct_grants(client, "USER", user["userId"], namespace=namespace)) == [in_other]

    @pytest.mark.parametrize("identifier", ["", "额！ ", "RANDOM"], ids=["empty", "non-ascii", "unknown"])
    def test_unknown_group_is_not_found_with_its_code(self, client, identifier):
        identifier = unique_code("missing") if identifier == "RANDOM" else identifier
        resp = client.get_authorized_resources(target_type="GROUP", target_identifier=identifier, namespace="default")
        assert_error(resp, 404, f"group not exists with code: {identifier}")

    def test_unknown_user_is_not_found_with_its_id(self, client):
        identifier = "0" * 24
        resp = client.get_authorized_resources(target_type="USER", target_identifier=identifier)
        assert_error(resp, 404, f"user not exists with id: {identifier}")

    def test_unknown_role_is_not_found_with_its_code(self, client, role, namespace):
        resp = client.get_authorized_resources(target_type="ROLE", target_identifier=role["code"], namespace=namespace)
        assert_error(resp, 404, f"role not exists with code: {role['code']}")

    def test_unknown_department_is_not_found_with_its_id(self, client):
        identifier = "0" * 24
        resp = client.get_authorized_resources(target_type="DEPARTMENT", target_identifier=identifier)
        assert_error(resp, 404, f"department not exists with id: {identifier}")

    def test_rejects_an_unknown_target_type(self, client, user):
        resp = client.get_authorized_resources(target_type="APPLICATION", target_identifier=user["userId"])
        assert_error(resp, 400, "参数 targetType 格式错误")

    def test_rejects_an_unknown_resource_type(self, client, user):
        resp = client.get_authorized_resources(
            target_type="USER", target_identifier=user["userId"], resource_type="TABLE"
        )
        assert_error(resp, 400, "参数 resourceType 格式错误")

    def test_unknown_namespace_is_not_found(self, client, user):
        resp = client.get_authorized_resources(
            target_type="USER", target_identifier=user["userId"], namespace=unique_code("missing")
        )
        assert_error(resp, 404, "权限组不存在")


# ---------------------------------------------------------------------------- §23 is-action-allowed


class TestIsActionAllowed:
    def test_allows_a_granted_action(self, client, user):
        code = f"{res('books')}:123"
        authorize(client, "USER", user["userId"], code, ["books:read"])
        assert is_allowed(client, user["userId"], "books:read", code, namespace="default")

    def test_answers_exactly_the_allowed_flag(self, client, user):
        data = assert_ok(client.is_action_allowed(user_id=user["userId"], action="read", resource=res()))
        assert data == {"allowed": False}

    def test_an_action_that_was_not_granted_is_refused(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        assert not is_allowed(client, user["userId"], "write", code)

    def test_an_unknown_resource_is_refused_not_an_error(self, client, user):
        assert not is_allowed(client, user["userId"], "read", f"{res('never')}:1")

    def test_without_namespace_checks_default(self, client, user, namespace):
        in_default, in_other = res(), res()
        authorize(client, "USER", user["userId"], in_default, ["read"])
        authorize(client, "USER", user["userId"], in_other, ["read"], namespace=namespace)
        assert is_allowed(client, user["userId"], "read", in_default)
        assert not is_allowed(client, user["userId"], "read", in_other)
        assert is_allowed(client, user["userId"], "read", in_other, namespace=namespace)
        assert not is_allowed(client, user["userId"], "read", in_default, namespace=namespace)

    @pytest.mark.parametrize("value", [None, ""], ids=["missing", "empty"])
    @pytest.mark.parametrize("field", ["userId", "action", "resource"])
    def test_rejects_a_missing_or_empty_field(self, client, user, field, value):
        args = {"user_id": user["userId"], "action": "read", "resource": res()}
        args[{"userId": "user_id"}.get(field, field)] = value
        assert_error(client.is_action_allowed(**args), 400, f"参数 {field} 格式错误")

    def test_unknown_namespace_is_not_found(self, client, user):
        resp = client.is_action_allowed(
            user_id=user["userId"], action="read", resource="x", namespace=unique_code("no")
        )
        assert_error(resp, 404, "权限组不存在")

    def test_unknown_user_is_not_found(self, client):
        assert_error(client.is_action_allowed(user_id="0" * 24, action="read", resource="x"), 404, "用户不存在")

    def test_the_user_status_does_not_matter(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        assert assert_ok(client.update_user(user_id=user["userId"], status="Suspended"))["status"] == "Suspended"
        assert is_allowed(client, user["userId"], "read", code)


# ---------------------------------------------------------------------------- §24 get-resource-authorized-targets


class TestGetResourceAuthorizedTargets:
    def test_lists_each_target_with_its_identifier_and_actions(self, client, user, role, group):
        code = res()
        authorize(client, "USER", user["userId"], code, ["u1", "u2"])
        authorize(client, "ROLE", role["code"], code, ["r"])
        authorize(client, "GROUP", group["code"], code, ["g"])
        data = targets_of(client, code, namespace="default")
        assert data["totalCount"] == 3
        assert sorted((t["targetType"], t["targetIdentifier"], t["actions"]) for t in data["list"]) == sorted(
            [("USER", user["userId"], ["u1", "u2"]), ("ROLE", role["code"], ["r"]), ("GROUP", group["code"], ["g"])]
        )

    def test_lists_a_department_by_id(self, authing_client, organization):
        department = new_department(authing_client, organization)
        code = res()
        authorize(authing_client, "DEPARTMENT", department["departmentId"], code, ["read"])
        assert targets_of(authing_client, code)["list"] == [
            {"targetType": "DEPARTMENT", "targetIdentifier": department["departmentId"], "actions": ["read"]}
        ]

    def test_matches_the_code_exactly(self, client):
        # No wildcard expansion: the holders of `books`, `books:*` and `*` are not targets of
        # `books:1`, and the other way round.
        cls = res("books")
        holders = {code: new_user(client) for code in (cls, f"{cls}:*", f"{cls}:1", "*")}
        for code, holder in holders.items():
            authorize(client, "USER", holder["userId"], code, ["read"])
        for code in (cls, f"{cls}:*", f"{cls}:1"):
            assert targets_of(client, code)["list"] == [
                {"targetType": "USER", "targetIdentifier": holders[code]["userId"], "actions": ["read"]}
            ]

    def test_does_not_list_deny_grants(self, client, user):
        code = res()
        denied = new_user(client)
        authorize(client, "USER", user["userId"], code, ["read"])
        authorize(client, "USER", denied["userId"], code, ["read"], effect="DENY")
        assert [t["targetIdentifier"] for t in targets_of(client, code)["list"]] == [user["userId"]]

    def test_filters_by_target_type(self, client, user, role, group):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        authorize(client, "ROLE", role["code"], code, ["read"])
        authorize(client, "GROUP", group["code"], code, ["read"])
        for target_type, identifier in (("USER", user["userId"]), ("ROLE", role["code"]), ("GROUP", group["code"])):
            data = targets_of(client, code, target_type=target_type)
            assert data["totalCount"] == 1
            assert [(t["targetType"], t["targetIdentifier"]) for t in data["list"]] == [(target_type, identifier)]
        assert targets_of(client, code, target_type="DEPARTMENT") == {"totalCount": 0, "list": []}

    def test_pages_through_the_targets(self, client):
        code = res()
        users = [new_user(client) for _ in range(12)]
        item = grant_item("USER", [u["userId"] for u in users], resource_item(code, ["read"]))
        assert_success_flag(client.authorize_resources(list=[item], namespace="default"))
        first = targets_of(client, code)
        assert (first["totalCount"], len(first["list"])) == (12, 10)  # default limit 10
        second = targets_of(client, code, page=2)
        assert (second["totalCount"], len(second["list"])) == (12, 2)
        small = [targets_of(client, code, page=p, limit=5)["list"] for p in (1, 2, 3)]
        assert [len(p) for p in small] == [5, 5, 2]
        seen = [t["targetIdentifier"] for p in small for t in p]
        assert sorted(seen) == sorted(u["userId"] for u in users)

    def test_looks_in_the_given_namespace(self, client, user, namespace):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"], namespace=namespace)
        assert targets_of(client, code) == {"totalCount": 0, "list": []}
        assert targets_of(client, code, namespace=namespace)["totalCount"] == 1

    def test_an_unknown_resource_has_no_targets(self, client):
        assert targets_of(client, res()) == {"totalCount": 0, "list": []}

    def test_rejects_a_missing_resource(self, client):
        assert_error(client.get_resource_authorized_targets(resource=None), 400, "参数 resource 格式错误")

    def test_unknown_namespace_is_not_found(self, client):
        resp = client.get_resource_authorized_targets(resource=res(), namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")

    @pytest.mark.parametrize(("paging", "field"), BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, paging, field):
        resp = client.get_resource_authorized_targets(resource=res(), **{"page": 1, "limit": 10, **paging})
        assert_error(resp, 400, f"参数 {field} 格式错误")


# ---------------------------------------------------------------------------- §25 get-user-authorized-resources


class TestGetUserAuthorizedResources:
    def test_unions_own_group_and_role_grants(self, client, user, group, role):
        own, via_group, via_role = res("own"), res("group"), res("role")
        authorize(client, "USER", user["userId"], own, ["read"])
        authorize(client, "GROUP", group["code"], via_group, ["read"])
        authorize(client, "ROLE", role["code"], via_role, ["read"])
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=[user["userId"]]))
        assert_success_flag(client.assign_role(code=role["code"], targets=[user_target(user)]))
        items = user_resources(client, user["userId"])
        assert sorted(grant_codes(items)) == sorted([own, via_group, via_role])
        assert all(g["effect"] == "ALLOW" for g in items)

    def test_unions_department_and_department_role_grants(self, authing_client, organization):
        user = new_user(authing_client)
        department = new_department(authing_client, organization)
        join_department(authing_client, organization, department["departmentId"], user)
        role = new_role(authing_client)
        targets = [{"targetType": "DEPARTMENT", "targetIdentifier": department["departmentId"]}]
        assert_success_flag(authing_client.assign_role(code=role["code"], targets=targets))
        via_department, via_role = res("dept"), res("dept-role")
        authorize(authing_client, "DEPARTMENT", department["departmentId"], via_department, ["read"])
        authorize(authing_client, "ROLE", role["code"], via_role, ["read"])
        assert sorted(grant_codes(user_resources(authing_client, user["userId"]))) == sorted([via_department, via_role])

    def test_merges_one_code_into_one_entry_with_the_actions_in_order(self, client, user, group, role):
        code = res()
        authorize(client, "USER", user["userId"], code, ["a"])
        authorize(client, "ROLE", role["code"], code, ["b", "a"])
        authorize(client, "GROUP", group["code"], code, ["c", "b"])
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=[user["userId"]]))
        assert_success_flag(client.assign_role(code=role["code"], targets=[user_target(user)]))
        assert summary(user_resources(client, user["userId"])) == [(code, "DATA", ["a", "b", "c"], "ALLOW")]

    def test_merges_in_user_role_group_department_order_with_the_first_type(self, authing_client, organization):
        user = new_user(authing_client)
        role, group = new_role(authing_client), new_group_dto(authing_client)
        department = new_department(authing_client, organization)
        join_department(authing_client, organization, department["departmentId"], user)
        assert_success_flag(authing_client.add_group_members(code=group["code"], user_ids=[user["userId"]]))
        assert_success_flag(authing_client.assign_role(code=role["code"], targets=[user_target(user)]))
        code = res()
        # Granted in the reverse order, so that creation order cannot explain the result.
        authorize(authing_client, "DEPARTMENT", department["departmentId"], code, ["d", "u"])
        authorize(authing_client, "GROUP", group["code"], code, ["g"])
        authorize(authing_client, "ROLE", role["code"], code, ["r"])
        authorize(authing_client, "USER", user["userId"], code, ["u"], resource_type="API")
        assert summary(user_resources(authing_client, user["userId"])) == [(code, "API", ["u", "r", "g", "d"], "ALLOW")]

    def test_deny_grants_are_listed_apart(self, client, user, group):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        authorize(client, "GROUP", group["code"], code, ["write"], effect="DENY")
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=[user["userId"]]))
        assert sorted(summary(user_resources(client, user["userId"]))) == [
            (code, "DATA", ["read"], "ALLOW"),
            (code, "DATA", ["write"], "DENY"),
        ]

    def test_shows_the_definition_fields(self, client, user):
        code = res("books")
        assert_ok(
            client.create_resource(type="API", code=code, description="Books", api_identifier="https://b.example")
        )
        authorize(client, "USER", user["userId"], f"{code}:9", ["read"])
        (item,) = user_resources(client, user["userId"])
        assert (item["resourceCode"], item["description"], item["apiIdentifier"]) == (
            f"{code}:9",
            "Books",
            "https://b.example",
        )

    def test_filters_by_resource_type(self, client, user):
        data_code, api_code = res(), res()
        authorize(client, "USER", user["userId"], data_code, ["read"])
        authorize(client, "USER", user["userId"], api_code, ["read"], resource_type="API")
        assert grant_codes(user_resources(client, user["userId"], resource_type="API")) == [api_code]

    def test_looks_in_the_given_namespace(self, client, user, namespace):
        role = new_role(client, namespace=namespace)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"], namespace=namespace)
        assert_success_flag(client.assign_role(code=role["code"], namespace=namespace, targets=[user_target(user)]))
        assert user_resources(client, user["userId"]) == []
        assert grant_codes(user_resources(client, user["userId"], namespace=namespace)) == [code]

    def test_finds_the_user_by_email(self, client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        assert grant_codes(user_resources(client, user["email"], user_id_type="email")) == [code]

    def test_no_grants_is_an_empty_page(self, client, user):
        assert assert_ok(client.get_user_authorized_resources(user_id=user["userId"])) == {"totalCount": 0, "list": []}

    def test_rejects_an_empty_user_id(self, client):
        assert_error(client.get_user_authorized_resources(user_id=""), 400, "参数 userId 格式错误")

    def test_unknown_user_is_not_found(self, client):
        assert_error(client.get_user_authorized_resources(user_id="x" * 30), 404, "用户不存在")

    def test_unknown_namespace_is_not_found(self, client, user):
        resp = client.get_user_authorized_resources(user_id=user["userId"], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")


# ---------------------------------------------------------------------------- §26 get-role-authorized-resources


class TestGetRoleAuthorizedResources:
    def test_lists_the_allow_grants_of_the_role(self, client, role):
        code, denied = res("books"), res()
        assert_ok(client.create_resource(type="API", code=code, api_identifier="https://b.example"))
        authorize(client, "ROLE", role["code"], code, ["read", "write"], resource_type="API")
        authorize(client, "ROLE", role["code"], f"{code}:1", ["read"])
        authorize(client, "ROLE", role["code"], denied, ["read"], effect="DENY")
        assert role_resources(client, role["code"]) == [
            {
                "resourceCode": code,
                "resourceType": "API",
                "actions": ["read", "write"],
                "apiIdentifier": "https://b.example",
            },
            {
                "resourceCode": f"{code}:1",
                "resourceType": "DATA",
                "actions": ["read"],
                "apiIdentifier": "https://b.example",
            },
        ]

    def test_api_identifier_is_null_without_a_definition(self, client, role):
        authorize(client, "ROLE", role["code"], res(), ["read"])
        assert role_resources(client, role["code"], namespace="default")[0]["apiIdentifier"] is None

    def test_lists_a_role_of_another_namespace(self, client, namespace):
        role = new_role(client, namespace=namespace)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"], namespace=namespace)
        assert grant_codes(role_resources(client, role["code"], namespace=namespace)) == [code]

    def test_filters_by_resource_type(self, client, role):
        data_code, menu_code = res(), res()
        authorize(client, "ROLE", role["code"], data_code, ["read"])
        authorize(client, "ROLE", role["code"], menu_code, ["view"], resource_type="MENU")
        assert grant_codes(role_resources(client, role["code"], resource_type="MENU")) == [menu_code]

    def test_no_grants_is_an_empty_page(self, client, role):
        assert assert_ok(client.get_role_authorized_resources(code=role["code"])) == {"totalCount": 0, "list": []}

    def test_unknown_role_is_not_found(self, client):
        assert_error(client.get_role_authorized_resources(code=unique_code("missing")), 404, "角色不存在")

    def test_a_role_of_another_namespace_is_not_found(self, client, role, namespace):
        assert_error(client.get_role_authorized_resources(code=role["code"], namespace=namespace), 404, "角色不存在")

    def test_unknown_namespace_is_not_found(self, client, role):
        resp = client.get_role_authorized_resources(code=role["code"], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")


# ---------------------------------------------------------------------------- §27 get-group-authorized-resources


class TestGetGroupAuthorizedResources:
    def test_returns_an_array_of_the_grants(self, client, group):
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"])
        data = assert_ok(client.get_group_authorized_resources(code=group["code"], namespace="default"))
        assert isinstance(data, list), data
        assert summary(data) == [(code, "DATA", ["read"], "ALLOW")]
        assert data[0]["apiIdentifier"] is None

    def test_no_grants_is_an_empty_array(self, client, group):
        assert assert_ok(client.get_group_authorized_resources(code=group["code"])) == []

    def test_looks_in_the_given_namespace(self, client, group, namespace):
        in_default, in_other = res(), res()
        authorize(client, "GROUP", group["code"], in_default, ["read"])
        authorize(client, "GROUP", group["code"], in_other, ["read"], namespace=namespace)
        assert grant_codes(assert_ok(client.get_group_authorized_resources(code=group["code"]))) == [in_default]
        data = assert_ok(client.get_group_authorized_resources(code=group["code"], namespace=namespace))
        assert grant_codes(data) == [in_other]

    def test_filters_by_resource_type(self, client, group):
        data_code, button_code = res(), res()
        authorize(client, "GROUP", group["code"], data_code, ["read"])
        authorize(client, "GROUP", group["code"], button_code, ["click"], resource_type="BUTTON")
        data = assert_ok(client.get_group_authorized_resources(code=group["code"], resource_type="BUTTON"))
        assert grant_codes(data) == [button_code]

    def test_unknown_group_is_not_found(self, client):
        assert_error(client.get_group_authorized_resources(code=unique_code("missing")), 404, "分组不存在")

    def test_unknown_namespace_is_not_found(self, client, group):
        resp = client.get_group_authorized_resources(code=group["code"], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")


# ---------------------------------------------------------------------------- pool isolation


class TestAuthorizationPoolIsolation:
    def test_another_pool_cannot_authorize_a_user_of_this_pool(self, client, pool2_client, user):
        item = grant_item("USER", user["userId"], resource_item(res(), ["read"]))
        assert_error(pool2_client.authorize_resources(list=[item], namespace="default"), 404, "用户不存在")
        assert direct_grants(client, "USER", user["userId"]) == []

    def test_another_pool_cannot_check_or_list_a_user_of_this_pool(self, client, pool2_client, user):
        code = res()
        authorize(client, "USER", user["userId"], code, ["read"])
        assert_error(
            pool2_client.is_action_allowed(user_id=user["userId"], action="read", resource=code), 404, "用户不存在"
        )
        assert_error(pool2_client.get_user_authorized_resources(user_id=user["userId"]), 404, "用户不存在")
        resp = pool2_client.get_authorized_resources(target_type="USER", target_identifier=user["userId"])
        assert_error(resp, 404, f"user not exists with id: {user['userId']}")
        assert assert_ok(pool2_client.get_resource_authorized_targets(resource=code)) == {"totalCount": 0, "list": []}

    def test_groups_of_the_same_code_are_separate(self, client, pool2_client, group):
        assert_ok(pool2_client.create_group(type=None, code=group["code"], name="pool 2", description=""))
        authorize(pool2_client, "GROUP", group["code"], res(), ["*"])
        assert assert_ok(client.get_group_authorized_resources(code=group["code"])) == []
