"use strict";
// How grants combine into isActionAllowed answers, through authing-node-sdk: semantics.md §3–§13.
//
// "semantics §12" is the scenario table S1–S18, one test per row, with the literal codes of the
// table in namespace `default` (every test has its own users, roles and groups). The other
// suites cover replace/revoke, action and resource matching, DENY wins, default deny, namespace
// isolation, cascades on deletion, disabled roles and assignment windows, department
// inheritance, and renames / membership changes, each checked on the very next call.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const {
  uniqueCode,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertPage,
  idsOf,
  newUser,
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
} = require("./lib/assertions");

const ctx = useServer();
const HOUR_MS = 3_600_000;

/** A fresh resource class nobody else uses. */
const res = (prefix = "res") => uniqueCode(prefix);
const grant = (targetType, identifiers, code, actions, options) =>
  authorize(ctx.client, targetType, identifiers, code, actions, options);
const allowed = (user, action, resource, namespace) => isAllowed(ctx.client, user.userId, action, resource, namespace);
const user = () => newUser(ctx.client);
const codesOfGrants = (items) => items.map((g) => g.resourceCode);

/** assignRole of `role` to these TargetDtos; `window`: { endTime, enableTime } in ms. */
async function assign(role, targets, window = {}) {
  assertSuccessFlag(
    await ctx.client.assignRole({ code: role.code, namespace: role.namespace, targets: [targets].flat(), ...window }),
  );
}

async function joinGroup(group, ...users) {
  assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
}

async function setRoleStatus(role, status) {
  assertSuccessFlag(await ctx.client.updateRole({ code: role.code, namespace: role.namespace, status }));
}

/** Every page of getResourceAuthorizedTargets: "TYPE identifier" strings. */
async function allTargets(resource, namespace) {
  const found = [];
  for (let page = 1; ; page++) {
    const data = assertOk(await ctx.client.getResourceAuthorizedTargets({ resource, namespace, page, limit: 50 }));
    const list = assertPage(data);
    found.push(...list.map((t) => `${t.targetType} ${t.targetIdentifier}`));
    if (list.length === 0 || found.length >= data.totalCount) return found;
  }
}

async function newOrgDto() {
  return assertOk(await newOrganization(ctx.client));
}

/** `depth` nested departments under the organization's root, outermost first. */
async function departmentChain(organization, depth) {
  const chain = [];
  let parentDepartmentId = organization.departmentId;
  for (let i = 0; i < depth; i++) {
    chain.push(await newDepartment(ctx.client, organization, { parentDepartmentId }));
    parentDepartmentId = chain.at(-1).departmentId;
  }
  return chain;
}

/** A fresh user who is a direct member of `department`. */
async function memberOf(organization, department) {
  const member = await user();
  await joinDepartment(ctx.client, organization, department.departmentId, member);
  return member;
}

async function answers(member, action, resources, namespace) {
  const result = [];
  for (const resource of resources) result.push(await allowed(member, action, resource, namespace));
  return result;
}

async function membersAllowed(members, action, resource, namespace) {
  const result = [];
  for (const member of members) result.push(await allowed(member, action, resource, namespace));
  return result;
}

