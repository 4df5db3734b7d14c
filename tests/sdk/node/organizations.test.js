"use strict";
// Organizations through authing-node-sdk: principals.md §4.1–4.6 and the organizations/ rows of
// README §9.

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
  assertErrorContains,
  assertPage,
  codesOf,
  newUser,
  organizationNotFound,
  newOrganization,
  newDepartment,
  joinDepartment,
} = require("./lib/assertions");

const ctx = useServer();

const orgCodesOf = (items) => codesOf(items, "organizationCode");

/** A fresh organization of pool 1 (only its root department). */
async function organization(fields = {}) {
  return assertOk(await newOrganization(ctx.client, fields));
}

/** Codes of every organization of the client's pool. */
async function organizationCodes(client = ctx.client) {
  return orgCodesOf(assertPage(assertOk(await client.listOrganizations({ fetchAll: true }))));
}

async function getOrganization(code, client = ctx.client) {
  return assertOk(await client.getOrganization({ organizationCode: code }));
}

describe("createOrganization", () => {
  it("echoes code and name", async () => {
    const organizationCode = uniqueCode("org");
    const data = assertOk(await ctx.client.createOrganization({ organizationCode, organizationName: "组织" }));
    assert.deepEqual([data.organizationCode, data.organizationName], [organizationCode, "组织"]);
  });

  it("returns a root department without children or members", async () => {
    const org = await organization();
    assert.ok(org.departmentId);
    assert.deepEqual([org.hasChildren, org.membersCount, org.isVirtualNode], [false, 0, false]);
  });

  it("echoes description and openDepartmentId", async () => {
    const openDepartmentId = uniqueCode("open");
    const org = await organization({ description: "about", openDepartmentId });
    assert.deepEqual([org.description, org.openDepartmentId], ["about", openDepartmentId]);
  });

  it("ignores metadata", async () => {
    assert.ok((await organization({ metadata: { any: "thing" } })).organizationCode);
  });

  it("gives the root department the organization's name and code", async () => {
    const org = await organization();
    const root = assertOk(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentId: org.departmentId }),
    );
    assert.deepEqual(
      [root.name, root.code, root.parentDepartmentId ?? null],
      [org.organizationName, org.organizationCode, null],
    );
  });

  it("addresses the root department by the organization's openDepartmentId", async () => {
    const openDepartmentId = uniqueCode("open");
    const org = await organization({ openDepartmentId });
    const root = assertOk(
      await ctx.client.getDepartment({
        organizationCode: org.organizationCode,
        departmentId: openDepartmentId,
        departmentIdType: "open_department_id",
      }),
    );
    assert.equal(root.departmentId, org.departmentId);
  });

  it("lets a deleted organization's code be reused", async () => {
    const org = await organization();
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode: org.organizationCode }));
    const again = await organization({ organizationCode: org.organizationCode });
    assert.notEqual(again.departmentId, org.departmentId);
  });

  it("accepts root as the root department's alias", async () => {
    const org = await organization();
    const root = assertOk(
      await ctx.client.getDepartment({ organizationCode: org.organizationCode, departmentId: "root" }),
    );
    assert.equal(root.departmentId, org.departmentId);
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} code and creates nothing`, async () => {
      const before = await organizationCodes();
      const resp = await newOrganization(ctx.client, { organizationCode: code });
      assertError(resp, 400, `invalid organization code: ${code}`);
      assert.deepEqual(await organizationCodes(), before);
    });
  }

  it("rejects a 100-character code and creates nothing", async () => {
    const before = await organizationCodes();
    assertError(
      await newOrganization(ctx.client, { organizationCode: LONG_CODE }),
      400,
      "参数 organizationCode 格式错误",
    );
    assert.deepEqual(await organizationCodes(), before);
  });

  it("generates a code for an empty one", async () => {
    const org = await organization({ organizationCode: "" });
    assert.ok(org.organizationCode);
    assert.equal((await getOrganization(org.organizationCode)).departmentId, org.departmentId);
  });

  it("rejects a missing name", async () => {
    const organizationCode = uniqueCode("org");
    assertError(await ctx.client.createOrganization({ organizationCode }), 400, "参数 organizationName 格式错误");
    assert.ok(!(await organizationCodes()).includes(organizationCode));
  });

  it("rejects an existing code and keeps the organization", async () => {
    const org = await organization();
    const resp = await newOrganization(ctx.client, { organizationCode: org.organizationCode, organizationName: "x" });
    assertError(resp, 409, "组织机构已存在");
    const found = await getOrganization(org.organizationCode);
    assert.deepEqual([found.organizationName, found.departmentId], [org.organizationName, org.departmentId]);
  });
});

describe("updateOrganization", () => {
  it("renames the code", async () => {
    const org = await organization();
    const [old, organizationNewCode] = [org.organizationCode, uniqueCode("org-new")];
    const data = assertOk(await ctx.client.updateOrganization({ organizationCode: old, organizationNewCode }));
    assert.deepEqual([data.organizationCode, data.departmentId], [organizationNewCode, org.departmentId]);
    assertError(await ctx.client.getOrganization({ organizationCode: old }), 404, organizationNotFound(old));
    assert.equal((await getOrganization(organizationNewCode)).departmentId, org.departmentId);
  });

  it("changes nothing when renamed to its own code", async () => {
    const org = await organization();
    const { organizationCode } = org;
    const resp = await ctx.client.updateOrganization({ organizationCode, organizationNewCode: organizationCode });
    const data = assertOk(resp);
    assert.deepEqual([data.organizationCode, data.departmentId], [organizationCode, org.departmentId]);
  });

  it("updates name and description", async () => {
    const { organizationCode } = await organization();
    const data = assertOk(
      await ctx.client.updateOrganization({ organizationCode, organizationName: "新名", description: "d" }),
    );
    assert.deepEqual(
      [data.organizationCode, data.organizationName, data.description],
      [organizationCode, "新名", "d"],
    );
    const found = await getOrganization(organizationCode);
    assert.deepEqual([found.organizationName, found.description], ["新名", "d"]);
  });

  it("sets leaders", async () => {
    const [{ organizationCode }, user] = [await organization(), await newUser(ctx.client)];
    const data = assertOk(await ctx.client.updateOrganization({ organizationCode, leaderUserIds: [user.userId] }));
    assert.deepEqual(data.leaderUserIds, [user.userId]);
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} new code and keeps the code`, async () => {
      const { organizationCode } = await organization();
      const resp = await ctx.client.updateOrganization({ organizationCode, organizationNewCode: code });
      assertError(resp, 400, `invalid organization code: ${code}`);
      assert.equal((await getOrganization(organizationCode)).organizationCode, organizationCode);
    });
  }

  it("keeps the code for an empty new code", async () => {
    const { organizationCode } = await organization();
    const data = assertOk(await ctx.client.updateOrganization({ organizationCode, organizationNewCode: "" }));
    assert.equal(data.organizationCode, organizationCode);
    assert.equal((await getOrganization(organizationCode)).organizationCode, organizationCode);
  });

  it("rejects a 100-character new code and keeps the code", async () => {
    const { organizationCode } = await organization();
    const resp = await ctx.client.updateOrganization({ organizationCode, organizationNewCode: LONG_CODE });
    assertError(resp, 400, "参数 organizationNewCode 格式错误");
    assert.equal((await getOrganization(organizationCode)).organizationCode, organizationCode);
  });

  it("does not find an unknown organization", async () => {
    const organizationCode = uniqueCode("missing");
    const resp = await ctx.client.updateOrganization({ organizationCode, organizationName: "x" });
    assertError(resp, 404, organizationNotFound(organizationCode));
    assert.ok(!(await organizationCodes()).includes(organizationCode));
  });

  it("rejects a new code already in use", async () => {
    const [org, other] = [await organization(), await organization()];
    const resp = await ctx.client.updateOrganization({
      organizationCode: org.organizationCode,
      organizationNewCode: other.organizationCode,
    });
    assertError(resp, 409, "组织机构已存在");
    assert.equal((await getOrganization(other.organizationCode)).departmentId, other.departmentId);
    assert.equal((await getOrganization(org.organizationCode)).departmentId, org.departmentId);
  });

  it("takes the departments along to the new code", async () => {
    const org = await organization();
    const department = await newDepartment(ctx.client, org);
    const organizationNewCode = uniqueCode("org-new");
    assertOk(await ctx.client.updateOrganization({ organizationCode: org.organizationCode, organizationNewCode }));
    const found = assertOk(
      await ctx.client.getDepartment({ organizationCode: organizationNewCode, departmentId: department.departmentId }),
    );
    assert.equal(found.organizationCode, organizationNewCode);
  });
});

