//! Black-box test support: starts the real `portcullis` binary on a free loopback port with
//! fresh storage, and talks to it over HTTP as the official Python SDKs do (Bearer token).
//!
//! The servers use SQLite in a temporary data directory, or, with
//! `PORTCULLIS_TEST_BACKEND=postgres`, a fresh PostgreSQL database each on the server named by
//! `PORTCULLIS_TEST_POSTGRES_URL` (see `scripts/postgres.sh`), so every suite runs on both.
#![allow(dead_code)] // each test binary uses a different subset

use portcullis_store::testing::{TestDatabase, URL_VARIABLE};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

pub const ACCESS_KEY_ID: &str = "0123456789abcdef01234567";
pub const ACCESS_KEY_SECRET: &str = "test-secret-of-the-default-pool";
/// The master key the nodes sharing a PostgreSQL database have in common.
pub const MASTER_KEY: &str = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";
/// Chooses the backend of [`Storage::fresh`]: `sqlite` (the default) or `postgres`.
pub const BACKEND_VARIABLE: &str = "PORTCULLIS_TEST_BACKEND";
/// The pool revision a node has applied, on every authenticated answer.
pub const REVISION_HEADER: &str = "x-portcullis-revision";
/// The pool revision a request must see.
pub const MIN_REVISION_HEADER: &str = "x-portcullis-min-revision";

/// Where a server keeps its data: a data directory and, on PostgreSQL, a database. Outlives the
/// server, so that another one can be started on the same data.
pub struct Storage {
    pub data_dir: tempfile::TempDir,
    database_url: Option<String>,
    /// The database this storage created (dropped with it), if it did not join another's.
    _owned: Option<TestDatabase>,
}

impl Storage {
    /// Empty storage on the backend [`BACKEND_VARIABLE`] names.
    pub async fn fresh() -> Self {
        match std::env::var(BACKEND_VARIABLE).as_deref() {
            Err(_) | Ok("" | "sqlite") => Self::sqlite(),
            Ok("postgres") => {
                let database = TestDatabase::create("test server")
                    .await
                    .unwrap_or_else(|| panic!("{BACKEND_VARIABLE}=postgres needs {URL_VARIABLE}"));
                Self {
                    data_dir: tempfile::tempdir().unwrap(),
                    database_url: Some(database.url().to_owned()),
                    _owned: Some(database),
                }
            }
            Ok(other) => panic!("{BACKEND_VARIABLE} must be sqlite or postgres, not {other}"),
        }
    }

    fn sqlite() -> Self {
        Self { data_dir: tempfile::tempdir().unwrap(), database_url: None, _owned: None }
    }

    /// Storage of one node of several sharing the PostgreSQL database at `database_url`.
    pub fn node(database_url: &str) -> Self {
        Self { database_url: Some(database_url.to_owned()), ..Self::sqlite() }
    }

    /// The binary with `args` (a subcommand and its options) followed by this storage's options.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(binary());
        command.args(args).arg("--data-dir").arg(self.data_dir.path());
        if let Some(url) = &self.database_url {
            command.arg("--database").arg(url).env("PORTCULLIS_MASTER_KEY", MASTER_KEY);
        }
        command
    }

    /// Runs a CLI command on this storage (it may be in use by a running server).
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.command(args).output().unwrap()
    }
}

pub struct TestServer {
    child: Child,
    pub base_url: String,
    pub storage: Storage,
    http: reqwest::Client,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The address in the server's `serving on ADDRESS` line; the rest of its output is read and
/// dropped on a thread of its own, so the server never blocks on a full pipe.
fn serving_address(stdout: ChildStdout) -> String {
    let mut lines = BufReader::new(stdout).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("serving on ").map(str::to_owned))
        .expect("the server prints the address it serves on");
    std::thread::spawn(move || lines.for_each(drop));
    address
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_portcullis")
}

impl TestServer {
    /// Starts a server whose default pool has the key [`ACCESS_KEY_ID`]/[`ACCESS_KEY_SECRET`].
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    pub async fn start_with(extra_args: &[&str]) -> Self {
        Self::start_in(Storage::fresh().await, extra_args).await
    }

    /// Starts one node of several sharing the PostgreSQL database at `database_url`.
    pub async fn start_node(database_url: &str) -> Self {
        Self::start_in(Storage::node(database_url), &[]).await
    }

