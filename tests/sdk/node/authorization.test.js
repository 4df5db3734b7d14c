"use strict";
// Authorization endpoints through authing-node-sdk: resources.md §21–§28, the resource/ rows of
// README §9, semantics.md §4–§11. How grants combine into a yes/no answer (matching,
// inheritance, cascades, renames) is in scenarios.test.js.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const {
  BAD_PAGING,
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
const TYPES = ["DATA", "API", "MENU", "BUTTON", "UI"];
const ZERO_ID = "0".repeat(24);

/** A fresh grant code (a resource class nobody else uses). */
const res = (prefix = "res") => uniqueCode(prefix);
const grantCodes = (items) => items.map((g) => g.resourceCode);
/** [resourceCode, resourceType, actions, effect] of each AuthorizedResourceDto. */
const summary = (items) => items.map((g) => [g.resourceCode, g.resourceType, g.actions, g.effect]);
const sorted = (rows) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function newOrgDto() {
  return assertOk(await newOrganization(ctx.client));
}

async function targetsOf(resource, query = {}) {
  const data = assertOk(await ctx.client.getResourceAuthorizedTargets({ resource, ...query }));
  assertPage(data);
  return data;
}

async function userResources(userId, query = {}) {
  const data = assertOk(await ctx.client.getUserAuthorizedResources({ userId, ...query }));
  const list = assertPage(data);
  assert.equal(data.totalCount, list.length, JSON.stringify(data));
  return list;
}

async function roleResources(code, query = {}) {
  const data = assertOk(await ctx.client.getRoleAuthorizedResources({ code, ...query }));
  const list = assertPage(data);
  assert.equal(data.totalCount, list.length, JSON.stringify(data));
  return list;
}

const grant = (targetType, identifiers, code, actions, options) =>
  authorize(ctx.client, targetType, identifiers, code, actions, options);
const grantsOf = (targetType, identifier, query) => directGrants(ctx.client, targetType, identifier, query);
const joinGroup = async (group, ...users) =>
  assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
const assign = async (role, ...targets) =>
  assertSuccessFlag(await ctx.client.assignRole({ code: role.code, namespace: role.namespace, targets }));

