"use strict";
// Namespaces ("permission groups") through authing-node-sdk: resources.md §12–20, README §8–9.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const {
  LONG_CODE,
  INVALID_CODES,
  EMPTY_AND_LONG,
  uniqueCode,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertPage,
  codesOf,
} = require("./lib/assertions");

const ctx = useServer();
const ANY_BAD_CODE = { ...INVALID_CODES, ...EMPTY_AND_LONG };

/** A fresh namespace {code, name, description}. */
async function newNamespace(fields = {}) {
  const code = uniqueCode("ns");
  return assertOk(
    await ctx.client.createNamespace({ code, name: `name of ${code}`, description: "fresh namespace", ...fields }),
  );
}

async function namespaceExists(code) {
  const resp = await ctx.client.getNamespace({ code });
  if (resp.statusCode === 404) return false;
  assertOk(resp);
  return true;
}

describe("createNamespace", () => {
  it("echoes code, name and description", async () => {
    const code = uniqueCode("ns");
    const data = assertOk(await ctx.client.createNamespace({ code, name: "权限分组名字", description: "desc" }));
    assert.deepEqual([data.code, data.name, data.description], [code, "权限分组名字", "desc"]);
  });

  it("can be read back", async () => {
    const { code } = await newNamespace({ name: "readable" });
    assert.equal(assertOk(await ctx.client.getNamespace({ code })).name, "readable");
  });

  it("defaults the name to the code", async () => {
    const code = uniqueCode("ns");
    assert.equal(assertOk(await ctx.client.createNamespace({ code })).name, code);
  });

  it("accepts a code of 64 characters", async () => {
    const code = uniqueCode("ns").padEnd(64, "x");
    assert.equal(assertOk(await ctx.client.createNamespace({ code })).code, code);
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} code as invalid`, async () => {
      assertError(await ctx.client.createNamespace({ code, name: "x" }), 400, `invalid namespace code: ${code}`);
    });
  }

  for (const [label, code] of Object.entries(EMPTY_AND_LONG)) {
    it(`rejects a ${label} code as a format error`, async () => {
      assertError(await ctx.client.createNamespace({ code, name: "x" }), 400, "参数 code 格式错误");
    });
  }

  it("rejects a code of 65 characters", async () => {
    assertError(await ctx.client.createNamespace({ code: "n".repeat(65) }), 400, "参数 code 格式错误");
  });

  it("rejects a duplicate code", async () => {
    const { code } = await newNamespace();
    assertError(await ctx.client.createNamespace({ code }), 409, "权限分组已存在");
  });

  it("rejects the code default, which always exists", async () => {
    assertError(await ctx.client.createNamespace({ code: "default" }), 409, "权限分组已存在");
  });
});

describe("createNamespacesBatch", () => {
  it("creates every item", async () => {
    const codes = [uniqueCode("nsb"), uniqueCode("nsb")];
    assertSuccessFlag(
      await ctx.client.createNamespacesBatch({ list: codes.map((code) => ({ code, name: `n-${code}` })) }),
    );
    const found = assertOk(await ctx.client.getNamespacesBatch({ codeList: codes }));
    assert.deepEqual(
      found.map((ns) => [ns.code, ns.name]),
      codes.map((c) => [c, `n-${c}`]),
    );
  });

  for (const [label, code] of Object.entries({ ...INVALID_CODES, "100-chars": LONG_CODE })) {
    it(`rejects a ${label} item code as invalid`, async () => {
      const resp = await ctx.client.createNamespacesBatch({ list: [{ code, name: "x" }] });
      assertError(resp, 400, `invalid namespace code: ${code}`);
    });
  }

  it("rejects an empty item code with the name message", async () => {
    const resp = await ctx.client.createNamespacesBatch({ list: [{ code: "", name: "x" }] });
    assertError(resp, 400, "namespace name must not be empty");
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.createNamespacesBatch({ list: [] }), 400, "参数 list 格式错误");
  });

  it("rejects more than 50 items", async () => {
    const list = Array.from({ length: 51 }, () => ({ code: uniqueCode("nsb") }));
    assertError(await ctx.client.createNamespacesBatch({ list }), 400, "参数 list 格式错误");
    assert.equal(await namespaceExists(list[0].code), false);
  });

  it("rejects an existing code and creates nothing", async () => {
    const existing = await newNamespace();
    const fresh = uniqueCode("nsb");
    const resp = await ctx.client.createNamespacesBatch({ list: [{ code: fresh }, { code: existing.code }] });
    assertError(resp, 409, "权限分组已存在");
    assert.equal(await namespaceExists(fresh), false);
  });

  it("rejects a code repeated inside the batch", async () => {
    const code = uniqueCode("nsb");
    assertError(await ctx.client.createNamespacesBatch({ list: [{ code }, { code }] }), 409, "权限分组已存在");
    assert.equal(await namespaceExists(code), false);
  });
});

describe("getNamespace", () => {
  it("returns code, name and description", async () => {
    const ns = await newNamespace();
    const data = assertOk(await ctx.client.getNamespace({ code: ns.code }));
    assert.deepEqual([data.code, data.name, data.description], [ns.code, ns.name, "fresh namespace"]);
  });

  it("finds default from the start, in the bootstrap pool and in a CLI-created pool", async () => {
    assert.equal(assertOk(await ctx.client.getNamespace({ code: "default" })).code, "default");
    assert.equal(assertOk(await ctx.pool2Client.getNamespace({ code: "default" })).code, "default");
  });

  it("does not find an unknown code", async () => {
    assertError(await ctx.client.getNamespace({ code: uniqueCode("missing") }), 404, "namespace not exists");
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`does not find a ${label} code`, async () => {
      assertError(await ctx.client.getNamespace({ code }), 404, "namespace not exists");
    });
  }

  for (const [label, code] of Object.entries(EMPTY_AND_LONG)) {
    it(`rejects a ${label} code as a format error`, async () => {
      assertError(await ctx.client.getNamespace({ code }), 400, "参数 code 格式错误");
    });
  }

  it("looks codes up case-sensitively", async () => {
    const ns = await newNamespace();
    assertError(await ctx.client.getNamespace({ code: ns.code.toUpperCase() }), 404, "namespace not exists");
  });
});

describe("getNamespacesBatch", () => {
  it("returns the found namespaces in request order", async () => {
    const [first, second] = [await newNamespace(), await newNamespace()];
    const found = assertOk(await ctx.client.getNamespacesBatch({ codeList: [second.code, first.code] }));
    assert.deepEqual(codesOf(found), [second.code, first.code]);
  });

  it("skips unknown codes", async () => {
    const ns = await newNamespace();
    const found = assertOk(await ctx.client.getNamespacesBatch({ codeList: [uniqueCode("missing"), ns.code] }));
    assert.deepEqual(codesOf(found), [ns.code]);
  });

  for (const [label, code] of Object.entries(ANY_BAD_CODE)) {
    it(`matches nothing for a list holding one ${label} code`, async () => {
      assert.deepEqual(assertOk(await ctx.client.getNamespacesBatch({ codeList: [code] })), []);
    });
  }

  it("rejects an empty list (axios sends nothing for [])", async () => {
    assertError(await ctx.client.getNamespacesBatch({ codeList: [] }), 400, "参数 codeList 格式错误");
  });

  it("rejects more than 50 codes", async () => {
    const codeList = Array.from({ length: 51 }, () => uniqueCode("x"));
    assertError(await ctx.client.getNamespacesBatch({ codeList }), 400, "参数 codeList 格式错误");
  });
});

describe("updateNamespace", () => {
  it("renames the code", async () => {
    const ns = await newNamespace();
    const newCode = uniqueCode("ns-new");
    const data = assertOk(await ctx.client.updateNamespace({ code: ns.code, name: "renamed", newCode }));
    assert.deepEqual([data.code, data.name], [newCode, "renamed"]);
  });

  it("makes the old code disappear after a rename", async () => {
    const ns = await newNamespace();
    const newCode = uniqueCode("ns-new");
    assertOk(await ctx.client.updateNamespace({ code: ns.code, newCode }));
    assertError(await ctx.client.getNamespace({ code: ns.code }), 404, "namespace not exists");
    assert.equal(assertOk(await ctx.client.getNamespace({ code: newCode })).name, ns.name);
  });

  it("updates the description only", async () => {
    const ns = await newNamespace();
    const data = assertOk(await ctx.client.updateNamespace({ code: ns.code, description: "new description" }));
    assert.deepEqual([data.code, data.name, data.description], [ns.code, ns.name, "new description"]);
  });

  it("keeps the code when newCode is empty", async () => {
    const ns = await newNamespace();
    const data = assertOk(await ctx.client.updateNamespace({ code: ns.code, name: "same code", newCode: "" }));
    assert.equal(data.code, ns.code);
  });

  for (const [label, newCode] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} newCode as invalid`, async () => {
      const ns = await newNamespace();
      assertError(
        await ctx.client.updateNamespace({ code: ns.code, newCode }),
        400,
        `invalid namespace code: ${newCode}`,
      );
    });
  }

  it("rejects a too long newCode", async () => {
    const ns = await newNamespace();
    assertError(await ctx.client.updateNamespace({ code: ns.code, newCode: LONG_CODE }), 400, "参数 newCode 格式错误");
  });

  it("does not find an unknown code", async () => {
    assertError(await ctx.client.updateNamespace({ code: uniqueCode("missing"), name: "x" }), 404, "权限组不存在");
  });

  it("rejects a newCode already in use", async () => {
    const [ns, other] = [await newNamespace(), await newNamespace()];
    assertError(await ctx.client.updateNamespace({ code: ns.code, newCode: other.code }), 409, "权限分组已存在");
  });

  it("refuses to rename default", async () => {
    const resp = await ctx.client.updateNamespace({ code: "default", newCode: uniqueCode("not-default") });
    assertError(resp, 422, "默认权限分组不可修改 code");
  });

  it("moves the namespace's roles along with a rename", async () => {
    const ns = await newNamespace();
    const role = uniqueCode("role");
    assertOk(await ctx.client.createRole({ code: role, namespace: ns.code }));
    const newCode = uniqueCode("ns-new");
    assertOk(await ctx.client.updateNamespace({ code: ns.code, newCode }));
    assert.equal(assertOk(await ctx.client.getRole({ code: role, namespace: newCode })).namespace, newCode);
  });
});

