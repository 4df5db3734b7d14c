"""Authentication with the management token (auth.md §A) and user-pool isolation.

The Python SDKs fetch a token with POST /api/v3/get-management-token, then send
`authorization: Bearer <jwt>` plus `x-genauth-userpool-id` / `x-authing-userpool-id`.
"""

from __future__ import annotations

import re
import time

import pytest

from helpers import (
    assert_error,
    assert_ok,
    codes_of,
    fetch_token,
    jwt_payload,
    raw_call,
    unique_code,
    unique_email,
)
from portcullis_server import AccessKey, PortcullisServer

LIST_NAMESPACES = "/api/v3/list-namespaces"


def bearer_headers(token: str, **extra) -> dict:
    return {"authorization": f"Bearer {token}", **extra}


def issue_token(env, key: AccessKey | None = None) -> str:
    key = key or env.pool1
    _, body = fetch_token(env.host, key.access_key_id, key.access_key_secret)
    return assert_ok(body)["access_token"]


def assert_unauthenticated(http_status: int, body) -> None:
    """Auth failures are business errors: HTTP 200, statusCode 401 in the envelope (README §3)."""
    assert http_status == 200, f"auth failures must be sent with HTTP 200, got {http_status}: {body}"
    assert body.get("statusCode") == 401, body
    assert body.get("message"), f"a 401 needs a message: {body}"
    assert body.get("data") is None, body


# ---------------------------------------------------------------------------- the token


class TestManagementToken:
    def test_sdk_obtains_a_token_scoped_to_its_pool(self, client, env):
        token, user_pool_id = client.http_client.token_provider.get_access_token()
        assert token.count(".") == 2, token
        assert user_pool_id == env.pool1.user_pool_id

    def test_token_response_carries_expires_in_as_a_number(self, env):
        status, body = fetch_token(env.host, env.pool1.access_key_id, env.pool1.access_key_secret)
        assert status == 200
        data = assert_ok(body)
        assert isinstance(data["expires_in"], int) and not isinstance(data["expires_in"], bool), data
        assert data["expires_in"] > 0

    def test_token_payload_segment_is_plain_alphanumeric(self, env):
        # b64decode in the Python SDKs silently drops '-' and '_' (auth.md §A.2 rule 2).
        token = issue_token(env)
        assert re.fullmatch(r"[A-Za-z0-9]+", token.split(".")[1]), token

    def test_token_payload_has_the_proposed_claims(self, env):
        _, body = fetch_token(env.host, env.pool1.access_key_id, env.pool1.access_key_secret)
        data = assert_ok(body)
        payload = jwt_payload(data["access_token"])
        assert payload["scoped_userpool_id"] == env.pool1.user_pool_id
        assert payload["sub"] == env.pool1.access_key_id
        assert payload["exp"] - payload["iat"] == data["expires_in"]

    def test_token_of_second_pool_is_scoped_to_that_pool(self, pool2_client, env):
        _, user_pool_id = pool2_client.http_client.token_provider.get_access_token()
        assert user_pool_id == env.pool2.user_pool_id

    def test_wrong_secret_is_refused_with_401(self, env):
        assert_unauthenticated(*fetch_token(env.host, env.pool1.access_key_id, "not-the-secret"))

    def test_unknown_access_key_is_refused_with_401(self, env):
        assert_unauthenticated(*fetch_token(env.host, "0123456789abcdef01234567", "whatever"))

    @pytest.mark.parametrize("missing", ["accessKeyId", "accessKeySecret"])
    def test_missing_credential_field_is_a_400(self, env, missing):
        key = env.pool1
        ak = None if missing == "accessKeyId" else key.access_key_id
        sk = None if missing == "accessKeySecret" else key.access_key_secret
        status, body = fetch_token(env.host, ak, sk)
        assert status == 200
        assert body["statusCode"] == 400, body
        assert body["message"] in (f"参数 {missing} 格式错误", f"Invalid parameter: {missing}"), body


# ---------------------------------------------------------------------------- the SDKs' view


class TestSdkWithBadCredentials:
    def test_wrong_secret_raises_the_sdk_exception_with_401(self, sdk, env):
        bad = AccessKey(env.pool1.user_pool_id, env.pool1.access_key_id, "not-the-secret")
        with pytest.raises(sdk.exception) as raised:
            sdk.client(bad, env.host).list_namespaces()
        assert raised.value.statusCode == 401
        assert raised.value.message

    def test_unknown_access_key_raises_the_sdk_exception_with_401(self, sdk, env):
        unknown = AccessKey("0123456789abcdef01234567", "0123456789abcdef01234567", "whatever")
        with pytest.raises(sdk.exception) as raised:
            sdk.client(unknown, env.host).get_namespace(code="default")
        assert raised.value.statusCode == 401


# ---------------------------------------------------------------------------- bearer checks


