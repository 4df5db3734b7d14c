"""Groups: principals.md §3 and the groups/ rows of README §9. Groups are pool-wide."""

from __future__ import annotations

import pytest

from helpers import (
    INVALID_CODE_IDS,
    INVALID_CODES,
    LONG_CODE,
    assert_error,
    assert_error_contains,
    assert_ok,
    assert_page,
    assert_success_flag,
    codes_of,
    unique_code,
    unique_email,
)


def new_group(client, **overrides):
    code = unique_code("grp")
    fields = {"type": None, "code": code, "name": f"name {code}", "description": f"about {code}"}
    fields.update(overrides)
    return client.create_group(**fields)


@pytest.fixture
def group(client):
    """A fresh group."""
    return assert_ok(new_group(client))


@pytest.fixture
def users(client):
    """Two fresh users."""
    return [assert_ok(client.create_user(email=unique_email("member"))) for _ in range(2)]


def ids_of(users):
    return [u["userId"] for u in users]


def group_exists(client, code) -> bool:
    resp = client.get_group(code=code)
    if resp.get("statusCode") == 404:
        return False
    assert_ok(resp)
    return True


# ---------------------------------------------------------------------------- §3.1 create-group


class TestCreateGroup:
    def test_echoes_code_name_and_description(self, client):
        code = unique_code("grp")
        data = assert_ok(client.create_group(type=None, code=code, name="分组", description="desc"))
        assert (data["code"], data["name"], data["description"]) == (code, "分组", "desc")
        assert data["id"]

    def test_type_defaults_to_static(self, group):
        assert group["type"] == "static"

    def test_description_may_be_omitted(self, client):
        assert not assert_ok(new_group(client, description=None)).get("description")

    def test_rejects_a_duplicate_code(self, client, group):
        assert_error_contains(new_group(client, code=group["code"]), 409, "分组标识符已存在")

    @pytest.mark.parametrize("code", ["", LONG_CODE], ids=["empty", "100-chars"])
    def test_rejects_empty_or_too_long_code(self, client, code):
        assert_error_contains(new_group(client, code=code), 400, "参数 code 格式错误")

    @pytest.mark.parametrize("code", INVALID_CODES, ids=INVALID_CODE_IDS)
    def test_rejects_invalid_characters(self, client, code):
        assert_error(new_group(client, code=code), 400, f"invalid group code: {code}")

    def test_rejects_a_missing_name(self, client):
        assert_error(new_group(client, name=None), 400, "参数 name 格式错误")


# ---------------------------------------------------------------------------- §3.2 create-groups-batch


class TestCreateGroupsBatch:
    def test_returns_the_groups_in_request_order(self, client):
        items = [{"code": unique_code("gb"), "name": f"n{i}", "description": f"d{i}"} for i in range(2)]
        data = assert_ok(client.create_groups_batch(list=items))
        assert [(g["code"], g["name"], g["description"]) for g in data] == [
            (i["code"], i["name"], i["description"]) for i in items
        ]

    def test_rejects_a_batch_of_existing_codes(self, client, group):
        items = [{"code": group["code"], "name": "again", "description": ""}]
        assert_error_contains(client.create_groups_batch(list=items), 409, "分组标识符已存在")

    def test_one_existing_code_creates_nothing(self, client, group):
        fresh = unique_code("gb")
        items = [
            {"code": group["code"], "name": "a", "description": ""},
            {"code": fresh, "name": "b", "description": ""},
        ]
        assert_error_contains(client.create_groups_batch(list=items), 409, "分组标识符已存在")
        assert not group_exists(client, fresh)

    def test_rejects_a_code_repeated_inside_the_batch(self, client):
        code = unique_code("gb")
        items = [{"code": code, "name": "a", "description": ""}, {"code": code, "name": "b", "description": ""}]
        assert_error_contains(client.create_groups_batch(list=items), 409, "分组标识符已存在")
        assert not group_exists(client, code)

    def test_rejects_a_too_long_item_code(self, client):
        items = [{"code": LONG_CODE, "name": "x", "description": ""}]
        assert_error_contains(client.create_groups_batch(list=items), 400, "参数 list 格式错误")

    def test_rejects_an_empty_list(self, client):
        assert_error(client.create_groups_batch(list=[]), 400, "参数 list 格式错误")


# ---------------------------------------------------------------------------- §3.3 get-group


class TestGetGroup:
    def test_returns_the_group(self, client, group):
        data = assert_ok(client.get_group(code=group["code"]))
        assert (data["code"], data["name"], data["description"], data["id"]) == (
            group["code"],
            group["name"],
            group["description"],
            group["id"],
        )

    def test_unknown_code_is_not_found(self, client):
        assert_error(client.get_group(code=unique_code("missing")), 404, "分组不存在")


# ---------------------------------------------------------------------------- §3.4 update-group


