"""How grants combine into is-action-allowed answers: semantics.md §3–§13.

TestScenarios is the table of semantics.md §12 (S1–S18), one test per row, with the literal
codes of the table in namespace `default` (every test has its own users, roles and groups).
The other classes cover the rest of the rules: replace/revoke, action and resource matching,
DENY wins, default deny, namespace isolation, cascades on deletion, disabled roles and role
assignment windows, department inheritance, and renames / membership changes, each checked
on the very next call. Department writes exist only in `authing` (README §10): those tests
take `authing_client`.
"""

from __future__ import annotations

import pytest

from helpers import (
    assert_error,
    assert_ok,
    assert_page,
    assert_success_flag,
    authorize,
    department_target,
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
    now_ms,
    resource_item,
    unique_code,
    user_target,
)

HOUR_MS = 3_600_000


@pytest.fixture
def user(client):
    return new_user(client)


@pytest.fixture
def namespace(client):
    return new_namespace(client)


@pytest.fixture
def organization(authing_client):
    return assert_ok(new_organization(authing_client))


def uid(user) -> str:
    return user["userId"]


def res(prefix: str = "res") -> str:
    """A fresh resource class nobody else uses."""
    return unique_code(prefix)


def assign(client, role, *targets, namespace=None, **window) -> None:
    """assign-role of `role` to these TargetDtos; `window`: end_time / enable_time (ms)."""
    resp = client.assign_role(
        code=role["code"], namespace=namespace or role["namespace"], targets=list(targets), **window
    )
    assert_success_flag(resp)


def join_group(client, group, *users) -> None:
    assert_success_flag(client.add_group_members(code=group["code"], user_ids=[uid(u) for u in users]))


def set_role_status(client, role, status) -> None:
    resp = client.update_role(code=role["code"], namespace=role["namespace"], name=None, new_code=None, status=status)
    assert_success_flag(resp)


def all_targets(client, resource, namespace=None) -> list:
    """Every page of get-resource-authorized-targets: (targetType, targetIdentifier) pairs."""
    found, page = [], 1
    while True:
        data = assert_ok(
            client.get_resource_authorized_targets(resource=resource, namespace=namespace, page=page, limit=50)
        )
        items = assert_page(data)
        found += [(t["targetType"], t["targetIdentifier"]) for t in items]
        if not items or len(found) >= data["totalCount"]:
            return found
        page += 1


def department_chain(client, organization, depth: int) -> list:
    """`depth` nested departments under the organization's root, outermost first."""
    chain, parent = [], organization["departmentId"]
    for _ in range(depth):
        chain.append(new_department(client, organization, parent_department_id=parent))
        parent = chain[-1]["departmentId"]
    return chain


def member_of(client, organization, department):
    """A fresh user who is a direct member of `department`."""
    member = new_user(client)
    join_department(client, organization, department["departmentId"], member)
    return member


# ---------------------------------------------------------------------------- semantics §12