class TestBearerVerification:
    def test_valid_token_is_accepted_with_either_userpool_header(self, env):
        token = issue_token(env)
        for prefix in ("x-authing-", "x-genauth-"):
            headers = bearer_headers(token, **{f"{prefix}userpool-id": env.pool1.user_pool_id})
            status, body = raw_call(env.host, "GET", LIST_NAMESPACES, headers=headers)
            assert status == 200
            assert_ok(body)

    def test_valid_token_without_userpool_header_uses_the_token_pool(self, env):
        _, body = raw_call(env.host, "GET", LIST_NAMESPACES, headers=bearer_headers(issue_token(env)))
        assert_ok(body)

    def test_bare_token_without_bearer_word_is_accepted(self, env):
        # The Java SDK sends the JWT alone (auth.md: "accepting both is harmless").
        _, body = raw_call(env.host, "GET", LIST_NAMESPACES, headers={"authorization": issue_token(env)})
        assert_ok(body)

    def test_missing_authorization_is_401(self, env):
        assert_unauthenticated(*raw_call(env.host, "GET", LIST_NAMESPACES))

    def test_garbage_token_is_401(self, env):
        assert_unauthenticated(*raw_call(env.host, "GET", LIST_NAMESPACES, headers=bearer_headers("not.a.jwt")))

    def test_token_with_a_forged_signature_is_401(self, env):
        header, payload, signature = issue_token(env).split(".")
        forged = f"{header}.{payload}.{signature[::-1]}"
        assert_unauthenticated(*raw_call(env.host, "GET", LIST_NAMESPACES, headers=bearer_headers(forged)))

    @pytest.mark.parametrize("prefix", ["x-authing-", "x-genauth-"])
    def test_token_used_with_another_pools_header_is_403(self, env, prefix):
        headers = bearer_headers(issue_token(env), **{f"{prefix}userpool-id": env.pool2.user_pool_id})
        status, body = raw_call(env.host, "GET", LIST_NAMESPACES, headers=headers)
        assert status == 200
        assert body["statusCode"] == 403, body
        assert body["data"] is None, body

    def test_expired_token_is_401(self):
        # No clock leeway: the server is both issuer and verifier (auth.md §A.3).
        with PortcullisServer(token_ttl_seconds=1) as server:
            _, body = fetch_token(server.host, server.pool1.access_key_id, server.pool1.access_key_secret)
            data = assert_ok(body)
            assert data["expires_in"] == 1
            time.sleep(2.2)
            headers = bearer_headers(data["access_token"])
            assert_unauthenticated(*raw_call(server.host, "GET", LIST_NAMESPACES, headers=headers))


# ---------------------------------------------------------------------------- isolation


class TestPoolIsolation:
    """Everything a request touches is scoped to the pool of its credentials."""

    def test_namespace_of_pool1_is_not_found_from_pool2(self, client, pool2_client):
        code = unique_code("iso-ns")
        assert_ok(client.create_namespace(code=code, name="pool 1 only"))
        assert_error(pool2_client.get_namespace(code=code), 404, "namespace not exists")

    def test_namespace_of_pool1_is_not_listed_in_pool2(self, client, pool2_client):
        code = unique_code("iso-ns")
        assert_ok(client.create_namespace(code=code))
        listed = assert_ok(pool2_client.list_namespaces(page=1, limit=50, keywords=code))
        assert code not in codes_of(listed["list"])
        assert assert_ok(pool2_client.get_namespaces_batch(code_list=[code])) == []

    def test_role_of_pool1_is_not_found_from_pool2(self, client, pool2_client):
        code = unique_code("iso-role")
        assert_ok(client.create_role(code=code))
        assert_error(pool2_client.get_role(code=code), 404, "角色不存在")

    def test_group_of_pool1_is_not_found_from_pool2(self, client, pool2_client):
        code = unique_code("iso-group")
        assert_ok(client.create_group(type=None, code=code, name="pool 1 group", description=""))
        assert_error(pool2_client.get_group(code=code), 404, "分组不存在")

    def test_user_of_pool1_is_not_found_from_pool2(self, client, pool2_client):
        user = assert_ok(client.create_user(email=unique_email("iso")))
        assert_error(pool2_client.get_user(user_id=user["userId"]), 404, "用户不存在")

    def test_seed_group_of_pool1_does_not_exist_in_pool2(self, pool2_client, seed):
        assert_error(pool2_client.get_group(code=seed.group_code), 404, "分组不存在")

    def test_same_code_can_be_created_in_both_pools(self, client, pool2_client):
        code = unique_code("iso-both")
        assert assert_ok(client.create_namespace(code=code, name="one"))["name"] == "one"
        assert assert_ok(pool2_client.create_namespace(code=code, name="two"))["name"] == "two"
        assert assert_ok(client.get_namespace(code=code))["name"] == "one"

    def test_deleting_from_pool2_does_not_touch_pool1(self, client, pool2_client):
        code = unique_code("iso-del")
        assert_ok(client.create_namespace(code=code))
        assert_error(pool2_client.delete_namespace(code=code), 404, "权限组不存在")
        assert assert_ok(client.get_namespace(code=code))["code"] == code

    def test_user_of_pool1_cannot_join_a_group_of_pool2(self, client, pool2_client):
        user = assert_ok(client.create_user(email=unique_email("iso-member")))
        group = unique_code("iso-g2")
        assert_ok(pool2_client.create_group(type=None, code=group, name="pool 2 group", description=""))
        assert_error(pool2_client.add_group_members(code=group, user_ids=[user["userId"]]), 404, "用户不存在")