describe("semantics §12", () => {
  it("S1: a granted action on the granted instance is allowed", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:123", ["books:read"]);
    assert.equal(await allowed(u, "books:read", "books:123"), true);
  });

  it("S2: another action on the granted instance is refused", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:123", ["books:read"]);
    assert.equal(await allowed(u, "books:edit", "books:123"), false);
  });

  it("S3: wildcard code and action cover every instance and action", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:*", ["books:*"]);
    assert.equal(await allowed(u, "books:edit", "books:999"), true);
  });

  it("S4: a class grant covers its instances", async () => {
    const u = await user();
    await grant("USER", u.userId, "books", ["read"]);
    assert.equal(await allowed(u, "read", "books:7"), true);
  });

  it("S5: an instance grant is not a prefix", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:1", ["read"]);
    assert.equal(await allowed(u, "read", "books:12"), false);
  });

  it("S6: a role with everything allows anything", async () => {
    const u = await user();
    const role = await newRole(ctx.client);
    await grant("ROLE", role.code, "*", ["*"]);
    await assign(role, userTarget(u));
    assert.equal(await allowed(u, "anything", "x:1"), true);
  });

  it("S7: a role of another namespace does not count in default", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client); // the same code exists in `default`, without grants or members
    const other = assertOk(await ctx.client.createRole({ code: role.code, namespace }));
    await grant("ROLE", other.code, "*", ["*"], { namespace });
    await assign(other, userTarget(u));
    assert.equal(await allowed(u, "anything", "x:1", namespace), true);
    assert.equal(await allowed(u, "anything", "x:1"), false);
  });

  it("S8: a group grant reaches its members", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    await grant("GROUP", group.code, "doc:1", ["read"]);
    await joinGroup(group, u);
    assert.equal(await allowed(u, "read", "doc:1"), true);
  });

  it("S9: a department grant does not reach members of a child", async () => {
    const organization = await newOrgDto();
    const [parent, child] = await departmentChain(organization, 2);
    await grant("DEPARTMENT", parent.departmentId, "doc:1", ["read"]);
    const inChild = await memberOf(organization, child);
    const inParent = await memberOf(organization, parent);
    assert.equal(await allowed(inChild, "read", "doc:1"), false);
    assert.equal(await allowed(inParent, "read", "doc:1"), true);
  });

  it("S10: a role assigned to a department reaches its members", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const role = await newRole(ctx.client);
    await assign(role, departmentTarget(department.departmentId));
    const member = await memberOf(organization, department);
    await grant("ROLE", role.code, "doc:1", ["read"]);
    assert.equal(await allowed(member, "read", "doc:1"), true);
  });

  it("S11: authorizing again replaces the actions", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:123", ["books:read"]);
    await grant("USER", u.userId, "books:123", ["books:edit"]);
    assert.deepEqual(
      (await directGrants(ctx.client, "USER", u.userId)).map((g) => [g.resourceCode, g.actions]),
      [["books:123", ["books:edit"]]],
    );
    assert.equal(await allowed(u, "books:read", "books:123"), false);
    assert.equal(await allowed(u, "books:edit", "books:123"), true);
  });

  it("S12: empty actions revoke the grant", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:123", ["books:read"]);
    await grant("USER", u.userId, "books:123", []);
    assert.deepEqual(await directGrants(ctx.client, "USER", u.userId), []);
    assert.equal(await allowed(u, "books:read", "books:123"), false);
  });

  it("S13: resourceList books:* is a prefix filter", async () => {
    const u = await user();
    for (const code of ["books:123", "books:fictions_123", "pens:1"]) await grant("USER", u.userId, code, ["read"]);
    const found = await directGrants(ctx.client, "USER", u.userId, { resourceList: ["books:*"] });
    assert.deepEqual(codesOfGrants(found).sort(), ["books:123", "books:fictions_123"]);
  });

  it("S14: resourceList books:fictions_ is a plain prefix", async () => {
    const u = await user();
    for (const code of ["books:123", "books:fictions_123", "pens:1"]) await grant("USER", u.userId, code, ["read"]);
    const found = await directGrants(ctx.client, "USER", u.userId, { resourceList: ["books:fictions_"] });
    assert.deepEqual(codesOfGrants(found), ["books:fictions_123"]);
  });

  it("S15: a deleted user is no longer a target", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:123", ["books:read"]);
    assert.ok((await allTargets("books:123")).includes(`USER ${u.userId}`));
    assertSuccessFlag(await ctx.client.deleteUsersBatch({ userIds: [u.userId] }));
    assert.ok(!(await allTargets("books:123")).includes(`USER ${u.userId}`));
  });

  it("S16: a DENY grant wins and is listed only with withDenied", async () => {
    const u = await user();
    await grant("USER", u.userId, "books:123", ["books:read"]);
    await grant("USER", u.userId, "books:*", ["books:read"], { effect: "DENY" });
    assert.equal(await allowed(u, "books:read", "books:123"), false);
    assert.deepEqual(codesOfGrants(await directGrants(ctx.client, "USER", u.userId)), ["books:123"]);
    const listed = await directGrants(ctx.client, "USER", u.userId, { withDenied: true });
    assert.deepEqual(listed.map((g) => `${g.resourceCode} ${g.effect}`).sort(), ["books:* DENY", "books:123 ALLOW"]);
  });

  it("S17: a disabled role allows nothing", async () => {
    const u = await user();
    const role = await newRole(ctx.client);
    await grant("ROLE", role.code, "*", ["*"]);
    await assign(role, userTarget(u));
    await setRoleStatus(role, "DISABLE");
    assert.equal(await allowed(u, "anything", "x:1"), false);
  });

  it("S18: deleting a resource class removes its instance grants", async () => {
    const u = await user();
    assertSuccessFlag(await ctx.client.deleteResource({ code: "books" })); // idempotent: start from no definition
    assertOk(
      await ctx.client.createResource({
        type: "DATA",
        code: "books",
        actions: [{ name: "books:read", description: "" }],
      }),
    );
    await grant("USER", u.userId, "books:123", ["books:read"]);
    assert.equal(await allowed(u, "books:read", "books:123"), true);
    assertSuccessFlag(await ctx.client.deleteResource({ code: "books" }));
    assert.equal(await allowed(u, "books:read", "books:123"), false);
  });
});

describe("replace and revoke (semantics §13.2–13.3)", () => {
  it("stops the replaced actions on the next check", async () => {
    const u = await user();
    const code = `${res()}:1`;
    await grant("USER", u.userId, code, ["read", "write"]);
    await grant("USER", u.userId, code, ["write"]);
    assert.deepEqual([await allowed(u, "read", code), await allowed(u, "write", code)], [false, true]);
  });

  it("leaves the other grants working when revoking", async () => {
    const u = await user();
    const [revoked, kept] = [res(), res()];
    await grant("USER", u.userId, revoked, ["read"]);
    await grant("USER", u.userId, kept, ["read"]);
    await grant("USER", u.userId, revoked, []);
    assert.deepEqual([await allowed(u, "read", revoked), await allowed(u, "read", kept)], [false, true]);
  });

  it("leaves the other targets when revoking one", async () => {
    const [first, second] = [await user(), await user()];
    const code = res();
    const item = grantItem("USER", idsOf([first, second]), [resourceItem(code, ["read"])]);
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    await grant("USER", first.userId, code, []);
    assert.deepEqual([await allowed(first, "read", code), await allowed(second, "read", code)], [false, true]);
  });

  it("grants again after revoking", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    await grant("USER", u.userId, code, []);
    await grant("USER", u.userId, code, ["read"]);
    assert.equal(await allowed(u, "read", code), true);
  });
});

