//! The load driver of `bench/http.sh` for what `wrk` cannot do: HMAC-signed requests, each
//! signed like authing-node-sdk with a fresh nonce and date. The same driver also runs the
//! Bearer path, so the two figures are comparable.
//!
//! Each of `--concurrency` clients sends is-action-allowed over a keep-alive connection for
//! `--seconds`, rotating through the checks of `checks.jsonl` (`portcullis-dataset generate`),
//! and every answer must be a success with a boolean `allowed`. (Not the check's `expected`: the
//! dataset's time windows are evaluated at its fixed clock, the server's at the real one.)
//! Prints one line:
//! requests/s, p50 and p99 (in ms).
//!
//! Usage: `http_load --url URL --key-id ID --key-secret SECRET --checks FILE
//! [--auth bearer|signed] [--seconds S] [--concurrency C]`.

#[path = "support/mod.rs"]
mod support;

use base64::Engine as _;
use clap::{Parser, ValueEnum};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

#[derive(Parser)]
struct Args {
    /// The server's base URL.
    #[arg(long)]
    url: String,
    #[arg(long)]
    key_id: String,
    #[arg(long)]
    key_secret: String,
    /// `checks.jsonl` from `portcullis-dataset generate`.
    #[arg(long)]
    checks: std::path::PathBuf,
    #[arg(long, value_enum, default_value_t = Auth::Bearer)]
    auth: Auth,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum Auth {
    /// `authorization: Bearer` with a management token fetched once.
    Bearer,
    /// `authorization: authing KEY:SIGNATURE`, HMAC-SHA1 over each request.
    Signed,
}

/// One line of `checks.jsonl`.
struct Check {
    user: String,
    resource: String,
    action: String,
}

impl Check {
    fn parse(line: &str) -> Self {
        let value: Value = serde_json::from_str(line).expect("a check is JSON");
        let text = |key: &str| value[key].as_str().unwrap_or_else(|| panic!("a check has {key}")).to_owned();
        Self { user: text("userId"), resource: text("resource"), action: text("action") }
    }
}

const PATH: &str = "/api/v3/is-action-allowed";

/// How a client authenticates its requests.
enum Credentials {
    Token(String),
    Key { id: String, secret: String },
}

impl Credentials {
    /// The authentication headers of one POST of `check` (sent as [`body`]).
    fn headers(&self, check: &Check, nonce: &str) -> Vec<(&'static str, String)> {
        match self {
            Self::Token(token) => vec![("authorization", format!("Bearer {token}"))],
            Self::Key { id, secret } => {
                let mut headers = vec![
                    ("date", httpdate::fmt_http_date(SystemTime::now())),
                    ("x-authing-lang", "zh-CN".to_owned()),
                    ("x-authing-sdk-version", "authing-node-sdk:4.0.1".to_owned()),
                    ("x-authing-signature-method", "HMAC-SHA1".to_owned()),
                    ("x-authing-signature-nonce", nonce.to_owned()),
                    ("x-authing-signature-version", "1.0".to_owned()),
                ];
                // The SDK signs the method, the headers above (sorted by name) and the path
                // with the body's members sorted by name, strings unquoted.
                let mut to_sign = String::from("POST\n");
                for (name, value) in &headers {
                    to_sign.push_str(&format!("{name}:{value}\n"));
                }
                to_sign.push_str(&format!(
                    "{PATH}?action={}&namespace=default&resource={}&userId={}",
                    check.action, check.resource, check.user
                ));
                let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).expect("any key length");
                mac.update(to_sign.as_bytes());
                let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
                headers.push(("authorization", format!("authing {id}:{signature}")));
                headers
            }
        }
    }
}

fn body(check: &Check) -> Value {
    json!({"namespace": "default", "userId": check.user, "action": check.action, "resource": check.resource})
}

/// Requests/s and the sorted latencies of `args.concurrency` clients over `args.seconds`.
async fn run(args: &Args, credentials: Arc<Credentials>, checks: Arc<Vec<Check>>) -> (f64, Vec<Duration>) {
    let http = reqwest::Client::new();
    let url = format!("{}{PATH}", args.url);
    let (concurrency, end) = (args.concurrency, Instant::now() + Duration::from_secs(args.seconds));
    let clients: Vec<_> = (0..concurrency)
        .map(|client| {
            let (http, url, credentials, checks) = (http.clone(), url.clone(), credentials.clone(), checks.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                // Client `c` sends requests c, c + concurrency, …: the numbers never repeat.
                for n in (client..).step_by(concurrency) {
                    if Instant::now() >= end {
                        break;
                    }
                    let check = &checks[n % checks.len()];
                    // Unique within this process and across processes: the server rejects replays.
                    let nonce = format!("{:08x}{n:024x}", std::process::id());
                    let started = Instant::now();
                    let mut request = http.post(&url).json(&body(check));
                    for (name, value) in credentials.headers(check, &nonce) {
                        request = request.header(name, value);
                    }
                    let response = request.send().await.expect("the server answers");
                    let answer: Value = response.json().await.expect("the answer is JSON");
                    latencies.push(started.elapsed());
                    assert!(answer["statusCode"] == 200 && answer["data"]["allowed"].is_boolean(), "{answer}");
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for client in clients {
        all.extend(client.await.expect("a client panicked"));
    }
    all.sort();
    (all.len() as f64 / args.seconds as f64, all)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.checks).expect("the checks file is readable");
    let checks: Vec<Check> = text.lines().map(Check::parse).collect();
    assert!(!checks.is_empty(), "no checks in {}", args.checks.display());
    let (id, secret) = (args.key_id.clone(), args.key_secret.clone());
    let credentials = match args.auth {
        Auth::Bearer => {
            Credentials::Token(support::management_token(&reqwest::Client::new(), &args.url, &id, &secret).await)
        }
        Auth::Signed => Credentials::Key { id, secret },
    };
    let (rate, latencies) = run(&args, Arc::new(credentials), Arc::new(checks)).await;
    // One line for bench/http.sh, in the units of its wrk figures.
    println!("{rate:.0} {} {}", ms(percentile(&latencies, 0.5)), ms(percentile(&latencies, 0.99)));
}
