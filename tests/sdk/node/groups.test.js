"use strict";
// Groups through authing-node-sdk: principals.md §3 and the groups/ rows of README §9.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const {
  LONG_CODE,
  INVALID_CODES,
  uniqueCode,
  uniqueEmail,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertErrorContains,
  assertPage,
  codesOf,
  idsOf,
} = require("./lib/assertions");

const ctx = useServer();

/** A fresh group (created like the SDK spec does: no `type`). */
async function newGroup(fields = {}) {
  const code = uniqueCode("grp");
  return assertOk(
    await ctx.client.createGroup({ code, name: `name ${code}`, description: `about ${code}`, ...fields }),
  );
}

async function newUsers(count = 2) {
  const users = [];
  for (let i = 0; i < count; i++) users.push(assertOk(await ctx.client.createUser({ email: uniqueEmail("member") })));
  return users;
}

async function groupExists(code) {
  const resp = await ctx.client.getGroup({ code });
  if (resp.statusCode === 404) return false;
  assertOk(resp);
  return true;
}

describe("createGroup", () => {
  it("echoes code, name and description", async () => {
    const code = uniqueCode("grp");
    const data = assertOk(await ctx.client.createGroup({ code, name: "分组", description: "desc" }));
    assert.deepEqual([data.code, data.name, data.description], [code, "分组", "desc"]);
    assert.ok(data.id);
  });

  it("defaults type to static", async () => {
    assert.equal((await newGroup()).type, "static");
  });

  it("rejects a duplicate code", async () => {
    const group = await newGroup();
    assertErrorContains(
      await ctx.client.createGroup({ code: group.code, name: "again", description: "" }),
      409,
      "分组标识符已存在",
    );
  });

  for (const [label, code] of Object.entries({ empty: "", "100-chars": LONG_CODE })) {
    it(`rejects a ${label} code as a format error`, async () => {
      assertErrorContains(
        await ctx.client.createGroup({ code, name: "x", description: "" }),
        400,
        "参数 code 格式错误",
      );
    });
  }

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} code as invalid`, async () => {
      assertError(
        await ctx.client.createGroup({ code, name: "x", description: "" }),
        400,
        `invalid group code: ${code}`,
      );
    });
  }

  it("rejects a missing name", async () => {
    assertError(await ctx.client.createGroup({ code: uniqueCode("grp"), description: "" }), 400, "参数 name 格式错误");
  });
});

describe("createGroupsBatch", () => {
  it("returns the groups in request order", async () => {
    const list = [0, 1].map((i) => ({ code: uniqueCode("gb"), name: `n${i}`, description: `d${i}` }));
    const data = assertOk(await ctx.client.createGroupsBatch({ list }));
    assert.deepEqual(
      data.map((g) => [g.code, g.name, g.description]),
      list.map((g) => [g.code, g.name, g.description]),
    );
  });

  it("rejects a batch of existing codes", async () => {
    const group = await newGroup();
    const resp = await ctx.client.createGroupsBatch({ list: [{ code: group.code, name: "a", description: "" }] });
    assertErrorContains(resp, 409, "分组标识符已存在");
  });

  it("creates nothing when one code exists", async () => {
    const group = await newGroup();
    const fresh = uniqueCode("gb");
    const list = [
      { code: group.code, name: "a", description: "" },
      { code: fresh, name: "b", description: "" },
    ];
    assertErrorContains(await ctx.client.createGroupsBatch({ list }), 409, "分组标识符已存在");
    assert.equal(await groupExists(fresh), false);
  });

  it("rejects a too long item code", async () => {
    const resp = await ctx.client.createGroupsBatch({ list: [{ code: LONG_CODE, name: "x", description: "" }] });
    assertErrorContains(resp, 400, "参数 list 格式错误");
  });
});

describe("getGroup", () => {
  it("returns the group", async () => {
    const group = await newGroup();
    const data = assertOk(await ctx.client.getGroup({ code: group.code }));
    assert.deepEqual(
      [data.id, data.code, data.name, data.description],
      [group.id, group.code, group.name, group.description],
    );
  });

  it("does not find an unknown code", async () => {
    assertError(await ctx.client.getGroup({ code: uniqueCode("missing") }), 404, "分组不存在");
  });
});

describe("updateGroup", () => {
  it("renames the code", async () => {
    const group = await newGroup();
    const newCode = uniqueCode("grp-new");
    const data = assertOk(await ctx.client.updateGroup({ code: group.code, newCode, name: "new", description: "d" }));
    assert.deepEqual([data.code, data.name, data.description], [newCode, "new", "d"]);
    assert.equal(await groupExists(group.code), false);
  });

  it("does not find an unknown group", async () => {
    assertError(
      await ctx.client.updateGroup({ code: uniqueCode("missing"), name: "x", description: "" }),
      404,
      "分组不存在",
    );
  });

  it("rejects a newCode already in use", async () => {
    const [group, other] = [await newGroup(), await newGroup()];
    const resp = await ctx.client.updateGroup({ code: group.code, newCode: other.code, description: "" });
    assertErrorContains(resp, 409, "分组标识符已存在");
  });

  it("keeps the members across a rename", async () => {
    const [group, users] = [await newGroup(), await newUsers()];
    assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
    const newCode = uniqueCode("grp-new");
    assertOk(await ctx.client.updateGroup({ code: group.code, newCode, description: "" }));
    assert.equal(assertOk(await ctx.client.listGroupMembers({ code: newCode })).totalCount, 2);
  });
});

describe("deleteGroupsBatch", () => {
  it("deletes the listed groups", async () => {
    const group = await newGroup();
    assertSuccessFlag(await ctx.client.deleteGroupsBatch({ codeList: [group.code] }));
    assert.equal(await groupExists(group.code), false);
  });

  it("ignores unknown codes", async () => {
    assertSuccessFlag(await ctx.client.deleteGroupsBatch({ codeList: [uniqueCode("missing")] }));
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.deleteGroupsBatch({ codeList: [] }), 400, "参数 codeList 格式错误");
  });
});

describe("listGroups / getAllGroups", () => {
  it("works without arguments", async () => {
    await newGroup();
    assertPage(assertOk(await ctx.client.listGroups({})), 1);
  });

  it("lists the newest first", async () => {
    const group = await newGroup();
    assert.deepEqual(codesOf(assertOk(await ctx.client.listGroups({ page: 1, limit: 1 })).list), [group.code]);
  });

  it("filters by keywords", async () => {
    const group = await newGroup();
    assert.deepEqual(codesOf(assertPage(assertOk(await ctx.client.listGroups({ keywords: group.code })), 1)), [
      group.code,
    ]);
  });

  it("rejects limit 100000", async () => {
    assertError(await ctx.client.listGroups({ limit: 100000 }), 400, "参数 limit 格式错误");
  });

  it("rejects page -1", async () => {
    assertError(await ctx.client.listGroups({ page: -1 }), 400, "参数 page 格式错误");
  });

  it("getAllGroups includes a new group", async () => {
    const group = await newGroup();
    assert.ok(codesOf(assertOk(await ctx.client.getAllGroups({}))).includes(group.code));
  });

  it("getAllGroups fills members when asked", async () => {
    const [group, users] = [await newGroup(), await newUsers()];
    assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
    const mine = assertOk(await ctx.client.getAllGroups({ fetchMembers: true })).find((g) => g.code === group.code);
    assert.deepEqual(idsOf(mine.members).sort(), idsOf(users).sort());
  });
});

describe("group members", () => {
  it("lists added members", async () => {
    const [group, users] = [await newGroup(), await newUsers()];
    assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
    const members = assertPage(assertOk(await ctx.client.listGroupMembers({ code: group.code })), 2);
    assert.deepEqual(idsOf(members).sort(), idsOf(users).sort());
  });

  it("ignores adding a member twice", async () => {
    const [group, [user]] = [await newGroup(), await newUsers(1)];
    for (let i = 0; i < 2; i++)
      assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: [user.userId] }));
    assert.equal(assertOk(await ctx.client.listGroupMembers({ code: group.code })).totalCount, 1);
  });

  it("lists the group for its member", async () => {
    const [group, [user]] = [await newGroup(), await newUsers(1)];
    assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: [user.userId] }));
    assert.deepEqual(codesOf(assertOk(await ctx.client.getUserGroups({ userId: user.userId })).list), [group.code]);
  });

  it("removes members", async () => {
    const [group, users] = [await newGroup(), await newUsers()];
    assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
    assertSuccessFlag(await ctx.client.removeGroupMembers({ code: group.code, userIds: [users[0].userId] }));
    assert.deepEqual(idsOf(assertOk(await ctx.client.listGroupMembers({ code: group.code })).list), [users[1].userId]);
  });

  for (const method of ["addGroupMembers", "removeGroupMembers"]) {
    it(`${method}: rejects an empty code`, async () => {
      const users = await newUsers(1);
      assertError(await ctx.client[method]({ code: "", userIds: idsOf(users) }), 400, "参数 code 格式错误");
    });

    it(`${method}: rejects an empty userIds`, async () => {
      const group = await newGroup();
      assertError(await ctx.client[method]({ code: group.code, userIds: [] }), 400, "参数 userIds 格式错误");
    });

    it(`${method}: does not find an unknown group`, async () => {
      const users = await newUsers(1);
      assertError(await ctx.client[method]({ code: uniqueCode("missing"), userIds: idsOf(users) }), 404, "分组不存在");
    });
  }

  it("addGroupMembers does not find an unknown user", async () => {
    const group = await newGroup();
    assertError(await ctx.client.addGroupMembers({ code: group.code, userIds: ["0".repeat(24)] }), 404, "用户不存在");
  });

  it("listGroupMembers paginates", async () => {
    const [group, users] = [await newGroup(), await newUsers()];
    assertSuccessFlag(await ctx.client.addGroupMembers({ code: group.code, userIds: idsOf(users) }));
    const data = assertOk(await ctx.client.listGroupMembers({ code: group.code, page: 2, limit: 1 }));
    assert.deepEqual([data.totalCount, data.list.length], [2, 1]);
  });

  it("listGroupMembers does not find an unknown group", async () => {
    assertError(await ctx.client.listGroupMembers({ code: uniqueCode("missing") }), 404, "分组不存在");
  });

  it("listGroupMembers rejects limit 10000", async () => {
    const group = await newGroup();
    assertError(await ctx.client.listGroupMembers({ code: group.code, limit: 10000 }), 400, "参数 limit 格式错误");
  });

  it("listGroupMembers rejects page -1", async () => {
    const group = await newGroup();
    assertError(await ctx.client.listGroupMembers({ code: group.code, page: -1 }), 400, "参数 page 格式错误");
  });
});
