"use strict";
// Roles through authing-node-sdk: principals.md §2 and the roles/ rows of README §9.

const { describe, it } = require("node:test");
const assert = require("node:assert/strict");
const { useServer } = require("./lib/context");
const {
  LONG_CODE,
  INVALID_CODES,
  EMPTY_AND_LONG,
  uniqueCode,
  uniqueEmail,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertPage,
  codesOf,
  idsOf,
  newOrganization,
  newDepartment,
  departmentTarget,
} = require("./lib/assertions");

const ctx = useServer();
const MISSING_USER = [{ targetType: "USER", targetIdentifier: "0".repeat(24) }];

/** A fresh role in the default namespace. */
async function newRole() {
  const code = uniqueCode("role");
  return assertOk(await ctx.client.createRole({ code, name: `name ${code}`, description: "fresh role" }));
}

async function newUsers(count = 2) {
  const users = [];
  for (let i = 0; i < count; i++) users.push(assertOk(await ctx.client.createUser({ email: uniqueEmail("member") })));
  return users;
}

const userTargets = (users) => users.map((u) => ({ targetType: "USER", targetIdentifier: u.userId }));

async function roleExists(code, namespace) {
  const resp = await ctx.client.getRole({ code, namespace });
  if (resp.statusCode === 404) return false;
  assertOk(resp);
  return true;
}

async function newNamespaceCode() {
  return assertOk(await ctx.client.createNamespace({ code: uniqueCode("ns") })).code;
}

describe("createRole", () => {
  it("echoes the role in the default namespace", async () => {
    const code = uniqueCode("role");
    const data = assertOk(await ctx.client.createRole({ code, name: "Role name", description: "desc" }));
    assert.deepEqual([data.code, data.name, data.description, data.namespace], [code, "Role name", "desc", "default"]);
    assert.ok(data.id);
  });

  it("accepts namespace default explicitly", async () => {
    assert.equal(
      assertOk(await ctx.client.createRole({ code: uniqueCode("role"), namespace: "default" })).namespace,
      "default",
    );
  });

  it("defaults the name to the code, the description to empty and the status to ENABLE", async () => {
    const code = uniqueCode("role");
    const data = assertOk(await ctx.client.createRole({ code }));
    assert.deepEqual([data.name, data.description, data.status], [code, "", "ENABLE"]);
  });

  it("creates the role in another namespace only", async () => {
    const namespace = await newNamespaceCode();
    const code = uniqueCode("role");
    assert.equal(assertOk(await ctx.client.createRole({ code, namespace })).namespace, namespace);
    assert.equal(await roleExists(code), false);
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} code as invalid`, async () => {
      assertError(await ctx.client.createRole({ code }), 400, `invalid role code: ${code}`);
    });
  }

  for (const [label, code] of Object.entries(EMPTY_AND_LONG)) {
    it(`rejects a ${label} code as a format error`, async () => {
      assertError(await ctx.client.createRole({ code }), 400, "参数 code 格式错误");
    });
  }

  it("does not find an unknown namespace", async () => {
    assertError(
      await ctx.client.createRole({ code: uniqueCode("role"), namespace: uniqueCode("missing") }),
      404,
      "权限组不存在",
    );
  });

  it("rejects a duplicate code", async () => {
    const role = await newRole();
    assertError(await ctx.client.createRole({ code: role.code }), 409, "角色已存在");
  });
});

describe("createRolesBatch", () => {
  it("creates every item", async () => {
    const codes = [uniqueCode("rb"), uniqueCode("rb")];
    assertSuccessFlag(await ctx.client.createRolesBatch({ list: codes.map((code) => ({ code, name: code })) }));
    assert.deepEqual([await roleExists(codes[0]), await roleExists(codes[1])], [true, true]);
  });

  for (const [label, code] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} item code as invalid`, async () => {
      assertError(await ctx.client.createRolesBatch({ list: [{ code }] }), 400, `invalid role code: ${code}`);
    });
  }

  it("rejects an empty item code", async () => {
    assertError(await ctx.client.createRolesBatch({ list: [{ code: "" }] }), 400, "role code must not empty");
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.createRolesBatch({ list: [] }), 400, "参数 list 格式错误");
  });

  it("creates nothing when one item is a duplicate", async () => {
    const role = await newRole();
    const fresh = uniqueCode("rb");
    assertError(await ctx.client.createRolesBatch({ list: [{ code: fresh }, { code: role.code }] }), 409, "角色已存在");
    assert.equal(await roleExists(fresh), false);
  });
});

