"""Users: principals.md §1 and the users/ rows of README §9."""

from __future__ import annotations

import random
import re

import pytest

from helpers import (
    BAD_PAGING,
    BAD_PAGING_IDS,
    assert_error,
    assert_ok,
    assert_page,
    assert_success_flag,
    now_ms,
    unique_code,
    unique_email,
)

USER_ID = re.compile(r"[0-9a-f]{24}")


def unique_phone() -> str:
    return "139" + "".join(random.choice("0123456789") for _ in range(8))


def full_profile() -> dict:
    """A complete profile (create_user keyword arguments) with unique username / email / phone /
    externalId."""
    return {
        "username": unique_code("user"),
        "email": unique_email(),
        "phone": unique_phone(),
        "phone_country_code": "+86",
        "external_id": unique_code("ext"),
        "name": "Full Name",
        "nickname": "nick",
        "gender": "M",
        "email_verified": True,
        "phone_verified": True,
    }


@pytest.fixture
def profile():
    """A complete profile with unique username / email / phone / externalId."""
    return full_profile()


@pytest.fixture
def user(client, profile):
    """A user created from `profile`."""
    return assert_ok(client.create_user(**profile))


def create_user(client, **fields):
    return assert_ok(client.create_user(email=unique_email(), **fields))


# ---------------------------------------------------------------------------- §1.1 create-user


class TestCreateUser:
    def test_echoes_the_full_profile(self, client, profile):
        user = assert_ok(client.create_user(**profile))
        assert USER_ID.fullmatch(user["userId"]), user
        assert user["status"] == "Activated"
        assert {
            "username": user["username"],
            "email": user["email"],
            "phone": user["phone"],
            "phone_country_code": user["phoneCountryCode"],
            "external_id": user["externalId"],
            "name": user["name"],
            "nickname": user["nickname"],
            "gender": user["gender"],
            "email_verified": user["emailVerified"],
            "phone_verified": user["phoneVerified"],
        } == profile

    def test_a_new_user_has_never_logged_in(self, client):
        user = create_user(client)
        assert (user["loginsCount"], user["lastLogin"], user["lastIp"]) == (0, None, None)

    def test_a_new_user_gets_a_default_photo(self, client):
        assert create_user(client)["photo"]

    def test_defaults_gender_and_verification_flags(self, client):
        user = create_user(client)
        assert (user["gender"], user["emailVerified"], user["phoneVerified"]) == ("U", False, False)

    def test_echoes_custom_data(self, client):
        custom = {"intro": "自我介绍", "school": "pku", "age": 30, "graduted": True}
        user = assert_ok(client.create_user(username=unique_code("user"), custom_data=custom))
        assert user["customData"] == custom

    def test_stores_the_email_lower_cased(self, client):
        email = unique_email("MiXeD")
        assert assert_ok(client.create_user(email=email.upper()))["email"] == email.lower()

    def test_never_returns_the_password(self, client):
        user = assert_ok(client.create_user(username=unique_code("user"), password="s3cret-Passw0rd"))
        assert "password" not in user

    def test_a_username_alone_is_enough(self, client):
        username = unique_code("user")
        assert assert_ok(client.create_user(username=username))["username"] == username

    def test_a_phone_alone_is_enough(self, client):
        phone = unique_phone()
        assert assert_ok(client.create_user(phone=phone))["phone"] == phone

    def test_requires_a_username_phone_or_email(self, client):
        assert_error(
            client.create_user(name="nobody"),
            400,
            "Must contain one of the following fields: username, phone, email",
        )

    def test_requires_an_identifier_even_for_an_empty_body(self, client):
        assert_error(client.create_user(), 400, "Must contain one of the following fields: username, phone, email")

    def test_rejects_a_malformed_email(self, client):
        assert_error(client.create_user(email="test1@qqq"), 400, "参数 email 格式错误")

    def test_rejects_custom_data_longer_than_1024_characters(self, client):
        resp = client.create_user(email=unique_email(), custom_data={"intro": "hello" * 205})
        assert_error(resp, 400, "customData must be less than 1024 characters")

    def test_rejects_a_phone_country_code_without_phone(self, client):
        resp = client.create_user(email=unique_email(), phone_country_code="+86")
        assert_error(resp, 400, "phone cannot be empty")

    def test_rejects_an_unknown_gender(self, client):
        assert_error(client.create_user(email=unique_email(), gender="X"), 400, "参数 gender 格式错误")

    @pytest.mark.parametrize(
        "field, message",
        [
            ("username", "用户名已存在"),
            ("email", "邮箱已存在"),
            ("phone", "手机号已存在"),
            ("external_id", "externalId 已存在"),
        ],
    )
    def test_rejects_a_duplicate_unique_field(self, client, user, profile, field, message):
        duplicate = {"username": unique_code("user"), "name": "copy", field: profile[field]}
        assert_error(client.create_user(**duplicate), 409, message)