describe("authorizeResources", () => {
  it("grants a user", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    const item = grantItem("USER", user.userId, [resourceItem(code, ["read", "write"])]);
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    assert.deepEqual(summary(await grantsOf("USER", user.userId)), [[code, "DATA", ["read", "write"], "ALLOW"]]);
  });

  it("grants a role by code", async () => {
    const role = await newRole(ctx.client);
    const code = res();
    await grant("ROLE", role.code, code, ["read"], { resourceType: "API" });
    assert.deepEqual(summary(await grantsOf("ROLE", role.code)), [[code, "API", ["read"], "ALLOW"]]);
  });

  it("grants a group by code", async () => {
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("GROUP", group.code, code, ["read"], { resourceType: "MENU" });
    assert.deepEqual(summary(await grantsOf("GROUP", group.code)), [[code, "MENU", ["read"], "ALLOW"]]);
  });

  it("grants a department by id", async () => {
    const department = await newDepartment(ctx.client, await newOrgDto());
    const code = res();
    await grant("DEPARTMENT", department.departmentId, code, ["read"], { resourceType: "UI" });
    assert.deepEqual(summary(await grantsOf("DEPARTMENT", department.departmentId)), [[code, "UI", ["read"], "ALLOW"]]);
  });

  it("grants the wildcard code with every action to a role, a group and a user", async () => {
    const role = await newRole(ctx.client);
    const group = await newGroupDto(ctx.client);
    const user = await newUser(ctx.client);
    for (const [targetType, identifier] of [
      ["ROLE", role.code],
      ["GROUP", group.code],
      ["USER", user.userId],
    ]) {
      await grant(targetType, identifier, "*", ["*"]);
      assert.deepEqual(summary(await grantsOf(targetType, identifier)), [["*", "DATA", ["*"], "ALLOW"]]);
    }
  });

  it("accepts codes that are not defined resources", async () => {
    const user = await newUser(ctx.client);
    const code = `${res("never-defined")}:123`;
    await grant("USER", user.userId, code, ["read"]);
    assertError(await ctx.client.getResource({ code }), 404, "资源不存在");
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId)), [code]);
  });

  it("gives every target every resource of its item", async () => {
    const users = [await newUser(ctx.client), await newUser(ctx.client)];
    const codes = [res(), res()];
    const item = grantItem("USER", idsOf(users), [
      resourceItem(codes[0], ["read"]),
      resourceItem(codes[1], ["write"], "API"),
    ]);
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    for (const user of users) {
      // One call creates both grants at once: their relative order is not specified.
      assert.deepEqual(
        sorted(summary(await grantsOf("USER", user.userId))),
        sorted([
          [codes[0], "DATA", ["read"], "ALLOW"],
          [codes[1], "API", ["write"], "ALLOW"],
        ]),
      );
    }
  });

  it("applies every item", async () => {
    const [user, role, group] = [await newUser(ctx.client), await newRole(ctx.client), await newGroupDto(ctx.client)];
    const code = res();
    const list = [
      grantItem("USER", user.userId, [resourceItem(code, ["u"])]),
      grantItem("ROLE", role.code, [resourceItem(code, ["r"])]),
      grantItem("GROUP", group.code, [resourceItem(code, ["g"])]),
    ];
    assertSuccessFlag(await ctx.client.authorizeResources({ list, namespace: "default" }));
    const { list: targets } = await targetsOf(code);
    assert.deepEqual(
      sorted(targets.map((t) => [t.targetType, t.targetIdentifier, t.actions])),
      sorted([
        ["USER", user.userId, ["u"]],
        ["ROLE", role.code, ["r"]],
        ["GROUP", group.code, ["g"]],
      ]),
    );
  });

  it("uses default without namespace (semantics §13.1, not the vendor spec's 404)", async () => {
    const group = await newGroupDto(ctx.client);
    const code = res();
    const item = grantItem("GROUP", group.code, [resourceItem(code, ["*"])]);
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item] }));
    assert.deepEqual(grantCodes(await grantsOf("GROUP", group.code, { namespace: "default" })), [code]);
  });

  it("authorizes the seed group developer", async () => {
    const code = res();
    await grant("GROUP", ctx.seed.groupCode, code, ["*"]);
    assert.ok(grantCodes(await grantsOf("GROUP", ctx.seed.groupCode, { namespace: "default" })).includes(code));
    await grant("GROUP", ctx.seed.groupCode, code, []); // leave the seed group as it was
  });

  it("keeps grants in their namespace", async () => {
    const user = await newUser(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"], { namespace });
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { namespace })), [code]);
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("addresses a role in the request namespace", async () => {
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    const code = res();
    await grant("ROLE", role.code, code, ["read"], { namespace });
    assert.deepEqual(grantCodes(await grantsOf("ROLE", role.code, { namespace })), [code]);
  });

  it("replaces actions and type when authorizing again", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read", "write"]);
    await grant("USER", user.userId, code, ["delete"], { resourceType: "API" });
    assert.deepEqual(summary(await grantsOf("USER", user.userId)), [[code, "API", ["delete"], "ALLOW"]]);
  });

  it("leaves other codes and targets alone when authorizing again", async () => {
    const [user, other] = [await newUser(ctx.client), await newUser(ctx.client)];
    const [code, otherCode] = [res(), res()];
    await grant("USER", user.userId, otherCode, ["keep"]);
    await grant("USER", other.userId, code, ["theirs"]);
    await grant("USER", user.userId, code, ["first"]);
    await grant("USER", user.userId, code, ["second"]);
    assert.deepEqual(summary(await grantsOf("USER", user.userId)), [
      [otherCode, "DATA", ["keep"], "ALLOW"],
      [code, "DATA", ["second"], "ALLOW"],
    ]);
    assert.deepEqual(summary(await grantsOf("USER", other.userId)), [[code, "DATA", ["theirs"], "ALLOW"]]);
  });

  it("revokes only that grant with empty actions", async () => {
    const user = await newUser(ctx.client);
    const [code, otherCode] = [res(), res()];
    await grant("USER", user.userId, code, ["read"]);
    await grant("USER", user.userId, otherCode, ["read"]);
    await grant("USER", user.userId, code, []);
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId)), [otherCode]);
    assert.deepEqual(await targetsOf(code), { totalCount: 0, list: [] });
  });

  it("succeeds when revoking a grant that does not exist", async () => {
    const user = await newUser(ctx.client);
    await grant("USER", user.userId, res(), []);
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("keeps repeated actions once, in order", async () => {
    const user = await newUser(ctx.client);
    await grant("USER", user.userId, res(), ["b", "a", "b", "c", "a"]);
    assert.deepEqual((await grantsOf("USER", user.userId))[0].actions, ["b", "a", "c"]);
  });

  it("defaults the effect to ALLOW", async () => {
    const user = await newUser(ctx.client);
    await grant("USER", user.userId, res(), ["read"]);
    assert.deepEqual(
      (await grantsOf("USER", user.userId, { withDenied: true })).map((g) => g.effect),
      ["ALLOW"],
    );
  });

  it("treats a null effect as ALLOW", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    const item = grantItem("USER", user.userId, [{ ...resourceItem(code, ["read"]), effect: null }]);
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    assert.deepEqual(summary(await grantsOf("USER", user.userId)), [[code, "DATA", ["read"], "ALLOW"]]);
  });

  it("stores a DENY grant", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"], { effect: "DENY" });
    assert.deepEqual(summary(await grantsOf("USER", user.userId, { withDenied: true })), [
      [code, "DATA", ["read"], "DENY"],
    ]);
  });

  it("replaces the effect when authorizing again", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"], { effect: "DENY" });
    await grant("USER", user.userId, code, ["read"], { effect: "ALLOW" });
    assert.deepEqual(summary(await grantsOf("USER", user.userId, { withDenied: true })), [
      [code, "DATA", ["read"], "ALLOW"],
    ]);
  });

  it("accepts 10 items of 50 actions", async () => {
    const user = await newUser(ctx.client);
    const codes = Array.from({ length: 10 }, () => res());
    const many = Array.from({ length: 50 }, (_, i) => `act-${i}`);
    const list = codes.map((code) => grantItem("USER", user.userId, [resourceItem(code, many)]));
    assertSuccessFlag(await ctx.client.authorizeResources({ list, namespace: "default" }));
    const grants = await grantsOf("USER", user.userId);
    assert.deepEqual(grantCodes(grants).sort(), [...codes].sort());
    assert.ok(grants.every((g) => JSON.stringify(g.actions) === JSON.stringify(many)));
  });

  it("accepts every resource type", async () => {
    const user = await newUser(ctx.client);
    const item = grantItem(
      "USER",
      user.userId,
      TYPES.map((type) => resourceItem(`${res()}-${type}`, ["x"], type)),
    );
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    assert.deepEqual((await grantsOf("USER", user.userId)).map((g) => g.resourceType).sort(), [...TYPES].sort());
  });

  // ---- errors: nothing is stored

  it("does not find an unknown namespace", async () => {
    const user = await newUser(ctx.client);
    const item = grantItem("USER", user.userId, [resourceItem(res(), ["read"])]);
    const resp = await ctx.client.authorizeResources({ list: [item], namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  for (const [label, list] of Object.entries({ missing: undefined, empty: [] })) {
    it(`rejects a ${label} list`, async () => {
      assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 400, "参数 list 格式错误");
    });
  }

  it("rejects more than 10 items", async () => {
    const user = await newUser(ctx.client);
    const list = Array.from({ length: 11 }, () => grantItem("USER", user.userId, [resourceItem(res(), ["read"])]));
    assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 400, "参数 list 格式错误");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  const resourceChange = (resource) => () => ({ resources: [resource] });
  const MALFORMED = {
    "an unknown targetType": () => ({ targetType: "APPLICATION" }),
    "no targetType": () => ({ targetType: undefined }),
    "no targetIdentifiers": () => ({ targetIdentifiers: [] }),
    "101 targetIdentifiers": (user) => ({ targetIdentifiers: Array(101).fill(user.userId) }),
    "no resources": () => ({ resources: [] }),
    "51 resources": () => ({ resources: Array.from({ length: 51 }, () => resourceItem(res(), ["read"])) }),
    "a resource without code": resourceChange({ actions: ["read"], resourceType: "DATA" }),
    "a resource with an empty code": resourceChange({ code: "", actions: ["read"], resourceType: "DATA" }),
    "actions that are not an array": resourceChange({ code: "books:1", actions: "read", resourceType: "DATA" }),
    "no actions": resourceChange({ code: "books:1", resourceType: "DATA" }),
    "51 actions": resourceChange({
      code: "books:1",
      actions: Array.from({ length: 51 }, (_, i) => `a${i}`),
      resourceType: "DATA",
    }),
    "an unknown resourceType": resourceChange({ code: "books:1", actions: ["read"], resourceType: "TABLE" }),
    "no resourceType": resourceChange({ code: "books:1", actions: ["read"] }),
    "an unknown effect": resourceChange({ code: "books:1", actions: ["read"], resourceType: "DATA", effect: "MAYBE" }),
  };
  for (const [label, change] of Object.entries(MALFORMED)) {
    it(`rejects an item with ${label} as a list error and stores nothing`, async () => {
      const user = await newUser(ctx.client);
      const item = { ...grantItem("USER", user.userId, [resourceItem(res(), ["read"])]), ...change(user) };
      const valid = grantItem("USER", user.userId, [resourceItem(res(), ["read"])]);
      const resp = await ctx.client.authorizeResources({ list: [valid, item], namespace: "default" });
      assertError(resp, 400, "参数 list 格式错误");
      assert.deepEqual(await grantsOf("USER", user.userId, { withDenied: true }), []);
    });
  }

  it("does not find an unknown user and grants nothing", async () => {
    const user = await newUser(ctx.client);
    const list = [
      grantItem("USER", user.userId, [resourceItem(res(), ["read"])]),
      grantItem("USER", ZERO_ID, [resourceItem(res(), ["read"])]),
    ];
    assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 404, "用户不存在");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("grants nothing when one target of an item is unknown", async () => {
    const user = await newUser(ctx.client);
    const item = grantItem("USER", [user.userId, uniqueCode("nobody")], [resourceItem(res(), ["read"])]);
    assertError(await ctx.client.authorizeResources({ list: [item], namespace: "default" }), 404, "用户不存在");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("does not find an unknown role", async () => {
    const item = grantItem("ROLE", uniqueCode("missing"), [resourceItem(res(), ["read"])]);
    assertError(await ctx.client.authorizeResources({ list: [item], namespace: "default" }), 404, "角色不存在");
  });

  it("does not find a role of another namespace", async () => {
    const role = await newRole(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const item = grantItem("ROLE", role.code, [resourceItem(res(), ["read"])]);
    assertError(await ctx.client.authorizeResources({ list: [item], namespace }), 404, "角色不存在");
    assert.deepEqual(await grantsOf("ROLE", role.code), []);
  });

  it("does not find an unknown group", async () => {
    const user = await newUser(ctx.client);
    const list = [
      grantItem("USER", user.userId, [resourceItem(res(), ["read"])]),
      grantItem("GROUP", uniqueCode("missing"), [resourceItem(res(), ["read"])]),
    ];
    assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 404, "分组不存在");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("does not find an unknown department", async () => {
    const user = await newUser(ctx.client);
    const list = [
      grantItem("USER", user.userId, [resourceItem(res(), ["read"])]),
      grantItem("DEPARTMENT", ZERO_ID, [resourceItem(res(), ["read"])]),
    ];
    assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 404, "部门不存在");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("does not replace an existing grant when the call fails", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    const list = [
      grantItem("USER", user.userId, [resourceItem(code, ["write"])]),
      grantItem("GROUP", uniqueCode("missing"), [resourceItem(code, ["write"])]),
    ];
    assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 404, "分组不存在");
    assert.deepEqual(summary(await grantsOf("USER", user.userId)), [[code, "DATA", ["read"], "ALLOW"]]);
  });

  it("does not revoke an existing grant when the call fails", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    const list = [
      grantItem("USER", user.userId, [resourceItem(code, [])]),
      grantItem("USER", user.userId, [resourceItem(res(), ["x"], "TABLE")]),
    ];
    assertError(await ctx.client.authorizeResources({ list, namespace: "default" }), 400, "参数 list 格式错误");
    assert.equal(await isAllowed(ctx.client, user.userId, "read", code), true);
  });
});

describe("getAuthorizedResources", () => {
  it("shows a grant without definition with a null apiIdentifier", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    const [item, ...rest] = await grantsOf("USER", user.userId);
    assert.deepEqual(rest, []);
    assert.deepEqual(summary([item]), [[code, "DATA", ["read"], "ALLOW"]]);
    assert.equal(item.apiIdentifier, null);
    assert.equal(item.description ?? null, null);
    assert.ok(!("condition" in item), JSON.stringify(item));
  });

  it("takes description and apiIdentifier from the definition of the code or its class", async () => {
    const user = await newUser(ctx.client);
    const code = res("books");
    assertOk(
      await ctx.client.createResource({ type: "API", code, description: "Books", apiIdentifier: "https://b.example" }),
    );
    await grant("USER", user.userId, code, ["read"]);
    await grant("USER", user.userId, `${code}:123`, ["read"]);
    assert.deepEqual(
      (await grantsOf("USER", user.userId)).map((g) => [g.resourceCode, g.description, g.apiIdentifier]),
      [
        [code, "Books", "https://b.example"],
        [`${code}:123`, "Books", "https://b.example"],
      ],
    );
  });

  it("ignores a definition of another namespace", async () => {
    const user = await newUser(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const code = res("books");
    assertOk(await ctx.client.createResource({ type: "API", code, apiIdentifier: "https://b.example", namespace }));
    await grant("USER", user.userId, code, ["read"]);
    assert.equal((await grantsOf("USER", user.userId))[0].apiIdentifier, null);
  });

  it("lists direct grants only", async () => {
    const [user, group, role] = [await newUser(ctx.client), await newGroupDto(ctx.client), await newRole(ctx.client)];
    const own = res();
    await grant("USER", user.userId, own, ["read"]);
    await joinGroup(group, user);
    await grant("GROUP", group.code, res(), ["read"]);
    await assign(role, userTarget(user));
    await grant("ROLE", role.code, res(), ["read"]);
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId)), [own]);
  });

  it("lists in grant creation order", async () => {
    const user = await newUser(ctx.client);
    const codes = ["z", "m", "a"].map((c) => res(`order-${c}`)); // creation order is not alphabetical
    for (const code of codes) await grant("USER", user.userId, code, ["read"]);
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId)), codes);
  });

  it("answers an empty page without grants", async () => {
    const user = await newUser(ctx.client);
    const data = assertOk(
      await ctx.client.getAuthorizedResources({ targetType: "USER", targetIdentifier: user.userId }),
    );
    assert.deepEqual(data, { totalCount: 0, list: [] });
  });

  it("lists the seed group developer", async () => {
    await grantsOf("GROUP", ctx.seed.groupCode, { namespace: "default" });
  });

  it("lists a role, a group and a department", async () => {
    const role = await newRole(ctx.client);
    const group = await newGroupDto(ctx.client);
    const department = await newDepartment(ctx.client, await newOrgDto());
    for (const [targetType, identifier] of [
      ["ROLE", role.code],
      ["GROUP", group.code],
      ["DEPARTMENT", department.departmentId],
    ]) {
      const code = res(targetType.toLowerCase());
      await grant(targetType, identifier, code, ["read"]);
      assert.deepEqual(grantCodes(await grantsOf(targetType, identifier)), [code]);
    }
  });

  it("filters by the grant's resource type, not the definition's", async () => {
    const user = await newUser(ctx.client);
    const [dataCode, apiCode] = [res(), res()];
    assertOk(await ctx.client.createResource({ type: "MENU", code: dataCode }));
    await grant("USER", user.userId, dataCode, ["read"], { resourceType: "DATA" });
    await grant("USER", user.userId, apiCode, ["read"], { resourceType: "API" });
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { resourceType: "DATA" })), [dataCode]);
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { resourceType: "API" })), [apiCode]);
    assert.deepEqual(await grantsOf("USER", user.userId, { resourceType: "MENU" }), []);
  });

  it("keeps grants whose code starts with a resourceList entry", async () => {
    const user = await newUser(ctx.client);
    const cls = res("books");
    const codes = [`${cls}:1`, `${cls}:12`, `${cls}:2`, `${cls}x:1`, cls];
    for (const code of codes) await grant("USER", user.userId, code, ["read"]);
    // The filter is a prefix of the grant code (semantics §5.2).
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { resourceList: [`${cls}:1`] })), [
      `${cls}:1`,
      `${cls}:12`,
    ]);
    assert.deepEqual(
      grantCodes(await grantsOf("USER", user.userId, { resourceList: [`${cls}:*`] })),
      codes.slice(0, 3),
    );
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { resourceList: [cls] })), codes);
  });

  it("unions the resourceList entries", async () => {
    const user = await newUser(ctx.client);
    const [books, pens, cups] = [res("books"), res("pens"), res("cups")];
    for (const code of [`${books}:1`, `${pens}:1`, `${cups}:1`]) await grant("USER", user.userId, code, ["read"]);
    const found = await grantsOf("USER", user.userId, { resourceList: [`${books}:*`, `${cups}:*`] });
    assert.deepEqual(grantCodes(found), [`${books}:1`, `${cups}:1`]);
  });

  it("accepts 50 resourceList entries", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    const resourceList = [code, ...Array.from({ length: 49 }, () => res())];
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { resourceList })), [code]);
  });

  it("rejects more than 50 resourceList entries", async () => {
    const user = await newUser(ctx.client);
    const resp = await ctx.client.getAuthorizedResources({
      targetType: "USER",
      targetIdentifier: user.userId,
      resourceList: Array.from({ length: 51 }, () => res()),
    });
    assertError(resp, 400, "参数 resourceList 格式错误");
  });

  it("shows DENY grants only with withDenied", async () => {
    const user = await newUser(ctx.client);
    const [allowed, denied] = [res(), res()];
    await grant("USER", user.userId, allowed, ["read"]);
    await grant("USER", user.userId, denied, ["read"], { effect: "DENY" });
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId)), [allowed]);
    assert.deepEqual(summary(await grantsOf("USER", user.userId, { withDenied: true })), [
      [allowed, "DATA", ["read"], "ALLOW"],
      [denied, "DATA", ["read"], "DENY"],
    ]);
  });

  it("lists the grants of the given namespace", async () => {
    const user = await newUser(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const [inDefault, inOther] = [res(), res()];
    await grant("USER", user.userId, inDefault, ["read"]);
    await grant("USER", user.userId, inOther, ["read"], { namespace });
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId)), [inDefault]);
    assert.deepEqual(grantCodes(await grantsOf("USER", user.userId, { namespace })), [inOther]);
  });

  for (const [label, identifier] of Object.entries({
    empty: "",
    "non-ascii": "额！ ",
    unknown: uniqueCode("missing"),
  })) {
    it(`does not find a ${label} group, naming it`, async () => {
      const resp = await ctx.client.getAuthorizedResources({
        targetType: "GROUP",
        targetIdentifier: identifier,
        namespace: "default",
      });
      assertError(resp, 404, `group not exists with code: ${identifier}`);
    });
  }

  it("does not find an unknown user, naming it", async () => {
    const resp = await ctx.client.getAuthorizedResources({ targetType: "USER", targetIdentifier: ZERO_ID });
    assertError(resp, 404, `user not exists with id: ${ZERO_ID}`);
  });

  it("does not find a role outside its namespace, naming it", async () => {
    const role = await newRole(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const resp = await ctx.client.getAuthorizedResources({
      targetType: "ROLE",
      targetIdentifier: role.code,
      namespace,
    });
    assertError(resp, 404, `role not exists with code: ${role.code}`);
  });

  it("does not find an unknown department, naming it", async () => {
    const resp = await ctx.client.getAuthorizedResources({ targetType: "DEPARTMENT", targetIdentifier: ZERO_ID });
    assertError(resp, 404, `department not exists with id: ${ZERO_ID}`);
  });

  it("rejects an unknown targetType", async () => {
    const user = await newUser(ctx.client);
    const resp = await ctx.client.getAuthorizedResources({ targetType: "APPLICATION", targetIdentifier: user.userId });
    assertError(resp, 400, "参数 targetType 格式错误");
  });

  it("rejects an unknown resourceType", async () => {
    const user = await newUser(ctx.client);
    const resp = await ctx.client.getAuthorizedResources({
      targetType: "USER",
      targetIdentifier: user.userId,
      resourceType: "TABLE",
    });
    assertError(resp, 400, "参数 resourceType 格式错误");
  });

  it("does not find an unknown namespace", async () => {
    const user = await newUser(ctx.client);
    const resp = await ctx.client.getAuthorizedResources({
      targetType: "USER",
      targetIdentifier: user.userId,
      namespace: uniqueCode("missing"),
    });
    assertError(resp, 404, "权限组不存在");
  });
});