describe("getRole", () => {
  it("reads the default namespace without one", async () => {
    const role = await newRole();
    const data = assertOk(await ctx.client.getRole({ code: role.code }));
    assert.deepEqual([data.code, data.namespace, data.description], [role.code, "default", "fresh role"]);
  });

  it("reads with an explicit namespace", async () => {
    const role = await newRole();
    assert.equal(assertOk(await ctx.client.getRole({ code: role.code, namespace: "default" })).id, role.id);
  });

  it("does not find an unknown code", async () => {
    assertError(await ctx.client.getRole({ code: uniqueCode("missing") }), 404, "角色不存在");
  });

  it("does not find an unknown namespace", async () => {
    const role = await newRole();
    assertError(await ctx.client.getRole({ code: role.code, namespace: uniqueCode("missing") }), 404, "权限组不存在");
  });
});

describe("updateRole", () => {
  it("renames the code without a name, like the SDK spec", async () => {
    const role = await newRole();
    const newCode = uniqueCode("role-new");
    assertSuccessFlag(
      await ctx.client.updateRole({ code: role.code, newCode, namespace: "default", description: "d2" }),
    );
    const data = assertOk(await ctx.client.getRole({ code: newCode }));
    assert.deepEqual([data.id, data.description], [role.id, "d2"]);
    assert.equal(await roleExists(role.code), false);
  });

  it("keeps the code when newCode is empty", async () => {
    const role = await newRole();
    assertSuccessFlag(await ctx.client.updateRole({ code: role.code, newCode: "", description: "kept" }));
    assert.equal(assertOk(await ctx.client.getRole({ code: role.code })).description, "kept");
  });

  for (const [label, newCode] of Object.entries(INVALID_CODES)) {
    it(`rejects a ${label} newCode as invalid`, async () => {
      const role = await newRole();
      assertError(await ctx.client.updateRole({ code: role.code, newCode }), 400, `invalid role code: ${newCode}`);
    });
  }

  it("rejects a too long newCode", async () => {
    const role = await newRole();
    assertError(await ctx.client.updateRole({ code: role.code, newCode: LONG_CODE }), 400, "参数 newCode 格式错误");
  });

  it("does not find an unknown role", async () => {
    assertError(await ctx.client.updateRole({ code: uniqueCode("missing"), name: "x" }), 404, "角色不存在");
  });

  it("rejects a newCode already in use", async () => {
    const [role, other] = [await newRole(), await newRole()];
    assertError(await ctx.client.updateRole({ code: role.code, newCode: other.code }), 409, "角色已存在");
  });
});

describe("deleteRolesBatch", () => {
  it("deletes the listed roles", async () => {
    const role = await newRole();
    assertSuccessFlag(await ctx.client.deleteRolesBatch({ codeList: [role.code] }));
    assert.equal(await roleExists(role.code), false);
  });

  it("does not find an unknown code and deletes nothing", async () => {
    const role = await newRole();
    assertError(await ctx.client.deleteRolesBatch({ codeList: [role.code, uniqueCode("missing")] }), 404, "角色不存在");
    assert.equal(await roleExists(role.code), true);
  });

  it("does not find an unknown namespace", async () => {
    const role = await newRole();
    const resp = await ctx.client.deleteRolesBatch({ codeList: [role.code], namespace: uniqueCode("missing") });
    assertError(resp, 404, "权限组不存在");
  });

  it("rejects an empty list", async () => {
    assertError(await ctx.client.deleteRolesBatch({ codeList: [] }), 400, "参数 codeList 格式错误");
  });
});

describe("listRoles", () => {
  it("lists roles of the default namespace (the SDK sends namespace=default itself)", async () => {
    await newRole();
    assertPage(assertOk(await ctx.client.listRoles({})), 1);
  });

  it("lists the newest first", async () => {
    const role = await newRole();
    assert.deepEqual(codesOf(assertOk(await ctx.client.listRoles({ page: 1, limit: 1 })).list), [role.code]);
  });

  it("filters by keywords", async () => {
    const role = await newRole();
    assert.deepEqual(codesOf(assertPage(assertOk(await ctx.client.listRoles({ keywords: role.code })), 1)), [
      role.code,
    ]);
  });

  it("does not find an unknown namespace", async () => {
    assertError(await ctx.client.listRoles({ namespace: uniqueCode("missing") }), 404, "权限组不存在");
  });

  it("rejects page -1", async () => {
    assertError(await ctx.client.listRoles({ page: -1 }), 400, "参数 page 格式错误");
  });

  for (const limit of [-1, 10000]) {
    it(`rejects limit ${limit}`, async () => {
      assertError(await ctx.client.listRoles({ limit }), 400, "参数 limit 格式错误");
    });
  }
});