class TestScenarios:
    def test_s1_a_granted_action_on_the_granted_instance_is_allowed(self, client, user):
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        assert is_allowed(client, uid(user), "books:read", "books:123") is True

    def test_s2_another_action_on_the_granted_instance_is_refused(self, client, user):
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        assert is_allowed(client, uid(user), "books:edit", "books:123") is False

    def test_s3_wildcard_code_and_action_cover_every_instance_and_action(self, client, user):
        authorize(client, "USER", uid(user), "books:*", ["books:*"])
        assert is_allowed(client, uid(user), "books:edit", "books:999") is True

    def test_s4_a_class_grant_covers_its_instances(self, client, user):
        authorize(client, "USER", uid(user), "books", ["read"])
        assert is_allowed(client, uid(user), "read", "books:7") is True

    def test_s5_an_instance_grant_is_not_a_prefix(self, client, user):
        authorize(client, "USER", uid(user), "books:1", ["read"])
        assert is_allowed(client, uid(user), "read", "books:12") is False

    def test_s6_a_role_with_everything_allows_anything(self, client, user):
        role = new_role(client)
        authorize(client, "ROLE", role["code"], "*", ["*"])
        assign(client, role, user_target(user))
        assert is_allowed(client, uid(user), "anything", "x:1") is True

    def test_s7_a_role_of_another_namespace_does_not_count_in_default(self, client, user, namespace):
        role = new_role(client)  # the same code exists in `default`, without grants or members
        other = assert_ok(client.create_role(code=role["code"], namespace=namespace))
        authorize(client, "ROLE", other["code"], "*", ["*"], namespace=namespace)
        assign(client, other, user_target(user), namespace=namespace)
        assert is_allowed(client, uid(user), "anything", "x:1", namespace=namespace) is True
        assert is_allowed(client, uid(user), "anything", "x:1") is False

    def test_s8_a_group_grant_reaches_its_members(self, client, user):
        group = new_group_dto(client)
        authorize(client, "GROUP", group["code"], "doc:1", ["read"])
        join_group(client, group, user)
        assert is_allowed(client, uid(user), "read", "doc:1") is True

    def test_s9_a_department_grant_does_not_reach_members_of_a_child(self, authing_client, organization):
        parent = new_department(authing_client, organization)
        child = new_department(authing_client, organization, parent_department_id=parent["departmentId"])
        authorize(authing_client, "DEPARTMENT", parent["departmentId"], "doc:1", ["read"])
        in_child = member_of(authing_client, organization, child)
        in_parent = member_of(authing_client, organization, parent)
        assert is_allowed(authing_client, uid(in_child), "read", "doc:1") is False
        assert is_allowed(authing_client, uid(in_parent), "read", "doc:1") is True

    def test_s10_a_role_assigned_to_a_department_reaches_its_members(self, authing_client, organization):
        department = new_department(authing_client, organization)
        role = new_role(authing_client)
        assign(authing_client, role, department_target(department["departmentId"]))
        member = member_of(authing_client, organization, department)
        authorize(authing_client, "ROLE", role["code"], "doc:1", ["read"])
        assert is_allowed(authing_client, uid(member), "read", "doc:1") is True

    def test_s11_reauthorizing_replaces_the_actions(self, client, user):
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        authorize(client, "USER", uid(user), "books:123", ["books:edit"])
        grants = direct_grants(client, "USER", uid(user))
        assert [(g["resourceCode"], g["actions"]) for g in grants] == [("books:123", ["books:edit"])]
        assert is_allowed(client, uid(user), "books:read", "books:123") is False
        assert is_allowed(client, uid(user), "books:edit", "books:123") is True

    def test_s12_empty_actions_revoke_the_grant(self, client, user):
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        authorize(client, "USER", uid(user), "books:123", [])
        assert direct_grants(client, "USER", uid(user)) == []
        assert is_allowed(client, uid(user), "books:read", "books:123") is False

    def test_s13_resource_list_wildcard_is_a_prefix_filter(self, client, user):
        for code in ("books:123", "books:fictions_123", "pens:1"):
            authorize(client, "USER", uid(user), code, ["read"])
        found = direct_grants(client, "USER", uid(user), resource_list=["books:*"])
        assert sorted(g["resourceCode"] for g in found) == ["books:123", "books:fictions_123"]

    def test_s14_resource_list_plain_prefix(self, client, user):
        for code in ("books:123", "books:fictions_123", "pens:1"):
            authorize(client, "USER", uid(user), code, ["read"])
        found = direct_grants(client, "USER", uid(user), resource_list=["books:fictions_"])
        assert [g["resourceCode"] for g in found] == ["books:fictions_123"]

    def test_s15_a_deleted_user_is_no_longer_a_target(self, client, user):
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        assert ("USER", uid(user)) in all_targets(client, "books:123")
        assert_success_flag(client.delete_users_batch(user_ids=[uid(user)]))
        assert ("USER", uid(user)) not in all_targets(client, "books:123")

    def test_s16_a_deny_grant_wins_and_is_listed_only_with_denied(self, client, user):
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        authorize(client, "USER", uid(user), "books:*", ["books:read"], effect="DENY")
        assert is_allowed(client, uid(user), "books:read", "books:123") is False
        assert [g["resourceCode"] for g in direct_grants(client, "USER", uid(user))] == ["books:123"]
        listed = direct_grants(client, "USER", uid(user), with_denied=True)
        assert sorted((g["resourceCode"], g["effect"]) for g in listed) == [("books:*", "DENY"), ("books:123", "ALLOW")]

    def test_s17_a_disabled_role_allows_nothing(self, client, user):
        role = new_role(client)
        authorize(client, "ROLE", role["code"], "*", ["*"])
        assign(client, role, user_target(user))
        set_role_status(client, role, "DISABLE")
        assert is_allowed(client, uid(user), "anything", "x:1") is False

    def test_s18_deleting_a_resource_class_removes_its_instance_grants(self, client, user):
        assert_success_flag(client.delete_resource(code="books"))  # idempotent: start from no definition
        assert_ok(
            client.create_resource(type="DATA", code="books", actions=[{"name": "books:read", "description": ""}])
        )
        authorize(client, "USER", uid(user), "books:123", ["books:read"])
        assert is_allowed(client, uid(user), "books:read", "books:123") is True
        assert_success_flag(client.delete_resource(code="books"))
        assert is_allowed(client, uid(user), "books:read", "books:123") is False


# ---------------------------------------------------------------------------- §13.2–13.3 replace and revoke