describe("deleteNamespace", () => {
  it("deletes an existing namespace", async () => {
    const ns = await newNamespace();
    assertSuccessFlag(await ctx.client.deleteNamespace({ code: ns.code }));
    assert.equal(await namespaceExists(ns.code), false);
  });

  it("answers not found the second time", async () => {
    const ns = await newNamespace();
    assertSuccessFlag(await ctx.client.deleteNamespace({ code: ns.code }));
    assertError(await ctx.client.deleteNamespace({ code: ns.code }), 404, "权限组不存在");
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`does not find a ${label} code`, async () => {
      assertError(await ctx.client.deleteNamespace({ code }), 404, "权限组不存在");
    });
  }

  for (const [label, code] of Object.entries(EMPTY_AND_LONG)) {
    it(`rejects a ${label} code as a format error`, async () => {
      assertError(await ctx.client.deleteNamespace({ code }), 400, "参数 code 格式错误");
    });
  }

  it("rejects a body without code (signed as path?)", async () => {
    assertError(await ctx.client.deleteNamespace({ code: undefined }), 400, "参数 code 格式错误");
  });

  it("refuses to delete default", async () => {
    assertError(await ctx.client.deleteNamespace({ code: "default" }), 422, "默认权限分组不可删除");
    assert.equal(await namespaceExists("default"), true);
  });
});

