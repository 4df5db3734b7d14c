"use strict";
// Users through authing-node-sdk: principals.md §1 and the users/ rows of README §9.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { useServer } = require("./lib/context");
const {
  BAD_PAGING,
  uniqueCode,
  uniqueEmail,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertPage,
  idsOf,
} = require("./lib/assertions");

const ctx = useServer();
const MISSING_USER_ID = "0".repeat(24);
const MUST_HAVE_IDENTIFIER = "Must contain one of the following fields: username, phone, email";

function uniquePhone() {
  return `139${crypto.randomInt(0, 1e8).toString().padStart(8, "0")}`;
}

/** A complete profile with unique username / email / phone / externalId. */
function newProfile() {
  return {
    username: uniqueCode("user"),
    email: uniqueEmail(),
    phone: uniquePhone(),
    phoneCountryCode: "+86",
    externalId: uniqueCode("ext"),
    name: "Full Name",
    nickname: "nick",
    gender: "M",
    emailVerified: true,
    phoneVerified: true,
  };
}

async function newUser(fields = { email: uniqueEmail() }) {
  return assertOk(await ctx.client.createUser(fields));
}

describe("createUser", () => {
  it("echoes the full profile", async () => {
    const profile = newProfile();
    const user = assertOk(await ctx.client.createUser(profile));
    assert.match(user.userId, /^[0-9a-f]{24}$/);
    assert.equal(user.status, "Activated");
    for (const [field, value] of Object.entries(profile)) assert.equal(user[field], value, field);
  });

  it("reports a user who never logged in", async () => {
    const user = await newUser();
    assert.deepEqual([user.loginsCount, user.lastLogin, user.lastIp], [0, null, null]);
  });

  it("gives a default photo", async () => {
    assert.ok((await newUser()).photo);
  });

  it("defaults gender to U and the verification flags to false", async () => {
    const user = await newUser();
    assert.deepEqual([user.gender, user.emailVerified, user.phoneVerified], ["U", false, false]);
  });

  it("echoes customData", async () => {
    const customData = { intro: "自我介绍", school: "pku", age: 30, graduted: true };
    assert.deepEqual((await newUser({ username: uniqueCode("user"), customData })).customData, customData);
  });

  it("stores the email lower-cased", async () => {
    const email = uniqueEmail("MiXeD");
    assert.equal((await newUser({ email: email.toUpperCase() })).email, email.toLowerCase());
  });

  it("never returns the password", async () => {
    const user = await newUser({ username: uniqueCode("user"), password: "s3cret-Passw0rd" });
    assert.ok(!("password" in user));
  });

  it("requires a username, phone or email", async () => {
    assertError(await ctx.client.createUser({ name: "nobody" }), 400, MUST_HAVE_IDENTIFIER);
  });

  it("requires an identifier even for an empty body", async () => {
    assertError(await ctx.client.createUser({}), 400, MUST_HAVE_IDENTIFIER);
  });

  it("rejects a malformed email", async () => {
    assertError(await ctx.client.createUser({ email: "test1@qqq" }), 400, "参数 email 格式错误");
  });

  it("rejects customData longer than 1024 characters", async () => {
    const resp = await ctx.client.createUser({ email: uniqueEmail(), customData: { intro: "hello".repeat(205) } });
    assertError(resp, 400, "customData must be less than 1024 characters");
  });

  it("rejects phoneCountryCode without phone", async () => {
    const resp = await ctx.client.createUser({ email: uniqueEmail(), phoneCountryCode: "+86" });
    assertError(resp, 400, "phone cannot be empty");
  });

  it("rejects an unknown gender", async () => {
    assertError(await ctx.client.createUser({ email: uniqueEmail(), gender: "X" }), 400, "参数 gender 格式错误");
  });

  for (const [field, message] of [
    ["username", "用户名已存在"],
    ["email", "邮箱已存在"],
    ["phone", "手机号已存在"],
    ["externalId", "externalId 已存在"],
  ]) {
    it(`rejects a duplicate ${field}`, async () => {
      const profile = newProfile();
      await newUser(profile);
      const duplicate = { username: uniqueCode("user"), name: "copy", [field]: profile[field] };
      assertError(await ctx.client.createUser(duplicate), 409, message);
    });
  }
});

