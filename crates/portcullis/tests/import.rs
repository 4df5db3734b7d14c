//! `portcullis import`: a generated dataset, bulk-loaded into a new pool while a server runs,
//! answers the workload's checks as the reference evaluator expects.

mod common;

use common::TestServer;
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
    let out = server.storage.cli(&["import", "--file", path, "--new-pool", "imported", "--batch", "5000"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(&format!("imported {} records", dataset.records)), "{stdout}");
    let field = |name: &str| {
        let line = stdout.lines().find_map(|line| line.strip_prefix(name)).expect("the key is printed");
        line.trim().to_owned()
    };
    let client = server.client_for(&field("accessKeyId:"), &field("accessKeySecret:")).await;

    let workload = Workload::new(&dataset, &reference, 200, 7);
    assert!(workload.checks.iter().any(|c| c.expected) && workload.checks.iter().any(|c| !c.expected));
    for check in &workload.checks {
        let body = json!({"namespace": "default", "userId": check.user.as_str(),
            "action": check.action, "resource": check.resource});
        let data = client.ok_post("is-action-allowed", body).await;
        assert_eq!(data["allowed"], check.expected, "{check:?}");
    }
}