# ---------------------------------------------------------------------------- §1.3 get-user


class TestGetUser:
    @pytest.mark.parametrize(
        "id_type, profile_field",
        [
            ("user_id", None),
            ("username", "username"),
            ("email", "email"),
            ("phone", "phone"),
            ("external_id", "external_id"),
        ],
    )
    def test_finds_the_user_by_each_id_type(self, client, user, profile, id_type, profile_field):
        user_id = user["userId"] if profile_field is None else profile[profile_field]
        found = assert_ok(client.get_user(user_id=user_id, user_id_type=id_type))
        assert found["userId"] == user["userId"]
        assert found["status"] == "Activated"
        assert found["photo"] and found["externalId"] == profile["external_id"]

    def test_defaults_to_user_id(self, client, user):
        assert assert_ok(client.get_user(user_id=user["userId"]))["username"] == user["username"]

    def test_email_lookup_ignores_case(self, client, user, profile):
        found = assert_ok(client.get_user(user_id=profile["email"].upper(), user_id_type="email"))
        assert found["email"] == profile["email"].lower()

    def test_custom_data_only_when_asked(self, client):
        user = assert_ok(client.create_user(username=unique_code("user"), custom_data={"school": "mit"}))
        plain = assert_ok(client.get_user(user_id=user["userId"]))
        with_custom = assert_ok(client.get_user(user_id=user["userId"], with_custom_data=True))
        assert not plain.get("customData")
        assert with_custom["customData"] == {"school": "mit"}

    def test_custom_data_is_an_empty_object_when_none_was_set(self, client, user):
        assert assert_ok(client.get_user(user_id=user["userId"], with_custom_data=True))["customData"] == {}

    def test_identities_only_when_asked(self, client, user):
        plain = assert_ok(client.get_user(user_id=user["userId"], with_identities=False))
        with_identities = assert_ok(client.get_user(user_id=user["userId"], with_identities=True))
        assert not plain.get("identities")
        assert with_identities["identities"] == []

    def test_department_ids_when_asked(self, authing_client):
        # genauth 5.1.0's get_user has no with_department_ids (README §10).
        user = assert_ok(authing_client.create_user(email=unique_email()))
        found = assert_ok(authing_client.get_user(user_id=user["userId"], with_department_ids=True))
        assert found["departmentIds"] == []

    @pytest.mark.parametrize("user_id, id_type", [("test", "user_id"), ("212-456-1111", "phone")])
    def test_unknown_user_is_not_found(self, client, user_id, id_type):
        assert_error(client.get_user(user_id=user_id, user_id_type=id_type), 404, "用户不存在")

    @pytest.mark.parametrize(
        "user_id, id_type",
        [("test#x.com", "email"), ("1234567890#", "phone"), ("", "user_id")],
        ids=["bad-email", "bad-phone", "empty"],
    )
    def test_rejects_a_malformed_user_id(self, client, user_id, id_type):
        assert_error(client.get_user(user_id=user_id, user_id_type=id_type), 400, "参数 userId 格式错误")

    @pytest.mark.parametrize("id_type", ["identity", "sync_relation", "nonsense"])
    def test_rejects_an_unsupported_id_type(self, client, user, id_type):
        assert_error(client.get_user(user_id=user["userId"], user_id_type=id_type), 400, "参数 userIdType 格式错误")