describe("action wildcards (semantics §6)", () => {
  for (const action of ["read", "books:edit", "anything:at:all", "*"]) {
    it(`* matches ${action}`, async () => {
      const u = await user();
      const code = res();
      await grant("USER", u.userId, code, ["*"]);
      assert.equal(await allowed(u, action, code), true);
    });
  }

  const PREFIX_CASES = {
    "books:edit": true,
    "books:delete": true,
    "books:a:b": true,
    "books:*": true,
    books: false,
    "booksx:edit": false,
    "pens:edit": false,
    edit: false,
  };
  for (const [action, expected] of Object.entries(PREFIX_CASES)) {
    it(`books:* ${expected ? "matches" : "does not match"} ${action}`, async () => {
      const u = await user();
      const code = res();
      await grant("USER", u.userId, code, ["books:*"]);
      assert.equal(await allowed(u, action, code), expected);
    });
  }

  it("treats other action names as opaque strings", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, code, ["edit", "books:read", "view*"]);
    const result = {};
    for (const action of ["edit", "books:edit", "read", "view*", "viewer"])
      result[action] = await allowed(u, action, code);
    assert.deepEqual(result, { edit: true, "books:edit": false, read: false, "view*": true, viewer: false });
  });

  it("compares actions case-sensitively", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    assert.equal(await allowed(u, "Read", code), false);
  });
});

describe("resource matching (semantics §5.1)", () => {
  for (const resource of ["x:1", "books", "a:b:c", "*"]) {
    it(`* covers ${resource}`, async () => {
      const u = await user();
      await grant("USER", u.userId, "*", ["read"]);
      assert.equal(await allowed(u, "read", resource), true);
    });
  }

  const TRAILING = { ":123": true, ":a:b": true, ":*": true, "": false, "x:1": false };
  for (const [suffix, expected] of Object.entries(TRAILING)) {
    it(`class:* ${expected ? "covers" : "does not cover"} class${suffix}`, async () => {
      const u = await user();
      const cls = res("books");
      await grant("USER", u.userId, `${cls}:*`, ["read"]);
      assert.equal(await allowed(u, "read", `${cls}${suffix}`), expected);
    });
  }

  it("treats a star after part of a word as a prefix too", async () => {
    const u = await user();
    const cls = res("books");
    await grant("USER", u.userId, `${cls}:fic*`, ["read"]);
    assert.deepEqual(
      await answers(
        u,
        "read",
        ["fiction", "fic", "fact"].map((r) => `${cls}:${r}`),
      ),
      [true, true, false],
    );
  });

  const CLASS = { "": true, ":123": true, ":1:2": true, "x:1": false, "-x": false };
  for (const [suffix, expected] of Object.entries(CLASS)) {
    it(`a class code ${expected ? "covers" : "does not cover"} class${suffix}`, async () => {
      const u = await user();
      const cls = res("books");
      await grant("USER", u.userId, cls, ["read"]);
      assert.equal(await allowed(u, "read", `${cls}${suffix}`), expected);
    });
  }

  const INSTANCE = { ":1": true, ":12": false, "": false, ":*": false, ":1:2": false };
  for (const [requested, expected] of Object.entries(INSTANCE)) {
    it(`the instance class:1 ${expected ? "covers" : "does not cover"} class${requested}`, async () => {
      const u = await user();
      const cls = res("books");
      await grant("USER", u.userId, `${cls}:1`, ["read"]);
      assert.equal(await allowed(u, "read", `${cls}${requested}`), expected);
    });
  }

  it("compares codes case-sensitively", async () => {
    const u = await user();
    const cls = res("books");
    await grant("USER", u.userId, cls, ["read"]);
    assert.equal(await allowed(u, "read", `${cls.toUpperCase()}:1`), false);
  });
});

