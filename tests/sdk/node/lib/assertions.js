"use strict";
// Assertions and data helpers shared by the SDK suites.
// Every SDK method resolves to the response envelope (README §2):
//   { statusCode, message, requestId, data, [apiCode] }

const assert = require("node:assert/strict");
const crypto = require("node:crypto");

/** A 100-character code: longer than the 64-character limit (the SDK specs use this one). */
const LONG_CODE = "1234567891".repeat(10);
/** Codes that pass the length check but fail the character check (README §7), by name. */
const INVALID_CODES = { "non-ascii": "额！", blank: " " };
/** Codes that fail the validator: empty or too long. */
const EMPTY_AND_LONG = { empty: "", "100-chars": LONG_CODE };
/** Paging arguments the validator refuses (README §6), by name: [arguments, field in the message]. */
const BAD_PAGING = {
  "page 0": [{ page: 0 }, "page"],
  "page -1": [{ page: -1 }, "page"],
  "limit 0": [{ limit: 0 }, "limit"],
  "limit -1": [{ limit: -1 }, "limit"],
  "limit 51": [{ limit: 51 }, "limit"],
  "limit 10000": [{ limit: 10000 }, "limit"],
};

const show = (resp) => JSON.stringify(resp, null, 1);

function uniqueCode(prefix = "c") {
  return `${prefix}-${crypto.randomBytes(8).toString("hex")}`;
}

function uniqueEmail(prefix = "user") {
  return `${prefix}-${crypto.randomBytes(6).toString("hex")}@example.com`;
}

/** Success envelope: statusCode 200, message "", a requestId, no apiCode. Returns `data`. */
function assertOk(resp) {
  assert.equal(typeof resp, "object", `expected an envelope, got ${show(resp)}`);
  assert.equal(resp.statusCode, 200, `expected statusCode 200:\n${show(resp)}`);
  assert.equal(resp.message, "", `expected message "" on success:\n${show(resp)}`);
  assert.ok(typeof resp.requestId === "string" && resp.requestId, `expected a requestId:\n${show(resp)}`);
  assert.ok(!("apiCode" in resp), `apiCode must be omitted on success:\n${show(resp)}`);
  return resp.data;
}

/** IsSuccessDto: data == {success: true}. */
function assertSuccessFlag(resp) {
  assert.deepEqual(assertOk(resp), { success: true }, `expected data {success: true}:\n${show(resp)}`);
}

/** Failure envelope with exactly this statusCode and message; data null (README §2). */
function assertError(resp, statusCode, message, apiCode) {
  assert.equal(typeof resp, "object", `expected an envelope, got ${show(resp)}`);
  assert.deepEqual(
    [resp.statusCode, resp.message],
    [statusCode, message],
    `expected statusCode ${statusCode} / message ${JSON.stringify(message)}:\n${show(resp)}`,
  );
  assert.equal(resp.data ?? null, null, `expected data null on failure:\n${show(resp)}`);
  assert.ok(typeof resp.requestId === "string" && resp.requestId, `expected a requestId:\n${show(resp)}`);
  if (apiCode !== undefined) assert.equal(resp.apiCode, apiCode, `expected apiCode ${apiCode}:\n${show(resp)}`);
}

/**
 * Failure envelope with this statusCode and some message, for rows whose text the contract leaves
 * open (e.g. the PROPOSED 422 business rules of principals.md §4).
 */
function assertErrorStatus(resp, statusCode) {
  assert.equal(typeof resp, "object", `expected an envelope, got ${show(resp)}`);
  assert.equal(resp.statusCode, statusCode, `expected statusCode ${statusCode}:\n${show(resp)}`);
  assert.ok(typeof resp.message === "string" && resp.message, `expected a message:\n${show(resp)}`);
  assert.equal(resp.data ?? null, null, `expected data null on failure:\n${show(resp)}`);
  assert.ok(typeof resp.requestId === "string" && resp.requestId, `expected a requestId:\n${show(resp)}`);
}

/** For rows where the SDK specs only check that the message contains a text. */
function assertErrorContains(resp, statusCode, fragment) {
  assert.equal(resp.statusCode, statusCode, `expected statusCode ${statusCode}:\n${show(resp)}`);
  assert.ok(String(resp.message).includes(fragment), `expected message containing ${fragment}:\n${show(resp)}`);
}

/** Page object {totalCount, list}; returns the list. */
function assertPage(data, minTotal = 0) {
  assert.ok(data && typeof data === "object", `expected a page object, got ${show(data)}`);
  assert.ok(Number.isInteger(data.totalCount), `totalCount must be an integer: ${show(data)}`);
  assert.ok(Array.isArray(data.list), `list must be an array: ${show(data)}`);
  assert.ok(data.totalCount >= minTotal, `expected totalCount >= ${minTotal}: ${show(data)}`);
  assert.ok(data.totalCount >= data.list.length, `totalCount smaller than the page: ${show(data)}`);
  return data.list;
}

const codesOf = (items, key = "code") => items.map((item) => item[key]);
const idsOf = (users) => users.map((u) => u.userId);