describe("getUser", () => {
  for (const [userIdType, field] of [
    ["user_id", "userId"],
    ["username", "username"],
    ["email", "email"],
    ["phone", "phone"],
    ["external_id", "externalId"],
  ]) {
    it(`finds the user by ${userIdType}`, async () => {
      const profile = newProfile();
      const user = await newUser(profile);
      const found = assertOk(await ctx.client.getUser({ userId: user[field], userIdType }));
      assert.equal(found.userId, user.userId);
      assert.equal(found.status, "Activated");
      assert.ok(found.photo && found.externalId === profile.externalId);
    });
  }

  it("ignores the case of an email", async () => {
    const user = await newUser();
    const found = assertOk(await ctx.client.getUser({ userId: user.email.toUpperCase(), userIdType: "email" }));
    assert.equal(found.email, user.email.toLowerCase());
  });

  it("returns customData only when asked", async () => {
    const user = await newUser({ username: uniqueCode("user"), customData: { school: "mit" } });
    assert.ok(!assertOk(await ctx.client.getUser({ userId: user.userId, withCustomData: false })).customData);
    const withCustom = assertOk(await ctx.client.getUser({ userId: user.userId, withCustomData: true }));
    assert.deepEqual(withCustom.customData, { school: "mit" });
  });

  it("returns identities only when asked", async () => {
    const user = await newUser();
    assert.ok(!assertOk(await ctx.client.getUser({ userId: user.userId, withIdentities: false })).identities);
    assert.deepEqual(assertOk(await ctx.client.getUser({ userId: user.userId, withIdentities: true })).identities, []);
  });

  it("returns departmentIds when asked", async () => {
    const user = await newUser();
    const found = assertOk(await ctx.client.getUser({ userId: user.userId, withDepartmentIds: true }));
    assert.deepEqual(found.departmentIds, []);
  });

  for (const [userId, userIdType] of [
    ["test", "user_id"],
    ["212-456-1111", "phone"],
  ]) {
    it(`does not find ${userIdType} ${userId}`, async () => {
      assertError(await ctx.client.getUser({ userId, userIdType }), 404, "用户不存在");
    });
  }

  for (const [userId, userIdType] of [
    ["test#x.com", "email"],
    ["1234567890#", "phone"],
    ["", "user_id"],
  ]) {
    it(`rejects the malformed ${userIdType} ${JSON.stringify(userId)}`, async () => {
      assertError(await ctx.client.getUser({ userId, userIdType }), 400, "参数 userId 格式错误");
    });
  }

  it("rejects an unsupported userIdType", async () => {
    const user = await newUser();
    assertError(
      await ctx.client.getUser({ userId: user.userId, userIdType: "identity" }),
      400,
      "参数 userIdType 格式错误",
    );
  });
});

describe("getUserBatch", () => {
  it("returns the users in request order", async () => {
    const [first, second] = [await newUser(), await newUser()];
    const found = assertOk(await ctx.client.getUserBatch({ userIds: [second.userId, first.userId] }));
    assert.deepEqual(idsOf(found), [second.userId, first.userId]);
  });

  it("skips unknown ids", async () => {
    const user = await newUser();
    assert.deepEqual(idsOf(assertOk(await ctx.client.getUserBatch({ userIds: [MISSING_USER_ID, user.userId] }))), [
      user.userId,
    ]);
  });

  it("includes customData, identities and departmentIds when asked", async () => {
    const user = await newUser();
    const [found] = assertOk(
      await ctx.client.getUserBatch({
        userIds: [user.userId],
        withCustomData: true,
        withIdentities: true,
        withDepartmentIds: true,
      }),
    );
    assert.deepEqual([found.customData, found.identities, found.departmentIds], [{}, [], []]);
  });

  it("rejects an empty list (axios sends nothing for [])", async () => {
    assertError(await ctx.client.getUserBatch({ userIds: [] }), 400, "参数 userIds 格式错误");
  });
});