describe("isActionAllowed", () => {
  it("allows a granted action", async () => {
    const user = await newUser(ctx.client);
    const code = `${res("books")}:123`;
    await grant("USER", user.userId, code, ["books:read"]);
    assert.equal(await isAllowed(ctx.client, user.userId, "books:read", code, "default"), true);
  });

  it("answers exactly the allowed flag", async () => {
    const user = await newUser(ctx.client);
    const data = assertOk(await ctx.client.isActionAllowed({ userId: user.userId, action: "read", resource: res() }));
    assert.deepEqual(data, { allowed: false });
  });

  it("refuses an action that was not granted", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    assert.equal(await isAllowed(ctx.client, user.userId, "write", code), false);
  });

  it("refuses an unknown resource without an error", async () => {
    const user = await newUser(ctx.client);
    assert.equal(await isAllowed(ctx.client, user.userId, "read", `${res("never")}:1`), false);
  });

  it("checks default without namespace", async () => {
    const user = await newUser(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const [inDefault, inOther] = [res(), res()];
    await grant("USER", user.userId, inDefault, ["read"]);
    await grant("USER", user.userId, inOther, ["read"], { namespace });
    assert.deepEqual(
      [
        await isAllowed(ctx.client, user.userId, "read", inDefault),
        await isAllowed(ctx.client, user.userId, "read", inOther),
        await isAllowed(ctx.client, user.userId, "read", inOther, namespace),
        await isAllowed(ctx.client, user.userId, "read", inDefault, namespace),
      ],
      [true, false, true, false],
    );
  });

  for (const field of ["userId", "action", "resource"]) {
    for (const [label, value] of Object.entries({ missing: undefined, empty: "" })) {
      it(`rejects a ${label} ${field}`, async () => {
        const user = await newUser(ctx.client);
        const body = { userId: user.userId, action: "read", resource: res(), [field]: value };
        assertError(await ctx.client.isActionAllowed(body), 400, `参数 ${field} 格式错误`);
      });
    }
  }

  it("does not find an unknown namespace", async () => {
    const user = await newUser(ctx.client);
    const resp = await ctx.client.isActionAllowed({
      userId: user.userId,
      action: "read",
      resource: "x",
      namespace: uniqueCode("missing"),
    });
    assertError(resp, 404, "权限组不存在");
  });

  it("does not find an unknown user", async () => {
    assertError(
      await ctx.client.isActionAllowed({ userId: ZERO_ID, action: "read", resource: "x" }),
      404,
      "用户不存在",
    );
  });

  it("ignores the user's status", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    assert.equal(
      assertOk(await ctx.client.updateUser({ userId: user.userId, status: "Suspended" })).status,
      "Suspended",
    );
    assert.equal(await isAllowed(ctx.client, user.userId, "read", code), true);
  });
});

