"""Assertions and data helpers shared by the SDK suites.

Every SDK method returns the response envelope (README §2):
    {"statusCode": int, "message": str, "requestId": str, "data": ..., ["apiCode": int]}
"""

from __future__ import annotations

import json
import uuid

# A 100-character code: longer than the 64-character limit (the SDK specs use this one).
LONG_CODE = "1234567891" * 10
# Codes that pass the length validator but fail the character check (README §7).
BAD_CHAR_CODE = "额！"
BLANK_CODE = " "
INVALID_CODES = [BAD_CHAR_CODE, BLANK_CODE]
INVALID_CODE_IDS = ["non-ascii", "blank"]
# Paging arguments the validator refuses (README §6), with the field the message names.
BAD_PAGING = [
    ({"page": 0}, "page"),
    ({"page": -1}, "page"),
    ({"limit": 0}, "limit"),
    ({"limit": -1}, "limit"),
    ({"limit": 51}, "limit"),
    ({"limit": 10000}, "limit"),
]
BAD_PAGING_IDS = ["page-0", "page-minus-1", "limit-0", "limit-minus-1", "limit-51", "limit-10000"]


def _show(resp) -> str:
    return json.dumps(resp, ensure_ascii=False, indent=1, default=str)


def unique_code(prefix: str = "c") -> str:
    """A fresh, valid code (letters, digits, '-')."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def assert_ok(resp):
    """Success envelope: statusCode 200, message "", a requestId, no apiCode. Returns `data`."""
    assert isinstance(resp, dict), f"expected an envelope, got {resp!r}"
    assert resp.get("statusCode") == 200, f"expected statusCode 200:\n{_show(resp)}"
    assert resp.get("message") == "", f'expected message "" on success:\n{_show(resp)}'
    assert isinstance(resp.get("requestId"), str) and resp["requestId"], f"expected a requestId:\n{_show(resp)}"
    assert "apiCode" not in resp, f"apiCode must be omitted on success:\n{_show(resp)}"
    return resp.get("data")


def assert_success_flag(resp) -> None:
    """IsSuccessDto: data == {"success": true}."""
    data = assert_ok(resp)
    assert data == {"success": True}, f"expected data {{success: true}}:\n{_show(resp)}"


def assert_error(resp, status: int, message: str, api_code: int | None = None) -> None:
    """Failure envelope with exactly this statusCode and message; data null (README §2)."""
    assert isinstance(resp, dict), f"expected an envelope, got {resp!r}"
    assert (resp.get("statusCode"), resp.get("message")) == (status, message), (
        f"expected statusCode {status} / message {message!r}:\n{_show(resp)}"
    )
    assert resp.get("data") is None, f"expected data null on failure:\n{_show(resp)}"
    assert isinstance(resp.get("requestId"), str) and resp["requestId"], f"expected a requestId:\n{_show(resp)}"
    if api_code is not None:
        assert resp.get("apiCode") == api_code, f"expected apiCode {api_code}:\n{_show(resp)}"


def assert_error_status(resp, status: int) -> None:
    """Failure envelope with this statusCode and some message, for rows whose text the contract
    leaves open (e.g. the PROPOSED 422 business rules of principals.md §4)."""
    assert isinstance(resp, dict), f"expected an envelope, got {resp!r}"
    assert resp.get("statusCode") == status, f"expected statusCode {status}:\n{_show(resp)}"
    assert isinstance(resp.get("message"), str) and resp["message"], f"expected a message:\n{_show(resp)}"
    assert resp.get("data") is None, f"expected data null on failure:\n{_show(resp)}"
    assert isinstance(resp.get("requestId"), str) and resp["requestId"], f"expected a requestId:\n{_show(resp)}"


def assert_error_contains(resp, status: int, fragment: str) -> None:
    """For rows where the SDK specs only check that the message *contains* a text."""
    assert isinstance(resp, dict), f"expected an envelope, got {resp!r}"
    assert resp.get("statusCode") == status, f"expected statusCode {status}:\n{_show(resp)}"
    assert fragment in (resp.get("message") or ""), f"expected message containing {fragment!r}:\n{_show(resp)}"


def assert_page(data, *, min_total: int = 0):
    """Page object {totalCount, list}; returns the list."""
    assert isinstance(data, dict), f"expected a page object, got {data!r}"
    assert isinstance(data.get("totalCount"), int), f"totalCount must be an integer: {data!r}"
    assert isinstance(data.get("list"), list), f"list must be an array: {data!r}"
    assert data["totalCount"] >= min_total, f"expected totalCount >= {min_total}: {data!r}"
    assert data["totalCount"] >= len(data["list"]), f"totalCount smaller than the page: {data!r}"
    return data["list"]


def codes_of(items, key: str = "code") -> list:
    return [item[key] for item in items]


def new_user(client, **fields):
    """A fresh user (unique email); returns the UserDto."""
    return assert_ok(client.create_user(**{"email": unique_email("member"), **fields}))


# Organizations and departments (principals.md §4): the write methods exist only in `authing`
# (README §10), so `client` below is an `authing` ManagementClient.


def organization_not_found(code: str) -> str:
    """The observed message for an unknown `organizationCode` (README §9, department/ rows)."""
    return f"organization not found for code: {code}"


def new_organization(client, **overrides):
    """create-organization with a fresh code; returns the response envelope."""
    code = unique_code("org")
    fields = {"metadata": None, "organization_code": code, "organization_name": f"name {code}"}
    fields.update(overrides)
    return client.create_organization(**fields)


def new_department(client, organization, **overrides):
    """A fresh department, by default a child of the organization's root; returns the DepartmentDto."""
    fields = {
        "organization_code": organization["organizationCode"],
        "name": unique_code("dept"),
        "parent_department_id": organization["departmentId"],
        "metadata": None,
    }
    fields.update(overrides)
    return assert_ok(client.create_department(**fields))