describe("DENY wins (semantics §7, §13.6)", () => {
  it("a group DENY wins over a user ALLOW", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    await grant("GROUP", group.code, code, ["read"], { effect: "DENY" });
    assert.equal(await allowed(u, "read", code), true); // not a member yet
    await joinGroup(group, u);
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a role DENY wins over a group ALLOW", async () => {
    const u = await user();
    const [group, role] = [await newGroupDto(ctx.client), await newRole(ctx.client)];
    const code = res();
    await grant("GROUP", group.code, code, ["read"]);
    await grant("ROLE", role.code, code, ["read"], { effect: "DENY" });
    await joinGroup(group, u);
    await assign(role, userTarget(u));
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a DENY of another action does not block", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, code, ["read", "write"]);
    await grant("USER", u.userId, `${code}:*`, ["write"], { effect: "DENY" });
    assert.deepEqual([await allowed(u, "read", `${code}:1`), await allowed(u, "write", `${code}:1`)], [true, false]);
  });

  it("a DENY with the action wildcard blocks every action", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, "*", ["*"]);
    await grant("USER", u.userId, code, ["*"], { effect: "DENY" });
    assert.equal(await allowed(u, "anything", `${code}:9`), false);
    assert.equal(await allowed(u, "anything", `${res()}:9`), true);
  });

  it("a DENY that does not cover the resource does not block", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, `${code}:1`, ["read"]);
    await grant("USER", u.userId, `${code}:2`, ["read"], { effect: "DENY" });
    assert.equal(await allowed(u, "read", `${code}:1`), true);
  });

  it("a DENY alone allows nothing", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, code, ["read"], { effect: "DENY" });
    assert.equal(await allowed(u, "read", code), false);
  });

  it("revoking the DENY restores access on the next check", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    await joinGroup(group, u);
    await grant("GROUP", group.code, code, ["read"], { effect: "DENY" });
    assert.equal(await allowed(u, "read", code), false);
    await grant("GROUP", group.code, code, [], { effect: "DENY" });
    assert.equal(await allowed(u, "read", code), true);
  });

  it("a DENY in another namespace does not block", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    await grant("USER", u.userId, code, ["read"], { effect: "DENY", namespace });
    assert.equal(await allowed(u, "read", code), true);
  });

  it("a department DENY blocks its members", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const member = await memberOf(organization, department);
    const code = res();
    await grant("USER", member.userId, code, ["read"]);
    await grant("DEPARTMENT", department.departmentId, code, ["read"], { effect: "DENY" });
    assert.equal(await allowed(member, "read", code), false);
  });
});

describe("default deny (semantics §7)", () => {
  for (const [action, resource] of [
    ["read", "x:1"],
    ["*", "*"],
  ]) {
    it(`refuses ${action} on ${resource} to a user without grants`, async () => {
      assert.equal(await allowed(await user(), action, resource), false);
    });
  }

  it("a grant to another user does not help", async () => {
    const u = await user();
    const code = res();
    await grant("USER", (await user()).userId, code, ["read"]);
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a group grant does not reach non-members", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("GROUP", group.code, code, ["read"]);
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a role grant does not reach users without the role", async () => {
    const u = await user();
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a defined resource without grants is refused", async () => {
    const u = await user();
    const code = res();
    assertOk(await ctx.client.createResource({ type: "DATA", code, actions: [{ name: "read", description: "" }] }));
    assert.equal(await allowed(u, "read", code), false);
  });
});

describe("namespace isolation", () => {
  it("a user grant counts only in its namespace", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const code = res();
    await grant("USER", u.userId, code, ["read"], { namespace });
    assert.deepEqual([await allowed(u, "read", code), await allowed(u, "read", code, namespace)], [false, true]);
  });

  it("a group grant counts only in its namespace", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const group = await newGroupDto(ctx.client);
    await joinGroup(group, u);
    const code = res();
    await grant("GROUP", group.code, code, ["read"], { namespace });
    assert.deepEqual([await allowed(u, "read", code), await allowed(u, "read", code, namespace)], [false, true]);
  });

  it("a role of default does not count elsewhere", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client);
    await grant("ROLE", role.code, "*", ["*"]);
    await assign(role, userTarget(u));
    assert.deepEqual([await allowed(u, "x", "y"), await allowed(u, "x", "y", namespace)], [true, false]);
  });

  it("the same code in two namespaces is two grants", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    await grant("USER", u.userId, code, ["read"], { namespace });
    await grant("USER", u.userId, code, [], { namespace });
    assert.deepEqual([await allowed(u, "read", code), await allowed(u, "read", code, namespace)], [true, false]);
  });

  it("a role cannot be assigned outside its namespace", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    assertError(await ctx.client.assignRole({ code: role.code, targets: [userTarget(u)] }), 404, "角色不存在");
  });
});