describe("getResourceAuthorizedTargets", () => {
  it("lists each target with its identifier and actions", async () => {
    const [user, role, group] = [await newUser(ctx.client), await newRole(ctx.client), await newGroupDto(ctx.client)];
    const code = res();
    await grant("USER", user.userId, code, ["u1", "u2"]);
    await grant("ROLE", role.code, code, ["r"]);
    await grant("GROUP", group.code, code, ["g"]);
    const data = await targetsOf(code, { namespace: "default" });
    assert.equal(data.totalCount, 3);
    assert.deepEqual(
      sorted(data.list.map((t) => [t.targetType, t.targetIdentifier, t.actions])),
      sorted([
        ["USER", user.userId, ["u1", "u2"]],
        ["ROLE", role.code, ["r"]],
        ["GROUP", group.code, ["g"]],
      ]),
    );
  });

  it("lists a department by id", async () => {
    const department = await newDepartment(ctx.client, await newOrgDto());
    const code = res();
    await grant("DEPARTMENT", department.departmentId, code, ["read"]);
    assert.deepEqual((await targetsOf(code)).list, [
      { targetType: "DEPARTMENT", targetIdentifier: department.departmentId, actions: ["read"] },
    ]);
  });

  it("matches the code exactly, without wildcard expansion", async () => {
    const cls = res("books");
    const holders = {};
    for (const code of [cls, `${cls}:*`, `${cls}:1`, "*"]) {
      holders[code] = await newUser(ctx.client);
      await grant("USER", holders[code].userId, code, ["read"]);
    }
    for (const code of [cls, `${cls}:*`, `${cls}:1`]) {
      assert.deepEqual((await targetsOf(code)).list, [
        { targetType: "USER", targetIdentifier: holders[code].userId, actions: ["read"] },
      ]);
    }
  });

  it("does not list DENY grants", async () => {
    const [user, denied] = [await newUser(ctx.client), await newUser(ctx.client)];
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    await grant("USER", denied.userId, code, ["read"], { effect: "DENY" });
    assert.deepEqual(
      (await targetsOf(code)).list.map((t) => t.targetIdentifier),
      [user.userId],
    );
  });

  it("filters by targetType", async () => {
    const [user, role, group] = [await newUser(ctx.client), await newRole(ctx.client), await newGroupDto(ctx.client)];
    const code = res();
    const holders = [
      ["USER", user.userId],
      ["ROLE", role.code],
      ["GROUP", group.code],
    ];
    for (const [targetType, identifier] of holders) await grant(targetType, identifier, code, ["read"]);
    for (const [targetType, identifier] of holders) {
      const data = await targetsOf(code, { targetType });
      assert.equal(data.totalCount, 1);
      assert.deepEqual(
        data.list.map((t) => [t.targetType, t.targetIdentifier]),
        [[targetType, identifier]],
      );
    }
    assert.deepEqual(await targetsOf(code, { targetType: "DEPARTMENT" }), { totalCount: 0, list: [] });
  });

  it("pages through the targets", async () => {
    const code = res();
    const users = [];
    for (let i = 0; i < 12; i++) users.push(await newUser(ctx.client));
    const item = grantItem("USER", idsOf(users), [resourceItem(code, ["read"])]);
    assertSuccessFlag(await ctx.client.authorizeResources({ list: [item], namespace: "default" }));
    const first = await targetsOf(code);
    assert.deepEqual([first.totalCount, first.list.length], [12, 10]); // default limit 10
    const second = await targetsOf(code, { page: 2 });
    assert.deepEqual([second.totalCount, second.list.length], [12, 2]);
    const small = [];
    for (const page of [1, 2, 3]) small.push((await targetsOf(code, { page, limit: 5 })).list);
    assert.deepEqual(
      small.map((p) => p.length),
      [5, 5, 2],
    );
    assert.deepEqual(
      small
        .flat()
        .map((t) => t.targetIdentifier)
        .sort(),
      idsOf(users).sort(),
    );
  });

  it("looks in the given namespace", async () => {
    const user = await newUser(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"], { namespace });
    assert.deepEqual(await targetsOf(code), { totalCount: 0, list: [] });
    assert.equal((await targetsOf(code, { namespace })).totalCount, 1);
  });

  it("answers no targets for an unknown resource", async () => {
    assert.deepEqual(await targetsOf(res()), { totalCount: 0, list: [] });
  });

  it("rejects a missing resource", async () => {
    assertError(await ctx.client.getResourceAuthorizedTargets({}), 400, "参数 resource 格式错误");
  });

  it("does not find an unknown namespace", async () => {
    const resp = await ctx.client.getResourceAuthorizedTargets({ resource: res(), namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      const resp = await ctx.client.getResourceAuthorizedTargets({ resource: res(), page: 1, limit: 10, ...paging });
      assertError(resp, 400, `参数 ${field} 格式错误`);
    });
  }
});

describe("getUserAuthorizedResources", () => {
  it("unions own, group and role grants", async () => {
    const [user, group, role] = [await newUser(ctx.client), await newGroupDto(ctx.client), await newRole(ctx.client)];
    const [own, viaGroup, viaRole] = [res("own"), res("group"), res("role")];
    await grant("USER", user.userId, own, ["read"]);
    await grant("GROUP", group.code, viaGroup, ["read"]);
    await grant("ROLE", role.code, viaRole, ["read"]);
    await joinGroup(group, user);
    await assign(role, userTarget(user));
    const list = await userResources(user.userId);
    assert.deepEqual(grantCodes(list).sort(), [own, viaGroup, viaRole].sort());
    assert.ok(list.every((g) => g.effect === "ALLOW"));
  });

  it("unions department and department-role grants", async () => {
    const organization = await newOrgDto();
    const user = await newUser(ctx.client);
    const department = await newDepartment(ctx.client, organization);
    await joinDepartment(ctx.client, organization, department.departmentId, user);
    const role = await newRole(ctx.client);
    await assign(role, departmentTarget(department.departmentId));
    const [viaDepartment, viaRole] = [res("dept"), res("dept-role")];
    await grant("DEPARTMENT", department.departmentId, viaDepartment, ["read"]);
    await grant("ROLE", role.code, viaRole, ["read"]);
    assert.deepEqual(grantCodes(await userResources(user.userId)).sort(), [viaDepartment, viaRole].sort());
  });

  it("merges one code into one entry with the actions in first-seen order", async () => {
    const [user, group, role] = [await newUser(ctx.client), await newGroupDto(ctx.client), await newRole(ctx.client)];
    const code = res();
    await grant("USER", user.userId, code, ["a"]);
    await grant("ROLE", role.code, code, ["b", "a"]);
    await grant("GROUP", group.code, code, ["c", "b"]);
    await joinGroup(group, user);
    await assign(role, userTarget(user));
    assert.deepEqual(summary(await userResources(user.userId)), [[code, "DATA", ["a", "b", "c"], "ALLOW"]]);
  });

  it("merges in user, role, group, department order, with the first contributor's type", async () => {
    const organization = await newOrgDto();
    const [user, role, group] = [await newUser(ctx.client), await newRole(ctx.client), await newGroupDto(ctx.client)];
    const department = await newDepartment(ctx.client, organization);
    await joinDepartment(ctx.client, organization, department.departmentId, user);
    await joinGroup(group, user);
    await assign(role, userTarget(user));
    const code = res();
    // Granted in the reverse order, so that creation order cannot explain the result.
    await grant("DEPARTMENT", department.departmentId, code, ["d", "u"]);
    await grant("GROUP", group.code, code, ["g"]);
    await grant("ROLE", role.code, code, ["r"]);
    await grant("USER", user.userId, code, ["u"], { resourceType: "API" });
    assert.deepEqual(summary(await userResources(user.userId)), [[code, "API", ["u", "r", "g", "d"], "ALLOW"]]);
  });

  it("lists DENY grants apart", async () => {
    const [user, group] = [await newUser(ctx.client), await newGroupDto(ctx.client)];
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    await grant("GROUP", group.code, code, ["write"], { effect: "DENY" });
    await joinGroup(group, user);
    assert.deepEqual(sorted(summary(await userResources(user.userId))), [
      [code, "DATA", ["read"], "ALLOW"],
      [code, "DATA", ["write"], "DENY"],
    ]);
  });

  it("shows the definition fields", async () => {
    const user = await newUser(ctx.client);
    const code = res("books");
    assertOk(
      await ctx.client.createResource({ type: "API", code, description: "Books", apiIdentifier: "https://b.example" }),
    );
    await grant("USER", user.userId, `${code}:9`, ["read"]);
    assert.deepEqual(
      (await userResources(user.userId)).map((g) => [g.resourceCode, g.description, g.apiIdentifier]),
      [[`${code}:9`, "Books", "https://b.example"]],
    );
  });

  it("filters by resourceType", async () => {
    const user = await newUser(ctx.client);
    const [dataCode, apiCode] = [res(), res()];
    await grant("USER", user.userId, dataCode, ["read"]);
    await grant("USER", user.userId, apiCode, ["read"], { resourceType: "API" });
    assert.deepEqual(grantCodes(await userResources(user.userId, { resourceType: "API" })), [apiCode]);
  });

  it("looks in the given namespace", async () => {
    const user = await newUser(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    const code = res();
    await grant("ROLE", role.code, code, ["read"], { namespace });
    await assign(role, userTarget(user));
    assert.deepEqual(await userResources(user.userId), []);
    assert.deepEqual(grantCodes(await userResources(user.userId, { namespace })), [code]);
  });

  it("finds the user by email", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    assert.deepEqual(grantCodes(await userResources(user.email, { userIdType: "email" })), [code]);
  });

  it("answers an empty page without grants", async () => {
    const user = await newUser(ctx.client);
    assert.deepEqual(assertOk(await ctx.client.getUserAuthorizedResources({ userId: user.userId })), {
      totalCount: 0,
      list: [],
    });
  });

  it("rejects an empty userId", async () => {
    assertError(await ctx.client.getUserAuthorizedResources({ userId: "" }), 400, "参数 userId 格式错误");
  });

  it("does not find an unknown user", async () => {
    assertError(await ctx.client.getUserAuthorizedResources({ userId: "x".repeat(30) }), 404, "用户不存在");
  });

  it("does not find an unknown namespace", async () => {
    const user = await newUser(ctx.client);
    const resp = await ctx.client.getUserAuthorizedResources({ userId: user.userId, namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
  });
});

describe("getRoleAuthorizedResources", () => {
  it("lists the ALLOW grants of the role", async () => {
    const role = await newRole(ctx.client);
    const [code, denied] = [res("books"), res()];
    assertOk(await ctx.client.createResource({ type: "API", code, apiIdentifier: "https://b.example" }));
    await grant("ROLE", role.code, code, ["read", "write"], { resourceType: "API" });
    await grant("ROLE", role.code, `${code}:1`, ["read"]);
    await grant("ROLE", role.code, denied, ["read"], { effect: "DENY" });
    assert.deepEqual(await roleResources(role.code), [
      { resourceCode: code, resourceType: "API", actions: ["read", "write"], apiIdentifier: "https://b.example" },
      { resourceCode: `${code}:1`, resourceType: "DATA", actions: ["read"], apiIdentifier: "https://b.example" },
    ]);
  });

  it("shows a null apiIdentifier without a definition", async () => {
    const role = await newRole(ctx.client);
    await grant("ROLE", role.code, res(), ["read"]);
    assert.equal((await roleResources(role.code, { namespace: "default" }))[0].apiIdentifier, null);
  });

  it("lists a role of another namespace", async () => {
    const namespace = await newNamespace(ctx.client);
    const role = await newRole(ctx.client, { namespace });
    const code = res();
    await grant("ROLE", role.code, code, ["read"], { namespace });
    assert.deepEqual(grantCodes(await roleResources(role.code, { namespace })), [code]);
  });

  it("filters by resourceType", async () => {
    const role = await newRole(ctx.client);
    const [dataCode, menuCode] = [res(), res()];
    await grant("ROLE", role.code, dataCode, ["read"]);
    await grant("ROLE", role.code, menuCode, ["view"], { resourceType: "MENU" });
    assert.deepEqual(grantCodes(await roleResources(role.code, { resourceType: "MENU" })), [menuCode]);
  });

  it("answers an empty page without grants", async () => {
    const role = await newRole(ctx.client);
    assert.deepEqual(assertOk(await ctx.client.getRoleAuthorizedResources({ code: role.code })), {
      totalCount: 0,
      list: [],
    });
  });

  it("does not find an unknown role", async () => {
    assertError(await ctx.client.getRoleAuthorizedResources({ code: uniqueCode("missing") }), 404, "角色不存在");
  });

  it("does not find a role of another namespace", async () => {
    const role = await newRole(ctx.client);
    const namespace = await newNamespace(ctx.client);
    assertError(await ctx.client.getRoleAuthorizedResources({ code: role.code, namespace }), 404, "角色不存在");
  });

  it("does not find an unknown namespace", async () => {
    const role = await newRole(ctx.client);
    const resp = await ctx.client.getRoleAuthorizedResources({ code: role.code, namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
  });
});

describe("getGroupAuthorizedResources", () => {
  it("returns an array of the grants", async () => {
    const group = await newGroupDto(ctx.client);
    const code = res();
    await grant("GROUP", group.code, code, ["read"]);
    const data = assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code, namespace: "default" }));
    assert.ok(Array.isArray(data), JSON.stringify(data));
    assert.deepEqual(summary(data), [[code, "DATA", ["read"], "ALLOW"]]);
    assert.equal(data[0].apiIdentifier, null);
  });

  it("answers an empty array without grants", async () => {
    const group = await newGroupDto(ctx.client);
    assert.deepEqual(assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code })), []);
  });

  it("looks in the given namespace", async () => {
    const group = await newGroupDto(ctx.client);
    const namespace = await newNamespace(ctx.client);
    const [inDefault, inOther] = [res(), res()];
    await grant("GROUP", group.code, inDefault, ["read"]);
    await grant("GROUP", group.code, inOther, ["read"], { namespace });
    assert.deepEqual(grantCodes(assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code }))), [
      inDefault,
    ]);
    assert.deepEqual(
      grantCodes(assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code, namespace }))),
      [inOther],
    );
  });

  it("filters by resourceType", async () => {
    const group = await newGroupDto(ctx.client);
    const [dataCode, buttonCode] = [res(), res()];
    await grant("GROUP", group.code, dataCode, ["read"]);
    await grant("GROUP", group.code, buttonCode, ["click"], { resourceType: "BUTTON" });
    const data = assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code, resourceType: "BUTTON" }));
    assert.deepEqual(grantCodes(data), [buttonCode]);
  });

  it("does not find an unknown group", async () => {
    assertError(await ctx.client.getGroupAuthorizedResources({ code: uniqueCode("missing") }), 404, "分组不存在");
  });

  it("does not find an unknown namespace", async () => {
    const group = await newGroupDto(ctx.client);
    const resp = await ctx.client.getGroupAuthorizedResources({ code: group.code, namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
  });
});

