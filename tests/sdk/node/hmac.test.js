"use strict";
// HMAC-SHA1 request signatures (auth.md §B): error codes, replay protection, and the
// canonicalisation corner cases that the SDK itself produces.
// (The GenAuth Node SDK's `GenAuth AK:SIG` scheme is not on npm and is not exercised here.)

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { useServer, makeClient } = require("./lib/context");
const { signedRequest } = require("./lib/signing");
const { uniqueCode, assertOk, assertError, assertPage, codesOf, LONG_CODE } = require("./lib/assertions");

const ctx = useServer();
const LIST_NAMESPACES = { method: "GET", path: "/api/v3/list-namespaces", params: { page: 1, limit: 10 } };

/** A signed GET /api/v3/list-namespaces from pool 1, with per-test tweaks. */
function listNamespaces(overrides = {}) {
  return signedRequest({ host: ctx.host, key: ctx.pool1, ...LIST_NAMESPACES, ...overrides });
}

function freshNonce() {
  return crypto.randomBytes(16).toString("hex");
}

/** Auth failures: HTTP 200, statusCode 401 and the given apiCode in the envelope. */
function assertRejected({ status, body }, apiCode) {
  assert.equal(status, 200, `auth failures must use HTTP 200, got ${status}: ${JSON.stringify(body)}`);
  assert.equal(body.statusCode, 401, JSON.stringify(body));
  assert.ok(body.message, `a 401 needs a message: ${JSON.stringify(body)}`);
  assert.equal(body.data ?? null, null, JSON.stringify(body));
  if (apiCode === null) assert.ok(!("apiCode" in body), `expected no apiCode: ${JSON.stringify(body)}`);
  else assert.equal(body.apiCode, apiCode, JSON.stringify(body));
}

describe("signature verification", () => {
  it("accepts a request signed exactly like the SDK signs it", async () => {
    const { status, body } = await listNamespaces();
    assert.equal(status, 200);
    assertPage(assertOk(body), 1);
  });

  it("answers a wrong secret through the SDK with 401 / apiCode 1300 in an HTTP 200 envelope", async () => {
    // The SDK (axios) would throw on a non-2xx status, so getting an envelope back proves HTTP 200.
    const bad = makeClient({ accessKeyId: ctx.pool1.accessKeyId, accessKeySecret: "not-the-secret" }, ctx.host);
    assertError(await bad.listNamespaces({}), 401, "签名不合法", 1300);
  });

  it("rejects a wrong secret with 401 / apiCode 1300", async () => {
    assertRejected(await listNamespaces({ secret: "not-the-secret" }), 1300);
  });

  it("rejects an unknown access key with 401 / apiCode 1300", async () => {
    const unknown = { accessKeyId: "0123456789abcdef01234567", accessKeySecret: "whatever" };
    assertRejected(await listNamespaces({ key: unknown }), 1300);
  });

  it("rejects a request without authorization with 401 and no apiCode", async () => {
    assertRejected(await listNamespaces({ authorization: null }), null);
  });

  it("rejects a malformed authorization header with apiCode 1300", async () => {
    assertRejected(await listNamespaces({ authorization: "authing no-colon-here" }), 1300);
  });

  it("rejects a signature computed for other parameters with apiCode 1300", async () => {
    assertRejected(await listNamespaces({ params: { page: 2, limit: 10 }, signAs: { page: 1, limit: 10 } }), 1300);
  });

  it("rejects a POST whose body differs from the signed one with apiCode 1300", async () => {
    const forged = await signedRequest({
      host: ctx.host,
      key: ctx.pool1,
      method: "POST",
      path: "/api/v3/create-namespace",
      body: { code: uniqueCode("forged") },
      signAs: { code: uniqueCode("signed") },
    });
    assertRejected(forged, 1300);
  });

  it("rejects a signature method other than HMAC-SHA1 with apiCode 1301", async () => {
    assertRejected(await listNamespaces({ headers: { "x-authing-signature-method": "HMAC-SHA256" } }), 1301);
  });

  it("rejects a signature version other than 1.0 with apiCode 1302", async () => {
    assertRejected(await listNamespaces({ headers: { "x-authing-signature-version": "2.0" } }), 1302);
  });

  it("rejects a request without date with apiCode 1304", async () => {
    assertRejected(await listNamespaces({ headers: { date: undefined } }), 1304);
  });

  it("rejects an unparseable date with apiCode 1303", async () => {
    assertRejected(await listNamespaces({ headers: { date: "yesterday at noon" } }), 1303);
  });

  it("accepts a date given as Unix milliseconds", async () => {
    assertOk((await listNamespaces({ headers: { date: String(Date.now()) } })).body);
  });

  it("rejects a date 20 minutes old with apiCode 1305", async () => {
    const stale = new Date(Date.now() - 20 * 60_000).toUTCString();
    assertRejected(await listNamespaces({ headers: { date: stale } }), 1305);
  });

  it("rejects a date 20 minutes ahead with apiCode 1305", async () => {
    const ahead = new Date(Date.now() + 20 * 60_000).toUTCString();
    assertRejected(await listNamespaces({ headers: { date: ahead } }), 1305);
  });

  it("accepts a date 5 minutes off", async () => {
    const skewed = new Date(Date.now() - 5 * 60_000).toUTCString();
    assertOk((await listNamespaces({ headers: { date: skewed } })).body);
  });

  it("checks the signature before the clock: a forged stale request gets 1300", async () => {
    const stale = new Date(Date.now() - 20 * 60_000).toUTCString();
    assertRejected(await listNamespaces({ headers: { date: stale }, secret: "not-the-secret" }), 1300);
  });

  it("rejects a request without nonce with apiCode 1300", async () => {
    assertRejected(await listNamespaces({ headers: { "x-authing-signature-nonce": undefined } }), 1300);
  });
});

