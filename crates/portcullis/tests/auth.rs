//! Authentication through the real binary: management tokens, signed requests, bootstrap and
//! access keys (auth.md), and envelope errors for transport-level trouble.

mod common;

use base64::Engine;
use common::{assert_error, Storage, TestServer, ACCESS_KEY_ID, ACCESS_KEY_SECRET};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

#[tokio::test]
async fn token_is_a_jwt_the_python_sdks_can_decode() {
    let server = TestServer::start().await;
    let answer = server
        .raw_post(
            "/api/v3/get-management-token",
            json!({"accessKeyId": ACCESS_KEY_ID, "accessKeySecret": ACCESS_KEY_SECRET}),
        )
        .await;
    assert_eq!(answer["statusCode"], 200);
    assert_eq!(answer["data"]["expires_in"], 7200);
    let token = answer["data"]["access_token"].as_str().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    assert!(payload.chars().all(|c| c.is_ascii_alphanumeric()), "payload decodes with b64decode: {payload}");
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::STANDARD_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["scoped_userpool_id"], ACCESS_KEY_ID);
}

#[tokio::test]
async fn bad_credentials_get_no_token() {
    let server = TestServer::start().await;
    let wrong = server
        .raw_post("/api/v3/get-management-token", json!({"accessKeyId": ACCESS_KEY_ID, "accessKeySecret": "nope"}))
        .await;
    assert_error(&wrong, 401, "accessKeyId 或 accessKeySecret 错误");
    let unknown = server
        .raw_post(
            "/api/v3/get-management-token",
            json!({"accessKeyId": "ffffffffffffffffffffffff", "accessKeySecret": "x"}),
        )
        .await;
    assert_error(&unknown, 401, "accessKeyId 或 accessKeySecret 错误");
    assert_eq!(unknown["apiCode"], 2224);
    let missing = server.raw_post("/api/v3/get-management-token", json!({"accessKeySecret": "x"})).await;
    assert_error(&missing, 400, "参数 accessKeyId 格式错误");
}