describe("deletion cascades (semantics §9)", () => {
  it("a deleted user is unknown to the next check", async () => {
    const u = await user();
    const code = res();
    await grant("USER", u.userId, code, ["read"]);
    assertSuccessFlag(await ctx.client.deleteUsersBatch({ userIds: [u.userId] }));
    assertError(
      await ctx.client.isActionAllowed({ userId: u.userId, action: "read", resource: code }),
      404,
      "用户不存在",
    );
    assert.deepEqual(await allTargets(code), []);
  });

  it("a deleted user leaves its roles and groups", async () => {
    const u = await user();
    const [role, group] = [await newRole(ctx.client), await newGroupDto(ctx.client)];
    await assign(role, userTarget(u));
    await joinGroup(group, u);
    assertSuccessFlag(await ctx.client.deleteUsersBatch({ userIds: [u.userId] }));
    assert.equal(assertOk(await ctx.client.listRoleMembers({ code: role.code })).totalCount, 0);
    assert.equal(assertOk(await ctx.client.listGroupMembers({ code: group.code })).totalCount, 0);
  });

  it("a deleted role allows nothing, and a new role of that code starts empty", async () => {
    const u = await user();
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    await assign(role, userTarget(u));
    assert.equal(await allowed(u, "read", code), true);
    assertSuccessFlag(await ctx.client.deleteRolesBatch({ codeList: [role.code] }));
    assert.equal(await allowed(u, "read", code), false);
    assertOk(await ctx.client.createRole({ code: role.code }));
    assert.deepEqual(assertOk(await ctx.client.getRoleAuthorizedResources({ code: role.code })), {
      totalCount: 0,
      list: [],
    });
    assert.equal(assertOk(await ctx.client.listRoleMembers({ code: role.code })).totalCount, 0);
    assert.equal(await allowed(u, "read", code), false);
    assert.deepEqual(await allTargets(code), []);
  });

  it("a deleted group allows nothing, and a new group of that code starts empty", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("GROUP", group.code, code, ["read"]);
    await joinGroup(group, u);
    assert.equal(await allowed(u, "read", code), true);
    assertSuccessFlag(await ctx.client.deleteGroupsBatch({ codeList: [group.code] }));
    assert.equal(await allowed(u, "read", code), false);
    assertOk(await ctx.client.createGroup({ code: group.code, name: "again", description: "" }));
    assert.deepEqual(assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code })), []);
    assert.equal(assertOk(await ctx.client.listGroupMembers({ code: group.code })).totalCount, 0);
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a deleted department takes its grants and role assignments along", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const member = await memberOf(organization, department);
    const role = await newRole(ctx.client);
    await assign(role, departmentTarget(department.departmentId));
    const [direct, viaRole] = [res("dept"), res("role")];
    await grant("DEPARTMENT", department.departmentId, direct, ["read"]);
    await grant("ROLE", role.code, viaRole, ["read"]);
    assert.deepEqual(await answers(member, "read", [direct, viaRole]), [true, true]);
    assertSuccessFlag(
      await ctx.client.deleteDepartment({
        organizationCode: organization.organizationCode,
        departmentId: department.departmentId,
      }),
    );
    assert.deepEqual(await answers(member, "read", [direct, viaRole]), [false, false]);
    assert.deepEqual(await allTargets(direct), []);
    assert.equal(assertOk(await ctx.client.listRoleDepartments({ code: role.code })).totalCount, 0);
  });

  it("a deleted organization takes its department grants along", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const member = await memberOf(organization, department);
    const code = res();
    await grant("DEPARTMENT", department.departmentId, code, ["read"]);
    assertSuccessFlag(await ctx.client.deleteOrganization({ organizationCode: organization.organizationCode }));
    assert.equal(await allowed(member, "read", code), false);
    assert.deepEqual(await allTargets(code), []);
  });

  it("deleting a class removes grants on it and its instances only", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const cls = res("books");
    assertOk(await ctx.client.createResource({ type: "DATA", code: cls }));
    const removed = [cls, `${cls}:1`, `${cls}:*`, `${cls}:a:b`];
    const kept = [`${cls}x:1`, `${cls}-2`];
    for (const code of [...removed, ...kept]) await grant("USER", u.userId, code, ["read"]);
    await grant("USER", u.userId, `${cls}:1`, ["read"], { namespace });
    assertSuccessFlag(await ctx.client.deleteResource({ code: cls }));
    assert.deepEqual(codesOfGrants(await directGrants(ctx.client, "USER", u.userId)).sort(), [...kept].sort());
    assert.equal(await allowed(u, "read", `${cls}:1`), false);
    assert.equal(await allowed(u, "read", `${cls}:1`, namespace), true);
  });

  it("deleteResourcesBatch removes the grants, by code and by id", async () => {
    const u = await user();
    const [byCode, byId] = [res("books"), res("pens")];
    for (const code of [byCode, byId]) {
      assertOk(await ctx.client.createResource({ type: "DATA", code }));
      await grant("USER", u.userId, `${code}:1`, ["read"]);
    }
    const { list } = assertOk(await ctx.client.listCommonResource({ keyword: byId, namespaceCodeList: "default" }));
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ codeList: [byCode], ids: [list[0].id] }));
    assert.deepEqual(await answers(u, "read", [`${byCode}:1`, `${byId}:1`]), [false, false]);
    assert.deepEqual(await directGrants(ctx.client, "USER", u.userId), []);
  });

  it("batchDeleteCommonResource removes the grants in the resource's namespace", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const cls = res("books");
    assertOk(await ctx.client.createResource({ type: "DATA", code: cls, namespace }));
    await grant("USER", u.userId, `${cls}:1`, ["read"], { namespace });
    await grant("USER", u.userId, `${cls}:1`, ["read"]); // `default` has no such definition
    const { list } = assertOk(await ctx.client.listCommonResource({ keyword: cls, namespaceCodeList: namespace }));
    assertSuccessFlag(await ctx.client.batchDeleteCommonResource({ ids: [list[0].id] }));
    assert.equal(await allowed(u, "read", `${cls}:1`, namespace), false);
    assert.equal(await allowed(u, "read", `${cls}:1`), true);
  });

  it("a deleted namespace takes its roles, resources and grants along", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    const cls = res("books");
    assertOk(await ctx.client.createResource({ type: "DATA", code: cls, namespace }));
    await grant("ROLE", role.code, `${cls}:1`, ["read"], { namespace });
    await grant("USER", u.userId, `${cls}:2`, ["read"], { namespace });
    await grant("USER", u.userId, `${cls}:2`, ["read"]);
    await assign(role, userTarget(u));
    assertSuccessFlag(await ctx.client.deleteNamespace({ code: namespace }));
    assertError(
      await ctx.client.isActionAllowed({ userId: u.userId, action: "read", resource: `${cls}:1`, namespace }),
      404,
      "权限组不存在",
    );
    assertOk(await ctx.client.createNamespace({ code: namespace }));
    assert.deepEqual(await answers(u, "read", [`${cls}:1`, `${cls}:2`], namespace), [false, false]);
    assert.deepEqual(await directGrants(ctx.client, "USER", u.userId, { namespace }), []);
    assertError(await ctx.client.getRole({ code: role.code, namespace }), 404, "角色不存在");
    assertError(await ctx.client.getResource({ code: cls, namespace }), 404, "资源不存在");
    assert.equal(await allowed(u, "read", `${cls}:2`), true); // `default` is untouched
  });
});