# ---------------------------------------------------------------------------- §1.4 get-user-batch


class TestGetUserBatch:
    def test_returns_the_users_in_request_order(self, client):
        first, second = create_user(client), create_user(client)
        found = assert_ok(client.get_user_batch(user_ids=[second["userId"], first["userId"]]))
        assert [u["userId"] for u in found] == [second["userId"], first["userId"]]

    def test_skips_unknown_ids(self, client, user):
        found = assert_ok(client.get_user_batch(user_ids=["0" * 24, user["userId"]]))
        assert [u["userId"] for u in found] == [user["userId"]]

    def test_looks_up_by_username(self, client, user):
        found = assert_ok(client.get_user_batch(user_ids=[user["username"]], user_id_type="username"))
        assert [u["userId"] for u in found] == [user["userId"]]

    def test_includes_custom_data_and_identities_when_asked(self, client, user):
        found = assert_ok(client.get_user_batch(user_ids=[user["userId"]], with_custom_data=True, with_identities=True))
        assert (found[0]["customData"], found[0]["identities"]) == ({}, [])

    def test_rejects_an_empty_list(self, client):
        assert_error(client.get_user_batch(user_ids=[]), 400, "参数 userIds 格式错误")


# ---------------------------------------------------------------------------- §1.5–1.6 list-users


class TestListUsers:
    def test_lists_users_with_all_extras(self, client, seed):
        options = {"withCustomData": True, "withIdentities": True, "withDepartmentIds": True}
        items = assert_page(assert_ok(client.list_users(options=options)), min_total=1)
        assert {"customData", "identities", "departmentIds"} <= set(items[0]), items[0]

    def test_default_page_is_ten_users(self, client, seed):
        data = assert_ok(client.list_users())
        assert len(data["list"]) == min(10, data["totalCount"])

    def test_lists_the_newest_first(self, client):
        newest = create_user(client)
        items = assert_page(assert_ok(client.list_users(options={"pagination": {"page": 1, "limit": 1}})), min_total=1)
        assert [u["userId"] for u in items] == [newest["userId"]]

    def test_keywords_search_the_name(self, client):
        marker = unique_code("kw")
        user = create_user(client, name=f"Someone {marker}")
        items = assert_page(assert_ok(client.list_users(keywords=marker)), min_total=1)
        assert [u["userId"] for u in items] == [user["userId"]]

    def test_advanced_filter_on_username(self, client, user):
        flt = [{"field": "username", "operator": "EQUAL", "value": user["username"]}]
        items = assert_page(assert_ok(client.list_users(advanced_filter=flt)), min_total=1)
        assert [u["userId"] for u in items] == [user["userId"]]

    def test_rejects_page_zero(self, client):
        resp = client.list_users(options={"pagination": {"page": 0}})
        assert_error(resp, 400, "参数 page 格式错误")

    def test_rejects_limit_zero(self, client):
        resp = client.list_users(options={"pagination": {"limit": 0}})
        assert_error(resp, 400, "参数 limit 格式错误")

    def test_rejects_a_limit_above_50_with_its_own_message(self, client):
        resp = client.list_users(options={"pagination": {"limit": 220}})
        assert_error(resp, 400, "limit must less than 50")

    def test_rejects_an_invalid_status_filter(self, client):
        flt = [{"field": "status", "operator": "EQUAL", "value": "invalid"}]
        assert_error(client.list_users(advanced_filter=flt), 400, "参数 status 格式错误")

    def test_legacy_get_form_lists_users(self, client, seed):
        data = assert_ok(client.list_users_legacy(page=1, limit=2))
        items = assert_page(data, min_total=1)
        assert len(items) == min(2, data["totalCount"])


# ---------------------------------------------------------------------------- §1.7 update-user


