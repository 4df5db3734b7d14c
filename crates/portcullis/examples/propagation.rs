//! Measures several nodes sharing one PostgreSQL database (driven by `bench/propagation.sh`,
//! which starts the database and the nodes):
//!
//! 1. propagation: writes through the first node (authorize-resources, a new resource each
//!    time) and polls is-action-allowed on every other node until each answers `true`; reports
//!    the delay from the write's acknowledgement to the last node's `true`, p50/p99/max;
//! 2. throughput: is-action-allowed from a fixed number of concurrent clients for a fixed time,
//!    all on the first node, then spread over the first two.
//!
//! Usage: `propagation --key-id ID --key-secret SECRET [--writes N] [--seconds S]
//! [--concurrency C] URL...` (the nodes' base URLs; the key is the default pool's).

#[path = "support/mod.rs"]
mod support;

use clap::Parser;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    key_id: String,
    #[arg(long)]
    key_secret: String,
    /// Writes whose propagation is timed.
    #[arg(long, default_value_t = 200)]
    writes: usize,
    /// Length of each throughput run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent clients of each throughput run.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// The nodes' base URLs: writes go to the first.
    #[arg(required = true, num_args = 2..)]
    nodes: Vec<String>,
}

/// A node gives up on a write that has not reached it in this long.
const PROPAGATION_BOUND: Duration = Duration::from_secs(5);

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn post(&self, node: &str, endpoint: &str, body: &Value) -> Value {
        let response = self
            .http
            .post(format!("{node}/api/v3/{endpoint}"))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("the node answers");
        let answer: Value = response.json().await.expect("the answer is JSON");
        assert_eq!(answer["statusCode"], 200, "{endpoint} failed: {answer}");
        answer["data"].clone()
    }

    /// Polls `node` until it allows `user` to read `resource`; when it did.
    async fn wait_allowed(&self, node: &str, user: &str, resource: &str) -> Instant {
        let check = json!({"namespace": "default", "userId": user, "action": "read", "resource": resource});
        let deadline = Instant::now() + PROPAGATION_BOUND;
        loop {
            if self.post(node, "is-action-allowed", &check).await["allowed"] == true {
                return Instant::now();
            }
            assert!(Instant::now() < deadline, "{resource} did not reach {node} within {PROPAGATION_BOUND:?}");
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn propagation(api: &Api, nodes: &[String], user: &str, writes: usize) {
    let (writer, readers) = nodes.split_first().unwrap();
    let mut delays = Vec::with_capacity(writes);
    for n in 0..writes {
        let resource = format!("propagation-{n}");
        let grant = json!({"namespace": "default", "list": [{
            "targetType": "USER",
            "targetIdentifiers": [user],
            "resources": [{"code": resource, "actions": ["read"], "resourceType": "DATA"}],
        }]});
        api.post(writer, "authorize-resources", &grant).await;
        let acknowledged = Instant::now();
        let mut pollers = tokio::task::JoinSet::new();
        for node in readers {
            let (api, node, user, resource) = (api.clone(), node.clone(), user.to_owned(), resource.clone());
            pollers.spawn(async move { api.wait_allowed(&node, &user, &resource).await });
        }
        let last = pollers.join_all().await.into_iter().max().unwrap();
        delays.push(last - acknowledged);
    }
    delays.sort();
    println!(
        "propagation over {writes} writes to {} other nodes: p50 {}, p99 {}, max {}",
        readers.len(),
        ms(percentile(&delays, 0.5)),
        ms(percentile(&delays, 0.99)),
        ms(*delays.last().unwrap())
    );
}

/// Checks per second from `concurrency` clients spread over `nodes` for `seconds`.
async fn throughput(api: &Api, nodes: &[String], user: &str, concurrency: usize, seconds: u64) -> f64 {
    let end = Instant::now() + Duration::from_secs(seconds);
    let clients: Vec<_> = (0..concurrency)
        .map(|i| {
            let (api, node) = (api.clone(), nodes[i % nodes.len()].clone());
            let check = json!({"namespace": "default", "userId": user, "action": "read", "resource": "propagation-0"});
            tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < end {
                    api.post(&node, "is-action-allowed", &check).await;
                    done += 1;
                }
                done
            })
        })
        .collect();
    let mut total = 0;
    for client in clients {
        total += client.await.expect("a client panicked");
    }
    total as f64 / seconds as f64
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let token = support::management_token(&http, &args.nodes[0], &args.key_id, &args.key_secret).await;
    let api = Api { http, token };
    let user = api.post(&args.nodes[0], "create-user", &json!({"username": "propagation"})).await;
    let user = user["userId"].as_str().unwrap().to_owned();

    propagation(&api, &args.nodes, &user, args.writes).await;
    let one = throughput(&api, &args.nodes[..1], &user, args.concurrency, args.seconds).await;
    let two = throughput(&api, &args.nodes[..2], &user, args.concurrency, args.seconds).await;
    println!(
        "checks/s with {} concurrent clients over {} s: one node {one:.0}, two nodes {two:.0} ({:.2}x)",
        args.concurrency,
        args.seconds,
        two / one
    );
}
