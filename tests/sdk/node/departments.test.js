"use strict";
// Departments through authing-node-sdk: principals.md §4.7–4.19, get/set-user-departments
// (§1.11–1.12) and the department/ rows of README §9. Each test builds its own organization, so
// department trees never overlap between tests.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const {
  LONG_CODE,
  INVALID_CODES,
  BAD_PAGING,
  uniqueCode,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertErrorStatus,
  assertPage,
  idsOf,
  newUser,
  organizationNotFound,
  newOrganization,
  newDepartment,
  joinDepartment,
} = require("./lib/assertions");

const ctx = useServer();

/** A well-formed user id that is not a user of any pool here (the SDK spec's example). */
const FOREIGN_USER_ID = "5a597f35085a2000144a10ed";
const UNKNOWN_DEPARTMENT_ID = "0".repeat(24);

const deptIdsOf = (items) => items.map((d) => d.departmentId);
const sorted = (values) => [...values].sort();

async function organization(client = ctx.client) {
  return assertOk(await newOrganization(client));
}

/** A fresh organization with one child of the root that has a code and a description. */
async function orgWithDepartment() {
  const org = await organization();
  const department = await newDepartment(ctx.client, org, { code: uniqueCode("dc"), description: "about" });
  return { org, department };
}

async function newUsers(count = 2, client = ctx.client) {
  const users = [];
  for (let i = 0; i < count; i++) users.push(await newUser(client));
  return users;
}

async function getDepartment(org, departmentId, extra = {}) {
  return assertOk(await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentId, ...extra }));
}

/** Looks the id up across all organizations of the pool (getDepartment without a code). */
async function departmentExists(departmentId) {
  const resp = await ctx.client.getDepartment({ departmentId });
  if (resp.statusCode === 404) return false;
  assertOk(resp);
  return true;
}

async function childrenIds(org, departmentId) {
  const data = assertOk(
    await ctx.client.listChildrenDepartments({ organizationCode: org.organizationCode, departmentId }),
  );
  return sorted(deptIdsOf(assertPage(data)));
}

async function memberIds(org, departmentId) {
  return sorted(
    assertOk(await ctx.client.listDepartmentMemberIds({ organizationCode: org.organizationCode, departmentId })),
  );
}

async function userDepartmentIds(user, client = ctx.client) {
  const data = assertOk(await client.getUserDepartments({ userId: user.userId, limit: 50 }));
  return sorted(deptIdsOf(assertPage(data)));
}

function setDepartments(user, departments, extra = {}, client = ctx.client) {
  return client.setUserDepartments({
    userId: user.userId,
    departments: departments.map((d) => ({ departmentId: d.departmentId })),
    ...extra,
  });
}

// ---------------------------------------------------------------------------- organizationCode
// principals.md §4 / README §9: common to every department endpoint.

const BAD_ORG_CODES = { random: uniqueCode("missing"), "non-ascii": "额！ ", empty: "", blank: " " };

/** Every department endpoint, called with `code` as organizationCode; `member` is a member of the
 * department `d`, `outsider` is not. */
const ORG_CODE_CALLS = {
  updateDepartment: (c, code, d) => c.updateDepartment({ organizationCode: code, departmentId: d, name: "renamed" }),
  deleteDepartment: (c, code, d) => c.deleteDepartment({ organizationCode: code, departmentId: d }),
  getDepartment: (c, code, d) => c.getDepartment({ organizationCode: code, departmentId: d }),
  addDepartmentMembers: (c, code, d, member, outsider) =>
    c.addDepartmentMembers({ userIds: [outsider], organizationCode: code, departmentId: d }),
  removeDepartmentMembers: (c, code, d, member) =>
    c.removeDepartmentMembers({ userIds: [member], organizationCode: code, departmentId: d }),
  listChildrenDepartments: (c, code, d) => c.listChildrenDepartments({ organizationCode: code, departmentId: d }),
  listDepartmentMembers: (c, code, d) => c.listDepartmentMembers({ organizationCode: code, departmentId: d }),
  listDepartmentMemberIds: (c, code, d) => c.listDepartmentMemberIds({ organizationCode: code, departmentId: d }),
  searchDepartmentMembers: (c, code, d) =>
    c.searchDepartmentMembers({ organizationCode: code, departmentId: d, keywords: "member" }),
  searchDepartments: (c, code) => c.searchDepartments({ keywords: "dept", organizationCode: code }),
  getParentDepartment: (c, code, d) => c.getParentDepartment({ organizationCode: code, departmentId: d }),
  isUserInDepartment: (c, code, d, member) =>
    c.isUserInDepartment({ userId: member, organizationCode: code, departmentId: d }),
};

describe("organizationCode checks of the department endpoints", () => {
  /** Calls `method` with `code`, and checks that the department and its members did not change. */
  async function callChangesNothing(method, code, check) {
    const { org, department } = await orgWithDepartment();
    const [member, outsider] = await newUsers();
    await joinDepartment(ctx.client, org, department.departmentId, member);
    const snapshot = async () => [
      (await getDepartment(org, department.departmentId)).name,
      await memberIds(org, department.departmentId),
    ];
    const before = await snapshot();
    check(await ORG_CODE_CALLS[method](ctx.client, code, department.departmentId, member.userId, outsider.userId));
    assert.deepEqual(await snapshot(), before);
  }

  for (const method of Object.keys(ORG_CODE_CALLS)) {
    for (const [label, code] of Object.entries(BAD_ORG_CODES)) {
      it(`${method}: does not find a ${label} organizationCode`, async () => {
        await callChangesNothing(method, code, (resp) => assertError(resp, 404, organizationNotFound(code)));
      });
    }

    it(`${method}: rejects a 100-character organizationCode`, async () => {
      await callChangesNothing(method, LONG_CODE, (resp) =>
        assertError(resp, 400, "参数 organizationCode 格式错误"),
      );
    });
  }
});

