//! Black-box test support: starts the real `portcullis` binary on a free loopback port with a
//! fresh data directory, and talks to it over HTTP as the official Python SDKs do (Bearer token).
#![allow(dead_code)] // each test binary uses a different subset

use serde_json::Value;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ACCESS_KEY_ID: &str = "0123456789abcdef01234567";
pub const ACCESS_KEY_SECRET: &str = "test-secret-of-the-default-pool";

pub struct TestServer {
    child: Child,
    pub base_url: String,
    pub data_dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
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
        let data_dir = tempfile::tempdir().unwrap();
        Self::start_in(data_dir, extra_args).await
    }

    /// Starts a server on an existing data directory (to test restarts).
    pub async fn start_in(data_dir: tempfile::TempDir, extra_args: &[&str]) -> Self {
        Self::spawn(data_dir, extra_args, &[]).await
    }

    /// Starts one node of several sharing the PostgreSQL database at `database_url`.
    pub async fn start_node(database_url: &str, master_key: &str) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        Self::spawn(data_dir, &["--database", database_url], &[("PORTCULLIS_MASTER_KEY", master_key)]).await
    }

    async fn spawn(data_dir: tempfile::TempDir, extra_args: &[&str], env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let child = Command::new(binary())
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir.path())
            .args(extra_args)
            .env("PORTCULLIS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("PORTCULLIS_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the portcullis binary starts");
        let server =
            Self { child, base_url: format!("http://127.0.0.1:{port}"), data_dir, http: reqwest::Client::new() };
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

    /// Stops the server and hands back its data directory.
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.data_dir, dir)
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
        let out = Command::new(binary())
            .args(["pool", "create", "--name", "other", "--json", "--data-dir"])
            .arg(self.data_dir.path())
            .output()
            .unwrap();
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
    pub async fn post(&self, endpoint: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}/api/v3/{endpoint}", self.base_url))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "every API answer is HTTP 200");
        response.json().await.unwrap()
    }

    /// GET with query pairs (repeat a key for a list).
    pub async fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> Value {
        let response = self
            .http
            .get(format!("{}/api/v3/{endpoint}", self.base_url))
            .bearer_auth(&self.token)
            .query(query)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "every API answer is HTTP 200");
        response.json().await.unwrap()
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