describe("deleteOrganization", () => {
  it("deletes the organization", async () => {
    const { organizationCode } = await organization();
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode }));
    assertError(await ctx.client.getOrganization({ organizationCode }), 404, organizationNotFound(organizationCode));
    assert.ok(!(await organizationCodes()).includes(organizationCode));
  });

  it("deletes the department tree", async () => {
    const org = await organization();
    const child = await newDepartment(ctx.client, org);
    const grandchild = await newDepartment(ctx.client, org, { parentDepartmentId: child.departmentId });
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode: org.organizationCode }));
    for (const departmentId of [org.departmentId, child.departmentId, grandchild.departmentId])
      assertError(await ctx.client.getDepartment({ departmentId }), 404, "部门不存在");
  });

  it("removes the memberships", async () => {
    const [org, user] = [await organization(), await newUser(ctx.client)];
    const child = await newDepartment(ctx.client, org);
    await joinDepartment(ctx.client, org, child.departmentId, user);
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode: org.organizationCode }));
    assert.equal(assertOk(await ctx.client.getUserDepartments({ userId: user.userId })).totalCount, 0);
  });

  it("removes department role assignments", async () => {
    const org = await organization();
    const child = await newDepartment(ctx.client, org);
    const role = assertOk(await ctx.client.createRole({ code: uniqueCode("role") }));
    const targets = [{ targetType: "DEPARTMENT", targetIdentifier: child.departmentId }];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets }));
    assert.equal(assertOk(await ctx.client.listRoleDepartments({ code: role.code })).totalCount, 1);
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode: org.organizationCode }));
    assert.equal(assertOk(await ctx.client.listRoleDepartments({ code: role.code })).totalCount, 0);
  });

  it("removes department grants", async () => {
    const org = await organization();
    const child = await newDepartment(ctx.client, org);
    const resource = uniqueCode("res");
    const item = {
      targetType: "DEPARTMENT",
      targetIdentifiers: [child.departmentId],
      resources: [{ code: resource, actions: ["read"], resourceType: "DATA" }],
    };
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    const targets = async () =>
      assertOk(await ctx.client.getResourceAuthorizedTargets({ resource, namespace: "default" })).totalCount;
    assert.equal(await targets(), 1);
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode: org.organizationCode }));
    assert.equal(await targets(), 0);
  });

  it("rejects an empty code", async () => {
    const before = await organizationCodes();
    const resp = await ctx.client.deleteOrganization({ organizationCode: "" });
    assertError(resp, 400, "参数 organizationCode 格式错误");
    assert.deepEqual(await organizationCodes(), before);
  });

  it("does not find an unknown code", async () => {
    const before = await organizationCodes();
    const organizationCode = uniqueCode("missing");
    const resp = await ctx.client.deleteOrganization({ organizationCode });
    // The SDK spec only checks that the message contains the text; the contract gives it whole.
    assertErrorContains(resp, 404, "organization not found for code");
    assertError(resp, 404, organizationNotFound(organizationCode));
    assert.deepEqual(await organizationCodes(), before);
  });
});