describe("deleteNamespacesBatch", () => {
  it("deletes every listed namespace", async () => {
    const codes = [(await newNamespace()).code, (await newNamespace()).code];
    assertSuccessFlag(await ctx.client.deleteNamespacesBatch({ codeList: codes }));
    assert.deepEqual([await namespaceExists(codes[0]), await namespaceExists(codes[1])], [false, false]);
  });

  for (const [label, code] of Object.entries(ANY_BAD_CODE)) {
    it(`skips a ${label} code`, async () => {
      assertSuccessFlag(await ctx.client.deleteNamespacesBatch({ codeList: [code] }));
    });
  }

  it("silently keeps default", async () => {
    const ns = await newNamespace();
    assertSuccessFlag(await ctx.client.deleteNamespacesBatch({ codeList: ["default", ns.code] }));
    assert.deepEqual([await namespaceExists("default"), await namespaceExists(ns.code)], [true, false]);
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.deleteNamespacesBatch({ codeList: [] }), 400, "参数 codeList 格式错误");
  });

  it("rejects more than 10 codes", async () => {
    const codeList = Array.from({ length: 11 }, () => uniqueCode("x"));
    assertError(await ctx.client.deleteNamespacesBatch({ codeList }), 400, "参数 codeList 格式错误");
  });
});

