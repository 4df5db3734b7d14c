"use strict";
// Assertions and data helpers shared by the SDK suites.
// Every SDK method resolves to the response envelope (README §2):
//   { statusCode, message, requestId, data, [apiCode] }

const assert = require("node:assert/strict");
const crypto = require("node:crypto");

/** A 100-character code: longer than the 64-character limit (the SDK specs use this one). */
const LONG_CODE = "1234567891".repeat(10);
/** Codes that pass the length check but fail the character check (README §7), by name. */
const INVALID_CODES = { "non-ascii": "额！", blank: " " };
/** Codes that fail the validator: empty or too long. */
const EMPTY_AND_LONG = { empty: "", "100-chars": LONG_CODE };

const show = (resp) => JSON.stringify(resp, null, 1);

function uniqueCode(prefix = "c") {
  return `${prefix}-${crypto.randomBytes(8).toString("hex")}`;
}

function uniqueEmail(prefix = "user") {
  return `${prefix}-${crypto.randomBytes(6).toString("hex")}@example.com`;
}

/** Success envelope: statusCode 200, message "", a requestId, no apiCode. Returns `data`. */
function assertOk(resp) {
  assert.equal(typeof resp, "object", `expected an envelope, got ${show(resp)}`);
  assert.equal(resp.statusCode, 200, `expected statusCode 200:\n${show(resp)}`);
  assert.equal(resp.message, "", `expected message "" on success:\n${show(resp)}`);
  assert.ok(typeof resp.requestId === "string" && resp.requestId, `expected a requestId:\n${show(resp)}`);
  assert.ok(!("apiCode" in resp), `apiCode must be omitted on success:\n${show(resp)}`);
  return resp.data;
}

/** IsSuccessDto: data == {success: true}. */
function assertSuccessFlag(resp) {
  assert.deepEqual(assertOk(resp), { success: true }, `expected data {success: true}:\n${show(resp)}`);
}

/** Failure envelope with exactly this statusCode and message; data null (README §2). */
function assertError(resp, statusCode, message, apiCode) {
  assert.equal(typeof resp, "object", `expected an envelope, got ${show(resp)}`);
  assert.deepEqual(
    [resp.statusCode, resp.message],
    [statusCode, message],
    `expected statusCode ${statusCode} / message ${JSON.stringify(message)}:\n${show(resp)}`,
  );
  assert.equal(resp.data ?? null, null, `expected data null on failure:\n${show(resp)}`);
  assert.ok(typeof resp.requestId === "string" && resp.requestId, `expected a requestId:\n${show(resp)}`);
  if (apiCode !== undefined) assert.equal(resp.apiCode, apiCode, `expected apiCode ${apiCode}:\n${show(resp)}`);
}

/** For rows where the SDK specs only check that the message contains a text. */
function assertErrorContains(resp, statusCode, fragment) {
  assert.equal(resp.statusCode, statusCode, `expected statusCode ${statusCode}:\n${show(resp)}`);
  assert.ok(String(resp.message).includes(fragment), `expected message containing ${fragment}:\n${show(resp)}`);
}

/** Page object {totalCount, list}; returns the list. */
function assertPage(data, minTotal = 0) {
  assert.ok(data && typeof data === "object", `expected a page object, got ${show(data)}`);
  assert.ok(Number.isInteger(data.totalCount), `totalCount must be an integer: ${show(data)}`);
  assert.ok(Array.isArray(data.list), `list must be an array: ${show(data)}`);
  assert.ok(data.totalCount >= minTotal, `expected totalCount >= ${minTotal}: ${show(data)}`);
  assert.ok(data.totalCount >= data.list.length, `totalCount smaller than the page: ${show(data)}`);
  return data.list;
}

const codesOf = (items, key = "code") => items.map((item) => item[key]);
const idsOf = (users) => users.map((u) => u.userId);

module.exports = {
  LONG_CODE,
  INVALID_CODES,
  EMPTY_AND_LONG,
  uniqueCode,
  uniqueEmail,
  assertOk,
  assertSuccessFlag,
  assertError,
  assertErrorContains,
  assertPage,
  codesOf,
  idsOf,
};