class TestUpdateUser:
    def test_sets_the_gender(self, client, user):
        assert assert_ok(client.update_user(user_id=user["userId"], gender="F"))["gender"] == "F"

    def test_is_a_partial_update(self, client, user, profile):
        updated = assert_ok(client.update_user(user_id=user["userId"], nickname="new nick"))
        assert (updated["nickname"], updated["email"], updated["username"]) == (
            "new nick",
            profile["email"],
            profile["username"],
        )

    def test_change_is_visible_to_get_user(self, client, user):
        assert_ok(client.update_user(user_id=user["userId"], name="Renamed"))
        assert assert_ok(client.get_user(user_id=user["userId"]))["name"] == "Renamed"

    def test_rejects_an_empty_gender(self, client, user):
        # The SDK spec expects "参数 gender 格 格式错误", surely a typo (README §9).
        assert_error(client.update_user(user_id=user["userId"], gender=""), 400, "参数 gender 格式错误")

    def test_unknown_user_is_not_found(self, client):
        assert_error(client.update_user(user_id="0" * 24, name="ghost"), 404, "用户不存在")

    def test_rejects_a_username_taken_by_someone_else(self, client, user):
        other = create_user(client)
        assert_error(client.update_user(user_id=other["userId"], username=user["username"]), 409, "用户名已存在")


# ---------------------------------------------------------------------------- §1.8 delete-users-batch


class TestDeleteUsersBatch:
    def test_deleted_users_are_gone(self, client):
        first, second = create_user(client), create_user(client)
        assert_success_flag(client.delete_users_batch(user_ids=[first["userId"], second["userId"]]))
        assert_error(client.get_user(user_id=first["userId"]), 404, "用户不存在")
        assert_error(client.get_user(user_id=second["userId"]), 404, "用户不存在")

    def test_skips_unknown_ids(self, client, user):
        assert_success_flag(client.delete_users_batch(user_ids=["0" * 24, user["userId"]]))
        assert_error(client.get_user(user_id=user["userId"]), 404, "用户不存在")

    def test_deleted_username_can_be_reused(self, client, user):
        assert_success_flag(client.delete_users_batch(user_ids=[user["userId"]]))
        assert assert_ok(client.create_user(username=user["username"]))["username"] == user["username"]

    def test_rejects_an_empty_list(self, client):
        assert_error(client.delete_users_batch(user_ids=[]), 400, "参数 userIds 格式错误")


# ---------------------------------------------------------------------------- §1.9–1.10 roles and groups of a user


class TestUserRolesAndGroups:
    def test_a_new_user_has_no_roles(self, client, user):
        assert assert_ok(client.get_user_roles(user_id=user["userId"])) == {"totalCount": 0, "list": []}

    def test_a_new_user_has_no_groups(self, client, user):
        assert assert_ok(client.get_user_groups(user_id=user["userId"])) == {"totalCount": 0, "list": []}

    def test_roles_of_an_empty_user_id_are_rejected(self, client):
        assert_error(client.get_user_roles(user_id=""), 400, "参数 userId 格式错误")

    def test_groups_of_an_empty_user_id_are_rejected(self, client):
        assert_error(client.get_user_groups(user_id=""), 400, "参数 userId 格式错误")

    def test_roles_of_an_unknown_user_are_not_found(self, client):
        assert_error(client.get_user_roles(user_id="0" * 24), 404, "用户不存在")

    def test_groups_of_an_unknown_user_are_not_found(self, client):
        assert_error(client.get_user_groups(user_id="0" * 24), 404, "用户不存在")

    def test_roles_in_an_unknown_namespace_are_not_found(self, client, user):
        resp = client.get_user_roles(user_id=user["userId"], namespace=unique_code("missing"))
        assert_error(resp, 404, "权限组不存在")

    def test_roles_can_be_looked_up_by_username(self, client, user):
        assert_ok(client.get_user_roles(user_id=user["username"], user_id_type="username"))


# ---------------------------------------------------------------------------- §1.2 create-users-batch


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def batch_item(**fields) -> dict:
    """A create-users-batch item (JSON field names): a complete profile, overridden by `fields`."""
    return {**{camel_case(k): v for k, v in full_profile().items()}, **fields}