describe("listNamespaces", () => {
  it("includes default with status 1", async () => {
    const list = assertPage(assertOk(await ctx.client.listNamespaces({ keywords: "default", limit: 50 })), 1);
    const def = list.find((ns) => ns.code === "default");
    assert.ok(def, JSON.stringify(list));
    assert.equal(def.status, 1);
  });

  it("lists the newest first", async () => {
    const ns = await newNamespace();
    const list = assertPage(assertOk(await ctx.client.listNamespaces({ page: 1, limit: 1 })), 2);
    assert.deepEqual(codesOf(list), [ns.code]);
  });

  it("matches keywords against the code, case-insensitively", async () => {
    const ns = await newNamespace();
    const list = assertPage(assertOk(await ctx.client.listNamespaces({ keywords: ns.code.slice(3).toUpperCase() })), 1);
    assert.deepEqual(codesOf(list), [ns.code]);
  });

  it("matches keywords against the name", async () => {
    const marker = uniqueCode("名字");
    const ns = await newNamespace({ name: `named ${marker}` });
    const list = assertPage(assertOk(await ctx.client.listNamespaces({ keywords: marker })), 1);
    assert.deepEqual(codesOf(list), [ns.code]);
  });

  it("returns pages that do not overlap", async () => {
    const prefix = uniqueCode("page");
    const created = [];
    for (let i = 0; i < 3; i++)
      created.push(assertOk(await ctx.client.createNamespace({ code: `${prefix}-${i}` })).code);
    const page1 = assertOk(await ctx.client.listNamespaces({ page: 1, limit: 2, keywords: prefix }));
    const page2 = assertOk(await ctx.client.listNamespaces({ page: 2, limit: 2, keywords: prefix }));
    assert.deepEqual([page1.totalCount, page2.totalCount, page2.list.length], [3, 3, 1]);
    assert.deepEqual([...codesOf(page1.list), ...codesOf(page2.list)].sort(), created.sort());
  });

  for (const page of [0, -1]) {
    it(`rejects page ${page}`, async () => {
      assertError(await ctx.client.listNamespaces({ page, limit: 10 }), 400, "参数 page 格式错误");
    });
  }

  for (const limit of [0, -1, 51, 10000]) {
    it(`rejects limit ${limit}`, async () => {
      assertError(await ctx.client.listNamespaces({ page: 1, limit }), 400, "参数 limit 格式错误");
    });
  }
});

describe("listNamespaceRoles", () => {
  it("lists the roles of the namespace", async () => {
    const ns = await newNamespace();
    const roles = [uniqueCode("role"), uniqueCode("role")];
    for (const code of roles) assertOk(await ctx.client.createRole({ code, name: `name ${code}`, namespace: ns.code }));
    const list = assertPage(assertOk(await ctx.client.listNamespaceRoles({ code: ns.code })), 2);
    assert.deepEqual(codesOf(list).sort(), [...roles].sort());
    for (const item of list) {
      assert.equal(item.namespace, ns.code);
      assert.equal(item.name, `name ${item.code}`);
      assert.ok(item.id && item.updatedAt, JSON.stringify(item));
    }
  });

  it("does not list roles of other namespaces", async () => {
    const ns = await newNamespace();
    assertOk(await ctx.client.createRole({ code: uniqueCode("role-in-default") }));
    assert.deepEqual(assertOk(await ctx.client.listNamespaceRoles({ code: ns.code })), { totalCount: 0, list: [] });
  });

  it("filters by keywords", async () => {
    const ns = await newNamespace();
    const wanted = uniqueCode("wanted");
    assertOk(await ctx.client.createRole({ code: wanted, namespace: ns.code }));
    assertOk(await ctx.client.createRole({ code: uniqueCode("other"), namespace: ns.code }));
    const list = assertPage(assertOk(await ctx.client.listNamespaceRoles({ code: ns.code, keywords: "wanted" })));
    assert.deepEqual(codesOf(list), [wanted]);
  });

  it("does not find an unknown namespace", async () => {
    assertError(await ctx.client.listNamespaceRoles({ code: uniqueCode("missing") }), 404, "权限组不存在");
  });

  it("rejects a missing code", async () => {
    assertError(await ctx.client.listNamespaceRoles({ code: undefined }), 400, "参数 code 格式错误");
  });
});