class TestUpdateGroup:
    def test_renames_the_code(self, client, group):
        new_code = unique_code("grp-new")
        data = assert_ok(client.update_group(code=group["code"], new_code=new_code, name="new", description="d"))
        assert (data["code"], data["name"], data["description"]) == (new_code, "new", "d")
        assert not group_exists(client, group["code"])

    def test_updates_the_description_only(self, client, group):
        data = assert_ok(client.update_group(code=group["code"], description="changed"))
        assert (data["code"], data["name"], data["description"]) == (group["code"], group["name"], "changed")

    def test_unknown_group_is_not_found(self, client):
        assert_error(client.update_group(code=unique_code("missing"), name="x", description=""), 404, "分组不存在")

    def test_rejects_a_new_code_already_in_use(self, client, group):
        other = assert_ok(new_group(client))
        resp = client.update_group(code=group["code"], new_code=other["code"], description="")
        assert_error_contains(resp, 409, "分组标识符已存在")

    def test_members_follow_a_renamed_group(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        new_code = unique_code("grp-new")
        assert_ok(client.update_group(code=group["code"], new_code=new_code, description=""))
        assert assert_ok(client.list_group_members(code=new_code))["totalCount"] == 2


# ---------------------------------------------------------------------------- §3.5 delete-groups-batch


class TestDeleteGroupsBatch:
    def test_deletes_the_listed_groups(self, client, group):
        assert_success_flag(client.delete_groups_batch(code_list=[group["code"]]))
        assert not group_exists(client, group["code"])

    def test_unknown_codes_are_ignored(self, client):
        assert_success_flag(client.delete_groups_batch(code_list=[unique_code("missing")]))

    def test_rejects_an_empty_list(self, client):
        assert_error(client.delete_groups_batch(code_list=[]), 400, "参数 codeList 格式错误")

    def test_deleted_group_disappears_from_its_members(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        assert_success_flag(client.delete_groups_batch(code_list=[group["code"]]))
        groups = assert_ok(client.get_user_groups(user_id=users[0]["userId"]))
        assert group["code"] not in codes_of(groups["list"])


# ---------------------------------------------------------------------------- §3.6–3.7 listing


class TestListGroups:
    def test_works_without_arguments(self, client, group):
        assert_page(assert_ok(client.list_groups()), min_total=1)

    def test_lists_the_newest_first(self, client, group):
        items = assert_ok(client.list_groups(page=1, limit=1))["list"]
        assert codes_of(items) == [group["code"]]

    def test_keywords_filter_by_code(self, client, group):
        items = assert_page(assert_ok(client.list_groups(keywords=group["code"])), min_total=1)
        assert codes_of(items) == [group["code"]]

    def test_rejects_a_too_large_limit(self, client):
        assert_error(client.list_groups(page=1, limit=100000), 400, "参数 limit 格式错误")

    def test_rejects_a_negative_page(self, client):
        assert_error(client.list_groups(page=-1, limit=10), 400, "参数 page 格式错误")

    def test_get_all_groups_includes_a_new_group(self, client, group):
        assert group["code"] in codes_of(assert_ok(client.get_all_groups()))

    def test_get_all_groups_fetches_members_when_asked(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        every = assert_ok(client.get_all_groups(fetch_members=True))
        mine = next(g for g in every if g["code"] == group["code"])
        assert sorted(ids_of(mine["members"])) == sorted(ids_of(users))


# ---------------------------------------------------------------------------- §3.8–3.10 members


class TestGroupMembers:
    def test_added_members_are_listed(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        members = assert_page(assert_ok(client.list_group_members(code=group["code"])), min_total=2)
        assert sorted(ids_of(members)) == sorted(ids_of(users))

    def test_adding_a_member_twice_is_ignored(self, client, group, users):
        for _ in range(2):
            assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users[:1])))
        assert assert_ok(client.list_group_members(code=group["code"]))["totalCount"] == 1

    def test_group_is_listed_for_its_member(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users[:1])))
        groups = assert_ok(client.get_user_groups(user_id=users[0]["userId"]))
        assert codes_of(groups["list"]) == [group["code"]]

    def test_removed_members_are_no_longer_listed(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        assert_success_flag(client.remove_group_members(code=group["code"], user_ids=ids_of(users[:1])))
        members = assert_ok(client.list_group_members(code=group["code"]))["list"]
        assert ids_of(members) == [users[1]["userId"]]

    def test_removing_a_non_member_is_ignored(self, client, group, users):
        assert_success_flag(client.remove_group_members(code=group["code"], user_ids=ids_of(users)))

    @pytest.mark.parametrize("method", ["add_group_members", "remove_group_members"])
    def test_rejects_an_empty_code(self, client, users, method):
        resp = getattr(client, method)(code="", user_ids=ids_of(users))
        assert_error(resp, 400, "参数 code 格式错误")

    @pytest.mark.parametrize("method", ["add_group_members", "remove_group_members"])
    def test_rejects_an_empty_user_list(self, client, group, method):
        assert_error(getattr(client, method)(code=group["code"], user_ids=[]), 400, "参数 userIds 格式错误")

    @pytest.mark.parametrize("method", ["add_group_members", "remove_group_members"])
    def test_unknown_group_is_not_found(self, client, users, method):
        resp = getattr(client, method)(code=unique_code("missing"), user_ids=ids_of(users))
        assert_error(resp, 404, "分组不存在")

    def test_adding_an_unknown_user_is_not_found(self, client, group):
        assert_error(client.add_group_members(code=group["code"], user_ids=["0" * 24]), 404, "用户不存在")

    def test_member_list_paginates(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        data = assert_ok(client.list_group_members(code=group["code"], page=2, limit=1))
        assert data["totalCount"] == 2 and len(data["list"]) == 1

    def test_member_list_of_an_unknown_group_is_not_found(self, client):
        assert_error(client.list_group_members(code=unique_code("missing")), 404, "分组不存在")

    def test_member_list_rejects_a_too_large_limit(self, client, group):
        assert_error(client.list_group_members(code=group["code"], limit=10000), 400, "参数 limit 格式错误")

    def test_member_list_rejects_a_negative_page(self, client, group):
        assert_error(client.list_group_members(code=group["code"], page=-1), 400, "参数 page 格式错误")

    def test_deleted_user_leaves_the_group(self, client, group, users):
        assert_success_flag(client.add_group_members(code=group["code"], user_ids=ids_of(users)))
        assert_success_flag(client.delete_users_batch(user_ids=[users[0]["userId"]]))
        members = assert_ok(client.list_group_members(code=group["code"]))["list"]
        assert ids_of(members) == [users[1]["userId"]]
