"use strict";
// Per-file test context: a throwaway server with two pools and authing-node-sdk clients.
//
//   const ctx = useServer();
//   it("...", async () => { assertOk(await ctx.client.getNamespace({ code: "default" })); });
//
// useServer() registers top-level before/after hooks: the server starts before the file's
// first test and is stopped after its last one.

const { before, after } = require("node:test");
const { ManagementClient } = require("authing-node-sdk");
const { startServer } = require("./server");
const { seedPool } = require("./seed");

/** A ManagementClient for an access key; lang zh-CN (the SDK's default, made explicit). */
function makeClient(key, host, options = {}) {
  return new ManagementClient({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    host,
    lang: "zh-CN",
    ...options,
  });
}

function useServer() {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer();
    ctx.host = ctx.server.host;
    ctx.pool1 = ctx.server.pool1;
    ctx.pool2 = await ctx.server.createPool("sdk-tests-pool-2");
    ctx.client = makeClient(ctx.pool1, ctx.host);
    ctx.pool2Client = makeClient(ctx.pool2, ctx.host);
    ctx.seed = await seedPool(ctx.client);
  });
  after(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}

module.exports = { useServer, makeClient };
