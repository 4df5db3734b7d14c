"""Session fixtures: one throwaway Portcullis server, two pools, seed data, SDK clients.

Every test that takes `client` runs once per official Python SDK (`genauth` and `authing`,
both 5.1.0); the test id says which, e.g. `test_get_namespace[genauth]`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pytest

from portcullis_server import AccessKey, PortcullisServer
from sdks import SDK_PACKAGES, Sdk, load_sdk
from seeding import SeedData, seed_pool


@dataclass(frozen=True)
class Env:
    host: str
    pool1: AccessKey
    pool2: AccessKey
    seed: SeedData
    server: PortcullisServer


@pytest.fixture(scope="session")
def env():
    """The throwaway server, started once for the whole pytest session."""
    with PortcullisServer() as server:
        pool2 = server.create_pool("sdk-tests-pool-2")
        seed = seed_pool(load_sdk("authing").client(server.pool1, server.host))
        if seed.errors:
            warnings.warn("seeding pool 1 failed partly:\n  " + "\n  ".join(seed.errors), stacklevel=1)
        yield Env(host=server.host, pool1=server.pool1, pool2=pool2, seed=seed, server=server)


@pytest.fixture(scope="session", params=SDK_PACKAGES)
def sdk(request) -> Sdk:
    return load_sdk(request.param)


@pytest.fixture(scope="session")
def client(sdk, env):
    """ManagementClient of pool 1 (the bootstrap pool, seeded), lang zh-CN."""
    return sdk.client(env.pool1, env.host)


@pytest.fixture(scope="session")
def pool2_client(sdk, env):
    """ManagementClient of pool 2 (created with `portcullis pool create`, not seeded)."""
    return sdk.client(env.pool2, env.host)


@pytest.fixture(scope="session")
def seed(env) -> SeedData:
    return env.seed


@pytest.fixture(scope="session")
def authing_client(env):
    """`authing` ManagementClient of pool 1, for endpoints genauth 5.1.0 lacks (README §10)."""
    return load_sdk("authing").client(env.pool1, env.host)


@pytest.fixture(scope="session")
def authing_pool2_client(env):
    """`authing` ManagementClient of pool 2, for isolation checks of endpoints genauth lacks."""
    return load_sdk("authing").client(env.pool2, env.host)