describe("assignRole / revokeRole / listRoleMembers", () => {
  it("assigns users without namespace", async () => {
    const [role, users] = [await newRole(), await newUsers()];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets: userTargets(users) }));
    const members = assertPage(assertOk(await ctx.client.listRoleMembers({ code: role.code })), 2);
    assert.deepEqual(idsOf(members).sort(), idsOf(users).sort());
  });

  it("assigns users with namespace, twice (idempotent)", async () => {
    const [role, users] = [await newRole(), await newUsers()];
    for (let i = 0; i < 2; i++) {
      assertSuccessFlag(
        await ctx.client.assignRole({ code: role.code, namespace: "default", targets: userTargets(users) }),
      );
    }
    assert.equal(assertOk(await ctx.client.listRoleMembers({ code: role.code, namespace: "default" })).totalCount, 2);
  });

  it("lists the assigned role for the user", async () => {
    const [role, [user]] = [await newRole(), await newUsers(1)];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets: userTargets([user]) }));
    assert.deepEqual(codesOf(assertOk(await ctx.client.getUserRoles({ userId: user.userId })).list), [role.code]);
  });

  it("revokes an assignment", async () => {
    const [role, users] = [await newRole(), await newUsers()];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets: userTargets(users) }));
    assertSuccessFlag(await ctx.client.revokeRole({ code: role.code, targets: userTargets(users.slice(0, 1)) }));
    assert.deepEqual(idsOf(assertOk(await ctx.client.listRoleMembers({ code: role.code })).list), [users[1].userId]);
  });

  it("revoking something not assigned succeeds", async () => {
    const [role, users] = [await newRole(), await newUsers()];
    assertSuccessFlag(await ctx.client.revokeRole({ code: role.code, targets: userTargets(users) }));
  });

  for (const method of ["assignRole", "revokeRole"]) {
    it(`${method}: unknown role is not found`, async () => {
      const users = await newUsers(1);
      assertError(
        await ctx.client[method]({ code: uniqueCode("missing"), targets: userTargets(users) }),
        404,
        "角色不存在",
      );
    });

    it(`${method}: unknown namespace is not found`, async () => {
      const [role, users] = [await newRole(), await newUsers(1)];
      const resp = await ctx.client[method]({
        code: role.code,
        namespace: uniqueCode("missing"),
        targets: userTargets(users),
      });
      assertError(resp, 404, "权限组不存在");
    });

    it(`${method}: unknown user is not found`, async () => {
      const role = await newRole();
      assertError(await ctx.client[method]({ code: role.code, targets: MISSING_USER }), 404, "用户不存在");
    });

    it(`${method}: empty targets are rejected`, async () => {
      const role = await newRole();
      assertError(await ctx.client[method]({ code: role.code, targets: [] }), 400, "参数 targets 格式错误");
    });
  }

  it("listRoleMembers: a new role has no members", async () => {
    const role = await newRole();
    assert.deepEqual(assertOk(await ctx.client.listRoleMembers({ code: role.code })), { totalCount: 0, list: [] });
  });

  it("listRoleMembers: unknown role is not found", async () => {
    assertError(await ctx.client.listRoleMembers({ code: uniqueCode("missing") }), 404, "角色不存在");
  });

  it("listRoleMembers: unknown namespace is not found", async () => {
    const role = await newRole();
    assertError(
      await ctx.client.listRoleMembers({ code: role.code, namespace: uniqueCode("missing") }),
      404,
      "权限组不存在",
    );
  });
});

// assignRoleBatch / revokeRoleBatch (principals.md §2.8, §2.10) ---------------------------------

const MISSING_ID = "0".repeat(24);
/** Unknown things appended to otherwise valid targets / roles, by name: [targets, roles, message]. */
const UNKNOWN_REFERENCES = {
  "unknown role": [[], [{ code: uniqueCode("missing") }], "角色不存在"],
  "unknown namespace": [[], [{ code: "any-role", namespace: uniqueCode("missing") }], "权限组不存在"],
  "unknown user": [MISSING_USER, [], "用户不存在"],
  "unknown department": [[departmentTarget(MISSING_ID)], [], "部门不存在"],
};
const BATCH_METHODS = ["assignRoleBatch", "revokeRoleBatch"];

/** A fresh role in a fresh namespace. */
async function newNamespacedRole() {
  return assertOk(await ctx.client.createRole({ code: uniqueCode("role"), namespace: await newNamespaceCode() }));
}

