//! Two services (two nodes) on one PostgreSQL database follow each other. Needs
//! `PORTCULLIS_TEST_POSTGRES_URL` (see `scripts/postgres.sh`).

use portcullis_core::codes::NamespaceCode;
use portcullis_core::ops::namespaces::{self, NewNamespace};
use portcullis_service::{read_import, MasterKey, PoolHandle, Service};
use portcullis_store::testing::TestDatabase;
use portcullis_store::PgStore;
use std::sync::Arc;
use std::time::Duration;

const PROPAGATION: Duration = Duration::from_secs(5);

async fn node(url: &str) -> Arc<Service> {
    let service = idle_node(url).await;
    assert!(service.start_following().await.unwrap(), "PostgreSQL nodes follow each other");
    service
}

/// A node that does not follow the others on its own.
async fn idle_node(url: &str) -> Arc<Service> {
    let store = PgStore::connect(url).await.unwrap();
    Service::open(Arc::new(store), MasterKey::from_hex(&"ab".repeat(32)).unwrap()).await.unwrap()
}

async fn create_namespace(service: &Service, pool: &PoolHandle, code: &str) -> u64 {
    let input = NewNamespace { code: NamespaceCode::parse(code).unwrap(), name: None, description: None };
    service.write(pool, |state, cx| namespaces::create(state, input.clone(), cx)).await.unwrap();
    pool.revision()
}

fn has_namespace(pool: &PoolHandle, code: &str) -> bool {
    pool.read(|state| state.namespace_by_code(code).is_some())
}

/// Waits (bounded) until `service` has loaded the pool another node created.
async fn followed_pool(service: &Service, id: &str) -> Arc<PoolHandle> {
    tokio::time::timeout(PROPAGATION, async {
        loop {
            // `Service::pool` would load it on demand; the follower must do it unasked.
            if let Some(pool) = service.loaded(id) {
                return pool;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the follower loads a pool created by another node")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_converge_on_one_database() {
    let Some(database) = TestDatabase::create("two_nodes_converge_on_one_database").await else { return };
    let (a, b) = (node(database.url()).await, node(database.url()).await);

    let id = a.create_pool("shared", None).await.unwrap();
    let on_a = a.pool(id.as_str()).await.unwrap().unwrap();
    let on_b = followed_pool(&b, id.as_str()).await;

    let revision = create_namespace(&a, &on_a, "books").await;
    assert!(on_b.wait_for_revision(revision, PROPAGATION).await, "b applies a's write");
    assert!(has_namespace(&on_b, "books"));

    // And back, with b planning against the state it followed.
    let revision = create_namespace(&b, &on_b, "films").await;
    assert!(on_a.wait_for_revision(revision, PROPAGATION).await, "a applies b's write");
    assert!(has_namespace(&on_a, "films"));
    assert_eq!(on_a.revision(), on_b.revision());

    assert!(!on_b.wait_for_revision(revision + 1, Duration::from_millis(50)).await, "nobody committed that yet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_two_nodes_all_land_once() {
    let Some(database) = TestDatabase::create("concurrent_writers_on_two_nodes_all_land_once").await else { return };
    let (a, b) = (node(database.url()).await, node(database.url()).await);
    let id = a.create_pool("shared", None).await.unwrap();
    let on_a = a.pool(id.as_str()).await.unwrap().unwrap();
    let on_b = followed_pool(&b, id.as_str()).await;

    let writers: Vec<_> = (0..20)
        .map(|i| {
            let (service, pool) = if i % 2 == 0 { (a.clone(), on_a.clone()) } else { (b.clone(), on_b.clone()) };
            tokio::spawn(async move { create_namespace(&service, &pool, &format!("ns{i}")).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    // The default namespace at revision 1, then one revision per write.
    for pool in [&on_a, &on_b] {
        assert!(pool.wait_for_revision(21, PROPAGATION).await);
        assert_eq!(pool.read(|state| state.namespaces().count()), 21);
    }
}

#[tokio::test]
async fn a_gap_in_the_changelog_rebuilds_the_pool_instead_of_skipping_a_change() {
    let test = "a_gap_in_the_changelog_rebuilds_the_pool_instead_of_skipping_a_change";
    let Some(database) = TestDatabase::create(test).await else { return };
    let a = idle_node(database.url()).await;
    let id = a.create_pool("shared", None).await.unwrap();
    let b = idle_node(database.url()).await;
    let on_b = b.pool(id.as_str()).await.unwrap().unwrap();
    let on_a = a.pool(id.as_str()).await.unwrap().unwrap();
    create_namespace(&a, &on_a, "books").await;
    let last = create_namespace(&a, &on_a, "films").await;
    // Lose revision 2 from the changelog (as a pruned log would): replaying would skip "books".
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(database.url()).await.unwrap();
    sqlx::query("DELETE FROM changelog WHERE revision = 2").execute(&mut db).await.unwrap();

    b.catch_up(&on_b).await.unwrap();
    assert_eq!(on_b.revision(), last);
    assert!(has_namespace(&on_b, "books") && has_namespace(&on_b, "films"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bulk_import_on_one_node_is_loaded_by_the_others() {
    let Some(database) = TestDatabase::create("a_bulk_import_on_one_node_is_loaded_by_the_others").await else {
        return;
    };
    let (a, b) = (node(database.url()).await, node(database.url()).await);
    let id = a.create_pool("shared", None).await.unwrap();
    let on_a = a.pool(id.as_str()).await.unwrap().unwrap();
    let on_b = followed_pool(&b, id.as_str()).await;
    let revision = create_namespace(&b, &on_b, "books").await;
    assert!(on_a.wait_for_revision(revision, PROPAGATION).await);

    let lines = r#"{"Put":{"Namespace":{"id":"100000000000000000000000","numeric_id":7,"code":"films","name":"films","description":null,"created_at":0,"updated_at":0}}}"#;
    let rows = read_import(lines.as_bytes(), &|_| ()).unwrap();
    let imported = a.import(&on_a, rows, &|_| ()).await.unwrap();
    assert_eq!(imported, revision + 1);
    assert!(on_b.wait_for_revision(imported, PROPAGATION).await, "b follows the import");
    assert!(has_namespace(&on_b, "films") && has_namespace(&on_b, "books"), "b reloaded the pool from the records");
    // a unloaded the pool and loads the imported records on its next use.
    let reloaded = a.pool(id.as_str()).await.unwrap().unwrap();
    assert_eq!(reloaded.revision(), imported);
    assert!(has_namespace(&reloaded, "films"));
    // Writes go on from the imported revision on both nodes.
    let after = create_namespace(&b, &on_b, "music").await;
    assert!(reloaded.wait_for_revision(after, PROPAGATION).await && has_namespace(&reloaded, "music"));
}
