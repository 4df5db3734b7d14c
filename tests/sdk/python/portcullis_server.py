"""Start and stop a throwaway Portcullis server for a test session.

Relies only on the documented CLI:

    portcullis serve --listen 127.0.0.1:PORT --data-dir DIR [--database URL] [--token-ttl-seconds N]
        env PORTCULLIS_ACCESS_KEY_ID / PORTCULLIS_ACCESS_KEY_SECRET bootstrap the default
        pool's key (the pool id equals that access key id); GET /healthz answers 200 once ready.
    portcullis pool create --name NAME --data-dir DIR [--database URL] --json
        prints {"userPoolId", "accessKeyId", "accessKeySecret"}; works while the server runs.

The binary comes from $PORTCULLIS_BIN (default: <repo>/target/debug/portcullis).

With PORTCULLIS_TEST_BACKEND=postgres the server runs on a fresh PostgreSQL database of its own
(`--database`, created with `psql` on the server named by PORTCULLIS_TEST_POSTGRES_URL and
dropped by `stop()`) instead of SQLite in its data directory.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BIN = REPO_ROOT / "target" / "debug" / "portcullis"
READY_TIMEOUT_SECONDS = 20.0
BACKEND_VARIABLE = "PORTCULLIS_TEST_BACKEND"
POSTGRES_URL_VARIABLE = "PORTCULLIS_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class AccessKey:
    """An access key pair scoped to one user pool (pool id == access key id for pool keys)."""

    user_pool_id: str
    access_key_id: str
    access_key_secret: str


def binary_path() -> Path:
    path = Path(os.environ.get("PORTCULLIS_BIN") or DEFAULT_BIN)
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.is_file():
        raise RuntimeError(
            f"portcullis binary not found at {path}; build it with `cargo build --workspace` "
            "or point PORTCULLIS_BIN at it"
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def random_access_key() -> AccessKey:
    # Same shape as real pool ids (24 hex chars); the secret is 32 hex chars.
    key_id = secrets.token_hex(12)
    return AccessKey(user_pool_id=key_id, access_key_id=key_id, access_key_secret=secrets.token_hex(16))


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], check=True, timeout=30)


class PostgresDatabase:
    """A fresh database on the PostgreSQL server named by PORTCULLIS_TEST_POSTGRES_URL."""

    def __init__(self):
        admin_url = os.environ.get(POSTGRES_URL_VARIABLE)
        if not admin_url:
            raise RuntimeError(f"{BACKEND_VARIABLE}=postgres needs {POSTGRES_URL_VARIABLE} (see scripts/postgres.sh)")
        self._admin_url = admin_url
        self.name = f"portcullis_sdk_{secrets.token_hex(8)}"
        self.url = urllib.parse.urlsplit(admin_url)._replace(path=f"/{self.name}").geturl()
        psql(admin_url, f"CREATE DATABASE {self.name}")

    def drop(self) -> None:
        psql(self._admin_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def storage() -> PostgresDatabase | None:
    """The database the next server runs on, per PORTCULLIS_TEST_BACKEND (none: SQLite)."""
    backend = os.environ.get(BACKEND_VARIABLE) or "sqlite"
    if backend not in ("sqlite", "postgres"):
        raise RuntimeError(f"{BACKEND_VARIABLE} must be sqlite or postgres, not {backend}")
    return PostgresDatabase() if backend == "postgres" else None


class PortcullisServer:
    """One server process with its own port, data directory and, on PostgreSQL, database."""

    def __init__(self, token_ttl_seconds: int | None = None):
        self.binary = binary_path()
        self.token_ttl_seconds = token_ttl_seconds
        self.port = free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="portcullis-sdk-test-"))
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}.log"
        self.pool1 = random_access_key()
        self._database: PostgresDatabase | None = None
        # The key nodes on one database share; a server on SQLite keeps its own in the data dir.
        self.master_key = secrets.token_hex(32)
        self._process: subprocess.Popen | None = None
        self._ready = False
        self._log = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> PortcullisServer:
        args = ["serve", "--listen", f"127.0.0.1:{self.port}"]
        if self.token_ttl_seconds is not None:
            args += ["--token-ttl-seconds", str(self.token_ttl_seconds)]
        env = {
            "PORTCULLIS_ACCESS_KEY_ID": self.pool1.access_key_id,
            "PORTCULLIS_ACCESS_KEY_SECRET": self.pool1.access_key_secret,
        }
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        try:
            self._database = storage()
            argv, env = self._command(args, env)
            self._process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
            )
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        self._ready = True
        return self

    def stop(self) -> None:
        """Stops the server and removes its data. Raises if it had died on its own after
        becoming ready (a crash mid-run would otherwise only show as failing requests)."""
        crashed = None
        if self._process is not None:
            code = self._process.poll()
            if code is None:
                self._process.send_signal(signal.SIGTERM)
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            elif self._ready:
                crashed = f"portcullis on {self.host} exited on its own with {code} during the run:\n{self.log_tail()}"
        self._process = None
        self._ready = False
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if self._database is not None:
            self._database.drop()
            self._database = None
        # The log is kept only when asked for, e.g. to debug a CI failure.
        if not os.environ.get("PORTCULLIS_KEEP_LOGS"):
            self.log_path.unlink(missing_ok=True)
        if crashed:
            raise RuntimeError(crashed)

    def __enter__(self) -> PortcullisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ helpers
    def _command(self, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        """The binary's argv (`args`, then this server's storage) and its environment (`env`
        added). Only the documented switches configure the server: PORTCULLIS_* settings
        inherited from the caller's shell (listen address, data dir, token TTL, ...) are dropped."""
        argv = [str(self.binary), *args, "--data-dir", str(self.data_dir)]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("PORTCULLIS_")}
        full_env.update(env)
        if self._database is not None:
            argv += ["--database", self._database.url]
            full_env["PORTCULLIS_MASTER_KEY"] = self.master_key
        return argv, full_env

    def create_pool(self, name: str) -> AccessKey:
        """`portcullis pool create --json` against the running server's storage."""
        argv, env = self._command(["pool", "create", "--name", name, "--json"], {})
        result = subprocess.run(
            argv,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"`portcullis pool create` exited with {result.returncode}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        try:
            created = json.loads(result.stdout)
            return AccessKey(
                user_pool_id=created["userPoolId"],
                access_key_id=created["accessKeyId"],
                access_key_secret=created["accessKeySecret"],
            )
        except (ValueError, KeyError) as err:
            raise RuntimeError(f"`portcullis pool create --json` printed unexpected output: {result.stdout!r}") from err

    def log_tail(self, max_bytes: int = 4000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return "<no log>"
        return data[-max_bytes:].decode("utf-8", errors="replace")

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        url = f"{self.host}/healthz"
        while True:
            code = self._process.poll()
            if code is not None:
                raise RuntimeError(f"portcullis exited with {code} before becoming ready:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=1) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"portcullis did not answer 200 on {url} within {READY_TIMEOUT_SECONDS:.0f}s:\n{self.log_tail()}"
                )
            time.sleep(0.1)