describe("listOrganizations", () => {
  it("works without arguments", async () => {
    await organization();
    assertPage(assertOk(await ctx.client.listOrganizations({})), 1);
  });

  it("lists the newest first", async () => {
    const org = await organization();
    const items = assertPage(assertOk(await ctx.client.listOrganizations({ page: 1, limit: 1 })), 1);
    assert.deepEqual(orgCodesOf(items), [org.organizationCode]);
  });

  it("pages through the organizations", async () => {
    const older = await organization();
    const newer = await organization();
    for (const [page, expected] of [
      [1, newer],
      [2, older],
    ]) {
      const data = assertOk(await ctx.client.listOrganizations({ page, limit: 1 }));
      assert.deepEqual(orgCodesOf(data.list), [expected.organizationCode]);
    }
  });

  it("returns every organization with fetchAll", async () => {
    const org = await organization();
    const data = assertOk(await ctx.client.listOrganizations({ fetchAll: true, limit: 1 }));
    const items = assertPage(data, 2);
    assert.equal(items.length, data.totalCount);
    for (const code of [org.organizationCode, ctx.seed.organizationCode]) assert.ok(orgCodesOf(items).includes(code));
  });

  it("lists OrganizationDto items", async () => {
    const org = await organization();
    const [item] = assertOk(await ctx.client.listOrganizations({ page: 1, limit: 1 })).list;
    assert.deepEqual(
      [item.organizationCode, item.organizationName, item.departmentId],
      [org.organizationCode, org.organizationName, org.departmentId],
    );
    assert.deepEqual([item.hasChildren, item.membersCount, item.isVirtualNode], [false, 0, false]);
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      assertError(await ctx.client.listOrganizations(paging), 400, `参数 ${field} 格式错误`);
    });
  }
});

