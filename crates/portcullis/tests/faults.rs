//! Faults of a deployment of several nodes on one PostgreSQL database, as bounded tests: a node
//! killed (SIGKILL) in the middle of writes, and PostgreSQL restarted under load. Afterwards
//! every node answers exactly as a fresh node built from the database, and every acknowledged
//! write is there. Needs `PORTCULLIS_TEST_POSTGRES_URL`; the restart also `PORTCULLIS_PG_DIR`
//! (both printed by `scripts/postgres.sh start`, whose `restart` the second test uses).

mod common;

use common::{assert_ok, Client, TestServer, MIN_REVISION_HEADER};
use portcullis_store::testing::TestDatabase;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The tests restart nodes and the database server: one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
/// The longest a write may take to be answered, even while the database is down.
const ANSWER_BOUND: Duration = Duration::from_secs(10);
/// How long the database stays down (longer than the store's connection acquire timeout, so
/// that writes meanwhile fail rather than wait).
const OUTAGE_SECONDS: &str = "5";
/// A bound on each writer, however the faults go.
const MAX_WRITES: usize = 2_000;

/// What one stream of writes did.
#[derive(Default)]
struct Written {
    /// Every resource code a write was sent for, acknowledged or not.
    attempted: Vec<String>,
    /// Those whose write was acknowledged (statusCode 200).
    acknowledged: Vec<String>,
    /// Writes answered with an error envelope.
    refused: usize,
}

impl Written {
    fn merge(&mut self, other: Written) {
        self.attempted.extend(other.attempted);
        self.acknowledged.extend(other.acknowledged);
        self.refused += other.refused;
    }
}