describe("disabled roles and assignment windows (semantics §8)", () => {
  /** A role granted `code` [read], assigned to `u`; resolves to [role, code]. */
  async function grantedRole(u, roleFields = {}) {
    const role = await newRole(ctx.client, roleFields);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    await assign(role, userTarget(u));
    return [role, code];
  }

  async function roleWithGrant() {
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    return [role, code];
  }

  it("a re-enabled role counts again", async () => {
    const u = await user();
    const [role, code] = await grantedRole(u);
    await setRoleStatus(role, "DISABLE");
    assert.equal(await allowed(u, "read", code), false);
    await setRoleStatus(role, "ENABLE");
    assert.equal(await allowed(u, "read", code), true);
  });

  it("takes the status case-insensitively", async () => {
    const u = await user();
    const [role, code] = await grantedRole(u);
    await setRoleStatus(role, "disable");
    assert.equal(await allowed(u, "read", code), false);
  });

  it("leaves a disabled role out of the user's listing", async () => {
    const u = await user();
    const [role] = await grantedRole(u);
    await setRoleStatus(role, "DISABLE");
    assert.deepEqual(assertOk(await ctx.client.getUserAuthorizedResources({ userId: u.userId })), {
      totalCount: 0,
      list: [],
    });
  });

  it("a role past its disableTime counts for nothing", async () => {
    const u = await user();
    const [, code] = await grantedRole(u, { disableTime: nowMs() - HOUR_MS });
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a role before its disableTime counts", async () => {
    const u = await user();
    const [, code] = await grantedRole(u, { disableTime: nowMs() + HOUR_MS });
    assert.equal(await allowed(u, "read", code), true);
  });

  it("setting a past disableTime switches the role off", async () => {
    const u = await user();
    const [role, code] = await grantedRole(u);
    assertSuccessFlag(await ctx.client.updateRole({ code: role.code, disableTime: nowMs() - 1000 }));
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a disabled role of a department counts for nothing", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const member = await memberOf(organization, department);
    const [role, code] = await roleWithGrant();
    await assign(role, departmentTarget(department.departmentId));
    await setRoleStatus(role, "DISABLE");
    assert.equal(await allowed(member, "read", code), false);
  });

  it("an assignment that ended counts for nothing", async () => {
    const u = await user();
    const [role, code] = await roleWithGrant();
    await assign(role, userTarget(u), { endTime: nowMs() - 1000 });
    assert.equal(await allowed(u, "read", code), false);
    assert.equal(assertOk(await ctx.client.getUserAuthorizedResources({ userId: u.userId })).totalCount, 0);
  });

  it("an assignment that has not started counts for nothing", async () => {
    const u = await user();
    const [role, code] = await roleWithGrant();
    await assign(role, userTarget(u), { enableTime: nowMs() + HOUR_MS });
    assert.equal(await allowed(u, "read", code), false);
  });

  it("an assignment inside its window counts", async () => {
    const u = await user();
    const [role, code] = await roleWithGrant();
    await assign(role, userTarget(u), { enableTime: nowMs() - HOUR_MS, endTime: nowMs() + HOUR_MS });
    assert.equal(await allowed(u, "read", code), true);
  });

  it("assigning again updates the window", async () => {
    const u = await user();
    const [role, code] = await roleWithGrant();
    await assign(role, userTarget(u), { endTime: nowMs() - 1000 });
    await assign(role, userTarget(u), { endTime: nowMs() + HOUR_MS });
    assert.equal(await allowed(u, "read", code), true);
    await assign(role, userTarget(u), { enableTime: nowMs() + HOUR_MS });
    assert.equal(await allowed(u, "read", code), false);
  });

  it("a department assignment that ended counts for nothing", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const member = await memberOf(organization, department);
    const [role, code] = await roleWithGrant();
    await assign(role, departmentTarget(department.departmentId), { endTime: nowMs() - 1000 });
    assert.equal(await allowed(member, "read", code), false);
  });
});