def join_department(client, organization, department_id, *users) -> None:
    """add-department-members for these users, asserting success."""
    resp = client.add_department_members(
        user_ids=[u["userId"] for u in users],
        organization_code=organization["organizationCode"],
        department_id=department_id,
    )
    assert_success_flag(resp)


# ---------------------------------------------------------------------- authorization
# Grants (resources.md §21, semantics.md §4): one authorize-resources call per grant, and the
# yes/no answer of is-action-allowed.


def now_ms() -> int:
    """Current time in milliseconds (role disableTime, assign-role enableTime/endTime)."""
    import time

    return int(time.time() * 1000)


def new_namespace(client, **fields) -> str:
    """A fresh namespace; returns its code."""
    return assert_ok(client.create_namespace(code=unique_code("ns"), **fields))["code"]


def new_role(client, namespace=None, **fields):
    """A fresh role in `namespace` (default: `default`); returns the RoleDto."""
    return assert_ok(client.create_role(code=unique_code("role"), namespace=namespace, **fields))


def new_group_dto(client, **fields):
    """A fresh group; returns the GroupDto."""
    code = unique_code("grp")
    return assert_ok(client.create_group(**{"type": None, "code": code, "name": code, "description": "", **fields}))


def user_target(user) -> dict:
    """TargetDto of assign-role / revoke-role for a user."""
    return {"targetType": "USER", "targetIdentifier": user["userId"]}


def department_target(department_id: str, inherit_by_children=None) -> dict:
    """TargetDto of assign-role for a department; `inheritByChildren` is our extension (§13.4)."""
    target = {"targetType": "DEPARTMENT", "targetIdentifier": department_id}
    if inherit_by_children is not None:
        target["inheritByChildren"] = inherit_by_children
    return target


def resource_item(code: str, actions, resource_type: str = "DATA", effect=None) -> dict:
    """ResourceItemDto of authorize-resources; `effect` (ALLOW | DENY) is our extension (§13.6)."""
    item = {"code": code, "actions": list(actions), "resourceType": resource_type}
    if effect is not None:
        item["effect"] = effect
    return item


def grant_item(target_type: str, identifiers, *resources, inherit_by_children=None) -> dict:
    """AuthorizeResourceItem: these targets get these ResourceItemDtos."""
    if isinstance(identifiers, str):
        identifiers = [identifiers]
    item = {"targetType": target_type, "targetIdentifiers": list(identifiers), "resources": list(resources)}
    if inherit_by_children is not None:
        item["inheritByChildren"] = inherit_by_children
    return item


def authorize(
    client,
    target_type,
    identifiers,
    code,
    actions,
    *,
    namespace="default",
    resource_type="DATA",
    effect=None,
    inherit_by_children=None,
) -> None:
    """authorize-resources for one code, asserting success."""
    item = grant_item(
        target_type,
        identifiers,
        resource_item(code, actions, resource_type, effect),
        inherit_by_children=inherit_by_children,
    )
    assert_success_flag(client.authorize_resources(list=[item], namespace=namespace))


def is_allowed(client, user_id: str, action: str, resource: str, namespace=None) -> bool:
    """is-action-allowed, asserting the envelope; returns data.allowed."""
    data = assert_ok(client.is_action_allowed(user_id=user_id, action=action, resource=resource, namespace=namespace))
    assert isinstance(data, dict) and isinstance(data.get("allowed"), bool), f"expected {{allowed: bool}}: {data!r}"
    return data["allowed"]


def direct_grants(client, target_type: str, identifier: str, namespace=None, **filters) -> list:
    """get-authorized-resources of one target; returns the list (totalCount must equal its length)."""
    data = assert_ok(
        client.get_authorized_resources(
            target_type=target_type, target_identifier=identifier, namespace=namespace, **filters
        )
    )
    items = assert_page(data)
    assert data["totalCount"] == len(items), f"no paging here: totalCount must equal the list length: {data!r}"
    return items


# ---------------------------------------------------------------------- raw HTTP
# A few contract points (HTTP status, token format, headers the SDKs never vary) are checked
# with plain `requests` (a dependency of both SDKs) next to the SDK calls.


def raw_call(host: str, method: str, path: str, *, headers=None, params=None, json_body=None):
    """Returns (http_status, parsed JSON body). Fails the test if the body is not JSON."""
    import requests

    resp = requests.request(method, host + path, headers=headers or {}, params=params, json=json_body, timeout=10)
    try:
        body = resp.json()
    except ValueError:
        raise AssertionError(f"{method} {path}: body is not JSON (HTTP {resp.status_code}): {resp.text[:500]!r}")
    return resp.status_code, body


def fetch_token(host: str, access_key_id, access_key_secret):
    """POST /api/v3/get-management-token the way both Python SDKs do. Returns (http_status, body)."""
    body = {}
    if access_key_id is not None:
        body["accessKeyId"] = access_key_id
    if access_key_secret is not None:
        body["accessKeySecret"] = access_key_secret
    return raw_call(host, "POST", "/api/v3/get-management-token", json_body=body)


def jwt_payload(token: str) -> dict:
    """Decode a JWT payload the way the Python SDKs' decode_jwt does (standard alphabet)."""
    import base64

    segment = token.split(".")[1]
    segment += "=" * (-len(segment) % 4)
    return json.loads(base64.b64decode(segment).decode("utf-8"))
