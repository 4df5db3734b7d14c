"""The seed data the official SDK specs assume in a pool (README §9), created by conftest.py."""

from __future__ import annotations

from helpers import assert_ok, assert_page
from seeding import SEED_USER_COUNT


def test_seeding_through_the_sdk_succeeded(seed):
    assert seed.errors == []


def test_group_developer_exists(client, seed):
    assert assert_ok(client.get_group(code="developer"))["code"] == "developer"


def test_root_organization_is_found_by_its_name(authing_client, seed):
    # Every department spec does searchOrganizations({keywords: "root 用户池"}) and uses list[0].
    items = assert_page(assert_ok(authing_client.search_organizations(keywords="root 用户池")), min_total=1)
    assert items[0]["organizationCode"] == seed.organization_code
    assert "root 用户池" in items[0]["organizationName"]
    assert items[0]["departmentId"]


def test_at_least_one_organization_is_listed(client, seed):
    assert_page(assert_ok(client.list_organizations(page=1, limit=1)), min_total=1)


def test_a_seed_user_has_a_username(client, seed):
    user = assert_ok(client.get_user(user_id=seed.username, user_id_type="username"))
    assert user["username"] == seed.username


def test_several_users_exist(client, seed):
    assert_page(assert_ok(client.list_users()), min_total=SEED_USER_COUNT)