/** `count` fresh users, made with createUsersBatch (at most 50 per call). */
async function manyUsers(count) {
  const users = [];
  while (users.length < count) {
    const list = Array.from({ length: Math.min(50, count - users.length) }, () => ({ email: uniqueEmail("member") }));
    users.push(...assertOk(await ctx.client.createUsersBatch({ list })));
  }
  return users;
}

/** RoleCodeDto[]: roles of the default namespace without `namespace`, others with it. */
const roleCodes = (roles) =>
  roles.map((r) => (r.namespace === "default" ? { code: r.code } : { code: r.code, namespace: r.namespace }));

async function memberIds(role) {
  const data = assertOk(await ctx.client.listRoleMembers({ code: role.code, namespace: role.namespace, limit: 50 }));
  return idsOf(assertPage(data)).sort();
}

async function departmentIds(role) {
  const data = assertOk(
    await ctx.client.listRoleDepartments({ code: role.code, namespace: role.namespace, limit: 50 }),
  );
  return assertPage(data)
    .map((d) => d.id)
    .sort();
}

async function userRoleCodes(user, namespace) {
  return codesOf(assertOk(await ctx.client.getUserRoles({ userId: user.userId, namespace })).list).sort();
}

/** `count` fresh departments' ids, children of a fresh organization's root. */
async function newDepartmentIds(count) {
  const organization = assertOk(await newOrganization(ctx.client));
  const ids = [];
  for (let i = 0; i < count; i++) ids.push((await newDepartment(ctx.client, organization)).departmentId);
  return ids;
}

describe("assignRoleBatch", () => {
  it("gives every user every role", async () => {
    const [role, nsRole, users] = [await newRole(), await newNamespacedRole(), await newUsers()];
    assertSuccessFlag(
      await ctx.client.assignRoleBatch({ targets: userTargets(users), roles: roleCodes([role, nsRole]) }),
    );
    for (const user of users) {
      assert.deepEqual(await userRoleCodes(user), [role.code]);
      assert.deepEqual(await userRoleCodes(user, nsRole.namespace), [nsRole.code]);
    }
    assert.deepEqual(await memberIds(role), idsOf(users).sort());
    assert.deepEqual(await memberIds(nsRole), idsOf(users).sort());
  });

  it("gives departments and users every role", async () => {
    const [role, nsRole, [user]] = [await newRole(), await newNamespacedRole(), await newUsers(1)];
    const departments = await newDepartmentIds(2);
    const targets = [...departments.map((id) => departmentTarget(id)), ...userTargets([user])];
    assertSuccessFlag(await ctx.client.assignRoleBatch({ targets, roles: roleCodes([role, nsRole]) }));
    for (const r of [role, nsRole]) {
      assert.deepEqual(await departmentIds(r), [...departments].sort());
      assert.deepEqual(await memberIds(r), [user.userId]);
    }
  });

  it("tells apart roles with one code in two namespaces", async () => {
    const [role, [user]] = [await newRole(), await newUsers(1)];
    const twin = assertOk(await ctx.client.createRole({ code: role.code, namespace: await newNamespaceCode() }));
    assertSuccessFlag(await ctx.client.assignRoleBatch({ targets: userTargets([user]), roles: roleCodes([twin]) }));
    assert.deepEqual([await memberIds(role), await memberIds(twin)], [[], [user.userId]]);
  });

  it("is idempotent", async () => {
    const [role, nsRole, users] = [await newRole(), await newNamespacedRole(), await newUsers()];
    for (let i = 0; i < 2; i++) {
      assertSuccessFlag(
        await ctx.client.assignRoleBatch({ targets: userTargets(users), roles: roleCodes([role, nsRole]) }),
      );
    }
    assert.deepEqual([(await memberIds(role)).length, (await memberIds(nsRole)).length], [2, 2]);
  });

  it("accepts 10 targets and 10 roles", async () => {
    const users = await manyUsers(10);
    const roles = [];
    for (let i = 0; i < 10; i++) roles.push(await newRole());
    assertSuccessFlag(await ctx.client.assignRoleBatch({ targets: userTargets(users), roles: roleCodes(roles) }));
    for (const role of roles) assert.equal((await memberIds(role)).length, 10, role.code);
  });

  it("rejects more than 10 targets", async () => {
    const role = await newRole();
    const targets = userTargets(await manyUsers(11));
    const resp = await ctx.client.assignRoleBatch({ targets, roles: roleCodes([role]) });
    assertError(resp, 400, "参数 targets 格式错误");
    assert.deepEqual(await memberIds(role), []);
  });
});

