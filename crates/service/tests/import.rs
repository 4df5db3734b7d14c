//! Bulk import into an embedded (SQLite) pool: reading JSON lines, replacing the pool's
//! `default` namespace, and the pool the service holds afterwards; which pools an opened
//! service loads.

use portcullis_core::{Mutation, Record};
use portcullis_service::{read_import, ImportError, MasterKey, Service};
use portcullis_store::SqliteStore;
use std::sync::Arc;

async fn open_service(dir: &tempfile::TempDir) -> Arc<Service> {
    let store = SqliteStore::open(dir.path()).await.unwrap();
    Service::open(Arc::new(store), MasterKey::from_hex(&"cd".repeat(32)).unwrap()).await.unwrap()
}

fn namespace_line(id: &str, code: &str) -> String {
    format!(
        r#"{{"Put":{{"Namespace":{{"id":"{id}","numeric_id":5,"code":"{code}","name":"{code}","description":null,"created_at":0,"updated_at":0}}}}}}"#
    )
}

#[tokio::test]
async fn an_import_replaces_the_default_namespace_and_keeps_the_last_write_of_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let service = open_service(&dir).await;
    let id = service.create_pool("imported", None).await.unwrap();
    let pool = service.pool(id.as_str()).await.unwrap().unwrap();
    let old_default = pool.read(|state| state.namespace_by_code("default").unwrap().id.clone());
    let lines = [
        namespace_line("100000000000000000000001", "default"),
        String::new(),
        namespace_line("100000000000000000000002", "draft"),
        namespace_line("100000000000000000000002", "books"),
    ]
    .join("\r\n");
    let rows = read_import(lines.as_bytes(), &|_| ()).unwrap();
    assert_eq!(rows.len(), 2, "one row per key");
    let revision = service.import(&pool, rows, &|_| ()).await.unwrap();
    assert_eq!(revision, 2);

    let reloaded = service.pool(id.as_str()).await.unwrap().unwrap();
    assert_eq!(reloaded.revision(), 2);
    reloaded.read(|state| {
        let default = state.namespace_by_code("default").expect("the imported default namespace");
        assert_eq!(default.id.as_str(), "100000000000000000000001");
        assert!(state.namespaces().all(|n| n.id != old_default), "the pool's own default namespace is gone");
        assert!(state.namespace_by_code("books").is_some() && state.namespace_by_code("draft").is_none());
    });
    // The store holds what memory holds: a restarted service loads the same pool.
    drop((pool, reloaded, service));
    let restarted = open_service(&dir).await;
    let pool = restarted.pool(id.as_str()).await.unwrap().unwrap();
    assert_eq!(pool.read(|state| state.namespaces().count()), 2);
}

#[tokio::test]
async fn pools_load_on_first_use_unless_all_are_loaded_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let id = open_service(&dir).await.create_pool("existing", None).await.unwrap();

    // An operator command (an import beside a large pool) must not load the pools it does not touch.
    let command = open_service(&dir).await;
    assert!(command.loaded(id.as_str()).is_none());
    assert!(command.pool(id.as_str()).await.unwrap().is_some(), "loaded when asked for");
    assert!(command.loaded(id.as_str()).is_some());

    let server = open_service(&dir).await;
    server.load_all().await.unwrap();
    assert!(server.loaded(id.as_str()).is_some(), "a server holds every pool before it answers");
}

#[test]
fn a_bad_line_is_reported_by_its_number_and_nothing_is_read() {
    let good = namespace_line("100000000000000000000001", "books");
    let input = format!("{good}\n\n{good}\n{{\"Put\":{{\"Namespace\":{{\"id\":1}}}}}}\n{good}\n");
    match read_import(input.as_bytes(), &|_| ()) {
        Err(ImportError::BadLine { line: 4, message }) => assert!(message.contains("invalid type"), "{message}"),
        other => panic!("expected line 4 to be refused, got {other:?}"),
    }
    let not_utf8 = [good.as_bytes(), b"\n\xff\xfe\n"].concat();
    assert!(matches!(read_import(&not_utf8[..], &|_| ()), Err(ImportError::BadLine { line: 2, .. })));
}

#[test]
fn lines_longer_than_a_read_chunk_and_many_chunks_are_read_whole() {
    // A record far larger than the 4 MiB read chunk, between enough lines to span several.
    let description = "x".repeat(5 << 20);
    let long: Record = serde_json::from_str(&format!(
        r#"{{"Namespace":{{"id":"100000000000000000000009","numeric_id":9,"code":"long","name":"long","description":"{description}","created_at":0,"updated_at":0}}}}"#
    ))
    .unwrap();
    let mut input = String::new();
    for i in 0..40_000 {
        input.push_str(&namespace_line(&format!("2{i:023}"), &format!("n{i}")));
        input.push('\n');
        if i == 20_000 {
            input.push_str(&serde_json::to_string(&Mutation::Put(long.clone())).unwrap());
            input.push('\n');
        }
    }
    input.push_str(&namespace_line("300000000000000000000000", "last-without-line-break"));
    let progress = std::sync::atomic::AtomicU64::new(0);
    let rows = read_import(input.as_bytes(), &|read| {
        progress.fetch_max(read, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(rows.len(), 40_002);
    assert_eq!(progress.into_inner(), input.len() as u64, "progress reaches the whole input");
    let long_row = rows.rows().iter().find(|row| row.key == "100000000000000000000009").unwrap();
    assert_eq!(long_row.record().unwrap().unwrap(), long);
}
