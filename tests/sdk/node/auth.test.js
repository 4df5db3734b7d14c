"use strict";
// authing-node-sdk authentication at the SDK level, and user-pool isolation: the Node SDK
// sends no user-pool header, so the pool is the one bound to the access key (auth.md §B.1).

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer, makeClient } = require("./lib/context");
const { uniqueCode, uniqueEmail, assertOk, assertError, assertPage, codesOf } = require("./lib/assertions");

const ctx = useServer();

describe("access keys", () => {
  it("the bootstrap key of pool 1 is accepted", async () => {
    assertPage(assertOk(await ctx.client.listNamespaces({})), 1);
  });

  it("the key printed by `portcullis pool create` is accepted without a restart", async () => {
    assertPage(assertOk(await ctx.pool2Client.listNamespaces({})), 1);
  });

  it("a second pool created while the server runs is served at once", async () => {
    const pool3 = await ctx.server.createPool("sdk-tests-pool-3");
    const client = makeClient(pool3, ctx.host);
    assert.equal(assertOk(await client.getNamespace({ code: "default" })).code, "default");
  });

  it("the pool id printed by the CLI equals its access key id", () => {
    assert.equal(ctx.pool2.userPoolId, ctx.pool2.accessKeyId);
  });

  it("a wrong secret gets statusCode 401 / apiCode 1300", async () => {
    const bad = makeClient({ accessKeyId: ctx.pool1.accessKeyId, accessKeySecret: "not-the-secret" }, ctx.host);
    assertError(await bad.getNamespace({ code: "default" }), 401, "签名不合法", 1300);
  });

  it("pool 2's secret does not work with pool 1's key", async () => {
    const mixed = makeClient(
      { accessKeyId: ctx.pool1.accessKeyId, accessKeySecret: ctx.pool2.accessKeySecret },
      ctx.host,
    );
    assertError(await mixed.listNamespaces({}), 401, "签名不合法", 1300);
  });

  it("an unknown access key gets statusCode 401 / apiCode 1300", async () => {
    const unknown = makeClient({ accessKeyId: "0123456789abcdef01234567", accessKeySecret: "whatever" }, ctx.host);
    assertError(await unknown.listNamespaces({}), 401, "签名不合法", 1300);
  });
});

describe("pool isolation", () => {
  it("a namespace of pool 1 is not found from pool 2", async () => {
    const code = uniqueCode("iso-ns");
    assertOk(await ctx.client.createNamespace({ code }));
    assertError(await ctx.pool2Client.getNamespace({ code }), 404, "namespace not exists");
  });

  it("a namespace of pool 1 is neither listed nor batch-read in pool 2", async () => {
    const code = uniqueCode("iso-ns");
    assertOk(await ctx.client.createNamespace({ code }));
    const listed = assertOk(await ctx.pool2Client.listNamespaces({ keywords: code, limit: 50 }));
    assert.ok(!codesOf(listed.list).includes(code));
    assert.deepEqual(assertOk(await ctx.pool2Client.getNamespacesBatch({ codeList: [code] })), []);
  });

  it("a role of pool 1 is not found from pool 2", async () => {
    const code = uniqueCode("iso-role");
    assertOk(await ctx.client.createRole({ code }));
    assertError(await ctx.pool2Client.getRole({ code }), 404, "角色不存在");
  });

  it("a group of pool 1 is not found from pool 2", async () => {
    const code = uniqueCode("iso-group");
    assertOk(await ctx.client.createGroup({ code, name: "pool 1 group", description: "" }));
    assertError(await ctx.pool2Client.getGroup({ code }), 404, "分组不存在");
  });

  it("a user of pool 1 is not found from pool 2", async () => {
    const user = assertOk(await ctx.client.createUser({ email: uniqueEmail("iso") }));
    assertError(await ctx.pool2Client.getUser({ userId: user.userId }), 404, "用户不存在");
  });

  it("the seed group developer of pool 1 does not exist in pool 2", async () => {
    assertError(await ctx.pool2Client.getGroup({ code: ctx.seed.groupCode }), 404, "分组不存在");
  });

  it("the same code can be created in both pools", async () => {
    const code = uniqueCode("iso-both");
    assert.equal(assertOk(await ctx.client.createNamespace({ code, name: "one" })).name, "one");
    assert.equal(assertOk(await ctx.pool2Client.createNamespace({ code, name: "two" })).name, "two");
    assert.equal(assertOk(await ctx.client.getNamespace({ code })).name, "one");
  });

  it("deleting from pool 2 does not touch pool 1", async () => {
    const code = uniqueCode("iso-del");
    assertOk(await ctx.client.createNamespace({ code }));
    assertError(await ctx.pool2Client.deleteNamespace({ code }), 404, "权限组不存在");
    assert.equal(assertOk(await ctx.client.getNamespace({ code })).code, code);
  });

  it("a user of pool 1 cannot join a group of pool 2", async () => {
    const user = assertOk(await ctx.client.createUser({ email: uniqueEmail("iso-member") }));
    const code = uniqueCode("iso-g2");
    assertOk(await ctx.pool2Client.createGroup({ code, name: "pool 2 group", description: "" }));
    assertError(await ctx.pool2Client.addGroupMembers({ code, userIds: [user.userId] }), 404, "用户不存在");
  });
});