describe("getOrganization", () => {
  it("returns the organization", async () => {
    const org = await organization({ description: "about" });
    const data = await getOrganization(org.organizationCode);
    const keys = ["organizationCode", "organizationName", "description", "departmentId", "hasChildren", "membersCount"];
    assert.deepEqual(
      keys.map((k) => data[k]),
      keys.map((k) => org[k]),
    );
  });

  it("returns the seed organization", async () => {
    assert.equal((await getOrganization(ctx.seed.organizationCode)).organizationName, ctx.seed.organizationName);
  });

  it("does not find an unknown code", async () => {
    const organizationCode = uniqueCode("missing");
    assertError(await ctx.client.getOrganization({ organizationCode }), 404, organizationNotFound(organizationCode));
  });

  it("has children once a department exists", async () => {
    const org = await organization();
    await newDepartment(ctx.client, org);
    assert.equal((await getOrganization(org.organizationCode)).hasChildren, true);
  });

  it("counts distinct users of the whole tree in membersCount", async () => {
    const org = await organization();
    const child = await newDepartment(ctx.client, org);
    const grandchild = await newDepartment(ctx.client, org, { parentDepartmentId: child.departmentId });
    const [one, two] = [await newUser(ctx.client), await newUser(ctx.client)];
    await joinDepartment(ctx.client, org, org.departmentId, one);
    await joinDepartment(ctx.client, org, child.departmentId, one, two);
    await joinDepartment(ctx.client, org, grandchild.departmentId, two);
    assert.equal((await getOrganization(org.organizationCode)).membersCount, 2);
  });
});