describe("createDepartment", () => {
  it("echoes organizationCode and name", async () => {
    const org = await organization();
    const data = assertOk(
      await ctx.client.createDepartment({
        organizationCode: org.organizationCode,
        name: "研发部",
        parentDepartmentId: org.departmentId,
      }),
    );
    assert.deepEqual([data.organizationCode, data.name], [org.organizationCode, "研发部"]);
    assert.ok(data.departmentId && data.departmentId !== org.departmentId);
  });

  it("returns a DepartmentDto", async () => {
    const org = await organization();
    const [code, openDepartmentId] = [uniqueCode("dc"), uniqueCode("open")];
    const data = await newDepartment(ctx.client, org, { code, description: "d", openDepartmentId });
    assert.deepEqual(
      [data.code, data.description, data.openDepartmentId, data.parentDepartmentId],
      [code, "d", openDepartmentId, org.departmentId],
    );
    // The root's code is the organization's code (principals.md §4.1).
    assert.equal(data.parentDepartmentCode, org.organizationCode);
    assert.deepEqual([data.membersCount, data.hasChildren, data.isVirtualNode], [0, false, false]);
    assert.ok(data.createdAt);
  });

  it("reports the parent's code", async () => {
    const { org, department } = await orgWithDepartment();
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    assert.deepEqual(
      [child.parentDepartmentId, child.parentDepartmentCode],
      [department.departmentId, department.code],
    );
  });

  it("accepts root as the parent", async () => {
    const org = await organization();
    const data = await newDepartment(ctx.client, org, { parentDepartmentId: "root" });
    assert.equal(data.parentDepartmentId, org.departmentId);
  });

  it("finds the parent by code", async () => {
    const { org, department } = await orgWithDepartment();
    const child = await newDepartment(ctx.client, org, {
      parentDepartmentId: department.code,
      departmentIdType: "code",
    });
    assert.equal(child.parentDepartmentId, department.departmentId);
  });

  it("finds the parent by openDepartmentId", async () => {
    const org = await organization();
    const parent = await newDepartment(ctx.client, org, { openDepartmentId: uniqueCode("open") });
    const child = await newDepartment(ctx.client, org, {
      parentDepartmentId: parent.openDepartmentId,
      departmentIdType: "open_department_id",
    });
    assert.equal(child.parentDepartmentId, parent.departmentId);
  });

  it("echoes isVirtualNode", async () => {
    const org = await organization();
    assert.equal((await newDepartment(ctx.client, org, { isVirtualNode: true })).isVirtualNode, true);
  });

  it("ignores metadata", async () => {
    const org = await organization();
    assert.ok((await newDepartment(ctx.client, org, { metadata: { any: "thing" } })).departmentId);
  });

  it("gives the parent children", async () => {
    const { org, department } = await orgWithDepartment();
    assert.equal((await getDepartment(org, "root")).hasChildren, true);
    assert.deepEqual(await childrenIds(org, "root"), [department.departmentId]);
  });

  it("lets a deleted department's code be reused", async () => {
    const { org, department } = await orgWithDepartment();
    const { organizationCode } = org;
    assertSuccessFlag(await ctx.client.deleteDepartment({ organizationCode, departmentId: department.departmentId }));
    assert.equal((await newDepartment(ctx.client, org, { code: department.code })).code, department.code);
  });

  it("allows the same code in another organization", async () => {
    const { department } = await orgWithDepartment();
    const other = await organization();
    assert.equal((await newDepartment(ctx.client, other, { code: department.code })).code, department.code);
  });

  it("rejects an existing code and creates nothing", async () => {
    const { org, department } = await orgWithDepartment();
    const resp = await ctx.client.createDepartment({
      organizationCode: org.organizationCode,
      name: "again",
      parentDepartmentId: "root",
      code: department.code,
    });
    assertError(resp, 409, "部门已存在");
    assert.deepEqual(await childrenIds(org, "root"), [department.departmentId]);
  });

  const failures = {
    "an unknown parent": [{ parentDepartmentId: UNKNOWN_DEPARTMENT_ID }, 404, "部门不存在"],
    "an unsupported departmentIdType": [
      { parentDepartmentId: "root", departmentIdType: "sync_relation" },
      400,
      "参数 departmentIdType 格式错误",
    ],
    "a missing name": [{ parentDepartmentId: "root", name: undefined }, 400, "参数 name 格式错误"],
  };
  for (const [label, [fields, statusCode, message]] of Object.entries(failures)) {
    it(`rejects ${label} and creates nothing`, async () => {
      const org = await organization();
      const resp = await ctx.client.createDepartment({ organizationCode: org.organizationCode, name: "x", ...fields });
      assertError(resp, statusCode, message);
      assert.deepEqual(await childrenIds(org, "root"), []);
    });
  }

  it("does not find a parent of another organization", async () => {
    const org = await organization();
    const foreign = await newDepartment(ctx.client, await organization());
    const resp = await ctx.client.createDepartment({
      organizationCode: org.organizationCode,
      name: "cross",
      parentDepartmentId: foreign.departmentId,
    });
    assertError(resp, 404, "部门不存在");
    assert.deepEqual(await childrenIds(org, "root"), []);
  });

  for (const [label, code] of Object.entries({ random: uniqueCode("missing"), empty: "", "non-ascii": "额！ " })) {
    it(`does not find a ${label} organizationCode`, async () => {
      const resp = await ctx.client.createDepartment({ organizationCode: code, name: "x", parentDepartmentId: "root" });
      assertError(resp, 404, organizationNotFound(code));
    });
  }

  it("rejects a blank organizationCode (no colon in the message)", async () => {
    const resp = await ctx.client.createDepartment({ organizationCode: " ", name: "x", parentDepartmentId: "root" });
    assertError(resp, 400, "invalid organization code  ");
  });

  it("rejects a 100-character organizationCode", async () => {
    const resp = await ctx.client.createDepartment({
      organizationCode: LONG_CODE,
      name: "x",
      parentDepartmentId: "root",
    });
    assertError(resp, 400, "参数 organizationCode 格式错误");
  });
});