describe("listUsers", () => {
  it("lists users with customData, departmentIds and identities", async () => {
    const options = { withCustomData: true, withIdentities: true, withDepartmentIds: true };
    const list = assertPage(assertOk(await ctx.client.listUsers({ options })), 1);
    for (const field of ["customData", "departmentIds", "identities"]) assert.ok(field in list[0], field);
  });

  it("lists the newest first", async () => {
    const newest = await newUser();
    const list = assertOk(await ctx.client.listUsers({ options: { pagination: { page: 1, limit: 1 } } })).list;
    assert.deepEqual(idsOf(list), [newest.userId]);
  });

  it("searches keywords in the name", async () => {
    const marker = uniqueCode("kw");
    const user = await newUser({ email: uniqueEmail(), name: `Someone ${marker}` });
    assert.deepEqual(idsOf(assertPage(assertOk(await ctx.client.listUsers({ keywords: marker })), 1)), [user.userId]);
  });

  it("filters on username with advancedFilter", async () => {
    const user = await newUser({ username: uniqueCode("user") });
    const advancedFilter = [{ field: "username", operator: "EQUAL", value: user.username }];
    assert.deepEqual(idsOf(assertOk(await ctx.client.listUsers({ advancedFilter })).list), [user.userId]);
  });

  it("rejects page 0", async () => {
    assertError(await ctx.client.listUsers({ options: { pagination: { page: 0 } } }), 400, "参数 page 格式错误");
  });

  it("rejects limit 0", async () => {
    assertError(await ctx.client.listUsers({ options: { pagination: { limit: 0 } } }), 400, "参数 limit 格式错误");
  });

  it("rejects limit 220 with its own message", async () => {
    assertError(
      await ctx.client.listUsers({ options: { pagination: { limit: 220 } } }),
      400,
      "limit must less than 50",
    );
  });

  it("rejects an invalid status filter", async () => {
    const advancedFilter = [{ field: "status", operator: "EQUAL", value: "invalid" }];
    assertError(await ctx.client.listUsers({ advancedFilter }), 400, "参数 status 格式错误");
  });

  it("legacy GET form lists users", async () => {
    const data = assertOk(await ctx.client.listUsersLegacy({ page: 1, limit: 2 }));
    assert.equal(assertPage(data, 1).length, Math.min(2, data.totalCount));
  });
});

describe("updateUser", () => {
  it("sets the gender", async () => {
    const user = await newUser();
    assert.equal(assertOk(await ctx.client.updateUser({ userId: user.userId, gender: "M" })).gender, "M");
  });

  it("is a partial update", async () => {
    const profile = newProfile();
    const user = await newUser(profile);
    const updated = assertOk(await ctx.client.updateUser({ userId: user.userId, nickname: "new nick" }));
    assert.deepEqual(
      [updated.nickname, updated.email, updated.username],
      ["new nick", profile.email, profile.username],
    );
  });

  it("rejects an empty gender", async () => {
    // The SDK spec expects "参数 gender 格 格式错误", surely a typo (README §9).
    const user = await newUser();
    assertError(await ctx.client.updateUser({ userId: user.userId, gender: "" }), 400, "参数 gender 格式错误");
  });

  it("does not find an unknown user", async () => {
    assertError(await ctx.client.updateUser({ userId: MISSING_USER_ID, name: "ghost" }), 404, "用户不存在");
  });

  it("rejects a username taken by someone else", async () => {
    const [taken, other] = [await newUser({ username: uniqueCode("user") }), await newUser()];
    assertError(await ctx.client.updateUser({ userId: other.userId, username: taken.username }), 409, "用户名已存在");
  });
});

describe("deleteUsersBatch", () => {
  it("deletes the listed users", async () => {
    const user = await newUser();
    assertSuccessFlag(await ctx.client.deleteUsersBatch({ userIds: [user.userId] }));
    assertError(await ctx.client.getUser({ userId: user.userId }), 404, "用户不存在");
  });

  it("skips unknown ids", async () => {
    const user = await newUser();
    assertSuccessFlag(await ctx.client.deleteUsersBatch({ userIds: [MISSING_USER_ID, user.userId] }));
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.deleteUsersBatch({ userIds: [] }), 400, "参数 userIds 格式错误");
  });
});

describe("roles and groups of a user", () => {
  it("a new user has no roles", async () => {
    const user = await newUser();
    assert.deepEqual(assertOk(await ctx.client.getUserRoles({ userId: user.userId })), { totalCount: 0, list: [] });
  });

  it("a new user has no groups", async () => {
    const user = await newUser();
    assert.deepEqual(assertOk(await ctx.client.getUserGroups({ userId: user.userId })), { totalCount: 0, list: [] });
  });

  for (const method of ["getUserRoles", "getUserGroups"]) {
    it(`${method} rejects an empty userId`, async () => {
      assertError(await ctx.client[method]({ userId: "" }), 400, "参数 userId 格式错误");
    });

    it(`${method} does not find an unknown user`, async () => {
      assertError(await ctx.client[method]({ userId: MISSING_USER_ID }), 404, "用户不存在");
    });
  }

  it("getUserRoles does not find an unknown namespace", async () => {
    const user = await newUser();
    assertError(
      await ctx.client.getUserRoles({ userId: user.userId, namespace: uniqueCode("missing") }),
      404,
      "权限组不存在",
    );
  });
});

