"use strict";
// Start and stop a throwaway Portcullis server (one per test file: node --test runs each
// file in its own process).
//
// Relies only on the documented CLI:
//   portcullis serve --listen 127.0.0.1:PORT --data-dir DIR [--database URL] [--token-ttl-seconds N]
//     env PORTCULLIS_ACCESS_KEY_ID / PORTCULLIS_ACCESS_KEY_SECRET bootstrap the default pool's
//     key (pool id == access key id); GET /healthz answers 200 once ready.
//   portcullis pool create --name NAME --data-dir DIR [--database URL] --json
//     prints {"userPoolId","accessKeyId","accessKeySecret"}; works while the server runs.
// The binary comes from $PORTCULLIS_BIN (default: <repo>/target/debug/portcullis).
//
// With PORTCULLIS_TEST_BACKEND=postgres the server runs on a fresh PostgreSQL database of its own
// (`--database`, created with `psql` on the server named by PORTCULLIS_TEST_POSTGRES_URL and
// dropped by `stop()`) instead of SQLite in its data directory.

const { spawn, execFile } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { promisify } = require("node:util");

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const DEFAULT_BIN = path.join(REPO_ROOT, "target", "debug", "portcullis");
const READY_TIMEOUT_MS = 20_000;

function binaryPath() {
  const configured = process.env.PORTCULLIS_BIN || DEFAULT_BIN;
  const bin = path.isAbsolute(configured) ? configured : path.join(REPO_ROOT, configured);
  if (!fs.existsSync(bin)) {
    throw new Error(
      `portcullis binary not found at ${bin}; build it with \`cargo build --workspace\` or set PORTCULLIS_BIN`,
    );
  }
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A pool-level access key: the pool id equals the access key id (24 hex chars). */
function randomAccessKey() {
  const id = crypto.randomBytes(12).toString("hex");
  return { userPoolId: id, accessKeyId: id, accessKeySecret: crypto.randomBytes(16).toString("hex") };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const psql = (url, sql) =>
  promisify(execFile)("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], { timeout: 30_000 });

/**
 * The database the next server runs on, per PORTCULLIS_TEST_BACKEND: null for SQLite, else
 * { url, drop() } for a fresh database on the server named by PORTCULLIS_TEST_POSTGRES_URL.
 */
async function createStorage() {
  const backend = process.env.PORTCULLIS_TEST_BACKEND || "sqlite";
  if (backend === "sqlite") return null;
  if (backend !== "postgres") throw new Error(`PORTCULLIS_TEST_BACKEND must be sqlite or postgres, not ${backend}`);
  const adminUrl = process.env.PORTCULLIS_TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error("PORTCULLIS_TEST_BACKEND=postgres needs PORTCULLIS_TEST_POSTGRES_URL (see scripts/postgres.sh)");
  const name = `portcullis_sdk_${crypto.randomBytes(8).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await psql(adminUrl, `CREATE DATABASE ${name}`);
  return { url: url.toString(), drop: () => psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Starts a server and resolves to
 *   { host, pool1: {userPoolId, accessKeyId, accessKeySecret}, dataDir, createPool(name), stop() }.
 * Options: { tokenTtlSeconds }.
 */
async function startServer({ tokenTtlSeconds } = {}) {
  const bin = binaryPath();
  const port = await freePort();
  const host = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-sdk-test-"));
  const pool1 = randomAccessKey();
  const database = await createStorage();

  // Every command names this server's storage. Only the documented switches configure the
  // server: inherited PORTCULLIS_* settings are dropped.
  const storageArgs = ["--data-dir", dataDir];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PORTCULLIS_")));
  if (database) {
    storageArgs.push("--database", database.url);
    // The key nodes on one database share; a server on SQLite keeps its own in the data dir.
    env.PORTCULLIS_MASTER_KEY = crypto.randomBytes(32).toString("hex");
  }
  const args = ["serve", "--listen", `127.0.0.1:${port}`, ...storageArgs];
  if (tokenTtlSeconds !== undefined) args.push("--token-ttl-seconds", String(tokenTtlSeconds));
  const serverEnv = {
    ...env,
    PORTCULLIS_ACCESS_KEY_ID: pool1.accessKeyId,
    PORTCULLIS_ACCESS_KEY_SECRET: pool1.accessKeySecret,
  };

  const child = spawn(bin, args, { env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keepLog = (chunk) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout.on("data", keepLog);
  child.stderr.on("data", keepLog);
  let exited = null;
  const exitedPromise = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  // If the test process dies without running `after`, do not leave the server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);

  async function stop() {
    process.off("exit", killOnExit);
    if (exited === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (database) await database.drop();
  }

  async function createPool(name) {
    const { stdout } = await promisify(execFile)(
      bin,
      ["pool", "create", "--name", name, ...storageArgs, "--json"],
      { env, timeout: 30_000 },
    );
    let created;
    try {
      created = JSON.parse(stdout);
    } catch (err) {
      throw new Error(`\`portcullis pool create --json\` printed unexpected output: ${JSON.stringify(stdout)}`);
    }
    const { userPoolId, accessKeyId, accessKeySecret } = created;
    if (!userPoolId || !accessKeyId || !accessKeySecret) {
      throw new Error(`\`portcullis pool create --json\` is missing fields: ${stdout}`);
    }
    return { userPoolId, accessKeyId, accessKeySecret };
  }

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`portcullis exited (${JSON.stringify(exited)}) before becoming ready:\n${log}`);
    }
    try {
      const res = await fetch(`${host}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`portcullis did not answer 200 on ${host}/healthz within ${READY_TIMEOUT_MS / 1000}s:\n${log}`);
    }
    await sleep(100);
  }

  return { host, pool1, dataDir, createPool, stop, log: () => log };
}

module.exports = { startServer, randomAccessKey };
