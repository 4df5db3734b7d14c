"""Seed data that the official SDK specs assume in a pool (README §9)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Names of the seed data that the official SDK specs assume (README §9).
SEED_GROUP_CODE = "developer"
SEED_ORG_CODE = "root-pool"
SEED_ORG_NAME = "Portcullis root 用户池"
SEED_USERNAME = "seed-admin"
SEED_USER_COUNT = 6


@dataclass
class SeedData:
    group_code: str = SEED_GROUP_CODE
    organization_code: str = SEED_ORG_CODE
    organization_name: str = SEED_ORG_NAME
    username: str = SEED_USERNAME
    user_ids: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def seed_pool(client) -> SeedData:
    """Create, through the `authing` SDK, the data the official specs expect in a pool.

    genauth 5.1.0 has no create-organization, hence `authing`. Failures are collected rather
    than raised so that one unimplemented endpoint does not take every suite down;
    test_seed.py reports them.
    """
    seed = SeedData()

    def step(what, call):
        try:
            resp = call()
        except Exception as err:  # noqa: BLE001 - reported by test_seed.py
            seed.errors.append(f"{what}: {err!r}")
            return None
        if not isinstance(resp, dict) or resp.get("statusCode") != 200:
            seed.errors.append(f"{what}: {resp!r}")
            return None
        return resp.get("data")

    step(
        f"create group {SEED_GROUP_CODE}",
        lambda: client.create_group(type=None, code=SEED_GROUP_CODE, name="Developers", description="seed group"),
    )
    step(
        f"create organization {SEED_ORG_NAME}",
        lambda: client.create_organization(
            metadata=None, organization_code=SEED_ORG_CODE, organization_name=SEED_ORG_NAME
        ),
    )
    for i in range(SEED_USER_COUNT):
        profile = {"email": f"seed-user-{i}@example.com", "name": f"Seed User {i}"}
        if i == 0:
            profile.update(username=SEED_USERNAME, phone="13800000000", external_id="seed-external-0")
        user = step(f"create user {profile['email']}", lambda p=profile: client.create_user(**p))
        if user:
            seed.user_ids.append(user.get("userId"))
    return seed
