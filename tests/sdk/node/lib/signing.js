"use strict";
// Hand-built HMAC-SHA1 requests (auth.md §B), for the cases the SDK cannot produce on its own
// (wrong method/version, missing or stale date, replayed nonce, ...).
//
// The string to sign is built with authing-node-sdk's own dist/utils/buildSignature.js, so a
// request made here with default options is signed exactly as the SDK signs it.

const http = require("node:http");
const {
  buildStringToSign,
  buildAuthorization,
  DEFAULT_HEADERS,
} = require("authing-node-sdk/dist/utils/buildSignature");

/** Query string the way axios writes it: arrays as repeated `key[]=v`, undefined dropped. */
function encodeQuery(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(`${key}[]`, String(v)));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * Sends one signed request and resolves to { status, body } (body parsed as JSON).
 *
 * options:
 *   host, key {accessKeyId, accessKeySecret}, method ("GET" | "POST"), path, params (GET), body (POST)
 *   headers: overrides merged over the SDK's default headers before signing; a value of
 *            `undefined` removes that header (from the request and from the signature)
 *   secret: sign with this secret instead of key.accessKeySecret
 *   signAs: sign these parameters (GET) / body (POST) instead of the ones sent
 *   authorization: a string to send instead of the computed header, or null to send none
 */
function signedRequest({
  host,
  key,
  method = "GET",
  path,
  params = {},
  body,
  headers = {},
  secret,
  signAs,
  authorization,
}) {
  const merged = {
    ...DEFAULT_HEADERS(),
    "x-authing-lang": "zh-CN",
    date: new Date().toUTCString(),
    ...headers,
  };
  const sent = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  const signedParams = signAs ?? (method === "GET" ? params : body || {});
  const stringToSign = buildStringToSign(method, path, sent, signedParams);
  const computed = buildAuthorization(key.accessKeyId, secret ?? key.accessKeySecret, stringToSign);
  if (authorization !== null) sent.authorization = authorization ?? computed;

  const payload = method === "POST" ? JSON.stringify(body || {}) : undefined;
  const url = new URL(path + (method === "GET" ? encodeQuery(params) : ""), host);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: sent, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: res.statusCode, body: JSON.parse(text), headers: res.headers });
        } catch {
          reject(new Error(`${method} ${path}: body is not JSON (HTTP ${res.statusCode}): ${text.slice(0, 500)}`));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

module.exports = { signedRequest, encodeQuery };