/** A fresh user (unique email); resolves to the UserDto. */
async function newUser(client, fields = {}) {
  return assertOk(await client.createUser({ email: uniqueEmail("member"), ...fields }));
}

// Organizations and departments (principals.md §4).

/** The observed message for an unknown `organizationCode` (README §9, department/ rows). */
const organizationNotFound = (code) => `organization not found for code: ${code}`;

/** createOrganization with a fresh code; resolves to the response envelope. */
function newOrganization(client, fields = {}) {
  const organizationCode = uniqueCode("org");
  return client.createOrganization({ organizationCode, organizationName: `name ${organizationCode}`, ...fields });
}

/** A fresh department, by default a child of the organization's root; resolves to the DepartmentDto. */
async function newDepartment(client, organization, fields = {}) {
  return assertOk(
    await client.createDepartment({
      organizationCode: organization.organizationCode,
      name: uniqueCode("dept"),
      parentDepartmentId: organization.departmentId,
      ...fields,
    }),
  );
}

/** addDepartmentMembers for these users, asserting success. */
async function joinDepartment(client, organization, departmentId, ...users) {
  assertSuccessFlag(
    await client.addDepartmentMembers({
      userIds: idsOf(users),
      organizationCode: organization.organizationCode,
      departmentId,
    }),
  );
}

// Authorization (resources.md §21, semantics.md §4): one authorizeResources call per grant, and
// the yes/no answer of isActionAllowed.

const nowMs = () => Date.now();

/** A fresh namespace; resolves to its code. */
async function newNamespace(client, fields = {}) {
  return assertOk(await client.createNamespace({ code: uniqueCode("ns"), ...fields })).code;
}

/** A fresh role (fields may name a namespace; default `default`); resolves to the RoleDto. */
async function newRole(client, fields = {}) {
  return assertOk(await client.createRole({ code: uniqueCode("role"), ...fields }));
}

/** A fresh group; resolves to the GroupDto. */
async function newGroupDto(client, fields = {}) {
  const code = uniqueCode("grp");
  return assertOk(await client.createGroup({ code, name: code, description: "", ...fields }));
}

/** TargetDto of assignRole / revokeRole for a user. */
const userTarget = (user) => ({ targetType: "USER", targetIdentifier: user.userId });

/** TargetDto of assignRole for a department; `inheritByChildren` is our extension (semantics §13.4). */
function departmentTarget(departmentId, inheritByChildren) {
  const target = { targetType: "DEPARTMENT", targetIdentifier: departmentId };
  if (inheritByChildren !== undefined) target.inheritByChildren = inheritByChildren;
  return target;
}

/** ResourceItemDto of authorizeResources; `effect` (ALLOW | DENY) is our extension (semantics §13.6). */
function resourceItem(code, actions, resourceType = "DATA", effect) {
  const item = { code, actions: [...actions], resourceType };
  if (effect !== undefined) item.effect = effect;
  return item;
}

/** AuthorizeResourceItem: these targets get these ResourceItemDtos. */
function grantItem(targetType, identifiers, resources, { inheritByChildren } = {}) {
  const item = {
    targetType,
    targetIdentifiers: Array.isArray(identifiers) ? [...identifiers] : [identifiers],
    resources,
  };
  if (inheritByChildren !== undefined) item.inheritByChildren = inheritByChildren;
  return item;
}

/** authorizeResources for one code, asserting success. */
async function authorize(
  client,
  targetType,
  identifiers,
  code,
  actions,
  { namespace = "default", resourceType = "DATA", effect, inheritByChildren } = {},
) {
  const item = grantItem(targetType, identifiers, [resourceItem(code, actions, resourceType, effect)], {
    inheritByChildren,
  });
  assertSuccessFlag(await client.authorizeResources({ list: [item], namespace }));
}

/** isActionAllowed, asserting the envelope; resolves to data.allowed. */
async function isAllowed(client, userId, action, resource, namespace) {
  const data = assertOk(await client.isActionAllowed({ userId, action, resource, namespace }));
  assert.equal(typeof data?.allowed, "boolean", `expected {allowed: boolean}: ${show(data)}`);
  return data.allowed;
}

/** getAuthorizedResources of one target; resolves to the list (totalCount must equal its length). */
async function directGrants(client, targetType, targetIdentifier, query = {}) {
  const data = assertOk(await client.getAuthorizedResources({ targetType, targetIdentifier, ...query }));
  const list = assertPage(data);
  assert.equal(data.totalCount, list.length, `no paging here: totalCount must equal the list length: ${show(data)}`);
  return list;
}

module.exports = {
  LONG_CODE,
  INVALID_CODES,
  EMPTY_AND_LONG,
  BAD_PAGING,
  uniqueCode,
  uniqueEmail,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertErrorStatus,
  assertErrorContains,
  assertPage,
  codesOf,
  idsOf,
  newUser,
  organizationNotFound,
  newOrganization,
  newDepartment,
  joinDepartment,
  nowMs,
  newNamespace,
  newRole,
  newGroupDto,
  userTarget,
  departmentTarget,
  resourceItem,
  grantItem,
  authorize,
  isAllowed,
  directGrants,
};