describe("searchOrganizations", () => {
  it("finds the seed organization by name", async () => {
    const items = assertPage(assertOk(await ctx.client.searchOrganizations({ keywords: "root 用户池" })), 1);
    assert.ok(orgCodesOf(items).includes(ctx.seed.organizationCode));
  });

  it("matches part of the name", async () => {
    const marker = uniqueCode("Marker");
    const org = await organization({ organizationName: `组织 ${marker} 名称` });
    const items = assertPage(assertOk(await ctx.client.searchOrganizations({ keywords: marker })), 1);
    assert.deepEqual(orgCodesOf(items), [org.organizationCode]);
  });

  it("matches part of the code", async () => {
    const org = await organization();
    const keywords = org.organizationCode.slice(4);
    const items = assertPage(assertOk(await ctx.client.searchOrganizations({ keywords })), 1);
    assert.deepEqual(orgCodesOf(items), [org.organizationCode]);
  });

  it("ignores case", async () => {
    const org = await organization();
    const data = assertOk(await ctx.client.searchOrganizations({ keywords: org.organizationCode.toUpperCase() }));
    assert.deepEqual(orgCodesOf(data.list), [org.organizationCode]);
  });

  it("answers an empty page when nothing matches", async () => {
    const data = assertOk(await ctx.client.searchOrganizations({ keywords: uniqueCode("nothing") }));
    assert.deepEqual(data, { totalCount: 0, list: [] });
  });

  it("pages the matches", async () => {
    const marker = uniqueCode("paged");
    const older = await organization({ organizationName: marker });
    await organization({ organizationName: marker });
    const data = assertOk(await ctx.client.searchOrganizations({ keywords: marker, page: 2, limit: 1 }));
    assert.equal(data.totalCount, 2);
    assert.deepEqual(orgCodesOf(data.list), [older.organizationCode]);
  });

  it("rejects empty keywords", async () => {
    assertError(await ctx.client.searchOrganizations({ keywords: "" }), 400, "参数 keywords 格式错误");
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      const resp = await ctx.client.searchOrganizations({ keywords: "root 用户池", ...paging });
      assertError(resp, 400, `参数 ${field} 格式错误`);
    });
  }
});

describe("organization pool isolation", () => {
  it("does not find an organization of pool 1 from pool 2", async () => {
    const { organizationCode } = await organization();
    const resp = await ctx.pool2Client.getOrganization({ organizationCode });
    assertError(resp, 404, organizationNotFound(organizationCode));
  });

  it("has no seed organization in pool 2", async () => {
    const organizationCode = ctx.seed.organizationCode;
    const resp = await ctx.pool2Client.getOrganization({ organizationCode });
    assertError(resp, 404, organizationNotFound(organizationCode));
  });

  it("does not list organizations of pool 1 in pool 2", async () => {
    await organization();
    const pool2 = new Set(await organizationCodes(ctx.pool2Client));
    assert.deepEqual(
      (await organizationCodes()).filter((code) => pool2.has(code)),
      [],
    );
  });

  it("does not find organizations of pool 1 by searching pool 2", async () => {
    const org = await organization();
    for (const keywords of [org.organizationCode, "root 用户池"])
      assert.equal(assertOk(await ctx.pool2Client.searchOrganizations({ keywords })).totalCount, 0);
  });

  it("allows the same code in both pools", async () => {
    const org = await organization();
    const code = org.organizationCode;
    const other = assertOk(
      await newOrganization(ctx.pool2Client, { organizationCode: code, organizationName: "two" }),
    );
    assert.notEqual(other.departmentId, org.departmentId);
    assert.equal((await getOrganization(code)).organizationName, org.organizationName);
    assert.equal((await getOrganization(code, ctx.pool2Client)).organizationName, "two");
  });

  it("does not let pool 2 update an organization of pool 1", async () => {
    const org = await organization();
    const organizationCode = org.organizationCode;
    const resp = await ctx.pool2Client.updateOrganization({ organizationCode, organizationName: "hijacked" });
    assertError(resp, 404, organizationNotFound(organizationCode));
    assert.equal((await getOrganization(organizationCode)).organizationName, org.organizationName);
  });

  it("does not let pool 2 delete an organization of pool 1", async () => {
    const org = await organization();
    const organizationCode = org.organizationCode;
    assertError(
      await ctx.pool2Client.deleteOrganization({ organizationCode }),
      404,
      organizationNotFound(organizationCode),
    );
    assert.equal((await getOrganization(organizationCode)).departmentId, org.departmentId);
  });
});