describe("replay protection", () => {
  it("rejects the same signed request sent twice with apiCode 1306", async () => {
    const headers = { "x-authing-signature-nonce": freshNonce(), date: new Date().toUTCString() };
    assertOk((await listNamespaces({ headers })).body);
    assertRejected(await listNamespaces({ headers }), 1306);
  });

  it("rejects a reused nonce even with a new date and signature", async () => {
    const nonce = freshNonce();
    assertOk((await listNamespaces({ headers: { "x-authing-signature-nonce": nonce } })).body);
    const later = new Date(Date.now() + 2000).toUTCString();
    assertRejected(await listNamespaces({ headers: { "x-authing-signature-nonce": nonce, date: later } }), 1306);
  });

  it("does not let a forged request burn a nonce", async () => {
    const nonce = freshNonce();
    assertRejected(await listNamespaces({ headers: { "x-authing-signature-nonce": nonce }, secret: "forged" }), 1300);
    assertOk((await listNamespaces({ headers: { "x-authing-signature-nonce": nonce } })).body);
  });

  it("keeps nonces per access key", async () => {
    const headers = { "x-authing-signature-nonce": freshNonce() };
    assertOk((await listNamespaces({ headers })).body);
    assertOk((await listNamespaces({ headers, key: ctx.pool2 })).body);
  });

  it("lets the SDK send many requests in a row (a new nonce each time)", async () => {
    for (let i = 0; i < 20; i++) assertOk(await ctx.client.getNamespace({ code: "default" }));
  });
});

describe("canonicalisation of what the SDK signs", () => {
  it("GET with an array parameter (codeList[]=a&codeList[]=b)", async () => {
    const codes = [uniqueCode("sig"), uniqueCode("sig")];
    for (const code of codes) assertOk(await ctx.client.createNamespace({ code }));
    assert.deepEqual(codesOf(assertOk(await ctx.client.getNamespacesBatch({ codeList: codes }))), codes);
  });

  it("GET with an empty array, which axios leaves out but the SDK signs as []", async () => {
    assertError(await ctx.client.getNamespacesBatch({ codeList: [] }), 400, "参数 codeList 格式错误");
  });

  it("GET with non-ASCII, spaces and URL-special characters in a value", async () => {
    assertError(await ctx.client.getNamespace({ code: "额 a+b&c=d?e/f%20" }), 404, "namespace not exists");
  });

  it("GET with defaults filled in by the SDK (page=1&limit=10)", async () => {
    assertPage(assertOk(await ctx.client.listNamespaces({})), 1);
  });

  it("POST with nested objects and escaped strings in the body", async () => {
    const list = [
      { code: uniqueCode("sig"), name: 'quote " backslash \\ tab \t 中文', description: "line\nbreak" },
      { code: uniqueCode("sig"), name: "emoji 🚪", description: "" },
    ];
    assertOk(await ctx.client.createNamespacesBatch({ list }));
    const found = assertOk(await ctx.client.getNamespacesBatch({ codeList: list.map((i) => i.code) }));
    assert.deepEqual(
      found.map((ns) => ns.name),
      list.map((i) => i.name),
    );
  });

  it("POST with numbers, booleans and null at the top level of the body", async () => {
    const code = uniqueCode("sig");
    const body = { code, name: "typed", description: null, someNumber: 1.5, bigNumber: 1e21, someFlag: true };
    const { status, body: resp } = await signedRequest({
      host: ctx.host,
      key: ctx.pool1,
      method: "POST",
      path: "/api/v3/create-namespace",
      body,
    });
    assert.equal(status, 200);
    assert.equal(assertOk(resp).code, code);
  });

  it("POST with an empty body {} (signed as the bare path)", async () => {
    assertError(await ctx.client.createNamespace({}), 400, "参数 code 格式错误");
  });

  it("POST whose members are all undefined (wire {} but signed as path?)", async () => {
    assertError(await ctx.client.deleteNamespace({ code: undefined }), 400, "参数 code 格式错误");
  });

  it("the tenantId option adds a signed x-authing-app-id header, which is accepted", async () => {
    const client = makeClient(ctx.pool1, ctx.host, { tenantId: "tenant-0001" });
    assertPage(assertOk(await client.listNamespaces({})), 1);
  });

  it("lang en-US is signed and selects English messages", async () => {
    const client = makeClient(ctx.pool1, ctx.host, { lang: "en-US" });
    assertError(await client.getNamespace({ code: LONG_CODE }), 400, "Invalid parameter: code");
  });
});