class TestReplaceAndRevoke:
    def test_the_replaced_actions_stop_working_on_the_next_check(self, client, user):
        code = f"{res()}:1"
        authorize(client, "USER", uid(user), code, ["read", "write"])
        authorize(client, "USER", uid(user), code, ["write"])
        assert (is_allowed(client, uid(user), "read", code), is_allowed(client, uid(user), "write", code)) == (
            False,
            True,
        )

    def test_revoking_leaves_the_other_grants_working(self, client, user):
        revoked, kept = res(), res()
        authorize(client, "USER", uid(user), revoked, ["read"])
        authorize(client, "USER", uid(user), kept, ["read"])
        authorize(client, "USER", uid(user), revoked, [])
        assert (is_allowed(client, uid(user), "read", revoked), is_allowed(client, uid(user), "read", kept)) == (
            False,
            True,
        )

    def test_revoking_one_target_leaves_the_others(self, client):
        first, second = new_user(client), new_user(client)
        code = res()
        item = grant_item("USER", [uid(first), uid(second)], resource_item(code, ["read"]))
        assert_success_flag(client.authorize_resources(list=[item], namespace="default"))
        authorize(client, "USER", uid(first), code, [])
        assert (is_allowed(client, uid(first), "read", code), is_allowed(client, uid(second), "read", code)) == (
            False,
            True,
        )

    def test_a_grant_can_be_given_again_after_revoking(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        authorize(client, "USER", uid(user), code, [])
        authorize(client, "USER", uid(user), code, ["read"])
        assert is_allowed(client, uid(user), "read", code) is True


# ---------------------------------------------------------------------------- §6 action matching


class TestActionWildcards:
    @pytest.mark.parametrize("action", ["read", "books:edit", "anything:at:all", "*"])
    def test_star_matches_every_action(self, client, user, action):
        code = res()
        authorize(client, "USER", uid(user), code, ["*"])
        assert is_allowed(client, uid(user), action, code) is True

    @pytest.mark.parametrize(
        ("action", "expected"),
        [
            ("books:edit", True),
            ("books:delete", True),
            ("books:a:b", True),
            ("books:*", True),
            ("books", False),
            ("booksx:edit", False),
            ("pens:edit", False),
            ("edit", False),
        ],
    )
    def test_prefix_star_matches_actions_with_that_prefix(self, client, user, action, expected):
        code = res()
        authorize(client, "USER", uid(user), code, ["books:*"])
        assert is_allowed(client, uid(user), action, code) is expected

    def test_action_names_are_otherwise_opaque(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["edit", "books:read", "view*"])
        answers = {a: is_allowed(client, uid(user), a, code) for a in ("edit", "books:edit", "read", "view*", "viewer")}
        assert answers == {"edit": True, "books:edit": False, "read": False, "view*": True, "viewer": False}

    def test_actions_are_case_sensitive(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        assert is_allowed(client, uid(user), "Read", code) is False


# ---------------------------------------------------------------------------- §5.1 resource matching


class TestResourceMatching:
    @pytest.mark.parametrize("resource", ["x:1", "books", "a:b:c", "*"])
    def test_star_covers_every_resource(self, client, user, resource):
        authorize(client, "USER", uid(user), "*", ["read"])
        assert is_allowed(client, uid(user), "read", resource) is True

    @pytest.mark.parametrize(
        ("suffix", "expected"),
        [(":123", True), (":a:b", True), (":*", True), ("", False), ("x:1", False)],
        ids=["instance", "nested-instance", "literal-wildcard", "the-class-itself", "longer-class"],
    )
    def test_trailing_star_covers_what_starts_with_the_rest(self, client, user, suffix, expected):
        cls = res("books")
        authorize(client, "USER", uid(user), f"{cls}:*", ["read"])
        assert is_allowed(client, uid(user), "read", f"{cls}{suffix}") is expected

    def test_a_star_in_the_middle_of_a_word_is_a_prefix_too(self, client, user):
        cls = res("books")
        authorize(client, "USER", uid(user), f"{cls}:fic*", ["read"])
        answers = [is_allowed(client, uid(user), "read", f"{cls}:{r}") for r in ("fiction", "fic", "fact")]
        assert answers == [True, True, False]

    @pytest.mark.parametrize(
        ("suffix", "expected"),
        [("", True), (":123", True), (":1:2", True), ("x:1", False), ("-x", False)],
        ids=["itself", "instance", "nested-instance", "longer-class", "dash-suffix"],
    )
    def test_a_class_code_covers_its_instances(self, client, user, suffix, expected):
        cls = res("books")
        authorize(client, "USER", uid(user), cls, ["read"])
        assert is_allowed(client, uid(user), "read", f"{cls}{suffix}") is expected

    @pytest.mark.parametrize(
        ("requested", "expected"),
        [(":1", True), (":12", False), ("", False), (":*", False), (":1:2", False)],
        ids=["itself", "longer-id", "the-class", "literal-wildcard", "sub-instance"],
    )
    def test_an_instance_code_covers_only_itself(self, client, user, requested, expected):
        cls = res("books")
        authorize(client, "USER", uid(user), f"{cls}:1", ["read"])
        assert is_allowed(client, uid(user), "read", f"{cls}{requested}") is expected

    def test_codes_are_case_sensitive(self, client, user):
        cls = res("books")
        authorize(client, "USER", uid(user), cls, ["read"])
        assert is_allowed(client, uid(user), "read", f"{cls.upper()}:1") is False


# ---------------------------------------------------------------------------- §7 / §13.6 DENY wins


class TestDenyWins:
    def test_a_deny_on_the_same_code_and_action_wins_over_allow_of_another_target(self, client, user):
        group = new_group_dto(client)
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        authorize(client, "GROUP", group["code"], code, ["read"], effect="DENY")
        assert is_allowed(client, uid(user), "read", code) is True  # not a member yet
        join_group(client, group, user)
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_role_deny_wins_over_a_group_allow(self, client, user):
        group, role = new_group_dto(client), new_role(client)
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"])
        authorize(client, "ROLE", role["code"], code, ["read"], effect="DENY")
        join_group(client, group, user)
        assign(client, role, user_target(user))
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_deny_of_another_action_does_not_block(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["read", "write"])
        authorize(client, "USER", uid(user), f"{code}:*", ["write"], effect="DENY")
        assert (
            is_allowed(client, uid(user), "read", f"{code}:1"),
            is_allowed(client, uid(user), "write", f"{code}:1"),
        ) == (
            True,
            False,
        )

    def test_a_deny_with_the_action_wildcard_blocks_every_action(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), "*", ["*"])
        authorize(client, "USER", uid(user), code, ["*"], effect="DENY")
        assert is_allowed(client, uid(user), "anything", f"{code}:9") is False
        assert is_allowed(client, uid(user), "anything", f"{res()}:9") is True

    def test_a_deny_that_does_not_cover_the_resource_does_not_block(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), f"{code}:1", ["read"])
        authorize(client, "USER", uid(user), f"{code}:2", ["read"], effect="DENY")
        assert is_allowed(client, uid(user), "read", f"{code}:1") is True

    def test_a_deny_alone_allows_nothing(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"], effect="DENY")
        assert is_allowed(client, uid(user), "read", code) is False

    def test_revoking_the_deny_restores_access_on_the_next_check(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        group = new_group_dto(client)
        join_group(client, group, user)
        authorize(client, "GROUP", group["code"], code, ["read"], effect="DENY")
        assert is_allowed(client, uid(user), "read", code) is False
        authorize(client, "GROUP", group["code"], code, [], effect="DENY")
        assert is_allowed(client, uid(user), "read", code) is True

    def test_a_deny_in_another_namespace_does_not_block(self, client, user, namespace):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        authorize(client, "USER", uid(user), code, ["read"], effect="DENY", namespace=namespace)
        assert is_allowed(client, uid(user), "read", code) is True

    def test_a_department_deny_blocks_its_members(self, authing_client, organization):
        department = new_department(authing_client, organization)
        member = member_of(authing_client, organization, department)
        code = res()
        authorize(authing_client, "USER", uid(member), code, ["read"])
        authorize(authing_client, "DEPARTMENT", department["departmentId"], code, ["read"], effect="DENY")
        assert is_allowed(authing_client, uid(member), "read", code) is False


# ---------------------------------------------------------------------------- §7 default deny


class TestDefaultDeny:
    @pytest.mark.parametrize(("action", "resource"), [("read", "x:1"), ("*", "*")])
    def test_a_user_without_grants_is_refused(self, client, user, action, resource):
        assert is_allowed(client, uid(user), action, resource) is False

    def test_a_grant_to_another_user_does_not_help(self, client, user):
        code = res()
        authorize(client, "USER", uid(new_user(client)), code, ["read"])
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_group_grant_does_not_reach_non_members(self, client, user):
        group = new_group_dto(client)
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"])
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_role_grant_does_not_reach_users_without_the_role(self, client, user):
        role = new_role(client)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"])
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_defined_resource_without_grants_is_refused(self, client, user):
        code = res()
        assert_ok(client.create_resource(type="DATA", code=code, actions=[{"name": "read", "description": ""}]))
        assert is_allowed(client, uid(user), "read", code) is False


# ---------------------------------------------------------------------------- namespace isolation


class TestNamespaceIsolation:
    def test_a_user_grant_counts_only_in_its_namespace(self, client, user, namespace):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"], namespace=namespace)
        assert (
            is_allowed(client, uid(user), "read", code),
            is_allowed(client, uid(user), "read", code, namespace),
        ) == (
            False,
            True,
        )

    def test_a_group_grant_counts_only_in_its_namespace(self, client, user, namespace):
        group = new_group_dto(client)
        join_group(client, group, user)
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"], namespace=namespace)
        assert (
            is_allowed(client, uid(user), "read", code),
            is_allowed(client, uid(user), "read", code, namespace),
        ) == (
            False,
            True,
        )

    def test_a_role_of_default_does_not_count_elsewhere(self, client, user, namespace):
        role = new_role(client)
        authorize(client, "ROLE", role["code"], "*", ["*"])
        assign(client, role, user_target(user))
        assert (is_allowed(client, uid(user), "x", "y"), is_allowed(client, uid(user), "x", "y", namespace)) == (
            True,
            False,
        )

    def test_the_same_code_in_two_namespaces_is_two_grants(self, client, user, namespace):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        authorize(client, "USER", uid(user), code, ["read"], namespace=namespace)
        authorize(client, "USER", uid(user), code, [], namespace=namespace)
        assert (
            is_allowed(client, uid(user), "read", code),
            is_allowed(client, uid(user), "read", code, namespace),
        ) == (
            True,
            False,
        )

    def test_a_role_cannot_be_assigned_outside_its_namespace(self, client, user, namespace):
        role = new_role(client, namespace=namespace)
        resp = client.assign_role(code=role["code"], targets=[user_target(user)])
        assert_error(resp, 404, "角色不存在")


# ---------------------------------------------------------------------------- §9 cascades


class TestDeletionCascades:
    def test_a_deleted_user_is_unknown_to_the_next_check(self, client, user):
        code = res()
        authorize(client, "USER", uid(user), code, ["read"])
        assert_success_flag(client.delete_users_batch(user_ids=[uid(user)]))
        assert_error(client.is_action_allowed(user_id=uid(user), action="read", resource=code), 404, "用户不存在")
        assert all_targets(client, code) == []

    def test_a_deleted_user_leaves_its_roles_and_groups(self, client, user):
        role, group = new_role(client), new_group_dto(client)
        assign(client, role, user_target(user))
        join_group(client, group, user)
        assert_success_flag(client.delete_users_batch(user_ids=[uid(user)]))
        assert assert_ok(client.list_role_members(code=role["code"]))["totalCount"] == 0
        assert assert_ok(client.list_group_members(code=group["code"]))["totalCount"] == 0

    def test_a_deleted_role_allows_nothing_and_a_new_role_of_that_code_starts_empty(self, client, user):
        role = new_role(client)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"])
        assign(client, role, user_target(user))
        assert is_allowed(client, uid(user), "read", code) is True
        assert_success_flag(client.delete_roles_batch(code_list=[role["code"]]))
        assert is_allowed(client, uid(user), "read", code) is False
        again = assert_ok(client.create_role(code=role["code"]))
        assert assert_ok(client.get_role_authorized_resources(code=again["code"])) == {"totalCount": 0, "list": []}
        assert assert_ok(client.list_role_members(code=again["code"]))["totalCount"] == 0
        assert is_allowed(client, uid(user), "read", code) is False
        assert all_targets(client, code) == []

    def test_a_deleted_group_allows_nothing_and_a_new_group_of_that_code_starts_empty(self, client, user):
        group = new_group_dto(client)
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"])
        join_group(client, group, user)
        assert is_allowed(client, uid(user), "read", code) is True
        assert_success_flag(client.delete_groups_batch(code_list=[group["code"]]))
        assert is_allowed(client, uid(user), "read", code) is False
        assert_ok(client.create_group(type=None, code=group["code"], name="again", description=""))
        assert assert_ok(client.get_group_authorized_resources(code=group["code"])) == []
        assert assert_ok(client.list_group_members(code=group["code"]))["totalCount"] == 0
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_deleted_department_takes_its_grants_and_roles_along(self, authing_client, organization):
        department = new_department(authing_client, organization)
        member = member_of(authing_client, organization, department)
        role = new_role(authing_client)
        assign(authing_client, role, department_target(department["departmentId"]))
        direct, via_role = res("dept"), res("role")
        authorize(authing_client, "DEPARTMENT", department["departmentId"], direct, ["read"])
        authorize(authing_client, "ROLE", role["code"], via_role, ["read"])
        assert [is_allowed(authing_client, uid(member), "read", c) for c in (direct, via_role)] == [True, True]
        resp = authing_client.delete_department(
            organization_code=organization["organizationCode"], department_id=department["departmentId"]
        )
        assert_success_flag(resp)
        assert [is_allowed(authing_client, uid(member), "read", c) for c in (direct, via_role)] == [False, False]
        assert all_targets(authing_client, direct) == []
        assert assert_ok(authing_client.list_role_departments(code=role["code"]))["totalCount"] == 0

    def test_a_deleted_organization_takes_its_department_grants_along(self, authing_client, organization):
        department = new_department(authing_client, organization)
        member = member_of(authing_client, organization, department)
        code = res()
        authorize(authing_client, "DEPARTMENT", department["departmentId"], code, ["read"])
        assert_success_flag(authing_client.delete_organization(organization_code=organization["organizationCode"]))
        assert is_allowed(authing_client, uid(member), "read", code) is False
        assert all_targets(authing_client, code) == []

    def test_deleting_a_class_removes_grants_on_it_and_its_instances_only(self, client, user, namespace):
        cls = res("books")
        assert_ok(client.create_resource(type="DATA", code=cls))
        removed = [cls, f"{cls}:1", f"{cls}:*", f"{cls}:a:b"]
        kept = [f"{cls}x:1", f"{cls}-2"]
        for code in removed + kept:
            authorize(client, "USER", uid(user), code, ["read"])
        authorize(client, "USER", uid(user), f"{cls}:1", ["read"], namespace=namespace)
        assert_success_flag(client.delete_resource(code=cls))
        assert sorted(g["resourceCode"] for g in direct_grants(client, "USER", uid(user))) == sorted(kept)
        assert is_allowed(client, uid(user), "read", f"{cls}:1") is False
        assert is_allowed(client, uid(user), "read", f"{cls}:1", namespace=namespace) is True

    def test_delete_resources_batch_removes_the_grants_by_code_and_by_id(self, client, user):
        by_code, by_id = res("books"), res("pens")
        for code in (by_code, by_id):
            assert_ok(client.create_resource(type="DATA", code=code))
            authorize(client, "USER", uid(user), f"{code}:1", ["read"])
        listed = assert_ok(client.list_common_resource(keyword=by_id, namespace_code_list="default"))["list"]
        assert_success_flag(client.delete_resources_batch(code_list=[by_code], ids=[listed[0]["id"]]))
        assert [is_allowed(client, uid(user), "read", f"{c}:1") for c in (by_code, by_id)] == [False, False]
        assert direct_grants(client, "USER", uid(user)) == []

    def test_delete_common_resources_batch_removes_the_grants_in_the_resource_namespace(self, client, user, namespace):
        cls = res("books")
        assert_ok(client.create_resource(type="DATA", code=cls, namespace=namespace))
        authorize(client, "USER", uid(user), f"{cls}:1", ["read"], namespace=namespace)
        authorize(client, "USER", uid(user), f"{cls}:1", ["read"])  # `default` has no such definition
        listed = assert_ok(client.list_common_resource(keyword=cls, namespace_code_list=namespace))["list"]
        assert_success_flag(client.batch_delete_common_resource(ids=[listed[0]["id"]]))
        assert is_allowed(client, uid(user), "read", f"{cls}:1", namespace=namespace) is False
        assert is_allowed(client, uid(user), "read", f"{cls}:1") is True

    def test_a_deleted_namespace_takes_roles_resources_and_grants_along(self, client, user, namespace):
        role = new_role(client, namespace=namespace)
        cls = res("books")
        assert_ok(client.create_resource(type="DATA", code=cls, namespace=namespace))
        authorize(client, "ROLE", role["code"], f"{cls}:1", ["read"], namespace=namespace)
        authorize(client, "USER", uid(user), f"{cls}:2", ["read"], namespace=namespace)
        authorize(client, "USER", uid(user), f"{cls}:2", ["read"])
        assign(client, role, user_target(user))
        assert_success_flag(client.delete_namespace(code=namespace))
        resp = client.is_action_allowed(user_id=uid(user), action="read", resource=f"{cls}:1", namespace=namespace)
        assert_error(resp, 404, "权限组不存在")
        assert_ok(client.create_namespace(code=namespace))
        assert is_allowed(client, uid(user), "read", f"{cls}:1", namespace) is False
        assert is_allowed(client, uid(user), "read", f"{cls}:2", namespace) is False
        assert direct_grants(client, "USER", uid(user), namespace=namespace) == []
        assert_error(client.get_role(code=role["code"], namespace=namespace), 404, "角色不存在")
        assert_error(client.get_resource(code=cls, namespace=namespace), 404, "资源不存在")
        assert is_allowed(client, uid(user), "read", f"{cls}:2") is True  # `default` is untouched


# ---------------------------------------------------------------------------- §8 disabled roles, assignment windows


class TestRoleStatusAndTimeWindows:
    @staticmethod
    def granted_role(client, user, **role_fields):
        """A role granted `code` [read], assigned to `user`; returns (role, code)."""
        role = new_role(client, **role_fields)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"])
        assign(client, role, user_target(user))
        return role, code

    def test_a_re_enabled_role_counts_again(self, client, user):
        role, code = self.granted_role(client, user)
        set_role_status(client, role, "DISABLE")
        assert is_allowed(client, uid(user), "read", code) is False
        set_role_status(client, role, "ENABLE")
        assert is_allowed(client, uid(user), "read", code) is True

    def test_the_status_is_case_insensitive(self, client, user):
        role, code = self.granted_role(client, user)
        set_role_status(client, role, "disable")
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_disabled_role_is_left_out_of_the_user_listing(self, client, user):
        role, _ = self.granted_role(client, user)
        set_role_status(client, role, "DISABLE")
        listed = assert_ok(client.get_user_authorized_resources(user_id=uid(user)))
        assert listed == {"totalCount": 0, "list": []}

    def test_a_role_past_its_disable_time_counts_for_nothing(self, client, user):
        _, code = self.granted_role(client, user, disable_time=now_ms() - HOUR_MS)
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_role_before_its_disable_time_counts(self, client, user):
        _, code = self.granted_role(client, user, disable_time=now_ms() + HOUR_MS)
        assert is_allowed(client, uid(user), "read", code) is True

    def test_setting_a_past_disable_time_switches_the_role_off(self, client, user):
        role, code = self.granted_role(client, user)
        resp = client.update_role(code=role["code"], name=None, new_code=None, disable_time=now_ms() - 1000)
        assert_success_flag(resp)
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_disabled_role_of_a_department_counts_for_nothing(self, authing_client, organization):
        department = new_department(authing_client, organization)
        member = member_of(authing_client, organization, department)
        role = new_role(authing_client)
        assign(authing_client, role, department_target(department["departmentId"]))
        code = res()
        authorize(authing_client, "ROLE", role["code"], code, ["read"])
        set_role_status(authing_client, role, "DISABLE")
        assert is_allowed(authing_client, uid(member), "read", code) is False

    @staticmethod
    def role_with_grant(client):
        role = new_role(client)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"])
        return role, code

    def test_an_assignment_that_ended_counts_for_nothing(self, client, user):
        role, code = self.role_with_grant(client)
        assign(client, role, user_target(user), end_time=now_ms() - 1000)
        assert is_allowed(client, uid(user), "read", code) is False
        assert assert_ok(client.get_user_authorized_resources(user_id=uid(user)))["totalCount"] == 0

    def test_an_assignment_that_has_not_started_counts_for_nothing(self, client, user):
        role, code = self.role_with_grant(client)
        assign(client, role, user_target(user), enable_time=now_ms() + HOUR_MS)
        assert is_allowed(client, uid(user), "read", code) is False

    def test_an_assignment_inside_its_window_counts(self, client, user):
        role, code = self.role_with_grant(client)
        assign(client, role, user_target(user), enable_time=now_ms() - HOUR_MS, end_time=now_ms() + HOUR_MS)
        assert is_allowed(client, uid(user), "read", code) is True

    def test_reassigning_updates_the_window(self, client, user):
        role, code = self.role_with_grant(client)
        assign(client, role, user_target(user), end_time=now_ms() - 1000)
        assign(client, role, user_target(user), end_time=now_ms() + HOUR_MS)
        assert is_allowed(client, uid(user), "read", code) is True
        assign(client, role, user_target(user), enable_time=now_ms() + HOUR_MS)
        assert is_allowed(client, uid(user), "read", code) is False

    def test_a_department_assignment_that_ended_counts_for_nothing(self, authing_client, organization):
        department = new_department(authing_client, organization)
        member = member_of(authing_client, organization, department)
        role, code = self.role_with_grant(authing_client)
        assign(authing_client, role, department_target(department["departmentId"]), end_time=now_ms() - 1000)
        assert is_allowed(authing_client, uid(member), "read", code) is False


# ---------------------------------------------------------------------------- §3 / §13.4–13.5 departments


class TestDepartmentInheritance:
    def test_a_plain_department_grant_reaches_direct_members_only(self, authing_client, organization):
        chain = department_chain(authing_client, organization, 4)
        code = res()
        authorize(authing_client, "DEPARTMENT", chain[0]["departmentId"], code, ["read"])
        members = [member_of(authing_client, organization, d) for d in chain]
        assert [is_allowed(authing_client, uid(m), "read", code) for m in members] == [True, False, False, False]

    def test_inherit_by_children_reaches_every_level_below_only(self, authing_client, organization):
        chain = department_chain(authing_client, organization, 4)
        sibling = new_department(authing_client, organization)
        code = res()
        # The grant sits on the second level: the root-side level and a sibling branch are not covered.
        authorize(authing_client, "DEPARTMENT", chain[1]["departmentId"], code, ["read"], inherit_by_children=True)
        members = [member_of(authing_client, organization, d) for d in chain + [sibling]]
        assert [is_allowed(authing_client, uid(m), "read", code) for m in members] == [False, True, True, True, False]
        root_member = new_user(authing_client)
        join_department(authing_client, organization, organization["departmentId"], root_member)
        assert is_allowed(authing_client, uid(root_member), "read", code) is False

    def test_inherit_by_children_false_is_direct_members_only(self, authing_client, organization):
        parent, child = department_chain(authing_client, organization, 2)
        code = res()
        authorize(authing_client, "DEPARTMENT", parent["departmentId"], code, ["read"], inherit_by_children=False)
        assert is_allowed(authing_client, uid(member_of(authing_client, organization, child)), "read", code) is False

    def test_inherit_by_children_reaches_32_levels_down(self, authing_client, organization):
        chain = department_chain(authing_client, organization, 32)
        code = res()
        authorize(authing_client, "DEPARTMENT", chain[0]["departmentId"], code, ["read"], inherit_by_children=True)
        leaf_member = member_of(authing_client, organization, chain[-1])
        assert is_allowed(authing_client, uid(leaf_member), "read", code) is True

    def test_inherit_by_children_reaches_departments_created_later(self, authing_client, organization):
        (top,) = department_chain(authing_client, organization, 1)
        code = res()
        authorize(authing_client, "DEPARTMENT", top["departmentId"], code, ["read"], inherit_by_children=True)
        later = new_department(authing_client, organization, parent_department_id=top["departmentId"])
        assert is_allowed(authing_client, uid(member_of(authing_client, organization, later)), "read", code) is True

    def test_inherited_grants_are_listed_for_the_user(self, authing_client, organization):
        parent, child = department_chain(authing_client, organization, 2)
        code = res()
        authorize(authing_client, "DEPARTMENT", parent["departmentId"], code, ["read"], inherit_by_children=True)
        member = member_of(authing_client, organization, child)
        listed = assert_ok(authing_client.get_user_authorized_resources(user_id=uid(member)))["list"]
        assert [(g["resourceCode"], g["actions"]) for g in listed] == [(code, ["read"])]

    def test_a_department_role_reaches_direct_members_only(self, authing_client, organization):
        parent, child = department_chain(authing_client, organization, 2)
        role = new_role(authing_client)
        code = res()
        authorize(authing_client, "ROLE", role["code"], code, ["read"])
        assign(authing_client, role, department_target(parent["departmentId"]))
        members = [member_of(authing_client, organization, d) for d in (parent, child)]
        assert [is_allowed(authing_client, uid(m), "read", code) for m in members] == [True, False]

    def test_a_department_role_with_inherit_by_children_reaches_every_level(self, authing_client, organization):
        chain = department_chain(authing_client, organization, 4)
        role = new_role(authing_client)
        code = res()
        authorize(authing_client, "ROLE", role["code"], code, ["read"])
        assign(authing_client, role, department_target(chain[0]["departmentId"], inherit_by_children=True))
        members = [member_of(authing_client, organization, d) for d in chain]
        assert [is_allowed(authing_client, uid(m), "read", code) for m in members] == [True, True, True, True]

    def test_a_department_role_counts_in_its_namespace_only(self, authing_client, organization):
        department = new_department(authing_client, organization)
        member = member_of(authing_client, organization, department)
        ns = new_namespace(authing_client)
        role = new_role(authing_client, namespace=ns)
        authorize(authing_client, "ROLE", role["code"], "*", ["*"], namespace=ns)
        assign(authing_client, role, department_target(department["departmentId"]), namespace=ns)
        assert (
            is_allowed(authing_client, uid(member), "x", "y", ns),
            is_allowed(authing_client, uid(member), "x", "y"),
        ) == (
            True,
            False,
        )


# ---------------------------------------------------------------------------- renames and membership changes


class TestChangesAreVisibleToTheNextCheck:
    def test_a_renamed_role_keeps_its_grants_and_members(self, client, user):
        role = new_role(client)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"])
        assign(client, role, user_target(user))
        new_code = unique_code("role-new")
        assert_success_flag(client.update_role(code=role["code"], name=None, new_code=new_code))
        assert is_allowed(client, uid(user), "read", code) is True
        assert [g["resourceCode"] for g in assert_ok(client.get_role_authorized_resources(code=new_code))["list"]] == [
            code
        ]
        assert_error(client.get_role_authorized_resources(code=role["code"]), 404, "角色不存在")
        assert ("ROLE", new_code) in all_targets(client, code)
        authorize(client, "ROLE", new_code, code, ["write"])  # the new code addresses the same grant
        assert (is_allowed(client, uid(user), "read", code), is_allowed(client, uid(user), "write", code)) == (
            False,
            True,
        )

    def test_a_renamed_group_keeps_its_grants_and_members(self, client, user):
        group = new_group_dto(client)
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"])
        join_group(client, group, user)
        new_code = unique_code("grp-new")
        assert_ok(client.update_group(code=group["code"], new_code=new_code, description=""))
        assert is_allowed(client, uid(user), "read", code) is True
        assert [g["resourceCode"] for g in assert_ok(client.get_group_authorized_resources(code=new_code))] == [code]
        assert [g["resourceCode"] for g in direct_grants(client, "GROUP", new_code)] == [code]
        assert_error(client.get_group_authorized_resources(code=group["code"]), 404, "分组不存在")
        resp = client.get_authorized_resources(target_type="GROUP", target_identifier=group["code"])
        assert_error(resp, 404, f"group not exists with code: {group['code']}")
        assert ("GROUP", new_code) in all_targets(client, code)

    def test_a_renamed_namespace_keeps_its_roles_and_grants(self, client, user, namespace):
        role = new_role(client, namespace=namespace)
        via_role, own = res(), res()
        authorize(client, "ROLE", role["code"], via_role, ["read"], namespace=namespace)
        authorize(client, "USER", uid(user), own, ["read"], namespace=namespace)
        assign(client, role, user_target(user), namespace=namespace)
        new_code = unique_code("ns-new")
        assert_ok(client.update_namespace(code=namespace, new_code=new_code))
        assert [is_allowed(client, uid(user), "read", c, new_code) for c in (via_role, own)] == [True, True]
        resp = client.is_action_allowed(user_id=uid(user), action="read", resource=own, namespace=namespace)
        assert_error(resp, 404, "权限组不存在")
        listed = assert_ok(client.get_role_authorized_resources(code=role["code"], namespace=new_code))["list"]
        assert [g["resourceCode"] for g in listed] == [via_role]

    def test_joining_and_leaving_a_group(self, client, user):
        group = new_group_dto(client)
        code = res()
        authorize(client, "GROUP", group["code"], code, ["read"])
        join_group(client, group, user)
        assert is_allowed(client, uid(user), "read", code) is True
        assert_success_flag(client.remove_group_members(code=group["code"], user_ids=[uid(user)]))
        assert is_allowed(client, uid(user), "read", code) is False

    def test_assigning_and_revoking_a_role(self, client, user):
        role = new_role(client)
        code = res()
        authorize(client, "ROLE", role["code"], code, ["read"])
        assign(client, role, user_target(user))
        assert is_allowed(client, uid(user), "read", code) is True
        assert_success_flag(client.revoke_role(code=role["code"], targets=[user_target(user)]))
        assert is_allowed(client, uid(user), "read", code) is False

    def test_assigning_and_revoking_roles_in_batch(self, client, user, namespace):
        roles = [new_role(client), new_role(client, namespace=namespace)]
        code = res()
        for role in roles:
            authorize(client, "ROLE", role["code"], code, ["read"], namespace=role["namespace"])
        role_codes = [{"code": r["code"], "namespace": r["namespace"]} for r in roles]
        assert_success_flag(client.assign_role_batch(targets=[user_target(user)], roles=role_codes))
        assert [is_allowed(client, uid(user), "read", code, ns) for ns in ("default", namespace)] == [True, True]
        assert_success_flag(client.revoke_role_batch(targets=[user_target(user)], roles=role_codes))
        assert [is_allowed(client, uid(user), "read", code, ns) for ns in ("default", namespace)] == [False, False]

    def test_joining_and_leaving_a_department(self, authing_client, organization):
        department = new_department(authing_client, organization)
        user = new_user(authing_client)
        code = res()
        authorize(authing_client, "DEPARTMENT", department["departmentId"], code, ["read"])
        join_department(authing_client, organization, department["departmentId"], user)
        assert is_allowed(authing_client, uid(user), "read", code) is True
        resp = authing_client.remove_department_members(
            user_ids=[uid(user)],
            organization_code=organization["organizationCode"],
            department_id=department["departmentId"],
        )
        assert_success_flag(resp)
        assert is_allowed(authing_client, uid(user), "read", code) is False

    def test_setting_the_user_departments_moves_the_grants(self, authing_client, organization):
        old, new = new_department(authing_client, organization), new_department(authing_client, organization)
        user = member_of(authing_client, organization, old)
        old_code, new_code = res("old"), res("new")
        authorize(authing_client, "DEPARTMENT", old["departmentId"], old_code, ["read"])
        authorize(authing_client, "DEPARTMENT", new["departmentId"], new_code, ["read"])
        resp = authing_client.set_user_departments(
            user_id=uid(user), departments=[{"departmentId": new["departmentId"]}]
        )
        assert_success_flag(resp)
        assert [is_allowed(authing_client, uid(user), "read", c) for c in (old_code, new_code)] == [False, True]

    def test_a_new_grant_is_visible_to_the_next_check(self, client, user):
        code = res()
        assert is_allowed(client, uid(user), "read", code) is False
        authorize(client, "USER", uid(user), code, ["read"])
        assert is_allowed(client, uid(user), "read", code) is True