    /// Starts a server on existing storage (to test restarts). It listens on a port the system
    /// picks and prints; a port chosen here and handed to it could be taken by another test's
    /// connection before the server, which binds only after loading its pools, gets to it.
    pub async fn start_in(storage: Storage, extra_args: &[&str]) -> Self {
        let mut child = storage
            .command(&["serve", "--listen", "127.0.0.1:0"])
            .args(extra_args)
            .env("PORTCULLIS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("PORTCULLIS_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the portcullis binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let address = tokio::task::spawn_blocking(move || serving_address(stdout)).await.unwrap();
        let server = Self { child, base_url: format!("http://{address}"), storage, http: reqwest::Client::new() };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(r) = self.http.get(format!("{}/healthz", self.base_url)).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server did not become ready");
    }

    /// Kills the server (SIGKILL: no chance to finish anything) and hands back its storage.
    pub fn stop(mut self) -> Storage {
        self.kill();
        std::mem::replace(&mut self.storage, Storage::sqlite())
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A client of the default pool.
    pub async fn client(&self) -> Client {
        self.client_for(ACCESS_KEY_ID, ACCESS_KEY_SECRET).await
    }

    pub async fn client_for(&self, key_id: &str, secret: &str) -> Client {
        let answer = self
            .raw_post(
                "/api/v3/get-management-token",
                serde_json::json!({"accessKeyId": key_id, "accessKeySecret": secret}),
            )
            .await;
        assert_eq!(answer["statusCode"], 200, "token request failed: {answer}");
        Client {
            http: self.http.clone(),
            base_url: self.base_url.clone(),
            token: answer["data"]["access_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Creates another pool through the CLI, while the server runs, and returns a client of it.
    pub async fn new_pool_client(&self) -> Client {
        let out = self.storage.cli(&["pool", "create", "--name", "other", "--json"]);
        assert!(out.status.success(), "pool create failed: {}", String::from_utf8_lossy(&out.stderr));
        let created: Value = serde_json::from_slice(&out.stdout).unwrap();
        self.client_for(created["accessKeyId"].as_str().unwrap(), created["accessKeySecret"].as_str().unwrap()).await
    }

    /// POST without credentials; returns the envelope.
    pub async fn raw_post(&self, path: &str, body: Value) -> Value {
        let response = self.http.post(format!("{}{path}", self.base_url)).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200, "every API answer is HTTP 200");
        response.json().await.unwrap()
    }
}

/// An authenticated client of one pool. Every call returns the whole envelope.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub base_url: String,
    pub token: String,
}

impl Client {
    /// The same client talking to another node (tokens are valid on every node of a database).
    pub fn on(&self, server: &TestServer) -> Self {
        Self { base_url: server.base_url.clone(), ..self.clone() }
    }

    /// POST that may fail to reach the server (e.g. a node being killed): the envelope and the
    /// revision header (0 on answers without one).
    pub async fn try_post(&self, endpoint: &str, body: Value) -> reqwest::Result<(Value, u64)> {
        let request = self.http.post(format!("{}/api/v3/{endpoint}", self.base_url)).json(&body);
        self.send(request).await
    }

    /// GET with query pairs and extra headers: the envelope and the revision header.
    pub async fn get_with(&self, endpoint: &str, query: &[(&str, &str)], headers: &[(&str, String)]) -> (Value, u64) {
        let mut request = self.http.get(format!("{}/api/v3/{endpoint}", self.base_url)).query(query);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        self.send(request).await.unwrap()
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> reqwest::Result<(Value, u64)> {
        let response = request.bearer_auth(&self.token).send().await?;
        assert_eq!(response.status(), 200, "every API answer is HTTP 200");
        let revision = response
            .headers()
            .get(REVISION_HEADER)
            .and_then(|value| value.to_str().ok()?.parse().ok())
            .unwrap_or_default();
        Ok((response.json().await?, revision))
    }

    pub async fn post(&self, endpoint: &str, body: Value) -> Value {
        self.try_post(endpoint, body).await.unwrap().0
    }

    /// POST of a body given as JSON text (escapes, repeated keys, anything but an object).
    pub async fn post_text(&self, endpoint: &str, text: &str) -> Value {
        let request = self
            .http
            .post(format!("{}/api/v3/{endpoint}", self.base_url))
            .header("content-type", "application/json")
            .body(text.to_owned());
        self.send(request).await.unwrap().0
    }

    /// GET with query pairs (repeat a key for a list).
    pub async fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> Value {
        self.get_with(endpoint, query, &[]).await.0
    }

    /// POST that must succeed; returns `data`.
    pub async fn ok_post(&self, endpoint: &str, body: Value) -> Value {
        let answer = self.post(endpoint, body).await;
        assert_ok(&answer);
        answer["data"].clone()
    }

    /// GET that must succeed; returns `data`.
    pub async fn ok_get(&self, endpoint: &str, query: &[(&str, &str)]) -> Value {
        let answer = self.get(endpoint, query).await;
        assert_ok(&answer);
        answer["data"].clone()
    }
}

#[track_caller]
pub fn assert_ok(answer: &Value) {
    assert_eq!(answer["statusCode"], 200, "expected success, got {answer}");
    assert_eq!(answer["message"], "", "success has an empty message: {answer}");
}

/// Asserts a failure envelope with this statusCode and message.
#[track_caller]
pub fn assert_error(answer: &Value, status_code: u16, message: &str) {
    assert_eq!(answer["statusCode"], status_code, "unexpected answer {answer}");
    assert_eq!(answer["message"], message, "unexpected answer {answer}");
    assert!(answer["data"].is_null(), "failures carry no data: {answer}");
    assert!(answer["requestId"].as_str().is_some_and(|id| !id.is_empty()));
}