// create-users-batch (principals.md §1.2) -------------------------------------------------------

async function userCount() {
  return assertOk(await ctx.client.listUsers({ options: { pagination: { page: 1, limit: 1 } } })).totalCount;
}

/**
 * createUsersBatch fails with this error, the pool has as many users as before, and none of the
 * `fresh` items (whose username is new) can be found.
 */
async function assertBatchCreatesNothing(list, statusCode, message, fresh) {
  const before = await userCount();
  assertError(await ctx.client.createUsersBatch({ list }), statusCode, message);
  assert.equal(await userCount(), before, "a failed batch must create no user");
  for (const item of fresh) {
    assertError(await ctx.client.getUser({ userId: item.username, userIdType: "username" }), 404, "用户不存在");
  }
}

const DUPLICATES = [
  ["username", "用户名已存在"],
  ["email", "邮箱已存在"],
  ["phone", "手机号已存在"],
  ["externalId", "externalId 已存在"],
];

describe("createUsersBatch", () => {
  it("returns the users in request order, echoing their fields", async () => {
    const list = [newProfile(), newProfile(), newProfile()];
    const users = assertOk(await ctx.client.createUsersBatch({ list }));
    assert.equal(users.length, list.length);
    list.forEach((item, i) => {
      for (const [field, value] of Object.entries(item)) assert.equal(users[i][field], value, `${i}.${field}`);
      assert.match(users[i].userId, /^[0-9a-f]{24}$/);
      assert.equal(users[i].status, "Activated");
    });
  });

  it("stores the created users", async () => {
    const list = [newProfile(), newProfile()];
    const users = assertOk(await ctx.client.createUsersBatch({ list }));
    const found = assertOk(await ctx.client.getUserBatch({ userIds: idsOf(users) }));
    assert.deepEqual(
      found.map((u) => u.username),
      list.map((item) => item.username),
    );
  });

  it("echoes customData only for the items that sent it", async () => {
    const customData = { intro: "自我介绍", age: 30 };
    const list = [{ ...newProfile(), customData }, newProfile()];
    const users = assertOk(await ctx.client.createUsersBatch({ list }));
    assert.deepEqual(users[0].customData, customData);
    assert.ok(!("customData" in users[1]), JSON.stringify(users[1]));
  });

  it("accepts 50 items", async () => {
    const users = assertOk(await ctx.client.createUsersBatch({ list: Array.from({ length: 50 }, newProfile) }));
    assert.equal(new Set(idsOf(users)).size, 50);
  });

  for (const [field, message] of DUPLICATES) {
    it(`creates nothing when a ${field} belongs to a stored user`, async () => {
      const stored = newProfile();
      await newUser(stored);
      const fresh = newProfile();
      const duplicate = { username: uniqueCode("user"), [field]: stored[field] };
      await assertBatchCreatesNothing([fresh, duplicate], 409, message, [fresh]);
    });

    it(`creates nothing when a ${field} repeats within the batch`, async () => {
      const first = newProfile();
      const second = { ...newProfile(), [field]: first[field] };
      await assertBatchCreatesNothing([first, second], 409, message, [first]);
    });
  }

  it("creates nothing when an email repeats in another case within the batch", async () => {
    const first = newProfile();
    const second = { ...newProfile(), email: first.email.toUpperCase() };
    await assertBatchCreatesNothing([first, second], 409, "邮箱已存在", [first, second]);
  });

  it("creates nothing when an email is malformed", async () => {
    const [fresh, bad] = [newProfile(), { ...newProfile(), email: "test1@qqq" }];
    await assertBatchCreatesNothing([fresh, bad], 400, "参数 email 格式错误", [fresh, bad]);
  });

  it("creates nothing when an item has no username, phone or email", async () => {
    const fresh = newProfile();
    await assertBatchCreatesNothing([fresh, { name: "nobody" }], 400, MUST_HAVE_IDENTIFIER, [fresh]);
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.createUsersBatch({ list: [] }), 400, "参数 list 格式错误");
  });

  it("rejects more than 50 items", async () => {
    const list = Array.from({ length: 51 }, newProfile);
    await assertBatchCreatesNothing(list, 400, "参数 list 格式错误", list.slice(0, 1));
  });
});

