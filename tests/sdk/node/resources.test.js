"use strict";
// Resource definitions through authing-node-sdk: resources.md §0–§11 and the resource/ rows of
// README §9. Grants are covered by authorization.test.js, their clean-up on deletion by
// scenarios.test.js.

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
  assertPage,
  codesOf,
  newUser,
  newNamespace,
  authorize,
  isAllowed,
  directGrants,
} = require("./lib/assertions");

const ctx = useServer();
const TYPES = ["DATA", "API", "MENU", "BUTTON", "UI"];
const RESOURCE_FIELDS = [
  "code",
  "description",
  "name",
  "type",
  "actions",
  "apiIdentifier",
  "namespace",
  "linkedToTenant",
];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX24 = /^[0-9a-f]{24}$/;
/** Anything deleteResource / deleteResourcesBatch must accept as a no-op (observed). */
const NO_OP_CODES = { ...INVALID_CODES, empty: "" };

/** ResourceAction[] with a description per action. */
const actions = (...names) => names.map((name) => ({ name, description: `can ${name}` }));
const manyActions = (count) => actions(...Array.from({ length: count }, (_, i) => `action-${i}`));

function assertResourceFields(item) {
  for (const field of RESOURCE_FIELDS) assert.ok(field in item, `missing ${field}: ${JSON.stringify(item)}`);
}

/** A fresh resource with two actions; resolves to the ResourceDto. */
async function newResource(fields = {}) {
  const code = uniqueCode("res");
  return assertOk(
    await ctx.client.createResource({
      type: "DATA",
      code,
      name: `name ${code}`,
      description: "fresh resource",
      actions: actions("read", "write"),
      apiIdentifier: `https://api.example.com/${code}`,
      ...fields,
    }),
  );
}

async function getResource(code, namespace) {
  return assertOk(await ctx.client.getResource({ code, namespace }));
}

async function resourceExists(code, namespace) {
  const resp = await ctx.client.getResource({ code, namespace });
  if (resp.statusCode === 404) {
    assertError(resp, 404, "资源不存在");
    return false;
  }
  assertOk(resp);
  return true;
}

async function commonResources(query = {}) {
  return assertPage(assertOk(await ctx.client.listCommonResource({ limit: 50, ...query })));
}

/** The server id of a resource (listCommonResource is the only listing that shows it). */
async function resourceId(code, namespace = "default") {
  const found = (await commonResources({ keyword: code, namespaceCodeList: namespace })).filter((r) => r.code === code);
  assert.equal(found.length, 1, `expected one resource ${code} in ${namespace}: ${JSON.stringify(found)}`);
  return found[0].id;
}

async function listCount(namespace) {
  return assertOk(await ctx.client.listResources({ namespace })).totalCount;
}