def user_count(client) -> int:
    return assert_ok(client.list_users(options={"pagination": {"page": 1, "limit": 1}}))["totalCount"]


def assert_batch_creates_nothing(client, items, status, message, fresh):
    """create-users-batch fails with this error, the pool has as many users as before, and none of
    the `fresh` items (whose username is new) can be found."""
    before = user_count(client)
    assert_error(client.create_users_batch(list=items), status, message)
    assert user_count(client) == before, "a failed batch must create no user"
    for item in fresh:
        assert_error(client.get_user(user_id=item["username"], user_id_type="username"), 404, "用户不存在")


class TestCreateUsersBatch:
    def test_returns_the_users_in_request_order_echoing_their_fields(self, client):
        items = [batch_item() for _ in range(3)]
        users = assert_ok(client.create_users_batch(list=items))
        assert len(users) == len(items)
        assert [{k: u.get(k) for k in item} for u, item in zip(users, items)] == items
        assert all(USER_ID.fullmatch(u["userId"]) and u["status"] == "Activated" for u in users), users

    def test_the_created_users_are_stored(self, client):
        items = [batch_item() for _ in range(2)]
        ids = [u["userId"] for u in assert_ok(client.create_users_batch(list=items))]
        found = assert_ok(client.get_user_batch(user_ids=ids))
        assert [u["username"] for u in found] == [item["username"] for item in items]

    def test_echoes_custom_data_only_for_the_items_that_sent_it(self, client):
        custom = {"intro": "自我介绍", "age": 30}
        users = assert_ok(client.create_users_batch(list=[batch_item(customData=custom), batch_item()]))
        assert users[0]["customData"] == custom
        assert "customData" not in users[1], users[1]

    def test_accepts_50_items(self, client):
        users = assert_ok(client.create_users_batch(list=[batch_item() for _ in range(50)]))
        assert len({u["userId"] for u in users}) == 50

    @pytest.mark.parametrize(
        "field, message",
        [
            ("username", "用户名已存在"),
            ("email", "邮箱已存在"),
            ("phone", "手机号已存在"),
            ("external_id", "externalId 已存在"),
        ],
    )
    def test_a_field_taken_by_a_stored_user_creates_nothing(self, client, user, profile, field, message):
        fresh = batch_item()
        duplicate = {"username": unique_code("user"), camel_case(field): profile[field]}
        assert_batch_creates_nothing(client, [fresh, duplicate], 409, message, fresh=[fresh])

    @pytest.mark.parametrize(
        "field, message",
        [
            ("username", "用户名已存在"),
            ("email", "邮箱已存在"),
            ("phone", "手机号已存在"),
            ("externalId", "externalId 已存在"),
        ],
    )
    def test_a_field_repeated_within_the_batch_creates_nothing(self, client, field, message):
        first = batch_item()
        second = batch_item(**{field: first[field]})
        assert_batch_creates_nothing(client, [first, second], 409, message, fresh=[first])

    def test_an_email_repeated_in_another_case_within_the_batch_creates_nothing(self, client):
        first = batch_item()
        second = batch_item(email=first["email"].upper())
        assert_batch_creates_nothing(client, [first, second], 409, "邮箱已存在", fresh=[first, second])

    def test_a_malformed_email_creates_nothing(self, client):
        fresh, bad = batch_item(), batch_item(email="test1@qqq")
        assert_batch_creates_nothing(client, [fresh, bad], 400, "参数 email 格式错误", fresh=[fresh, bad])

    def test_an_item_without_identifier_creates_nothing(self, client):
        fresh = batch_item()
        assert_batch_creates_nothing(
            client,
            [fresh, {"name": "nobody"}],
            400,
            "Must contain one of the following fields: username, phone, email",
            fresh=[fresh],
        )

    def test_rejects_an_empty_list(self, client):
        assert_error(client.create_users_batch(list=[]), 400, "参数 list 格式错误")

    def test_rejects_more_than_50_items(self, client):
        items = [batch_item() for _ in range(51)]
        assert_batch_creates_nothing(client, items, 400, "参数 list 格式错误", fresh=items[:1])