describe("department inheritance (semantics §3, §13.4–13.5)", () => {
  it("a plain department grant reaches direct members only", async () => {
    const organization = await newOrgDto();
    const chain = await departmentChain(organization, 4);
    const code = res();
    await grant("DEPARTMENT", chain[0].departmentId, code, ["read"]);
    const members = [];
    for (const department of chain) members.push(await memberOf(organization, department));
    assert.deepEqual(await membersAllowed(members, "read", code), [true, false, false, false]);
  });

  it("inheritByChildren reaches every level below, and nothing above or beside", async () => {
    const organization = await newOrgDto();
    const chain = await departmentChain(organization, 4);
    const sibling = await newDepartment(ctx.client, organization);
    const code = res();
    // The grant sits on the second level: the root-side level and a sibling branch are not covered.
    await grant("DEPARTMENT", chain[1].departmentId, code, ["read"], { inheritByChildren: true });
    const members = [];
    for (const department of [...chain, sibling]) members.push(await memberOf(organization, department));
    assert.deepEqual(await membersAllowed(members, "read", code), [false, true, true, true, false]);
    const rootMember = await user();
    await joinDepartment(ctx.client, organization, organization.departmentId, rootMember);
    assert.equal(await allowed(rootMember, "read", code), false);
  });

  it("inheritByChildren false reaches direct members only", async () => {
    const organization = await newOrgDto();
    const [parent, child] = await departmentChain(organization, 2);
    const code = res();
    await grant("DEPARTMENT", parent.departmentId, code, ["read"], { inheritByChildren: false });
    assert.equal(await allowed(await memberOf(organization, child), "read", code), false);
  });

  it("inheritByChildren reaches 32 levels down", async () => {
    const organization = await newOrgDto();
    const chain = await departmentChain(organization, 32);
    const code = res();
    await grant("DEPARTMENT", chain[0].departmentId, code, ["read"], { inheritByChildren: true });
    assert.equal(await allowed(await memberOf(organization, chain.at(-1)), "read", code), true);
  });

  it("inheritByChildren reaches departments created later", async () => {
    const organization = await newOrgDto();
    const [top] = await departmentChain(organization, 1);
    const code = res();
    await grant("DEPARTMENT", top.departmentId, code, ["read"], { inheritByChildren: true });
    const later = await newDepartment(ctx.client, organization, { parentDepartmentId: top.departmentId });
    assert.equal(await allowed(await memberOf(organization, later), "read", code), true);
  });

  it("lists inherited grants for the user", async () => {
    const organization = await newOrgDto();
    const [parent, child] = await departmentChain(organization, 2);
    const code = res();
    await grant("DEPARTMENT", parent.departmentId, code, ["read"], { inheritByChildren: true });
    const member = await memberOf(organization, child);
    const { list } = assertOk(await ctx.client.getUserAuthorizedResources({ userId: member.userId }));
    assert.deepEqual(
      list.map((g) => [g.resourceCode, g.actions]),
      [[code, ["read"]]],
    );
  });

  it("a department role reaches direct members only", async () => {
    const organization = await newOrgDto();
    const [parent, child] = await departmentChain(organization, 2);
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    await assign(role, departmentTarget(parent.departmentId));
    const members = [await memberOf(organization, parent), await memberOf(organization, child)];
    assert.deepEqual(await membersAllowed(members, "read", code), [true, false]);
  });

  it("a department role with inheritByChildren reaches every level", async () => {
    const organization = await newOrgDto();
    const chain = await departmentChain(organization, 4);
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    await assign(role, departmentTarget(chain[0].departmentId, true));
    const members = [];
    for (const department of chain) members.push(await memberOf(organization, department));
    assert.deepEqual(await membersAllowed(members, "read", code), [true, true, true, true]);
  });

  it("a department role counts in its namespace only", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const member = await memberOf(organization, department);
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    await grant("ROLE", role.code, "*", ["*"], { namespace });
    await assign(role, departmentTarget(department.departmentId));
    assert.deepEqual([await allowed(member, "x", "y", namespace), await allowed(member, "x", "y")], [true, false]);
  });
});

