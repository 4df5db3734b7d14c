"use strict";
// Seed data that the official SDK specs assume in a pool (README §9), created through the SDK.

const SEED = {
  groupCode: "developer",
  organizationCode: "root-pool",
  organizationName: "Portcullis root 用户池",
  username: "seed-admin",
  userCount: 6,
};

/**
 * Creates the seed data in the client's pool. Failures are collected in `errors` instead of
 * thrown, so that one unimplemented endpoint does not take every suite down; seed.test.js
 * reports them.
 */
async function seedPool(client) {
  const seed = { ...SEED, userIds: [], errors: [] };
  async function step(what, call) {
    try {
      const resp = await call();
      if (resp?.statusCode === 200) return resp.data;
      seed.errors.push(`${what}: ${JSON.stringify(resp)}`);
    } catch (err) {
      seed.errors.push(`${what}: ${err}`);
    }
    return null;
  }

  await step(`create group ${SEED.groupCode}`, () =>
    client.createGroup({ code: SEED.groupCode, name: "Developers", description: "seed group" }),
  );
  await step(`create organization ${SEED.organizationName}`, () =>
    client.createOrganization({ organizationCode: SEED.organizationCode, organizationName: SEED.organizationName }),
  );
  for (let i = 0; i < SEED.userCount; i++) {
    const profile = { email: `seed-user-${i}@example.com`, name: `Seed User ${i}` };
    if (i === 0)
      Object.assign(profile, { username: SEED.username, phone: "13800000000", externalId: "seed-external-0" });
    const user = await step(`create user ${profile.email}`, () => client.createUser(profile));
    if (user) seed.userIds.push(user.userId);
  }
  if (seed.errors.length) console.warn(`seeding pool 1 failed partly:\n  ${seed.errors.join("\n  ")}`);
  return seed;
}

module.exports = { SEED, seedPool };