# ---------------------------------------------------------------------------- set-custom-fields (README §9)


class TestSetCustomFields:
    def test_is_accepted(self, client):
        fields = [
            {"targetType": "USER", "dataType": "STRING", "key": "intro", "label": "自我介绍"},
            {
                "targetType": "USER",
                "dataType": "ENUM",
                "key": "school",
                "label": "学校",
                "options": [{"label": "北京大学", "value": "pku"}, {"label": "清华大学", "value": "tsinghua"}],
            },
        ]
        assert_ok(client.set_custom_fields(list=fields))


# ---------------------------------------------------------------------------- §1.6 list-users (GET, legacy)


class TestListUsersLegacy:
    def test_default_page_is_ten_users(self, client, seed):
        data = assert_ok(client.list_users_legacy())
        assert len(assert_page(data, min_total=1)) == min(10, data["totalCount"])

    def test_lists_the_newest_first(self, client):
        newest = create_user(client)
        items = assert_page(assert_ok(client.list_users_legacy(page=1, limit=1)), min_total=1)
        assert [u["userId"] for u in items] == [newest["userId"]]

    def test_pages_do_not_overlap(self, client):
        for _ in range(4):
            create_user(client)
        first = assert_ok(client.list_users_legacy(page=1, limit=2))
        second = assert_ok(client.list_users_legacy(page=2, limit=2))
        assert first["totalCount"] == second["totalCount"] >= 4
        ids = [u["userId"] for u in first["list"] + second["list"]]
        assert len(ids) == len(set(ids)) == 4

    def test_a_page_past_the_end_is_empty(self, client):
        data = assert_ok(client.list_users_legacy(page=100000, limit=50))
        assert data["list"] == [] and data["totalCount"] > 0

    def test_filters_on_status(self, client):
        suspended = create_user(client, status="Suspended")
        items = assert_page(assert_ok(client.list_users_legacy(status="Suspended", limit=50)), min_total=1)
        assert suspended["userId"] in [u["userId"] for u in items]
        assert {u["status"] for u in items} == {"Suspended"}

    def test_the_status_filter_leaves_out_other_statuses(self, client):
        create_user(client, status="Suspended")
        items = assert_page(assert_ok(client.list_users_legacy(status="Activated", limit=50)), min_total=1)
        assert {u["status"] for u in items} == {"Activated"}

    def test_rejects_an_unknown_status(self, client):
        assert_error(client.list_users_legacy(status="invalid"), 400, "参数 status 格式错误")

    def test_extras_only_when_asked(self, client):
        create_user(client)
        items = assert_ok(client.list_users_legacy(page=1, limit=1))["list"]
        assert not {"customData", "identities", "departmentIds"} & set(items[0]), items[0]

    def test_custom_data_when_asked(self, client):
        create_user(client, custom_data={"school": "pku"})
        items = assert_ok(client.list_users_legacy(page=1, limit=1, with_custom_data=True))["list"]
        assert items[0]["customData"] == {"school": "pku"}

    def test_identities_when_asked(self, client):
        create_user(client)
        items = assert_ok(client.list_users_legacy(page=1, limit=1, with_identities=True))["list"]
        assert items[0]["identities"] == []

    def test_department_ids_when_asked(self, authing_client):
        # genauth 5.1.0's list_users_legacy has no with_department_ids (README §10).
        create_user(authing_client)
        items = assert_ok(authing_client.list_users_legacy(page=1, limit=1, with_department_ids=True))["list"]
        assert items[0]["departmentIds"] == []

    def test_updated_at_start_in_the_future_matches_nothing(self, client):
        resp = client.list_users_legacy(updated_at_start=now_ms() // 1000 + 3600)
        assert assert_ok(resp) == {"totalCount": 0, "list": []}

    @pytest.mark.parametrize("args, field", BAD_PAGING, ids=BAD_PAGING_IDS)
    def test_rejects_bad_paging(self, client, args, field):
        assert_error(client.list_users_legacy(**args), 400, f"参数 {field} 格式错误")
