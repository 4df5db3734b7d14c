//! `portcullis import`: a generated dataset, bulk-loaded into a new pool while a server runs,
//! answers the workload's checks as the reference evaluator expects.

mod common;

use common::{TestServer, MIN_REVISION_HEADER};
use portcullis_core::Mutation;
use portcullis_dataset::{generate, Reference, Size, Workload};
use serde_json::json;
use std::io::Write;

#[tokio::test]
async fn imported_dataset_answers_checks() {
    let server = TestServer::start().await;
    let file = tempfile::NamedTempFile::new().unwrap();
    let mut lines = std::io::BufWriter::new(file.as_file());
    let mut reference = Reference::default();
    let dataset = generate(Size::SMALL, 7, |record| {
        reference.add(&record);
        serde_json::to_writer(&mut lines, &Mutation::Put(record)).unwrap();
        lines.write_all(b"\n").unwrap();
    });
    lines.flush().unwrap();
    drop(lines);

    let path = file.path().to_str().unwrap();
    let out = server.storage.cli(&["import", "--file", path, "--new-pool", "imported"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(&format!("imported {} records", dataset.records)), "{stdout}");
    let field = |name: &str| {
        let line = stdout.lines().find_map(|line| line.strip_prefix(name)).expect("the key is printed");
        line.trim().to_owned()
    };
    let client = server.client_for(&field("accessKeyId:"), &field("accessKeySecret:")).await;
    // On PostgreSQL the server follows the import a moment later; read-your-writes as a client
    // of several nodes would.
    let (seen, _) =
        client.get_with("list-namespaces", &[("limit", "10")], &[(MIN_REVISION_HEADER, field("revision:"))]).await;
    assert_eq!(seen["statusCode"], 200, "{seen}");

    let workload = Workload::new(&dataset, &reference, 200, 7);
    assert!(workload.checks.iter().any(|c| c.expected) && workload.checks.iter().any(|c| !c.expected));
    for check in &workload.checks {
        let body = json!({"namespace": "default", "userId": check.user.as_str(),
            "action": check.action, "resource": check.resource});
        let data = client.ok_post("is-action-allowed", body).await;
        assert_eq!(data["allowed"], check.expected, "{check:?}");
    }
}

#[tokio::test]
async fn a_bad_line_stops_the_import_before_anything_is_written() {
    let server = TestServer::start().await;
    let pools_before = server.storage.cli(&["pool", "list", "--json"]).stdout;
    let pools: serde_json::Value = serde_json::from_slice(&pools_before).unwrap();
    let default_pool = pools[0]["userPoolId"].as_str().unwrap();
    let good = r#"{"Put":{"Namespace":{"id":"100000000000000000000001","numeric_id":2,"code":"books","name":"books","description":null,"created_at":0,"updated_at":0}}}"#;
    let bad = r#"{"Put":{"Namespace":{"id":"100000000000000000000002"}}}"#;
    let file = |lines: &[&str]| {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(lines.join("\n").as_bytes()).unwrap();
        file
    };
    let (broken, fine) = (file(&[good, bad]), file(&[good]));
    let path = |file: &tempfile::NamedTempFile| file.path().to_str().unwrap().to_owned();
    let client = server.client().await;
    let namespaces_before = client.ok_get("list-namespaces", &[("limit", "50")]).await;

    for target in [["--new-pool", "broken"], ["--pool", default_pool]] {
        let out = server.storage.cli(&["import", "--file", &path(&broken), target[0], target[1]]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains("line 2: missing field `numeric_id`"), "{stderr}");
    }
    let out = server.storage.cli(&["import", "--file", &path(&fine), "--pool", "no-such-pool"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user pool no-such-pool"));

    assert_eq!(server.storage.cli(&["pool", "list", "--json"]).stdout, pools_before, "no pool was created");
    let restarted = TestServer::start_in(server.stop(), &[]).await;
    let client = restarted.client().await;
    assert_eq!(client.ok_get("list-namespaces", &[("limit", "50")]).await, namespaces_before, "nothing was imported");
}