describe("revokeRoleBatch", () => {
  it("takes every role from every listed target", async () => {
    const [role, nsRole, users] = [await newRole(), await newNamespacedRole(), await newUsers()];
    const [department] = await newDepartmentIds(1);
    const roles = roleCodes([role, nsRole]);
    const targets = [...userTargets(users), departmentTarget(department)];
    assertSuccessFlag(await ctx.client.assignRoleBatch({ targets, roles }));
    const revoked = [...userTargets(users.slice(0, 1)), departmentTarget(department)];
    assertSuccessFlag(await ctx.client.revokeRoleBatch({ targets: revoked, roles }));
    for (const r of [role, nsRole]) {
      assert.deepEqual(await memberIds(r), [users[1].userId]);
      assert.deepEqual(await departmentIds(r), []);
    }
    assert.deepEqual([await userRoleCodes(users[0]), await userRoleCodes(users[0], nsRole.namespace)], [[], []]);
  });

  it("leaves the roles that are not listed", async () => {
    const [role, nsRole, users] = [await newRole(), await newNamespacedRole(), await newUsers()];
    assertSuccessFlag(
      await ctx.client.assignRoleBatch({ targets: userTargets(users), roles: roleCodes([role, nsRole]) }),
    );
    assertSuccessFlag(await ctx.client.revokeRoleBatch({ targets: userTargets(users), roles: roleCodes([nsRole]) }));
    assert.deepEqual([await memberIds(role), await memberIds(nsRole)], [idsOf(users).sort(), []]);
  });

  it("revoking something not assigned succeeds", async () => {
    const [role, nsRole, users] = [await newRole(), await newNamespacedRole(), await newUsers()];
    assertSuccessFlag(
      await ctx.client.revokeRoleBatch({ targets: userTargets(users), roles: roleCodes([role, nsRole]) }),
    );
  });

  it("accepts more than 10 targets", async () => {
    const [role, users] = [await newRole(), await manyUsers(11)];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets: userTargets(users) }));
    assertSuccessFlag(await ctx.client.revokeRoleBatch({ targets: userTargets(users), roles: roleCodes([role]) }));
    assert.deepEqual(await memberIds(role), []);
  });

  it("rejects more than 50 targets", async () => {
    const [role, users] = [await newRole(), await manyUsers(51)];
    assertSuccessFlag(await ctx.client.assignRole({ code: role.code, targets: userTargets(users.slice(0, 50)) }));
    const resp = await ctx.client.revokeRoleBatch({ targets: userTargets(users), roles: roleCodes([role]) });
    assertError(resp, 400, "参数 targets 格式错误");
    assert.equal((await memberIds(role)).length, 50);
  });
});

describe("assignRoleBatch / revokeRoleBatch errors", () => {
  for (const method of BATCH_METHODS) {
    for (const [label, [extraTargets, extraRoles, message]] of Object.entries(UNKNOWN_REFERENCES)) {
      it(`${method}: an ${label} changes nothing`, async () => {
        const [role, nsRole, users] = [await newRole(), await newNamespacedRole(), await newUsers()];
        const [department] = await newDepartmentIds(1);
        const targets = [...userTargets(users), departmentTarget(department)];
        const roles = roleCodes([role, nsRole]);
        if (method === "revokeRoleBatch") assertSuccessFlag(await ctx.client.assignRoleBatch({ targets, roles }));
        const snapshot = async () => [
          [await memberIds(role), await departmentIds(role)],
          [await memberIds(nsRole), await departmentIds(nsRole)],
        ];
        const before = await snapshot();
        const resp = await ctx.client[method]({
          targets: [...targets, ...extraTargets],
          roles: [...roles, ...extraRoles],
        });
        assertError(resp, 404, message);
        assert.deepEqual(await snapshot(), before);
      });
    }

    it(`${method}: empty roles are rejected`, async () => {
      const users = await newUsers(1);
      const resp = await ctx.client[method]({ targets: userTargets(users), roles: [] });
      assertError(resp, 400, "参数 roles 格式错误");
    });

    it(`${method}: empty targets are rejected`, async () => {
      const role = await newRole();
      const resp = await ctx.client[method]({ targets: [], roles: roleCodes([role]) });
      assertError(resp, 400, "参数 targets 格式错误");
    });

    it(`${method}: more than 10 roles are rejected`, async () => {
      const users = await newUsers(1);
      const roles = [];
      for (let i = 0; i < 11; i++) roles.push(await newRole());
      const resp = await ctx.client[method]({ targets: userTargets(users), roles: roleCodes(roles) });
      assertError(resp, 400, "参数 roles 格式错误");
      for (const role of roles) assert.deepEqual(await memberIds(role), [], role.code);
    });
  }
});
