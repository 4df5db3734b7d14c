"use strict";
// The seed data the official SDK specs assume in a pool (README §9), created by lib/seed.js.

const { it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const { assertOk, assertPage } = require("./lib/assertions");

const ctx = useServer();

it("seeding through the SDK succeeded", () => {
  assert.deepEqual(ctx.seed.errors, []);
});

it("group developer exists", async () => {
  assert.equal(assertOk(await ctx.client.getGroup({ code: "developer" })).code, "developer");
});

it("the root organization is found by searchOrganizations({keywords: 'root 用户池'})", async () => {
  const [first] = assertPage(assertOk(await ctx.client.searchOrganizations({ keywords: "root 用户池" })), 1);
  assert.equal(first.organizationCode, ctx.seed.organizationCode);
  assert.ok(first.organizationName.includes("root 用户池"));
  assert.ok(first.departmentId, "the root department id is used as parent by the department specs");
});

it("listOrganizations has at least one organization", async () => {
  assertPage(assertOk(await ctx.client.listOrganizations({ page: 1, limit: 1 })), 1);
});

it("a seed user has a username", async () => {
  const user = assertOk(await ctx.client.getUser({ userId: ctx.seed.username, userIdType: "username" }));
  assert.equal(user.username, ctx.seed.username);
});

it("several users exist", async () => {
  assertPage(assertOk(await ctx.client.listUsers({})), ctx.seed.userCount);
});