async fn get_with_headers(server: &TestServer, path: &str, headers: &[(&str, &str)]) -> Value {
    let mut request = reqwest::Client::new().get(format!("{}{path}", server.base_url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn requests_without_valid_credentials_are_refused() {
    let server = TestServer::start().await;
    let path = "/api/v3/list-namespaces";
    assert_error(&get_with_headers(&server, path, &[]).await, 401, "缺少 authorization 请求头");
    let garbage = get_with_headers(&server, path, &[("authorization", "Bearer not.a.jwt")]).await;
    assert_error(&garbage, 401, "token 无效或已过期");
}

#[tokio::test]
async fn a_token_of_one_pool_cannot_name_another_pool() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let bearer = format!("Bearer {}", c.token);
    let answer = get_with_headers(
        &server,
        "/api/v3/list-namespaces",
        &[("authorization", &bearer), ("x-authing-userpool-id", "ffffffffffffffffffffffff")],
    )
    .await;
    assert_eq!(answer["statusCode"], 403, "{answer}");
    let same = get_with_headers(
        &server,
        "/api/v3/list-namespaces",
        &[("authorization", &bearer), ("x-authing-userpool-id", ACCESS_KEY_ID)],
    )
    .await;
    assert_eq!(same["statusCode"], 200);
}

#[tokio::test]
async fn tokens_expire() {
    let server = TestServer::start_with(&["--token-ttl-seconds", "1"]).await;
    let c = server.client().await;
    assert_eq!(c.get("list-namespaces", &[]).await["statusCode"], 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_error(&c.get("list-namespaces", &[]).await, 401, "token 无效或已过期");
}

/// Signs like authing-node-sdk: method, sorted x-authing-* headers and date, path + sorted params.
fn signed_headers(method: &str, path_and_params: &str, secret: &str, date: &str, nonce: &str) -> Vec<(String, String)> {
    let headers = [
        ("date", date.to_owned()),
        ("x-authing-lang", "zh-CN".to_owned()),
        ("x-authing-sdk-version", "authing-node-sdk:4.0.1".to_owned()),
        ("x-authing-signature-method", "HMAC-SHA1".to_owned()),
        ("x-authing-signature-nonce", nonce.to_owned()),
        ("x-authing-signature-version", "1.0".to_owned()),
    ];
    let mut to_sign = format!("{method}\n");
    for (name, value) in &headers {
        to_sign.push_str(&format!("{name}:{value}\n"));
    }
    to_sign.push_str(path_and_params);
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut out: Vec<(String, String)> = headers.iter().map(|(n, v)| (n.to_string(), v.clone())).collect();
    out.push(("authorization".into(), format!("authing {ACCESS_KEY_ID}:{signature}")));
    out
}

async fn signed_get(server: &TestServer, secret: &str, date: SystemTime, nonce: &str) -> Value {
    let date = httpdate::fmt_http_date(date);
    let headers = signed_headers("GET", "/api/v3/list-namespaces?limit=10&page=1", secret, &date, nonce);
    let refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    get_with_headers(server, "/api/v3/list-namespaces?page=1&limit=10", &refs).await
}

#[tokio::test]
async fn signed_requests_are_verified_and_cannot_be_replayed() {
    let server = TestServer::start().await;
    let now = SystemTime::now();
    let ok = signed_get(&server, ACCESS_KEY_SECRET, now, "0123456789abcdef0123456789abcde1").await;
    assert_eq!(ok["statusCode"], 200, "{ok}");
    assert_eq!(ok["data"]["totalCount"], 1);

    let replayed = signed_get(&server, ACCESS_KEY_SECRET, now, "0123456789abcdef0123456789abcde1").await;
    assert_eq!((replayed["statusCode"].clone(), replayed["apiCode"].clone()), (json!(401), json!(1306)));

    let forged = signed_get(&server, "wrong-secret", now, "0123456789abcdef0123456789abcde2").await;
    assert_eq!((forged["statusCode"].clone(), forged["apiCode"].clone()), (json!(401), json!(1300)));
    assert!(forged["data"].is_null());

    let stale =
        signed_get(&server, ACCESS_KEY_SECRET, now - Duration::from_secs(20 * 60), "0123456789abcdef0123456789abcde3")
            .await;
    assert_eq!((stale["statusCode"].clone(), stale["apiCode"].clone()), (json!(401), json!(1305)));
}

#[tokio::test]
async fn transport_trouble_still_gets_an_envelope() {
    let server = TestServer::start().await;
    let c = server.client().await;
    let http = reqwest::Client::new();
    let malformed = http
        .post(format!("{}/api/v3/create-namespace", server.base_url))
        .bearer_auth(&c.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 200);
    assert_eq!(malformed.json::<Value>().await.unwrap()["statusCode"], 400);

    let oversized = http
        .post(format!("{}/api/v3/create-namespace", server.base_url))
        .bearer_auth(&c.token)
        .header("content-type", "application/json")
        .body(format!("{{\"code\":\"{}\"}}", "a".repeat(5 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.json::<Value>().await.unwrap()["statusCode"], 413);

    let unknown = get_with_headers(&server, "/api/v3/no-such-endpoint", &[]).await;
    assert_eq!(unknown["statusCode"], 404);
    assert!(c.get("list-namespaces", &[]).await["data"]["totalCount"] == 1, "nothing was created");
}

#[tokio::test]
async fn revoked_keys_stop_working_on_a_running_server() {
    let server = TestServer::start().await;
    let created = server.storage.cli(&["pool", "create", "--name", "p", "--json"]);
    let created: Value = serde_json::from_slice(&created.stdout).unwrap();
    let pool = created["userPoolId"].as_str().unwrap();
    let extra = server.storage.cli(&["key", "create", "--pool", pool, "--json"]);
    let extra: Value = serde_json::from_slice(&extra.stdout).unwrap();
    let (key_id, secret) = (extra["accessKeyId"].as_str().unwrap(), extra["accessKeySecret"].as_str().unwrap());
    assert_eq!(extra["userPoolId"], pool);
    server.client_for(key_id, secret).await;

    assert!(server.storage.cli(&["key", "revoke", "--key", key_id]).status.success());
    tokio::time::sleep(Duration::from_millis(2100)).await; // the key cache's lifetime
    let refused = server
        .raw_post("/api/v3/get-management-token", json!({"accessKeyId": key_id, "accessKeySecret": secret}))
        .await;
    assert_eq!(refused["statusCode"], 401);
}

#[tokio::test]
async fn a_restart_with_a_different_bootstrap_secret_is_refused() {
    let server = TestServer::start().await;
    let storage = server.stop();
    let out = storage
        .command(&["serve", "--listen", "127.0.0.1:0"])
        .env("PORTCULLIS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("PORTCULLIS_ACCESS_KEY_SECRET", "another-secret")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("differs from the stored secret"));
}

#[tokio::test]
async fn first_start_without_a_key_generates_and_prints_one() {
    let storage = Storage::fresh().await;
    let mut child = storage
        .command(&["serve", "--listen", "127.0.0.1:0"])
        .env_remove("PORTCULLIS_ACCESS_KEY_ID")
        .env_remove("PORTCULLIS_ACCESS_KEY_SECRET")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut printed = String::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !printed.contains("accessKeySecret") && std::time::Instant::now() < deadline {
        let mut buf = [0u8; 512];
        let n = std::io::Read::read(&mut stdout, &mut buf).unwrap();
        printed.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(printed.contains("accessKeyId:"), "{printed}");
    let pools = storage.cli(&["pool", "list", "--json"]);
    let pools: Value = serde_json::from_slice(&pools.stdout).unwrap();
    assert_eq!(pools.as_array().unwrap().len(), 1);
}