describe("authorization pool isolation", () => {
  it("does not let another pool authorize a user of this pool", async () => {
    const user = await newUser(ctx.client);
    const item = grantItem("USER", user.userId, [resourceItem(res(), ["read"])]);
    assertError(await ctx.pool2Client.authorizeResources({ list: [item], namespace: "default" }), 404, "用户不存在");
    assert.deepEqual(await grantsOf("USER", user.userId), []);
  });

  it("does not let another pool check or list a user of this pool", async () => {
    const user = await newUser(ctx.client);
    const code = res();
    await grant("USER", user.userId, code, ["read"]);
    assertError(
      await ctx.pool2Client.isActionAllowed({ userId: user.userId, action: "read", resource: code }),
      404,
      "用户不存在",
    );
    assertError(await ctx.pool2Client.getUserAuthorizedResources({ userId: user.userId }), 404, "用户不存在");
    assertError(
      await ctx.pool2Client.getAuthorizedResources({ targetType: "USER", targetIdentifier: user.userId }),
      404,
      `user not exists with id: ${user.userId}`,
    );
    assert.deepEqual(assertOk(await ctx.pool2Client.getResourceAuthorizedTargets({ resource: code })), {
      totalCount: 0,
      list: [],
    });
  });

  it("keeps groups of the same code apart", async () => {
    const group = await newGroupDto(ctx.client);
    assertOk(await ctx.pool2Client.createGroup({ code: group.code, name: "pool 2", description: "" }));
    await authorize(ctx.pool2Client, "GROUP", group.code, res(), ["*"]);
    assert.deepEqual(assertOk(await ctx.client.getGroupAuthorizedResources({ code: group.code })), []);
  });
});
