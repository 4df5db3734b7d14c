//! Measures writes through the API (driven by `bench/writes.sh`, which starts the server):
//! creates users, then sends authorize-resources requests from several concurrent clients for a
//! fixed time. After every request the client checks one of its grants with is-action-allowed,
//! which must already answer `true` (each grant is visible to the next check); at the end a
//! sample of every client's grants is checked again. Reports grants/s.
//!
//! Usage: `writes --url URL --key-id ID --key-secret SECRET [--users N] [--seconds S]
//! [--concurrency C] [--items I] [--targets T] [--resources R]`; one request grants
//! I × T × R (user, resource) pairs.

#[path = "support/mod.rs"]
mod support;

use clap::Parser;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long)]
    key_id: String,
    #[arg(long)]
    key_secret: String,
    /// Users created first, the targets of the grants.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Items per request.
    #[arg(long, default_value_t = 10)]
    items: usize,
    /// Users per item.
    #[arg(long, default_value_t = 100)]
    targets: usize,
    /// Resources per item.
    #[arg(long, default_value_t = 5)]
    resources: usize,
}

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Api {
    async fn post(&self, endpoint: &str, body: &Value) -> Value {
        let response = self
            .http
            .post(format!("{}/api/v3/{endpoint}", self.url))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("the server answers");
        let answer: Value = response.json().await.expect("the answer is JSON");
        assert_eq!(answer["statusCode"], 200, "{endpoint} failed: {answer}");
        answer["data"].clone()
    }

    async fn allowed(&self, user: &str, resource: &str) -> bool {
        let check = json!({"namespace": "default", "userId": user, "action": "read", "resource": resource});
        self.post("is-action-allowed", &check).await["allowed"] == true
    }
}

/// The resource code a client grants as the `resource`th of its `request`th request.
fn code(client: usize, request: usize, resource: usize) -> String {
    format!("w{client}:{request}-{resource}")
}

/// One client's loop: requests until `until`; returns the grants it made and its request count.
async fn client(api: Api, args: &Args, users: &[String], index: usize, until: Instant) -> (usize, usize) {
    let (mut grants, mut requests) = (0, 0);
    while Instant::now() < until {
        let items: Vec<Value> = (0..args.items)
            .map(|item| {
                let first = (index * 7919 + requests * args.items + item) * args.targets;
                let targets: Vec<&str> = (0..args.targets).map(|t| users[(first + t) % users.len()].as_str()).collect();
                let resources: Vec<Value> = (0..args.resources)
                    .map(|r| json!({"code": code(index, requests, r), "actions": ["read"], "resourceType": "DATA"}))
                    .collect();
                json!({"targetType": "USER", "targetIdentifiers": targets, "resources": resources})
            })
            .collect();
        api.post("authorize-resources", &json!({"namespace": "default", "list": items})).await;
        let target = items[0]["targetIdentifiers"][0].as_str().expect("a target");
        assert!(api.allowed(target, &code(index, requests, 0)).await, "a grant is not visible to the next check");
        grants += args.items * args.targets * args.resources;
        requests += 1;
    }
    (grants, requests)
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let token = support::management_token(&http, &args.url, &args.key_id, &args.key_secret).await;
    let api = Api { http, url: args.url.clone(), token };

    let mut users = Vec::with_capacity(args.users);
    // Usernames unique to this run, so that runs against one server do not collide.
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis();
    for chunk in (0..args.users).collect::<Vec<_>>().chunks(50) {
        let list: Vec<Value> = chunk.iter().map(|i| json!({"username": format!("writer-{run}-{i}")})).collect();
        let created = api.post("create-users-batch", &json!({"list": list})).await;
        let ids = created.as_array().expect("the created users");
        users.extend(ids.iter().map(|user| user["userId"].as_str().expect("a user id").to_owned()));
    }

    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let (args, users) = (Arc::new(args), Arc::new(users));
    let mut clients = tokio::task::JoinSet::new();
    for index in 0..args.concurrency {
        let (api, args, users) = (api.clone(), args.clone(), users.clone());
        clients.spawn(async move { (index, client(api, &args, &users, index, until).await) });
    }
    let mut results = clients.join_all().await;
    results.sort_unstable_by_key(|(index, _)| *index);
    let seconds = started.elapsed().as_secs_f64();
    let grants: usize = results.iter().map(|(_, (grants, _))| grants).sum();
    let requests: usize = results.iter().map(|(_, (_, requests))| requests).sum();

    // A sample of every client's grants, checked once more after all writes.
    for (index, (_, made)) in &results {
        for request in (0..*made).step_by((*made / 20).max(1)) {
            let first = (index * 7919 + request * args.items) * args.targets;
            let user = &users[first % users.len()];
            assert!(api.allowed(user, &code(*index, request, args.resources - 1)).await, "a grant went missing");
        }
    }
    println!(
        "writes: {grants} grants in {requests} requests, {seconds:.1} s: {:.0} grants/s, {:.1} requests/s \
         ({} clients, {}×{}×{} per request; every grant visible to the next check)",
        grants as f64 / seconds,
        requests as f64 / seconds,
        args.concurrency,
        args.items,
        args.targets,
        args.resources
    );
}