/// A stream of writes through one node: each grants `user` the action `read` on a resource
/// `<prefix>-<n>`. Runs until `stop` is set, the node stops answering (it was killed), or
/// [`MAX_WRITES`]; counts acknowledgements in `acked`.
async fn write_stream(
    client: Client,
    user: String,
    prefix: String,
    stop: Arc<AtomicBool>,
    acked: Arc<AtomicUsize>,
) -> Written {
    let mut written = Written::default();
    for n in 0..MAX_WRITES {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let code = format!("{prefix}-{n}");
        let grant = json!({"namespace": "default", "list": [{
            "targetType": "USER",
            "targetIdentifiers": [user],
            "resources": [{"code": code, "actions": ["read"], "resourceType": "DATA"}],
        }]});
        written.attempted.push(code.clone());
        let started = Instant::now();
        let Ok(Ok((answer, _))) =
            tokio::time::timeout(ANSWER_BOUND, client.try_post("authorize-resources", grant)).await
        else {
            assert!(started.elapsed() < ANSWER_BOUND, "a write through {} hung for {ANSWER_BOUND:?}", client.base_url);
            break; // the node is gone
        };
        if answer["statusCode"] == 200 {
            written.acknowledged.push(code);
            acked.fetch_add(1, Ordering::Relaxed);
        } else {
            // A clean failure, that a client or load balancer may retry.
            assert_eq!(answer["statusCode"], 503, "unexpected failure {answer}");
            assert!(answer["data"].is_null(), "failures carry no data: {answer}");
            written.refused += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    written
}

/// Writers started together, and what they did once stopped.
struct Load {
    stop: Arc<AtomicBool>,
    writers: Vec<(Arc<AtomicUsize>, tokio::task::JoinHandle<Written>)>,
}

impl Load {
    /// Starts one [`write_stream`] through each client, named `prefix`.
    fn start(streams: &[(Client, &str)], user: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let writers = streams
            .iter()
            .map(|(client, prefix)| {
                let acked = Arc::new(AtomicUsize::new(0));
                let task = tokio::spawn(write_stream(
                    client.clone(),
                    user.to_owned(),
                    (*prefix).to_owned(),
                    stop.clone(),
                    acked.clone(),
                ));
                (acked, task)
            })
            .collect();
        Self { stop, writers }
    }

    /// Waits until writer `index` has `count` more acknowledgements than `from` (bounded).
    async fn wait_for_acks(&self, index: usize, from: usize, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.writers[index].0.load(Ordering::Relaxed) < from + count {
            assert!(Instant::now() < deadline, "writer {index} made no progress in 30 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn acked(&self, index: usize) -> usize {
        self.writers[index].0.load(Ordering::Relaxed)
    }

    /// Stops the writers and merges what they did.
    async fn finish(self) -> Written {
        self.stop.store(true, Ordering::Relaxed);
        let mut all = Written::default();
        for (_, task) in self.writers {
            all.merge(task.await.expect("a writer panicked"));
        }
        all
    }
}

/// Starts a fresh node on the database and checks that every node of `nodes` answers as it
/// does, once they have applied everything it loaded: the user's grants, and a check for every
/// resource a write was sent for. Every acknowledged write must be there.
async fn assert_converged(
    database: &TestDatabase,
    nodes: &[&TestServer],
    client: &Client,
    user: &str,
    written: &Written,
) {
    let fresh = TestServer::start_node(database.url()).await;
    let reference = client.on(&fresh);
    let (grants, revision) = reference
        .get_with("get-authorized-resources", &[("targetType", "USER"), ("targetIdentifier", user)], &[])
        .await;
    assert_ok(&grants);
    let granted: Vec<&str> =
        grants["data"]["list"].as_array().unwrap().iter().map(|g| g["resourceCode"].as_str().unwrap()).collect();
    for code in &written.acknowledged {
        assert!(granted.contains(&code.as_str()), "the acknowledged write {code} is missing");
    }
    let expected = answers(&reference, user, &written.attempted, revision).await;
    for node in nodes {
        let answered = answers(&client.on(node), user, &written.attempted, revision).await;
        assert!(answered == expected, "{} answers differently from a fresh node", node.base_url);
    }
}

/// The node's grants for `user` and its checks of `read` on `codes`, once it has applied `revision`.
async fn answers(client: &Client, user: &str, codes: &[String], revision: u64) -> Vec<Value> {
    let min = [(MIN_REVISION_HEADER, revision.to_string())];
    let (grants, _) =
        client.get_with("get-authorized-resources", &[("targetType", "USER"), ("targetIdentifier", user)], &min).await;
    assert_ok(&grants);
    let mut answers = vec![grants["data"].clone()];
    for code in codes {
        let check = json!({"namespace": "default", "userId": user, "action": "read", "resource": code});
        answers.push(client.ok_post("is-action-allowed", check).await["allowed"].clone());
    }
    answers
}

/// Two nodes on the database, a user, and a stream of writes through each node (`a`, `b`).
async fn two_nodes_under_load(database: &TestDatabase) -> (TestServer, TestServer, Client, String, Load) {
    let a = TestServer::start_node(database.url()).await;
    let b = TestServer::start_node(database.url()).await;
    let client = a.client().await;
    let user =
        client.ok_post("create-user", json!({"username": "reader"})).await["userId"].as_str().unwrap().to_owned();
    let load = Load::start(&[(client.clone(), "a"), (client.on(&b), "b")], &user);
    (a, b, client, user, load)
}

#[tokio::test]
async fn a_node_killed_during_writes_restarts_and_converges() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(database) = TestDatabase::create("a_node_killed_during_writes_restarts_and_converges").await else {
        return;
    };
    let (a, b, client, user, load) = two_nodes_under_load(&database).await;
    load.wait_for_acks(0, 0, 20).await;
    let storage = a.stop(); // SIGKILL, in the middle of a write or between two
    let a = TestServer::start_in(storage, &[]).await;
    let after_restart = Load::start(&[(client.on(&a), "a2")], &user);
    after_restart.wait_for_acks(0, 0, 10).await;
    let b_acked = load.acked(1);
    load.wait_for_acks(1, b_acked, 10).await; // b kept writing all along
    let mut written = load.finish().await;
    written.merge(after_restart.finish().await);

    assert_converged(&database, &[&a, &b], &client, &user, &written).await;
}

#[tokio::test]
async fn nodes_ride_out_a_database_restart_under_load() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(database) = TestDatabase::create("nodes_ride_out_a_database_restart_under_load").await else { return };
    let Some(cluster) = std::env::var_os("PORTCULLIS_PG_DIR") else {
        assert!(std::env::var_os("CI").is_none(), "PORTCULLIS_PG_DIR is not set but CI is");
        eprintln!("skipped: set PORTCULLIS_PG_DIR (scripts/postgres.sh start) to restart PostgreSQL");
        return;
    };
    let (a, b, client, user, load) = two_nodes_under_load(&database).await;
    load.wait_for_acks(0, 0, 10).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/postgres.sh");
    let restart = tokio::process::Command::new("bash")
        .arg(script)
        .arg("restart")
        .arg(&cluster)
        .arg(OUTAGE_SECONDS)
        .spawn()
        .expect("scripts/postgres.sh runs");
    // Reads are answered from memory throughout.
    let reader = client.on(&b);
    let restarted = tokio::spawn(async move { restart.wait_with_output().await });
    while !restarted.is_finished() {
        let check = json!({"namespace": "default", "userId": user, "action": "read", "resource": "a-0"});
        assert_eq!(reader.ok_post("is-action-allowed", check).await["allowed"], true);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(restarted.await.unwrap().unwrap().status.success(), "scripts/postgres.sh restart failed");
    // Both nodes write again once the database is back.
    let (a_acked, b_acked) = (load.acked(0), load.acked(1));
    load.wait_for_acks(0, a_acked, 5).await;
    load.wait_for_acks(1, b_acked, 5).await;
    let written = load.finish().await;
    assert!(written.refused > 0, "no write failed while the database was down");

    assert_converged(&database, &[&a, &b], &client, &user, &written).await;
}