describe("changes are visible to the next check", () => {
  it("a renamed role keeps its grants and members", async () => {
    const u = await user();
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    await assign(role, userTarget(u));
    const newCode = uniqueCode("role-new");
    assertSuccessFlag(await ctx.client.updateRole({ code: role.code, newCode }));
    assert.equal(await allowed(u, "read", code), true);
    assert.deepEqual(codesOfGrants(assertOk(await ctx.client.getRoleAuthorizedResources({ code: newCode })).list), [
      code,
    ]);
    assertError(await ctx.client.getRoleAuthorizedResources({ code: role.code }), 404, "角色不存在");
    assert.ok((await allTargets(code)).includes(`ROLE ${newCode}`));
    await grant("ROLE", newCode, code, ["write"]); // the new code addresses the same grant
    assert.deepEqual([await allowed(u, "read", code), await allowed(u, "write", code)], [false, true]);
  });

  it("a renamed group keeps its grants and members", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("GROUP", group.code, code, ["read"]);
    await joinGroup(group, u);
    const newCode = uniqueCode("grp-new");
    assertOk(await ctx.client.updateGroup({ code: group.code, newCode, description: "" }));
    assert.equal(await allowed(u, "read", code), true);
    assert.deepEqual(codesOfGrants(assertOk(await ctx.client.getGroupAuthorizedResources({ code: newCode }))), [code]);
    assert.deepEqual(codesOfGrants(await directGrants(ctx.client, "GROUP", newCode)), [code]);
    assertError(await ctx.client.getGroupAuthorizedResources({ code: group.code }), 404, "分组不存在");
    assertError(
      await ctx.client.getAuthorizedResources({ targetType: "GROUP", targetIdentifier: group.code }),
      404,
      `group not exists with code: ${group.code}`,
    );
    assert.ok((await allTargets(code)).includes(`GROUP ${newCode}`));
  });

  it("a renamed namespace keeps its roles and grants", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    const [viaRole, own] = [res(), res()];
    await grant("ROLE", role.code, viaRole, ["read"], { namespace });
    await grant("USER", u.userId, own, ["read"], { namespace });
    await assign(role, userTarget(u));
    const newCode = uniqueCode("ns-new");
    assertOk(await ctx.client.updateNamespace({ code: namespace, newCode }));
    assert.deepEqual(await answers(u, "read", [viaRole, own], newCode), [true, true]);
    assertError(
      await ctx.client.isActionAllowed({ userId: u.userId, action: "read", resource: own, namespace }),
      404,
      "权限组不存在",
    );
    const { list } = assertOk(await ctx.client.getRoleAuthorizedResources({ code: role.code, namespace: newCode }));
    assert.deepEqual(codesOfGrants(list), [viaRole]);
  });

  it("joining and leaving a group", async () => {
    const u = await user();
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("GROUP", group.code, code, ["read"]);
    await joinGroup(group, u);
    assert.equal(await allowed(u, "read", code), true);
    assertSuccessFlag(await ctx.client.removeGroupMembers({ code: group.code, userIds: [u.userId] }));
    assert.equal(await allowed(u, "read", code), false);
  });

  it("assigning and revoking a role", async () => {
    const u = await user();
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"]);
    await assign(role, userTarget(u));
    assert.equal(await allowed(u, "read", code), true);
    assertSuccessFlag(await ctx.client.revokeRole({ code: role.code, targets: [userTarget(u)] }));
    assert.equal(await allowed(u, "read", code), false);
  });

  it("assigning and revoking roles in batch", async () => {
    const u = await user();
    const namespace = await newNamespace(ctx.client);
    const roles = [await newRole(ctx.client), await newRole(ctx.client, { namespace })];
    const code = res();
    for (const role of roles) await grant("ROLE", role.code, code, ["read"], { namespace: role.namespace });
    const roleCodes = roles.map((r) => ({ code: r.code, namespace: r.namespace }));
    const both = async () => [await allowed(u, "read", code, "default"), await allowed(u, "read", code, namespace)];
    assertSuccessFlag(await ctx.client.assignRoleBatch({ targets: [userTarget(u)], roles: roleCodes }));
    assert.deepEqual(await both(), [true, true]);
    assertSuccessFlag(await ctx.client.revokeRoleBatch({ targets: [userTarget(u)], roles: roleCodes }));
    assert.deepEqual(await both(), [false, false]);
  });

  it("joining and leaving a department", async () => {
    const organization = await newOrgDto();
    const department = await newDepartment(ctx.client, organization);
    const u = await user();
    const code = res();
    await grant("DEPARTMENT", department.departmentId, code, ["read"]);
    await joinDepartment(ctx.client, organization, department.departmentId, u);
    assert.equal(await allowed(u, "read", code), true);
    assertSuccessFlag(
      await ctx.client.removeDepartmentMembers({
        userIds: [u.userId],
        organizationCode: organization.organizationCode,
        departmentId: department.departmentId,
      }),
    );
    assert.equal(await allowed(u, "read", code), false);
  });

  it("setting the user's departments moves the grants", async () => {
    const organization = await newOrgDto();
    const from = await newDepartment(ctx.client, organization);
    const to = await newDepartment(ctx.client, organization);
    const u = await memberOf(organization, from);
    const [fromCode, toCode] = [res("from"), res("to")];
    await grant("DEPARTMENT", from.departmentId, fromCode, ["read"]);
    await grant("DEPARTMENT", to.departmentId, toCode, ["read"]);
    assertSuccessFlag(
      await ctx.client.setUserDepartments({ userId: u.userId, departments: [{ departmentId: to.departmentId }] }),
    );
    assert.deepEqual(await answers(u, "read", [fromCode, toCode]), [false, true]);
  });

  it("a new grant is visible to the next check", async () => {
    const u = await user();
    const code = res();
    assert.equal(await allowed(u, "read", code), false);
    await grant("USER", u.userId, code, ["read"]);
    assert.equal(await allowed(u, "read", code), true);
  });
});