// set-custom-fields (README §9: accepted) -------------------------------------------------------

describe("setCustomFields", () => {
  it("is accepted", async () => {
    const list = [
      { targetType: "USER", dataType: "STRING", key: "intro", label: "自我介绍" },
      {
        targetType: "USER",
        dataType: "ENUM",
        key: "school",
        label: "学校",
        options: [
          { label: "北京大学", value: "pku" },
          { label: "清华大学", value: "tsinghua" },
        ],
      },
    ];
    assertOk(await ctx.client.setCustomFields({ list }));
  });
});

// list-users, GET legacy form (principals.md §1.6) ----------------------------------------------

describe("listUsersLegacy", () => {
  it("returns ten users by default", async () => {
    const data = assertOk(await ctx.client.listUsersLegacy({}));
    assert.equal(assertPage(data, 1).length, Math.min(10, data.totalCount));
  });

  it("lists the newest first", async () => {
    const newest = await newUser();
    assert.deepEqual(idsOf(assertOk(await ctx.client.listUsersLegacy({ page: 1, limit: 1 })).list), [newest.userId]);
  });

  it("pages do not overlap", async () => {
    for (let i = 0; i < 4; i++) await newUser();
    const first = assertOk(await ctx.client.listUsersLegacy({ page: 1, limit: 2 }));
    const second = assertOk(await ctx.client.listUsersLegacy({ page: 2, limit: 2 }));
    assert.equal(first.totalCount, second.totalCount);
    assert.ok(first.totalCount >= 4, JSON.stringify(first));
    assert.equal(new Set(idsOf([...first.list, ...second.list])).size, 4);
  });

  it("a page past the end is empty", async () => {
    const data = assertOk(await ctx.client.listUsersLegacy({ page: 100000, limit: 50 }));
    assert.deepEqual(data.list, []);
    assert.ok(data.totalCount > 0, JSON.stringify(data));
  });

  it("filters on status", async () => {
    const suspended = await newUser({ email: uniqueEmail(), status: "Suspended" });
    const list = assertPage(assertOk(await ctx.client.listUsersLegacy({ status: "Suspended", limit: 50 })), 1);
    assert.ok(idsOf(list).includes(suspended.userId));
    assert.deepEqual([...new Set(list.map((u) => u.status))], ["Suspended"]);
  });

  it("the status filter leaves out other statuses", async () => {
    await newUser({ email: uniqueEmail(), status: "Suspended" });
    const list = assertPage(assertOk(await ctx.client.listUsersLegacy({ status: "Activated", limit: 50 })), 1);
    assert.deepEqual([...new Set(list.map((u) => u.status))], ["Activated"]);
  });

  it("rejects an unknown status", async () => {
    assertError(await ctx.client.listUsersLegacy({ status: "invalid" }), 400, "参数 status 格式错误");
  });

  it("leaves out customData, identities and departmentIds by default", async () => {
    await newUser();
    const [first] = assertOk(await ctx.client.listUsersLegacy({ page: 1, limit: 1 })).list;
    for (const field of ["customData", "identities", "departmentIds"]) assert.ok(!(field in first), field);
  });

  it("includes customData, identities and departmentIds when asked", async () => {
    await newUser({ email: uniqueEmail(), customData: { school: "pku" } });
    const flags = { withCustomData: true, withIdentities: true, withDepartmentIds: true };
    const [first] = assertOk(await ctx.client.listUsersLegacy({ page: 1, limit: 1, ...flags })).list;
    assert.deepEqual([first.customData, first.identities, first.departmentIds], [{ school: "pku" }, [], []]);
  });

  it("updatedAtStart in the future matches nothing", async () => {
    const updatedAtStart = Math.floor(Date.now() / 1000) + 3600;
    assert.deepEqual(assertOk(await ctx.client.listUsersLegacy({ updatedAtStart })), { totalCount: 0, list: [] });
  });

  for (const [label, [args, field]] of Object.entries(BAD_PAGING)) {
    it(`rejects ${label}`, async () => {
      assertError(await ctx.client.listUsersLegacy(args), 400, `参数 ${field} 格式错误`);
    });
  }
});