describe("updateDepartment", () => {
  const update = (org, department, fields) =>
    ctx.client.updateDepartment({
      organizationCode: org.organizationCode,
      departmentId: department.departmentId,
      ...fields,
    });

  it("updates name, description and code", async () => {
    const { org, department } = await orgWithDepartment();
    const code = uniqueCode("dc-new");
    const data = assertOk(await update(org, department, { name: "新部门", description: "d2", code }));
    assert.deepEqual(
      [data.departmentId, data.name, data.description, data.code],
      [department.departmentId, "新部门", "d2", code],
    );
    const found = assertOk(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentCode: code }),
    );
    assert.deepEqual([found.departmentId, found.name], [department.departmentId, "新部门"]);
  });

  it("sets leaders", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    const data = assertOk(await update(org, department, { leaderUserIds: idsOf(users) }));
    assert.deepEqual(data.leaderUserIds, idsOf(users));
  });

  it("sets the status", async () => {
    const { org, department } = await orgWithDepartment();
    assert.equal(assertOk(await update(org, department, { status: false })).status, false);
    assert.equal((await getDepartment(org, department.departmentId)).status, false);
  });

  it("addresses the department by code", async () => {
    const { org, department } = await orgWithDepartment();
    const resp = await ctx.client.updateDepartment({
      organizationCode: org.organizationCode,
      departmentId: department.code,
      departmentIdType: "code",
      name: "by code",
    });
    assert.equal(assertOk(resp).departmentId, department.departmentId);
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} code and keeps the old one`, async () => {
      const { org, department } = await orgWithDepartment();
      assertError(await update(org, department, { code }), 400, `invalid organization code: ${code}`);
      assert.equal((await getDepartment(org, department.departmentId)).code, department.code);
    });
  }

  it("rejects a 100-character code and keeps the old one", async () => {
    const { org, department } = await orgWithDepartment();
    assertError(await update(org, department, { code: LONG_CODE }), 400, "参数 code 格式错误");
    assert.equal((await getDepartment(org, department.departmentId)).code, department.code);
  });

  it("rejects a code already in use", async () => {
    const { org, department } = await orgWithDepartment();
    const other = await newDepartment(ctx.client, org, { code: uniqueCode("dc") });
    assertError(await update(org, other, { code: department.code }), 409, "部门已存在");
    assert.equal((await getDepartment(org, other.departmentId)).code, other.code);
  });

  it("does not find an unknown department", async () => {
    const org = await organization();
    assertError(await update(org, { departmentId: UNKNOWN_DEPARTMENT_ID }, { name: "x" }), 404, "部门不存在");
  });

  it("moves the department", async () => {
    const { org, department } = await orgWithDepartment();
    const target = await newDepartment(ctx.client, org);
    const data = assertOk(await update(org, department, { parentDepartmentId: target.departmentId }));
    assert.equal(data.parentDepartmentId, target.departmentId);
    assert.deepEqual(await childrenIds(org, target.departmentId), [department.departmentId]);
    assert.deepEqual(await childrenIds(org, "root"), [target.departmentId]);
  });

  it("refuses to move a department under itself", async () => {
    const { org, department } = await orgWithDepartment();
    assertErrorStatus(await update(org, department, { parentDepartmentId: department.departmentId }), 422);
    assert.equal((await getDepartment(org, department.departmentId)).parentDepartmentId, org.departmentId);
  });

  it("refuses to move a department under its descendant", async () => {
    const { org, department } = await orgWithDepartment();
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    const grandchild = await newDepartment(ctx.client, org, { parentDepartmentId: child.departmentId });
    assertErrorStatus(await update(org, department, { parentDepartmentId: grandchild.departmentId }), 422);
    assert.equal((await getDepartment(org, department.departmentId)).parentDepartmentId, org.departmentId);
    assert.deepEqual(await childrenIds(org, grandchild.departmentId), []);
  });

  it("refuses to move the root", async () => {
    const { org, department } = await orgWithDepartment();
    const resp = await update(org, { departmentId: "root" }, { parentDepartmentId: department.departmentId });
    assertErrorStatus(resp, 422);
    assert.equal((await getDepartment(org, "root")).parentDepartmentId ?? null, null);
    assert.deepEqual(await childrenIds(org, department.departmentId), []);
  });
});

describe("deleteDepartment", () => {
  const remove = (org, departmentId) =>
    ctx.client.deleteDepartment({ organizationCode: org.organizationCode, departmentId });

  it("deletes the department", async () => {
    const { org, department } = await orgWithDepartment();
    assertSuccessFlag(await remove(org, department.departmentId));
    assertError(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentId: department.departmentId }),
      404,
      "部门不存在",
    );
    assert.deepEqual(await childrenIds(org, "root"), []);
    assert.equal((await getDepartment(org, "root")).hasChildren, false);
  });

  it("detaches the members", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    assertSuccessFlag(await remove(org, department.departmentId));
    for (const user of users) assert.deepEqual(await userDepartmentIds(user), []);
    const found = assertOk(await ctx.client.getOrganization({ organizationCode: org.organizationCode }));
    assert.equal(found.membersCount, 0);
  });

  it("removes its role assignments", async () => {
    const { org, department } = await orgWithDepartment();
    const role = assertOk(await ctx.client.createRole({ code: uniqueCode("role") }));
    const targets = [{ targetType: "DEPARTMENT", targetIdentifier: department.departmentId }];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets }));
    assertSuccessFlag(await remove(org, department.departmentId));
    assert.equal(assertOk(await ctx.client.listRoleDepartments({ code: role.code })).totalCount, 0);
  });

  it("removes its grants", async () => {
    const { org, department } = await orgWithDepartment();
    const resource = uniqueCode("res");
    const item = {
      targetType: "DEPARTMENT",
      targetIdentifiers: [department.departmentId],
      resources: [{ code: resource, actions: ["read"], resourceType: "DATA" }],
    };
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    assertSuccessFlag(await remove(org, department.departmentId));
    const targets = assertOk(await ctx.client.getResourceAuthorizedTargets({ resource, namespace: "default" }));
    assert.equal(targets.totalCount, 0);
  });

  for (const alias of [false, true]) {
    it(`refuses to delete the root (${alias ? "root alias" : "id"})`, async () => {
      const org = await organization();
      assertErrorStatus(await remove(org, alias ? "root" : org.departmentId), 422);
      assert.equal((await getDepartment(org, "root")).departmentId, org.departmentId);
    });
  }

  it("refuses to delete a department with children", async () => {
    const { org, department } = await orgWithDepartment();
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    assertErrorStatus(await remove(org, department.departmentId), 422);
    assert.deepEqual(await childrenIds(org, department.departmentId), [child.departmentId]);
  });

  it("does not find an unknown department", async () => {
    const { org, department } = await orgWithDepartment();
    assertError(await remove(org, UNKNOWN_DEPARTMENT_ID), 404, "部门不存在");
    assert.deepEqual(await childrenIds(org, "root"), [department.departmentId]);
  });
});

describe("getDepartment", () => {
  it("returns the department", async () => {
    const { org, department } = await orgWithDepartment();
    const data = await getDepartment(org, department.departmentId);
    const keys = ["departmentId", "organizationCode", "name", "code", "description", "parentDepartmentId"];
    assert.deepEqual(
      keys.map((k) => data[k]),
      keys.map((k) => department[k]),
    );
  });

  it("finds it by departmentCode", async () => {
    const { org, department } = await orgWithDepartment();
    const data = assertOk(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentCode: department.code }),
    );
    assert.equal(data.departmentId, department.departmentId);
  });

  it("finds it by departmentIdType code", async () => {
    const { org, department } = await orgWithDepartment();
    assert.equal(
      (await getDepartment(org, department.code, { departmentIdType: "code" })).departmentId,
      department.departmentId,
    );
  });

  it("finds it by openDepartmentId", async () => {
    const org = await organization();
    const created = await newDepartment(ctx.client, org, { openDepartmentId: uniqueCode("open") });
    const data = await getDepartment(org, created.openDepartmentId, { departmentIdType: "open_department_id" });
    assert.equal(data.departmentId, created.departmentId);
  });

  it("accepts the root alias", async () => {
    const org = await organization();
    assert.equal((await getDepartment(org, "root")).departmentId, org.departmentId);
  });

  it("works without organizationCode", async () => {
    const { department } = await orgWithDepartment();
    const data = assertOk(await ctx.client.getDepartment({ departmentId: department.departmentId }));
    assert.deepEqual(
      [data.departmentId, data.organizationCode],
      [department.departmentId, department.organizationCode],
    );
  });

  it("counts direct members only in membersCount", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    await joinDepartment(ctx.client, org, child.departmentId, users[1]);
    assert.equal((await getDepartment(org, department.departmentId)).membersCount, 1);
    assert.equal((await getDepartment(org, "root")).membersCount, 0);
  });

  it("requires an id or a code", async () => {
    const org = await organization();
    assertError(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode }),
      400,
      "参数 departmentId 格式错误",
    );
  });

  it("does not find an unknown id", async () => {
    const org = await organization();
    assertError(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentId: UNKNOWN_DEPARTMENT_ID }),
      404,
      "部门不存在",
    );
  });

  it("does not find an unknown code", async () => {
    const org = await organization();
    const resp = await ctx.client.getDepartment({
      organizationCode: org.organizationCode,
      departmentCode: uniqueCode("missing"),
    });
    assertError(resp, 404, "部门不存在");
  });

  it("does not find a department of another organization", async () => {
    const [{ department }, other] = [await orgWithDepartment(), await organization()];
    const resp = await ctx.client.getDepartment({
      organizationCode: other.organizationCode,
      departmentId: department.departmentId,
    });
    assertError(resp, 404, "部门不存在");
  });

  it("rejects an unsupported departmentIdType", async () => {
    const { org, department } = await orgWithDepartment();
    const resp = await ctx.client.getDepartment({
      organizationCode: org.organizationCode,
      departmentId: department.departmentId,
      departmentIdType: "custom_field",
    });
    assertError(resp, 400, "参数 departmentIdType 格式错误");
  });
});

describe("listChildrenDepartments", () => {
  const children = async (org, departmentId, flags = {}) =>
    assertOk(
      await ctx.client.listChildrenDepartments({ organizationCode: org.organizationCode, departmentId, ...flags }),
    );

  it("lists direct children only, with a numeric totalCount", async () => {
    const { org, department } = await orgWithDepartment();
    const sibling = await newDepartment(ctx.client, org);
    await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    const data = await children(org, "root");
    assert.equal(data.totalCount, 2);
    assert.deepEqual(sorted(deptIdsOf(data.list)), sorted([department.departmentId, sibling.departmentId]));
  });

  it("lists DepartmentDto items", async () => {
    const { org, department } = await orgWithDepartment();
    const [item] = (await children(org, "root")).list;
    const keys = ["departmentId", "organizationCode", "name", "code", "parentDepartmentId"];
    assert.deepEqual(
      keys.map((k) => item[k]),
      keys.map((k) => department[k]),
    );
  });

  it("answers an empty page for a leaf", async () => {
    const { org, department } = await orgWithDepartment();
    assert.deepEqual(await children(org, department.departmentId), { totalCount: 0, list: [] });
  });

  it("filters virtual nodes", async () => {
    const { org, department } = await orgWithDepartment();
    const virtual = await newDepartment(ctx.client, org, { isVirtualNode: true });
    assert.deepEqual(deptIdsOf((await children(org, "root", { excludeVirtualNode: true })).list), [
      department.departmentId,
    ]);
    assert.deepEqual(deptIdsOf((await children(org, "root", { onlyVirtualNode: true })).list), [virtual.departmentId]);
  });

  it("does not find an unknown department", async () => {
    const org = await organization();
    const resp = await ctx.client.listChildrenDepartments({
      organizationCode: org.organizationCode,
      departmentId: UNKNOWN_DEPARTMENT_ID,
    });
    assertError(resp, 404, "部门不存在");
  });
});

describe("addDepartmentMembers / removeDepartmentMembers", () => {
  const call = (method, org, departmentId, userIds) =>
    ctx.client[method]({ userIds, organizationCode: org.organizationCode, departmentId });

  it("lists added members", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    assert.deepEqual(await memberIds(org, department.departmentId), sorted(idsOf(users)));
    assert.equal((await getDepartment(org, department.departmentId)).membersCount, 2);
  });

  it("accepts the root alias", async () => {
    const [org, [user]] = [await organization(), await newUsers(1)];
    await joinDepartment(ctx.client, org, "root", user);
    assert.deepEqual(await memberIds(org, org.departmentId), [user.userId]);
  });

  it("ignores adding a member twice", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    for (let i = 0; i < 2; i++) await joinDepartment(ctx.client, org, department.departmentId, user);
    assert.deepEqual(await memberIds(org, department.departmentId), [user.userId]);
  });

  it("does not find an unknown user and adds nobody", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const resp = await call("addDepartmentMembers", org, department.departmentId, [user.userId, "0".repeat(24)]);
    assertError(resp, 404, "用户不存在");
    assert.deepEqual(await memberIds(org, department.departmentId), []);
  });

  it("removes members", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    assertSuccessFlag(await call("removeDepartmentMembers", org, department.departmentId, [users[0].userId]));
    assert.deepEqual(await memberIds(org, department.departmentId), [users[1].userId]);
  });

  it("ignores removing a non-member", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    assertSuccessFlag(await call("removeDepartmentMembers", org, department.departmentId, [users[1].userId]));
    assert.deepEqual(await memberIds(org, department.departmentId), [users[0].userId]);
  });

  for (const method of ["addDepartmentMembers", "removeDepartmentMembers"]) {
    for (const count of [0, 51]) {
      it(`${method}: rejects ${count} userIds and changes nothing`, async () => {
        const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
        await joinDepartment(ctx.client, org, department.departmentId, users[0]);
        const resp = await call(method, org, department.departmentId, Array(count).fill(users[1].userId));
        assertError(resp, 400, "参数 userIds 格式错误");
        assert.deepEqual(await memberIds(org, department.departmentId), [users[0].userId]);
      });
    }

    it(`${method}: does not find an unknown department`, async () => {
      const [org, users] = [await organization(), await newUsers()];
      assertError(await call(method, org, UNKNOWN_DEPARTMENT_ID, idsOf(users)), 404, "部门不存在");
      assert.deepEqual(await userDepartmentIds(users[0]), []);
    });
  }

  it("lets a user be in departments of several organizations", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const otherOrg = await organization();
    const other = await newDepartment(ctx.client, otherOrg);
    await joinDepartment(ctx.client, org, department.departmentId, user);
    await joinDepartment(ctx.client, otherOrg, other.departmentId, user);
    assert.deepEqual(await userDepartmentIds(user), sorted([department.departmentId, other.departmentId]));
  });

  it("drops a deleted user", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    assertSuccessFlag(await ctx.client.deleteUsersBatch({ userIds: [users[0].userId] }));
    assert.deepEqual(await memberIds(org, department.departmentId), [users[1].userId]);
  });
});

describe("listDepartmentMembers", () => {
  const listing = async (org, departmentId, params = {}) =>
    ctx.client.listDepartmentMembers({ organizationCode: org.organizationCode, departmentId, ...params });

  /** An organization, a department with a child, and two users. */
  async function tree() {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    return { org, department, child, users };
  }

  it("lists direct members", async () => {
    const { org, department, child, users } = await tree();
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    await joinDepartment(ctx.client, org, child.departmentId, users[1]);
    assert.deepEqual(idsOf(assertPage(assertOk(await listing(org, department.departmentId)), 1)), [users[0].userId]);
  });

  it("includes descendants when asked, each user once", async () => {
    const { org, department, child, users } = await tree();
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    await joinDepartment(ctx.client, org, child.departmentId, users[1]);
    const data = assertOk(await listing(org, "root", { includeChildrenDepartments: true }));
    assert.equal(data.totalCount, 2);
    assert.deepEqual(sorted(idsOf(data.list)), sorted(idsOf(users)));
  });

  it("lists UserDto items", async () => {
    const { org, department, users } = await tree();
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    const [item] = assertOk(await listing(org, department.departmentId)).list;
    assert.deepEqual([item.userId, item.email, item.status], [users[0].userId, users[0].email, "Activated"]);
  });

  it("lists the newest member first by default", async () => {
    const { org, department, users } = await tree();
    for (const user of users) await joinDepartment(ctx.client, org, department.departmentId, user);
    assert.deepEqual(idsOf(assertOk(await listing(org, department.departmentId)).list), [
      users[1].userId,
      users[0].userId,
    ]);
  });

  it("orders by join time ascending when asked", async () => {
    const { org, department, users } = await tree();
    for (const user of users) await joinDepartment(ctx.client, org, department.departmentId, user);
    const data = assertOk(await listing(org, department.departmentId, { sortBy: "JoinDepartmentAt", orderBy: "Asc" }));
    assert.deepEqual(idsOf(data.list), idsOf(users));
  });

  it("paginates", async () => {
    const { org, department, users } = await tree();
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    const data = assertOk(await listing(org, department.departmentId, { page: 2, limit: 1 }));
    assert.deepEqual([data.totalCount, data.list.length], [2, 1]);
  });

  it("returns departmentIds when asked", async () => {
    const { org, department, users } = await tree();
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    const data = assertOk(await listing(org, department.departmentId, { withDepartmentIds: true }));
    assert.deepEqual(data.list[0].departmentIds, [department.departmentId]);
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      assertError(await listing(await organization(), "root", paging), 400, `参数 ${field} 格式错误`);
    });
  }

  it("does not find an unknown department", async () => {
    assertError(await listing(await organization(), UNKNOWN_DEPARTMENT_ID), 404, "部门不存在");
  });
});

describe("listDepartmentMemberIds", () => {
  it("lists the direct members' ids", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    await joinDepartment(ctx.client, org, child.departmentId, users[1]);
    const data = assertOk(
      await ctx.client.listDepartmentMemberIds({
        organizationCode: org.organizationCode,
        departmentId: department.departmentId,
      }),
    );
    assert.deepEqual(data, [users[0].userId]);
  });

  it("answers an empty list for an empty department", async () => {
    const { org, department } = await orgWithDepartment();
    assert.deepEqual(await memberIds(org, department.departmentId), []);
  });

  it("does not find an unknown department", async () => {
    const org = await organization();
    const resp = await ctx.client.listDepartmentMemberIds({
      organizationCode: org.organizationCode,
      departmentId: UNKNOWN_DEPARTMENT_ID,
    });
    assertError(resp, 404, "部门不存在");
  });
});

describe("searchDepartmentMembers", () => {
  const search = (org, departmentId, keywords, params = {}) =>
    ctx.client.searchDepartmentMembers({ organizationCode: org.organizationCode, departmentId, keywords, ...params });

  it("matches the name", async () => {
    const [{ org, department }, users, marker] = [await orgWithDepartment(), await newUsers(), uniqueCode("Findme")];
    const named = await newUser(ctx.client, { name: `Ann ${marker}` });
    await joinDepartment(ctx.client, org, department.departmentId, named, ...users);
    const data = assertOk(await search(org, department.departmentId, marker));
    assert.deepEqual(idsOf(assertPage(data, 1)), [named.userId]);
  });

  it("matches the email", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, ...users);
    const data = assertOk(await search(org, department.departmentId, users[1].email));
    assert.deepEqual(idsOf(data.list), [users[1].userId]);
  });

  it("finds members only", async () => {
    const [{ org, department }, marker] = [await orgWithDepartment(), uniqueCode("Findme")];
    await newUser(ctx.client, { name: `Outsider ${marker}` });
    assert.deepEqual(assertOk(await search(org, department.departmentId, marker)), { totalCount: 0, list: [] });
  });

  it("includes descendants when asked", async () => {
    const [{ org, department }, marker] = [await orgWithDepartment(), uniqueCode("Findme")];
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    const named = await newUser(ctx.client, { name: `Deep ${marker}` });
    await joinDepartment(ctx.client, org, child.departmentId, named);
    assert.equal(assertOk(await search(org, department.departmentId, marker)).totalCount, 0);
    const deep = assertOk(await search(org, department.departmentId, marker, { includeChildrenDepartments: true }));
    assert.deepEqual(idsOf(deep.list), [named.userId]);
  });

  it("paginates", async () => {
    const [{ org, department }, marker] = [await orgWithDepartment(), uniqueCode("Findme")];
    const named = [];
    for (let i = 0; i < 2; i++) named.push(await newUser(ctx.client, { name: `${marker} ${i}` }));
    await joinDepartment(ctx.client, org, department.departmentId, ...named);
    const data = assertOk(await search(org, department.departmentId, marker, { page: 2, limit: 1 }));
    assert.deepEqual([data.totalCount, data.list.length], [2, 1]);
  });

  it("rejects empty keywords", async () => {
    const { org, department } = await orgWithDepartment();
    assertError(await search(org, department.departmentId, ""), 400, "参数 keywords 格式错误");
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      assertError(await search(await organization(), "root", "member", paging), 400, `参数 ${field} 格式错误`);
    });
  }

  it("does not find an unknown department", async () => {
    assertError(await search(await organization(), UNKNOWN_DEPARTMENT_ID, "member"), 404, "部门不存在");
  });
});

describe("searchDepartments", () => {
  const search = async (org, keywords) =>
    ctx.client.searchDepartments({ keywords, organizationCode: org.organizationCode });

  it("matches the name and answers an array", async () => {
    const [org, marker] = [await organization(), uniqueCode("Sales")];
    const found = await newDepartment(ctx.client, org, { name: `华东 ${marker}` });
    await newDepartment(ctx.client, org);
    const data = assertOk(await search(org, marker));
    assert.ok(Array.isArray(data));
    assert.deepEqual(deptIdsOf(data), [found.departmentId]);
  });

  it("matches the code", async () => {
    const { org, department } = await orgWithDepartment();
    assert.deepEqual(deptIdsOf(assertOk(await search(org, department.code))), [department.departmentId]);
  });

  it("stays inside the organization", async () => {
    const [org, marker] = [await organization(), uniqueCode("shared")];
    const mine = await newDepartment(ctx.client, org, { name: marker });
    await newDepartment(ctx.client, await organization(), { name: marker });
    assert.deepEqual(deptIdsOf(assertOk(await search(org, marker))), [mine.departmentId]);
  });

  it("answers an empty list when nothing matches", async () => {
    const { org } = await orgWithDepartment();
    assert.deepEqual(assertOk(await search(org, uniqueCode("nothing"))), []);
  });

  it("rejects empty keywords", async () => {
    assertError(await search(await organization(), ""), 400, "参数 keywords 格式错误");
  });
});

describe("getParentDepartment", () => {
  const parent = (org, departmentId) =>
    ctx.client.getParentDepartment({ organizationCode: org.organizationCode, departmentId });

  it("answers the root for a child of the root", async () => {
    const { org, department } = await orgWithDepartment();
    assert.equal(assertOk(await parent(org, department.departmentId)).departmentId, org.departmentId);
  });

  it("answers the parent of a nested department", async () => {
    const { org, department } = await orgWithDepartment();
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    const data = assertOk(await parent(org, child.departmentId));
    assert.deepEqual([data.departmentId, data.code], [department.departmentId, department.code]);
  });

  for (const alias of [false, true]) {
    it(`answers null for the root (${alias ? "root alias" : "id"})`, async () => {
      const org = await organization();
      assert.equal(assertOk(await parent(org, alias ? "root" : org.departmentId)), null);
    });
  }

  it("does not find an unknown department", async () => {
    assertError(await parent(await organization(), UNKNOWN_DEPARTMENT_ID), 404, "部门不存在");
  });
});

describe("isUserInDepartment", () => {
  const check = async (org, departmentId, userId, params = {}) =>
    assertOk(
      await ctx.client.isUserInDepartment({ userId, organizationCode: org.organizationCode, departmentId, ...params }),
    );

  it("answers true for a member", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    await joinDepartment(ctx.client, org, department.departmentId, user);
    assert.deepEqual(await check(org, department.departmentId, user.userId), { inDepartment: true });
  });

  it("answers false for a non-member", async () => {
    const [{ org, department }, users] = [await orgWithDepartment(), await newUsers()];
    await joinDepartment(ctx.client, org, department.departmentId, users[0]);
    assert.deepEqual(await check(org, department.departmentId, users[1].userId), { inDepartment: false });
  });

  it("answers false for a user outside the pool", async () => {
    const { org, department } = await orgWithDepartment();
    assert.deepEqual(await check(org, department.departmentId, FOREIGN_USER_ID), { inDepartment: false });
  });

  it("counts descendants only when asked", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId });
    await joinDepartment(ctx.client, org, child.departmentId, user);
    assert.equal((await check(org, "root", user.userId)).inDepartment, false);
    assert.equal((await check(org, "root", user.userId, { includeChildrenDepartments: true })).inDepartment, true);
  });

  it("answers false after the member was removed", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    await joinDepartment(ctx.client, org, department.departmentId, user);
    assertSuccessFlag(
      await ctx.client.removeDepartmentMembers({
        userIds: [user.userId],
        organizationCode: org.organizationCode,
        departmentId: department.departmentId,
      }),
    );
    assert.equal((await check(org, department.departmentId, user.userId)).inDepartment, false);
  });

  it("does not find an unknown department", async () => {
    const [org, [user]] = [await organization(), await newUsers(1)];
    const resp = await ctx.client.isUserInDepartment({
      userId: user.userId,
      organizationCode: org.organizationCode,
      departmentId: UNKNOWN_DEPARTMENT_ID,
    });
    assertError(resp, 404, "部门不存在");
  });
});

describe("getUserDepartments", () => {
  const listed = async (user, params = {}) =>
    assertOk(await ctx.client.getUserDepartments({ userId: user.userId, ...params })).list;

  it("answers an empty page for a new user", async () => {
    const [user] = await newUsers(1);
    assert.deepEqual(assertOk(await ctx.client.getUserDepartments({ userId: user.userId })), {
      totalCount: 0,
      list: [],
    });
  });

  it("lists direct memberships as UserDepartmentRespDto", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    await joinDepartment(ctx.client, org, department.departmentId, user);
    const items = assertPage(assertOk(await ctx.client.getUserDepartments({ userId: user.userId })), 1);
    assert.equal(items.length, 1);
    const keys = ["organizationCode", "departmentId", "name", "code", "description"];
    assert.deepEqual(
      keys.map((k) => items[0][k]),
      keys.map((k) => department[k]),
    );
    assert.deepEqual([items[0].isRoot, items[0].isLeader, items[0].isVirtualNode], [false, false, false]);
    assert.ok(items[0].joinedAt && items[0].createdAt);
  });

  it("marks a root membership", async () => {
    const [org, [user]] = [await organization(), await newUsers(1)];
    await joinDepartment(ctx.client, org, "root", user);
    const [item] = await listed(user);
    assert.deepEqual([item.departmentId, item.isRoot], [org.departmentId, true]);
  });

  it("makes the first department the main one", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const other = await newDepartment(ctx.client, org);
    await joinDepartment(ctx.client, org, department.departmentId, user);
    await joinDepartment(ctx.client, org, other.departmentId, user);
    const main = Object.fromEntries((await listed(user)).map((i) => [i.departmentId, i.isMainDepartment]));
    assert.deepEqual(main, { [department.departmentId]: true, [other.departmentId]: false });
  });

  it("returns the paths only when asked", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const child = await newDepartment(ctx.client, org, { parentDepartmentId: department.departmentId, code: "leaf-x" });
    await joinDepartment(ctx.client, org, child.departmentId, user);
    assert.equal((await listed(user))[0].departmentIdPath ?? null, null);
    const [item] = await listed(user, { withDepartmentPaths: true });
    assert.deepEqual(item.departmentIdPath, [org.departmentId, department.departmentId, child.departmentId]);
    assert.deepEqual(item.departmentCodePath, [org.organizationCode, department.code, "leaf-x"]);
    assert.deepEqual(item.departmentNamePath, [org.organizationName, department.name, child.name]);
  });

  it("lists the newest membership first by default", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const other = await newDepartment(ctx.client, org);
    for (const d of [department, other]) await joinDepartment(ctx.client, org, d.departmentId, user);
    assert.deepEqual(deptIdsOf(await listed(user)), [other.departmentId, department.departmentId]);
  });

  for (const sortBy of ["DepartmentName", "DepartmemtCode", "DepartmentCode"]) {
    it(`sorts by ${sortBy} ascending`, async () => {
      const [org, [user]] = [await organization(), await newUsers(1)];
      const b = await newDepartment(ctx.client, org, { name: `b-${uniqueCode("n")}`, code: `b-${uniqueCode("c")}` });
      const a = await newDepartment(ctx.client, org, { name: `a-${uniqueCode("n")}`, code: `a-${uniqueCode("c")}` });
      for (const d of [a, b]) await joinDepartment(ctx.client, org, d.departmentId, user);
      assert.deepEqual(deptIdsOf(await listed(user, { sortBy, orderBy: "Asc" })), [a.departmentId, b.departmentId]);
    });
  }

  it("paginates", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    const other = await newDepartment(ctx.client, org);
    for (const d of [department, other]) await joinDepartment(ctx.client, org, d.departmentId, user);
    const data = assertOk(await ctx.client.getUserDepartments({ userId: user.userId, page: 2, limit: 1 }));
    assert.deepEqual([data.totalCount, data.list.length], [2, 1]);
  });

  it("finds the user by email", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    await joinDepartment(ctx.client, org, department.departmentId, user);
    const data = assertOk(await ctx.client.getUserDepartments({ userId: user.email, userIdType: "email" }));
    assert.deepEqual(deptIdsOf(data.list), [department.departmentId]);
  });

  it("rejects an empty userId", async () => {
    assertError(await ctx.client.getUserDepartments({ userId: "" }), 400, "参数 userId 格式错误");
  });

  for (const userIdType of ["identity", "sync_relation", "custom_field"]) {
    it(`rejects userIdType ${userIdType}`, async () => {
      const [user] = await newUsers(1);
      const resp = await ctx.client.getUserDepartments({ userId: user.userId, userIdType });
      assertError(resp, 400, "参数 userIdType 格式错误");
    });
  }

  for (const [label, userId] of Object.entries({ random: "0".repeat(24), blank: " ", "100-chars": LONG_CODE })) {
    it(`does not find a ${label} userId`, async () => {
      assertError(await ctx.client.getUserDepartments({ userId }), 404, "用户不存在");
    });
  }
});

describe("setUserDepartments", () => {
  /** An organization with three departments, and a user. */
  async function setting() {
    const org = await organization();
    const departments = [];
    for (let i = 0; i < 3; i++) departments.push(await newDepartment(ctx.client, org));
    const [user] = await newUsers(1);
    return { org, departments, user };
  }

  it("sets the departments", async () => {
    const { departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, departments.slice(0, 2)));
    assert.deepEqual(await userDepartmentIds(user), sorted(deptIdsOf(departments.slice(0, 2))));
  });

  it("replaces the previous departments", async () => {
    const { departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, departments.slice(0, 2)));
    assertSuccessFlag(await setDepartments(user, departments.slice(1)));
    assert.deepEqual(await userDepartmentIds(user), sorted(deptIdsOf(departments.slice(1))));
  });

  it("shows the memberships from the department side", async () => {
    const { org, departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, [departments[0]]));
    assert.deepEqual(await memberIds(org, departments[0].departmentId), [user.userId]);
  });

  it("makes the first entry the main department", async () => {
    const { departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, departments.slice(0, 2)));
    const items = assertOk(await ctx.client.getUserDepartments({ userId: user.userId })).list;
    const main = Object.fromEntries(items.map((i) => [i.departmentId, i.isMainDepartment]));
    assert.deepEqual(main, { [departments[0].departmentId]: true, [departments[1].departmentId]: false });
  });

  it("makes the first entry main when none is marked", async () => {
    const { departments, user } = await setting();
    const items = departments.slice(0, 2).map((d) => ({ departmentId: d.departmentId, isMainDepartment: false }));
    assertSuccessFlag(await ctx.client.setUserDepartments({ userId: user.userId, departments: items }));
    const listed = assertOk(await ctx.client.getUserDepartments({ userId: user.userId })).list;
    const main = Object.fromEntries(listed.map((i) => [i.departmentId, i.isMainDepartment]));
    assert.deepEqual(main, { [departments[0].departmentId]: true, [departments[1].departmentId]: false });
  });

  it("stores isLeader and isMainDepartment", async () => {
    const { departments, user } = await setting();
    const items = [
      { departmentId: departments[0].departmentId, isLeader: true },
      { departmentId: departments[1].departmentId, isMainDepartment: true },
    ];
    assertSuccessFlag(await ctx.client.setUserDepartments({ userId: user.userId, departments: items }));
    const listed = assertOk(await ctx.client.getUserDepartments({ userId: user.userId })).list;
    const flags = Object.fromEntries(listed.map((i) => [i.departmentId, [i.isLeader, i.isMainDepartment]]));
    assert.deepEqual(flags, {
      [departments[0].departmentId]: [true, false],
      [departments[1].departmentId]: [false, true],
    });
  });

  it("accepts departments of several organizations", async () => {
    const { departments, user } = await setting();
    const elsewhere = await newDepartment(ctx.client, await organization());
    assertSuccessFlag(await setDepartments(user, [departments[0], elsewhere]));
    assert.deepEqual(await userDepartmentIds(user), sorted([departments[0].departmentId, elsewhere.departmentId]));
  });

  it("finds the user by email", async () => {
    const { departments, user } = await setting();
    const resp = await ctx.client.setUserDepartments({
      userId: user.email,
      departments: [{ departmentId: departments[0].departmentId }],
      options: { userIdType: "email" },
    });
    assertSuccessFlag(resp);
    assert.deepEqual(await userDepartmentIds(user), [departments[0].departmentId]);
  });

  for (const userIdType of ["identity", "sync_relation", "custom_field"]) {
    it(`rejects userIdType ${userIdType} and changes nothing`, async () => {
      const { departments, user } = await setting();
      const resp = await setDepartments(user, [departments[0]], { options: { userIdType } });
      assertError(resp, 400, "参数 userIdType 格式错误");
      assert.deepEqual(await userDepartmentIds(user), []);
    });
  }

  it("rejects an empty list and changes nothing", async () => {
    const { departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, [departments[0]]));
    assertError(await setDepartments(user, []), 400, "参数 departments 格式错误");
    assert.deepEqual(await userDepartmentIds(user), [departments[0].departmentId]);
  });

  it("rejects more than 50 departments and changes nothing", async () => {
    const { departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, [departments[0]]));
    const items = Array(51).fill({ departmentId: UNKNOWN_DEPARTMENT_ID });
    assertError(
      await ctx.client.setUserDepartments({ userId: user.userId, departments: items }),
      400,
      "参数 departments 格式错误",
    );
    assert.deepEqual(await userDepartmentIds(user), [departments[0].departmentId]);
  });

  it("rejects two main departments and changes nothing", async () => {
    const { departments, user } = await setting();
    assertSuccessFlag(await setDepartments(user, [departments[0]]));
    const items = departments.slice(1).map((d) => ({ departmentId: d.departmentId, isMainDepartment: true }));
    assertErrorStatus(await ctx.client.setUserDepartments({ userId: user.userId, departments: items }), 400);
    assert.deepEqual(await userDepartmentIds(user), [departments[0].departmentId]);
  });

  for (const [label, departmentId] of Object.entries({
    random: UNKNOWN_DEPARTMENT_ID,
    empty: "",
    blank: " ",
    "100-chars": LONG_CODE,
  })) {
    it(`rejects a ${label} departmentId and changes nothing`, async () => {
      const { departments, user } = await setting();
      assertSuccessFlag(await setDepartments(user, [departments[0]]));
      const resp = await setDepartments(user, [departments[1], { departmentId }]);
      assertError(resp, 404, `存在不合法的 departmentId: ${departmentId}`);
      assert.deepEqual(await userDepartmentIds(user), [departments[0].departmentId]);
    });
  }

  it("does not find an unknown user", async () => {
    const { org, departments } = await setting();
    assertError(await setDepartments({ userId: "0".repeat(24) }, [departments[0]]), 404, "用户不存在");
    assert.deepEqual(await memberIds(org, departments[0].departmentId), []);
  });
});

// A role/ endpoint, but listed among the department/ rows of README §9.
describe("listRoleDepartments", () => {
  async function roleOf(...departments) {
    const role = assertOk(await ctx.client.createRole({ code: uniqueCode("role") }));
    const targets = departments.map((d) => ({ targetType: "DEPARTMENT", targetIdentifier: d.departmentId }));
    if (targets.length) assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets }));
    return role;
  }

  it("lists the assigned departments", async () => {
    const { department } = await orgWithDepartment();
    const role = await roleOf(department);
    const items = assertPage(assertOk(await ctx.client.listRoleDepartments({ code: role.code })), 1);
    assert.deepEqual(
      items.map((i) => [i.id, i.code, i.name, i.description]),
      [[department.departmentId, department.code, department.name, department.description]],
    );
  });

  it("paginates", async () => {
    const { org, department } = await orgWithDepartment();
    const role = await roleOf(department, await newDepartment(ctx.client, org));
    const data = assertOk(await ctx.client.listRoleDepartments({ code: role.code, page: 2, limit: 1 }));
    assert.deepEqual([data.totalCount, data.list.length], [2, 1]);
  });

  it("answers an empty page for a role without departments", async () => {
    const role = await roleOf();
    assert.deepEqual(assertOk(await ctx.client.listRoleDepartments({ code: role.code })), { totalCount: 0, list: [] });
  });

  for (const [label, code] of Object.entries({ random: uniqueCode("missing"), blank: " " })) {
    it(`does not find a ${label} role code`, async () => {
      assertError(await ctx.client.listRoleDepartments({ code }), 404, "角色不存在");
    });
  }

  for (const [label, code] of Object.entries({ empty: "", "100-character": LONG_CODE })) {
    it(`rejects the ${label} role code`, async () => {
      assertError(await ctx.client.listRoleDepartments({ code }), 400, "参数 code 格式错误");
    });
  }
});

describe("department pool isolation", () => {
  it("does not find a department of pool 1 from pool 2", async () => {
    const { department } = await orgWithDepartment();
    assertError(await ctx.pool2Client.getDepartment({ departmentId: department.departmentId }), 404, "部门不存在");
  });

  it("does not know the seed organization in pool 2", async () => {
    const organizationCode = ctx.seed.organizationCode;
    assertError(
      await ctx.pool2Client.getDepartment({ organizationCode, departmentId: "root" }),
      404,
      organizationNotFound(organizationCode),
    );
    assertError(
      await ctx.pool2Client.createDepartment({ organizationCode, name: "x", parentDepartmentId: "root" }),
      404,
      organizationNotFound(organizationCode),
    );
  });

  it("does not let pool 2 delete a department of pool 1", async () => {
    const { org, department } = await orgWithDepartment();
    const { organizationCode } = org;
    const resp = await ctx.pool2Client.deleteDepartment({ organizationCode, departmentId: department.departmentId });
    assertError(resp, 404, organizationNotFound(organizationCode));
    assert.equal(await departmentExists(department.departmentId), true);
  });

  it("does not let a user of pool 2 join a department of pool 1", async () => {
    const [{ org, department }, [outsider]] = [await orgWithDepartment(), await newUsers(1, ctx.pool2Client)];
    const resp = await ctx.client.addDepartmentMembers({
      userIds: [outsider.userId],
      organizationCode: org.organizationCode,
      departmentId: department.departmentId,
    });
    assertError(resp, 404, "用户不存在");
    assert.deepEqual(await memberIds(org, department.departmentId), []);
  });

  it("does not count a user of pool 2 as in a department of pool 1", async () => {
    const [{ org, department }, [outsider]] = [await orgWithDepartment(), await newUsers(1, ctx.pool2Client)];
    const resp = await ctx.client.isUserInDepartment({
      userId: outsider.userId,
      organizationCode: org.organizationCode,
      departmentId: department.departmentId,
    });
    assert.deepEqual(assertOk(resp), { inDepartment: false });
  });

  it("does not let pool 2 set a department of pool 1", async () => {
    const [{ department }, [user]] = [await orgWithDepartment(), await newUsers(1, ctx.pool2Client)];
    const resp = await setDepartments(user, [department], {}, ctx.pool2Client);
    assertError(resp, 404, `存在不合法的 departmentId: ${department.departmentId}`);
    assert.deepEqual(await userDepartmentIds(user, ctx.pool2Client), []);
  });

  it("does not show pool 2 the departments of a pool 1 user", async () => {
    const [{ org, department }, [user]] = [await orgWithDepartment(), await newUsers(1)];
    await joinDepartment(ctx.client, org, department.departmentId, user);
    assertError(await ctx.pool2Client.getUserDepartments({ userId: user.userId }), 404, "用户不存在");
  });

  it("allows the same organization and department codes in both pools", async () => {
    const { org, department } = await orgWithDepartment();
    const mirrorOrg = assertOk(await newOrganization(ctx.pool2Client, { organizationCode: org.organizationCode }));
    const mirror = await newDepartment(ctx.pool2Client, mirrorOrg, { code: department.code, name: "pool 2" });
    assert.notEqual(mirror.departmentId, department.departmentId);
    for (const [client, expected] of [
      [ctx.client, department],
      [ctx.pool2Client, mirror],
    ]) {
      const found = assertOk(
        await client.getDepartment({ organizationCode: org.organizationCode, departmentCode: department.code }),
      );
      assert.deepEqual([found.departmentId, found.name], [expected.departmentId, expected.name]);
    }
    const found = assertOk(
      await ctx.pool2Client.searchDepartments({ keywords: department.code, organizationCode: org.organizationCode }),
    );
    assert.deepEqual(deptIdsOf(found), [mirror.departmentId]);
  });
});