describe("createResource", () => {
  it("echoes every field", async () => {
    const code = uniqueCode("res");
    const data = assertOk(
      await ctx.client.createResource({
        type: "API",
        code,
        name: "资源名字",
        description: "desc",
        actions: actions("read", "books:edit"),
        apiIdentifier: "https://my-awesome-api.com/api",
        namespace: "default",
      }),
    );
    assert.deepEqual(data, {
      code,
      name: "资源名字",
      description: "desc",
      type: "API",
      actions: actions("read", "books:edit"),
      apiIdentifier: "https://my-awesome-api.com/api",
      namespace: "default",
      linkedToTenant: false,
    });
  });

  it("can be read back", async () => {
    const resource = await newResource();
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("defaults to the default namespace and no actions", async () => {
    const data = assertOk(await ctx.client.createResource({ type: "DATA", code: uniqueCode("res") }));
    assertResourceFields(data);
    assert.deepEqual([data.namespace, data.actions, data.linkedToTenant], ["default", [], false]);
  });

  it("gives an action without description an empty one", async () => {
    const data = assertOk(
      await ctx.client.createResource({ type: "DATA", code: uniqueCode("res"), actions: [{ name: "read" }] }),
    );
    assert.deepEqual(data.actions, [{ name: "read", description: "" }]);
  });

  it("keeps the first of repeated action names", async () => {
    const repeated = [
      { name: "read", description: "first" },
      { name: "read", description: "second" },
    ];
    const data = assertOk(
      await ctx.client.createResource({ type: "DATA", code: uniqueCode("res"), actions: repeated }),
    );
    assert.deepEqual(data.actions, [{ name: "read", description: "first" }]);
    assert.deepEqual((await getResource(data.code)).actions, [{ name: "read", description: "first" }]);
  });

  for (const type of TYPES) {
    it(`accepts type ${type}`, async () => {
      const data = assertOk(await ctx.client.createResource({ type, code: uniqueCode("res") }));
      assert.equal((await getResource(data.code)).type, type);
    });
  }

  it("creates the resource in another namespace only", async () => {
    const namespace = await newNamespace(ctx.client);
    const data = await newResource({ namespace });
    assert.equal(data.namespace, namespace);
    assert.equal((await getResource(data.code, namespace)).namespace, namespace);
    assert.equal(await resourceExists(data.code), false);
  });

  it("accepts the same code in two namespaces", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    const data = await newResource({ namespace, code: resource.code, description: "other" });
    assert.deepEqual([data.code, data.namespace], [resource.code, namespace]);
    assert.equal((await getResource(resource.code)).description, "fresh resource");
  });

  it("accepts a code of 64 characters", async () => {
    const code = uniqueCode("res").padEnd(64, "x");
    assert.equal(assertOk(await ctx.client.createResource({ type: "DATA", code })).code, code);
  });

  it("accepts letters, digits, dash, underscore, colon and dot", async () => {
    const code = `${uniqueCode("Res_09")}:v1.2`;
    assert.equal(assertOk(await ctx.client.createResource({ type: "DATA", code })).code, code);
    assert.equal(await resourceExists(code), true);
  });

  it("accepts 100 actions", async () => {
    const data = assertOk(
      await ctx.client.createResource({ type: "DATA", code: uniqueCode("res"), actions: manyActions(100) }),
    );
    assert.equal(data.actions.length, 100);
  });

  for (const [label, code] of Object.entries({ "100-chars": LONG_CODE, "65-chars": "r".repeat(65) })) {
    it(`rejects a ${label} code as a format error`, async () => {
      assertError(await ctx.client.createResource({ type: "DATA", code }), 400, "参数 code 格式错误");
      assert.equal(await resourceExists(code), false);
    });
  }

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} code as invalid`, async () => {
      assertError(await ctx.client.createResource({ type: "DATA", code }), 400, `invalid resource code: ${code}`);
    });
  }

  it("rejects the wildcard * as a definition code", async () => {
    assertError(await ctx.client.createResource({ type: "DATA", code: "*" }), 400, "invalid resource code: *");
    assert.equal(await resourceExists("*"), false);
  });

  it("accepts the other codes V2 reserved (semantics §10: only * stays refused)", async () => {
    const namespace = await newNamespace(ctx.client);
    const reserved = ["userpool", "user", "application", "role", "group", "org", "api", "resource-namespace"];
    for (const code of [...reserved, "custom-resource"]) {
      assert.equal(assertOk(await ctx.client.createResource({ type: "DATA", code, namespace })).code, code);
    }
  });

  it("accepts an empty code but stores nothing", async () => {
    const namespace = await newNamespace(ctx.client);
    const data = assertOk(await ctx.client.createResource({ type: "DATA", code: "", description: "ghost", namespace }));
    assert.deepEqual([data.code, data.description], ["", "ghost"]);
    assertError(await ctx.client.getResource({ code: "", namespace }), 404, "资源不存在");
    assert.equal(await listCount(namespace), 0);
  });

  it("rejects a missing type", async () => {
    const code = uniqueCode("res");
    assertError(await ctx.client.createResource({ code }), 400, "参数 type 格式错误");
    assert.equal(await resourceExists(code), false);
  });

  it("rejects an unknown type", async () => {
    const code = uniqueCode("res");
    assertError(await ctx.client.createResource({ type: "TABLE", code }), 400, "参数 type 格式错误");
    assert.equal(await resourceExists(code), false);
  });

  it("rejects more than 100 actions", async () => {
    const code = uniqueCode("res");
    const resp = await ctx.client.createResource({ type: "DATA", code, actions: manyActions(101) });
    assertError(resp, 400, "参数 actions 格式错误");
    assert.equal(await resourceExists(code), false);
  });

  it("does not find an unknown namespace", async () => {
    const code = uniqueCode("res");
    const resp = await ctx.client.createResource({ type: "DATA", code, namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
    assert.equal(await resourceExists(code), false);
  });

  it("rejects a duplicate code and keeps the original", async () => {
    const resource = await newResource();
    const resp = await ctx.client.createResource({ type: "API", code: resource.code, description: "replacement" });
    assertError(resp, 409, "资源已存在");
    assert.deepEqual(await getResource(resource.code), resource);
  });
});

describe("createResourcesBatch", () => {
  it("creates every item", async () => {
    const codes = [uniqueCode("rb"), uniqueCode("rb")];
    const list = [
      { code: codes[0], type: "MENU", name: "first", description: "d1", actions: actions("view") },
      { code: codes[1], type: "API", apiIdentifier: "https://api.example.com" },
    ];
    assertSuccessFlag(await ctx.client.createResourcesBatch({ list, namespace: "default" }));
    const [first, second] = assertOk(await ctx.client.getResourcesBatch({ codeList: codes }));
    assert.deepEqual(
      [first.type, first.name, first.description, first.actions],
      ["MENU", "first", "d1", actions("view")],
    );
    assert.deepEqual([second.type, second.apiIdentifier, second.actions], ["API", "https://api.example.com", []]);
  });

  it("defaults to the default namespace", async () => {
    const code = uniqueCode("rb");
    assertSuccessFlag(await ctx.client.createResourcesBatch({ list: [{ code, type: "DATA" }] }));
    assert.equal((await getResource(code)).namespace, "default");
  });

  it("uses one namespace for the whole batch", async () => {
    const namespace = await newNamespace(ctx.client);
    const codes = [uniqueCode("rb"), uniqueCode("rb")];
    assertSuccessFlag(
      await ctx.client.createResourcesBatch({ list: codes.map((code) => ({ code, type: "DATA" })), namespace }),
    );
    assert.deepEqual(codesOf(assertOk(await ctx.client.getResourcesBatch({ codeList: codes, namespace }))), codes);
    assert.deepEqual(assertOk(await ctx.client.getResourcesBatch({ codeList: codes })), []);
  });

  it("accepts 50 items", async () => {
    const namespace = await newNamespace(ctx.client);
    const list = Array.from({ length: 50 }, () => ({ code: uniqueCode("rb"), type: "DATA" }));
    assertSuccessFlag(await ctx.client.createResourcesBatch({ list, namespace }));
    assert.equal(await listCount(namespace), 50);
  });

  for (const [label, list] of Object.entries({ missing: undefined, empty: [] })) {
    it(`rejects a ${label} list`, async () => {
      assertError(await ctx.client.createResourcesBatch({ list }), 400, "参数 list 格式错误");
    });
  }

  it("rejects more than 50 items and creates nothing", async () => {
    const namespace = await newNamespace(ctx.client);
    const list = Array.from({ length: 51 }, () => ({ code: uniqueCode("rb"), type: "DATA" }));
    assertError(await ctx.client.createResourcesBatch({ list, namespace }), 400, "参数 list 格式错误");
    assert.equal(await listCount(namespace), 0);
  });

  it("answers an unknown error for an item without code and creates nothing", async () => {
    const fresh = uniqueCode("rb");
    const resp = await ctx.client.createResourcesBatch({ list: [{ code: fresh, type: "DATA" }, { type: "DATA" }] });
    assertError(resp, 500, "未知错误");
    assert.equal(await resourceExists(fresh), false);
  });

  for (const [label, code] of Object.entries({ ...INVALID_CODES, "100-chars": LONG_CODE })) {
    it(`rejects a ${label} item code and creates nothing`, async () => {
      const fresh = uniqueCode("rb");
      const list = [
        { code: fresh, type: "DATA" },
        { code, type: "DATA" },
      ];
      assertError(await ctx.client.createResourcesBatch({ list }), 400, `invalid resource code: ${code}`);
      assert.equal(await resourceExists(fresh), false);
    });
  }

  it("rejects an existing code and creates nothing", async () => {
    const resource = await newResource();
    const fresh = uniqueCode("rb");
    const list = [
      { code: fresh, type: "DATA" },
      { code: resource.code, type: "API" },
    ];
    assertError(await ctx.client.createResourcesBatch({ list }), 409, "资源已存在");
    assert.equal(await resourceExists(fresh), false);
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("rejects a code repeated inside the batch", async () => {
    const code = uniqueCode("rb");
    const list = [
      { code, type: "DATA" },
      { code, type: "API" },
    ];
    assertError(await ctx.client.createResourcesBatch({ list }), 409, "资源已存在");
    assert.equal(await resourceExists(code), false);
  });

  it("does not find an unknown namespace", async () => {
    const code = uniqueCode("rb");
    const resp = await ctx.client.createResourcesBatch({
      list: [{ code, type: "DATA" }],
      namespace: uniqueCode("missing"),
    });
    assertError(resp, 404, "权限组不存在");
    assert.equal(await resourceExists(code), false);
  });
});

describe("getResource", () => {
  it("returns the ResourceDto", async () => {
    const resource = await newResource();
    const data = await getResource(resource.code, "default");
    assertResourceFields(data);
    assert.deepEqual(
      [data.code, data.type, data.actions, data.namespace],
      [resource.code, "DATA", actions("read", "write"), "default"],
    );
  });

  it("does not find an unknown code", async () => {
    assertError(await ctx.client.getResource({ code: uniqueCode("missing") }), 404, "资源不存在");
  });

  for (const [label, code] of Object.entries({ ...INVALID_CODES, empty: "" })) {
    it(`does not find a ${label} code`, async () => {
      assertError(await ctx.client.getResource({ code }), 404, "资源不存在");
    });
  }

  it("rejects a missing code", async () => {
    assertError(await ctx.client.getResource({ code: undefined }), 400, "参数 code 格式错误");
  });

  it("does not find an unknown namespace", async () => {
    const resource = await newResource();
    assertError(
      await ctx.client.getResource({ code: resource.code, namespace: uniqueCode("missing") }),
      404,
      "权限组不存在",
    );
  });

  it("does not find a resource of another namespace", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    assertError(await ctx.client.getResource({ code: resource.code, namespace }), 404, "资源不存在");
  });

  it("looks codes up case-sensitively", async () => {
    const resource = await newResource();
    assertError(await ctx.client.getResource({ code: resource.code.toUpperCase() }), 404, "资源不存在");
  });
});

describe("getResourcesBatch", () => {
  it("returns the found resources in request order", async () => {
    const [first, second] = [await newResource(), await newResource()];
    assert.deepEqual(assertOk(await ctx.client.getResourcesBatch({ codeList: [second.code, first.code] })), [
      second,
      first,
    ]);
  });

  it("skips unknown and invalid codes", async () => {
    const resource = await newResource();
    const found = assertOk(await ctx.client.getResourcesBatch({ codeList: [uniqueCode("x"), "额！ ", resource.code] }));
    assert.deepEqual(codesOf(found), [resource.code]);
  });

  it("answers an empty array for unknown codes only", async () => {
    assert.deepEqual(assertOk(await ctx.client.getResourcesBatch({ codeList: [uniqueCode("missing"), "额！ "] })), []);
  });

  it("looks in the given namespace", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    const other = await newResource({ namespace });
    const found = assertOk(await ctx.client.getResourcesBatch({ codeList: [resource.code, other.code], namespace }));
    assert.deepEqual(codesOf(found), [other.code]);
  });

  it("rejects an empty list (axios sends nothing for [])", async () => {
    assertError(await ctx.client.getResourcesBatch({ codeList: [] }), 400, "参数 codeList 格式错误");
  });

  it("rejects more than 50 codes", async () => {
    const codeList = Array.from({ length: 51 }, () => uniqueCode("x"));
    assertError(await ctx.client.getResourcesBatch({ codeList }), 400, "参数 codeList 格式错误");
  });

  it("does not find an unknown namespace", async () => {
    const resource = await newResource();
    const resp = await ctx.client.getResourcesBatch({ codeList: [resource.code], namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
  });
});

describe("listResources", () => {
  it("lists the namespace, newest first", async () => {
    const namespace = await newNamespace(ctx.client);
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await newResource({ namespace })).code);
    const data = assertOk(await ctx.client.listResources({ namespace }));
    assert.equal(data.totalCount, 3);
    assert.deepEqual(codesOf(data.list), [...created].reverse());
    for (const item of data.list) {
      assertResourceFields(item);
      assert.equal(item.namespace, namespace);
    }
  });

  it("lists the default namespace without arguments", async () => {
    const resource = await newResource();
    const list = assertPage(assertOk(await ctx.client.listResources({})), 1);
    assert.ok(list.length <= 10);
    assert.ok(list.every((item) => item.namespace === "default"));
    assert.equal(list[0].code, resource.code);
  });

  it("does not list other namespaces", async () => {
    await newResource();
    const namespace = await newNamespace(ctx.client);
    assert.deepEqual(assertOk(await ctx.client.listResources({ namespace })), { totalCount: 0, list: [] });
  });

  it("filters by type", async () => {
    const namespace = await newNamespace(ctx.client);
    for (const type of TYPES) await newResource({ namespace, type });
    for (const type of TYPES) {
      const list = assertPage(assertOk(await ctx.client.listResources({ namespace, type })));
      assert.deepEqual(
        list.map((item) => item.type),
        [type],
      );
    }
  });

  it("returns pages that do not overlap", async () => {
    const namespace = await newNamespace(ctx.client);
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await newResource({ namespace })).code);
    const page1 = assertOk(await ctx.client.listResources({ namespace, page: 1, limit: 2 }));
    const page2 = assertOk(await ctx.client.listResources({ namespace, page: 2, limit: 2 }));
    assert.deepEqual([page1.totalCount, page2.totalCount, page1.list.length, page2.list.length], [3, 3, 2, 1]);
    assert.deepEqual([...codesOf(page1.list), ...codesOf(page2.list)], [...created].reverse());
  });

  it("answers an empty page past the end", async () => {
    const namespace = await newNamespace(ctx.client);
    await newResource({ namespace });
    assert.deepEqual(assertOk(await ctx.client.listResources({ namespace, page: 3, limit: 1 })), {
      totalCount: 1,
      list: [],
    });
  });

  it("rejects an unknown type", async () => {
    assertError(await ctx.client.listResources({ type: "TABLE" }), 400, "参数 type 格式错误");
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      assertError(await ctx.client.listResources({ page: 1, limit: 10, ...paging }), 400, `参数 ${field} 格式错误`);
    });
  }

  it("does not find an unknown namespace", async () => {
    assertError(await ctx.client.listResources({ namespace: uniqueCode("missing") }), 404, "权限组不存在");
  });
});

describe("listCommonResource", () => {
  it("lists the resources of every namespace with their CommonResourceDto fields", async () => {
    const namespace = await newNamespace(ctx.client);
    const marker = uniqueCode("common");
    const inDefault = await newResource({ code: `${marker}-a` });
    const inOther = await newResource({ namespace, code: `${marker}-b`, name: "other name" });
    const list = await commonResources({ keyword: marker });
    assert.deepEqual(list.map((r) => [r.code, r.namespace]).sort(), [
      [inDefault.code, "default"],
      [inOther.code, namespace],
    ]);
    for (const item of list) {
      assertResourceFields(item);
      assert.match(item.id, HEX24);
      assert.ok(Number.isInteger(item.namespaceId), JSON.stringify(item));
      assert.equal(item.userPoolId, ctx.pool1.userPoolId);
      assert.match(item.createdAt, ISO_MS);
      assert.match(item.updatedAt, ISO_MS);
    }
    const byNs = Object.fromEntries(list.map((item) => [item.namespace, item]));
    assert.equal(byNs[namespace].namespaceName, assertOk(await ctx.client.getNamespace({ code: namespace })).name);
    assert.notEqual(byNs.default.namespaceId, byNs[namespace].namespaceId);
    assert.equal(byNs[namespace].name, "other name");
  });

  it("matches the keyword against a code substring, case-insensitively", async () => {
    const resource = await newResource();
    assert.deepEqual(codesOf(await commonResources({ keyword: resource.code.slice(4).toUpperCase() })), [
      resource.code,
    ]);
  });

  it("matches the keyword against the name", async () => {
    const marker = uniqueCode("名字");
    const created = await newResource({ name: `named ${marker}` });
    assert.deepEqual(codesOf(await commonResources({ keyword: marker })), [created.code]);
  });

  it("takes namespaceCodeList as a comma-separated string", async () => {
    const marker = uniqueCode("ncl");
    const namespaces = [];
    for (let i = 0; i < 3; i++) namespaces.push(await newNamespace(ctx.client));
    for (const namespace of namespaces) await newResource({ namespace, code: `${marker}-${namespace}` });
    const list = await commonResources({ keyword: marker, namespaceCodeList: `${namespaces[0]},${namespaces[2]}` });
    assert.deepEqual(codesOf(list, "namespace").sort(), [namespaces[0], namespaces[2]].sort());
  });

  it("takes namespaceCodeList as a JSON array", async () => {
    const marker = uniqueCode("ncl");
    const namespaces = [await newNamespace(ctx.client), await newNamespace(ctx.client)];
    for (const namespace of namespaces) await newResource({ namespace, code: `${marker}-${namespace}` });
    const list = await commonResources({ keyword: marker, namespaceCodeList: JSON.stringify([namespaces[1]]) });
    assert.deepEqual(codesOf(list, "namespace"), [namespaces[1]]);
  });

  it("ignores unknown namespace codes", async () => {
    const namespace = await newNamespace(ctx.client);
    const created = await newResource({ namespace });
    const list = await commonResources({ namespaceCodeList: `${uniqueCode("missing")},${namespace}` });
    assert.deepEqual(codesOf(list), [created.code]);
  });

  it("paginates", async () => {
    const marker = uniqueCode("cpage");
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await newResource({ code: `${marker}-${i}` })).code);
    const page1 = assertOk(await ctx.client.listCommonResource({ keyword: marker, page: 1, limit: 2 }));
    const page2 = assertOk(await ctx.client.listCommonResource({ keyword: marker, page: 2, limit: 2 }));
    assert.deepEqual([page1.totalCount, page2.totalCount, page1.list.length, page2.list.length], [3, 3, 2, 1]);
    assert.deepEqual([...codesOf(page1.list), ...codesOf(page2.list)].sort(), [...created].sort());
  });

  it("works without arguments", async () => {
    await newResource();
    assert.ok(assertPage(assertOk(await ctx.client.listCommonResource({})), 1).length <= 10);
  });

  for (const [label, [paging, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      const resp = await ctx.client.listCommonResource({ page: 1, limit: 10, ...paging });
      assertError(resp, 400, `参数 ${field} 格式错误`);
    });
  }

  it("does not show resources of another pool", async () => {
    const resource = await newResource();
    const list = assertPage(assertOk(await ctx.pool2Client.listCommonResource({ keyword: resource.code })));
    assert.deepEqual(list, []);
  });
});

describe("updateResource", () => {
  it("replaces the given fields", async () => {
    const resource = await newResource();
    const data = assertOk(
      await ctx.client.updateResource({
        code: resource.code,
        name: "new name",
        description: "new description",
        apiIdentifier: "https://new.example.com",
        type: "BUTTON",
        actions: actions("click"),
      }),
    );
    const expected = {
      ...resource,
      name: "new name",
      description: "new description",
      apiIdentifier: "https://new.example.com",
      type: "BUTTON",
      actions: actions("click"),
    };
    assert.deepEqual(data, expected);
    assert.deepEqual(await getResource(resource.code), expected);
  });

  it("keeps the value of absent fields", async () => {
    const resource = await newResource();
    const data = assertOk(await ctx.client.updateResource({ code: resource.code, description: "only this" }));
    assert.deepEqual(data, { ...resource, description: "only this" });
    assert.deepEqual(await getResource(resource.code), { ...resource, description: "only this" });
  });

  it("replaces the whole action list", async () => {
    const resource = await newResource();
    const data = assertOk(
      await ctx.client.updateResource({ code: resource.code, actions: actions("write", "delete") }),
    );
    assert.deepEqual(data.actions, actions("write", "delete"));
  });

  it("clears the actions with an empty list", async () => {
    const resource = await newResource();
    assert.deepEqual(assertOk(await ctx.client.updateResource({ code: resource.code, actions: [] })).actions, []);
    assert.deepEqual((await getResource(resource.code)).actions, []);
  });

  it("updates in the given namespace only", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    await newResource({ namespace, code: resource.code });
    const data = assertOk(await ctx.client.updateResource({ code: resource.code, namespace, description: "ns only" }));
    assert.deepEqual([data.namespace, data.description], [namespace, "ns only"]);
    assert.deepEqual(await getResource(resource.code), resource);
    assert.equal((await getResource(resource.code, namespace)).description, "ns only");
  });

  it("does not find an unknown code", async () => {
    assertError(await ctx.client.updateResource({ code: uniqueCode("missing"), description: "x" }), 404, "资源不存在");
  });

  for (const [label, code] of Object.entries({ ...INVALID_CODES, empty: "" })) {
    it(`does not find a ${label} code`, async () => {
      assertError(await ctx.client.updateResource({ code, description: "x" }), 404, "资源不存在");
    });
  }

  it("does not find a resource of another namespace", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    assertError(
      await ctx.client.updateResource({ code: resource.code, namespace, description: "x" }),
      404,
      "资源不存在",
    );
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("does not find an unknown namespace", async () => {
    const resource = await newResource();
    const resp = await ctx.client.updateResource({
      code: resource.code,
      namespace: uniqueCode("no"),
      description: "x",
    });
    assertError(resp, 404, "权限组不存在");
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("rejects an unknown type and changes nothing", async () => {
    const resource = await newResource();
    const resp = await ctx.client.updateResource({ code: resource.code, type: "TABLE", description: "changed" });
    assertError(resp, 400, "参数 type 格式错误");
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("rejects more than 100 actions and changes nothing", async () => {
    const resource = await newResource();
    const resp = await ctx.client.updateResource({ code: resource.code, actions: manyActions(101) });
    assertError(resp, 400, "参数 actions 格式错误");
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("does not touch grants when the actions change", async () => {
    const resource = await newResource();
    const user = await newUser(ctx.client);
    await authorize(ctx.client, "USER", user.userId, resource.code, ["read"]);
    assertOk(await ctx.client.updateResource({ code: resource.code, actions: actions("write") }));
    assert.equal(await isAllowed(ctx.client, user.userId, "read", resource.code), true);
    assert.deepEqual(
      (await directGrants(ctx.client, "USER", user.userId)).map((g) => g.actions),
      [["read"]],
    );
  });
});

describe("deleteResource", () => {
  it("deletes the resource", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.client.deleteResource({ code: resource.code }));
    assert.equal(await resourceExists(resource.code), false);
  });

  it("lets the deleted code be created again", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.client.deleteResource({ code: resource.code, namespace: "default" }));
    assert.equal((await newResource({ code: resource.code, description: "again" })).description, "again");
  });

  it("succeeds twice", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.client.deleteResource({ code: resource.code }));
    assertSuccessFlag(await ctx.client.deleteResource({ code: resource.code }));
  });

  it("succeeds for an unknown code", async () => {
    assertSuccessFlag(await ctx.client.deleteResource({ code: uniqueCode("missing") }));
  });

  for (const [label, code] of Object.entries(NO_OP_CODES)) {
    it(`succeeds for a ${label} code`, async () => {
      assertSuccessFlag(await ctx.client.deleteResource({ code }));
    });
  }

  it("rejects a too long code", async () => {
    assertError(await ctx.client.deleteResource({ code: LONG_CODE }), 400, "参数 code 格式错误");
  });

  it("deletes in the given namespace only", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    await newResource({ namespace, code: resource.code });
    assertSuccessFlag(await ctx.client.deleteResource({ code: resource.code, namespace }));
    assert.equal(await resourceExists(resource.code, namespace), false);
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("does not find an unknown namespace", async () => {
    const resource = await newResource();
    const resp = await ctx.client.deleteResource({ code: resource.code, namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
    assert.equal(await resourceExists(resource.code), true);
  });
});

describe("deleteResourcesBatch", () => {
  it("deletes by code", async () => {
    const codes = [(await newResource()).code, (await newResource()).code];
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ codeList: codes }));
    assert.deepEqual(assertOk(await ctx.client.getResourcesBatch({ codeList: codes })), []);
  });

  it("deletes by id", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ ids: [await resourceId(resource.code)] }));
    assert.equal(await resourceExists(resource.code), false);
  });

  it("deletes the union of codes and ids", async () => {
    const namespace = await newNamespace(ctx.client);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await newResource({ namespace })).code);
    const [byCode, byId, both, kept] = codes;
    const ids = [await resourceId(byId, namespace), await resourceId(both, namespace)];
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ namespace, codeList: [byCode, both], ids }));
    assert.deepEqual(codesOf(assertOk(await ctx.client.listResources({ namespace })).list), [kept]);
  });

  it("does not delete ids of another namespace", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ namespace, ids: [await resourceId(resource.code)] }));
    assert.equal(await resourceExists(resource.code), true);
  });

  it("looks codes up in the given namespace", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ namespace, codeList: [resource.code] }));
    assert.equal(await resourceExists(resource.code), true);
  });

  for (const [label, code] of Object.entries({
    unknown: uniqueCode("missing"),
    ...NO_OP_CODES,
    "100-chars": LONG_CODE,
  })) {
    it(`accepts a ${label} code next to a real one`, async () => {
      const resource = await newResource();
      assertSuccessFlag(await ctx.client.deleteResourcesBatch({ codeList: [resource.code, code] }));
      assert.equal(await resourceExists(resource.code), false);
    });
  }

  it("skips unknown ids", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ ids: ["0".repeat(24), "not-an-id"] }));
    assert.equal(await resourceExists(resource.code), true);
  });

  it("does nothing without lists", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({}));
    assertSuccessFlag(await ctx.client.deleteResourcesBatch({ codeList: [], ids: [] }));
    assert.equal(await resourceExists(resource.code), true);
  });

  it("does not find an unknown namespace", async () => {
    const resource = await newResource();
    const resp = await ctx.client.deleteResourcesBatch({ namespace: uniqueCode("missing"), codeList: [resource.code] });
    assertError(resp, 404, "权限组不存在");
    assert.equal(await resourceExists(resource.code), true);
  });
});

describe("batchDeleteCommonResource", () => {
  it("deletes by id across namespaces", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    const other = await newResource({ namespace });
    const ids = [await resourceId(resource.code), await resourceId(other.code, namespace)];
    assertSuccessFlag(await ctx.client.batchDeleteCommonResource({ ids }));
    assert.deepEqual(
      [await resourceExists(resource.code), await resourceExists(other.code, namespace)],
      [false, false],
    );
  });

  it("skips unknown ids", async () => {
    const resource = await newResource();
    assertSuccessFlag(
      await ctx.client.batchDeleteCommonResource({ ids: ["0".repeat(24), await resourceId(resource.code)] }),
    );
    assert.equal(await resourceExists(resource.code), false);
  });

  for (const [label, ids] of Object.entries({ missing: undefined, empty: [] })) {
    it(`rejects ${label} ids`, async () => {
      assertError(await ctx.client.batchDeleteCommonResource({ ids }), 400, "参数 ids 格式错误");
    });
  }

  it("rejects more than 50 ids and deletes nothing", async () => {
    const resource = await newResource();
    const ids = [await resourceId(resource.code), ...Array(50).fill("0".repeat(24))];
    assertError(await ctx.client.batchDeleteCommonResource({ ids }), 400, "参数 ids 格式错误");
    assert.equal(await resourceExists(resource.code), true);
  });

  it("cannot delete a resource of another pool", async () => {
    const resource = await newResource();
    assertSuccessFlag(await ctx.pool2Client.batchDeleteCommonResource({ ids: [await resourceId(resource.code)] }));
    assert.deepEqual(await getResource(resource.code), resource);
  });
});

describe("associateTenantResource", () => {
  it("links and unlinks a resource of the default namespace", async () => {
    const resource = await newResource();
    const appId = uniqueCode("app"); // no namespace of that code: falls back to `default`
    assertSuccessFlag(await ctx.client.associateTenantResource({ code: resource.code, association: true, appId }));
    assert.equal((await getResource(resource.code)).linkedToTenant, true);
    assertSuccessFlag(await ctx.client.associateTenantResource({ code: resource.code, association: false, appId }));
    assert.equal((await getResource(resource.code)).linkedToTenant, false);
  });

  it("prefers the namespace named after the application", async () => {
    const resource = await newResource();
    const namespace = await newNamespace(ctx.client);
    await newResource({ namespace, code: resource.code });
    assertSuccessFlag(
      await ctx.client.associateTenantResource({
        code: resource.code,
        association: true,
        appId: namespace,
        tenantId: uniqueCode("tenant"),
      }),
    );
    assert.equal((await getResource(resource.code, namespace)).linkedToTenant, true);
    assert.equal((await getResource(resource.code)).linkedToTenant, false);
  });

  it("finds a resource that exists only in the application namespace", async () => {
    const namespace = await newNamespace(ctx.client);
    const created = await newResource({ namespace });
    assertSuccessFlag(
      await ctx.client.associateTenantResource({ code: created.code, association: true, appId: namespace }),
    );
    assert.equal((await getResource(created.code, namespace)).linkedToTenant, true);
  });

  it("shows linked resources as linked in listCommonResource", async () => {
    const resource = await newResource();
    assertSuccessFlag(
      await ctx.client.associateTenantResource({ code: resource.code, association: true, appId: uniqueCode("app") }),
    );
    assert.deepEqual(
      (await commonResources({ keyword: resource.code })).map((r) => r.linkedToTenant),
      [true],
    );
  });

  it("does not find an unknown resource", async () => {
    const resp = await ctx.client.associateTenantResource({
      code: uniqueCode("missing"),
      association: true,
      appId: "default",
    });
    assertError(resp, 404, "资源不存在");
  });

  for (const field of ["code", "association", "appId"]) {
    it(`rejects a missing ${field}`, async () => {
      const resource = await newResource();
      const body = { code: resource.code, association: true, appId: uniqueCode("app"), [field]: undefined };
      assertError(await ctx.client.associateTenantResource(body), 400, `参数 ${field} 格式错误`);
      assert.equal((await getResource(resource.code)).linkedToTenant, false);
    });
  }
});

describe("resource pool isolation", () => {
  it("hides the resource from another pool", async () => {
    const resource = await newResource();
    assertError(await ctx.pool2Client.getResource({ code: resource.code }), 404, "资源不存在");
    assert.deepEqual(assertOk(await ctx.pool2Client.getResourcesBatch({ codeList: [resource.code] })), []);
  });

  it("lets another pool use the same code", async () => {
    const resource = await newResource();
    const data = assertOk(
      await ctx.pool2Client.createResource({ type: "API", code: resource.code, description: "pool 2" }),
    );
    assert.equal(data.description, "pool 2");
    assert.deepEqual(await getResource(resource.code), resource);
  });

  it("does not let another pool update or delete it", async () => {
    const resource = await newResource();
    assertError(await ctx.pool2Client.updateResource({ code: resource.code, description: "x" }), 404, "资源不存在");
    assertSuccessFlag(await ctx.pool2Client.deleteResource({ code: resource.code }));
    assertSuccessFlag(await ctx.pool2Client.deleteResourcesBatch({ codeList: [resource.code] }));
    assert.deepEqual(await getResource(resource.code), resource);
  });
});
