//! The behaviour every [`Store`] backend must have. Each check is a plain async function over a
//! `&dyn Store`; `backend_suite!` runs all of them against one backend. The PostgreSQL run needs
//! `PORTCULLIS_TEST_POSTGRES_URL` (see `scripts/postgres.sh`); each test gets a database of its own.

use portcullis_core::codes::NamespaceCode;
use portcullis_core::ids::{NamespaceId, PoolId};
use portcullis_core::model::Namespace;
use portcullis_core::{Mutation, Record, RecordKey};
use portcullis_store::testing::TestDatabase;
use portcullis_store::{
    AccessKeyRecord, Change, ChangeBody, ChangeNotice, PgStore, PoolRecord, RecordRows, RowWrite, SqliteStore, Store,
    StoreError,
};
use std::time::Duration;

fn pool(id: &str) -> PoolRecord {
    PoolRecord { id: PoolId::from_stored(id), name: format!("pool {id}"), created_at: 1 }
}

fn namespace(id: &str, code: &str) -> Record {
    Record::Namespace(Namespace {
        id: NamespaceId::from_stored(id),
        numeric_id: 1,
        code: NamespaceCode::parse(code).unwrap(),
        name: code.to_owned(),
        description: None,
        created_at: 1,
        updated_at: 1,
    })
}

/// Everything `load_pool` hands over.
struct Loaded {
    revision: u64,
    records: Vec<Record>,
}

async fn load(store: &dyn Store, pool: &PoolId) -> Loaded {
    let mut records = Vec::new();
    let revision = store.load_pool(pool, &mut |page| records.extend(page)).await.unwrap();
    Loaded { revision, records }
}

async fn new_pool_starts_at_revision_one_with_its_records(store: &dyn Store) {
    let initial = vec![Mutation::Put(namespace("n1", "default"))];
    store.create_pool(&pool("p1"), &initial, 1).await.unwrap();
    let loaded = load(store, &PoolId::from_stored("p1")).await;
    assert_eq!(loaded.revision, 1);
    assert_eq!(loaded.records, vec![namespace("n1", "default")]);
    assert_eq!(store.pools().await.unwrap(), vec![pool("p1")]);
    assert_eq!(store.pool("p1").await.unwrap(), Some(pool("p1")));
    assert_eq!(store.pool("nope").await.unwrap(), None);
}

async fn commits_put_replace_and_delete_records(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    assert_eq!(store.commit(&id, 1, &[Mutation::Put(namespace("n1", "a"))], 2).await.unwrap(), 2);
    assert_eq!(store.commit(&id, 2, &[Mutation::Put(namespace("n1", "b"))], 3).await.unwrap(), 3);
    assert_eq!(load(store, &id).await.records, vec![namespace("n1", "b")]);
    let delete = Mutation::Delete(RecordKey::Namespace(NamespaceId::from_stored("n1")));
    assert_eq!(store.commit(&id, 3, &[delete], 4).await.unwrap(), 4);
    let loaded = load(store, &id).await;
    assert!(loaded.records.is_empty());
    assert_eq!(loaded.revision, 4);
}

async fn a_stale_revision_conflicts_and_writes_nothing(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    store.commit(&id, 1, &[Mutation::Put(namespace("n1", "a"))], 2).await.unwrap();
    let stale = store.commit(&id, 1, &[Mutation::Put(namespace("n2", "b"))], 3).await;
    assert!(matches!(stale, Err(StoreError::Conflict { current: 2 })), "{stale:?}");
    assert_eq!(load(store, &id).await.records.len(), 1);
    assert_eq!(store.changes_since(&id, 0, 100).await.unwrap().len(), 2);
}

async fn the_changelog_replays_every_commit_in_order(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    let first = vec![Mutation::Put(namespace("n0", "default"))];
    store.create_pool(&pool("p1"), &first, 1).await.unwrap();
    let second = vec![Mutation::Put(namespace("n1", "a")), Mutation::Put(namespace("n2", "b"))];
    store.commit(&id, 1, &second, 2).await.unwrap();
    let changes = store.changes_since(&id, 0, 100).await.unwrap();
    assert_eq!(changes.iter().map(|c| c.revision).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(changes[0].body, ChangeBody::Mutations(first));
    assert_eq!(changes[1].body, ChangeBody::Mutations(second));
    assert_eq!(store.changes_since(&id, 1, 100).await.unwrap().len(), 1);
    assert!(store.changes_since(&id, 2, 100).await.unwrap().is_empty());
}

async fn changes_come_in_bounded_batches_and_revisions_in_one_list(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    store.create_pool(&pool("p2"), &[], 1).await.unwrap();
    for revision in 1..5 {
        store.commit(&id, revision, &[Mutation::Put(namespace("n1", "a"))], 2).await.unwrap();
    }
    let batch = store.changes_since(&id, 1, 2).await.unwrap();
    assert_eq!(batch.iter().map(|c| c.revision).collect::<Vec<_>>(), [2, 3]);
    let mut revisions = store.pool_revisions().await.unwrap();
    revisions.sort();
    assert_eq!(revisions, [(PoolId::from_stored("p1"), 5), (PoolId::from_stored("p2"), 1)]);
}

async fn a_batch_with_several_mutations_of_one_key_keeps_the_last(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[Mutation::Put(namespace("n1", "a"))], 1).await.unwrap();
    let delete = || Mutation::Delete(RecordKey::Namespace(NamespaceId::from_stored("n1")));
    store.commit(&id, 1, &[delete(), Mutation::Put(namespace("n1", "b"))], 2).await.unwrap();
    assert_eq!(load(store, &id).await.records, vec![namespace("n1", "b")]);
    store.commit(&id, 2, &[Mutation::Put(namespace("n1", "c")), delete()], 3).await.unwrap();
    assert!(load(store, &id).await.records.is_empty());
}

fn rows(mutations: &[Mutation]) -> RecordRows {
    RecordRows::new(mutations.iter().map(RowWrite::of).collect())
}

async fn an_import_writes_its_rows_as_one_change_logged_without_them(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[Mutation::Put(namespace("n0", "default"))], 1).await.unwrap();
    let delete = Mutation::Delete(RecordKey::Namespace(NamespaceId::from_stored("n0")));
    let imported = rows(&[
        Mutation::Put(namespace("n2", "second")),
        Mutation::Put(namespace("n1", "old")),
        delete,
        Mutation::Put(namespace("n1", "first")),
    ]);
    let reported = std::sync::Mutex::new(Vec::new());
    let revision = store.import(&id, 1, &imported, 2, &|written| reported.lock().unwrap().push(written)).await.unwrap();
    assert_eq!(revision, 2);
    let loaded = load(store, &id).await;
    assert_eq!(loaded.revision, 2);
    let mut records = loaded.records;
    records.sort_by_key(|record| record.key().encode());
    assert_eq!(records, vec![namespace("n1", "first"), namespace("n2", "second")], "the last write of each key");
    assert_eq!(reported.into_inner().unwrap().last(), Some(&3), "progress counts every row written");
    let changes = store.changes_since(&id, 1, 10).await.unwrap();
    assert_eq!(changes, vec![Change { revision: 2, body: ChangeBody::BulkImport }]);
    // Later commits are logged as usual after it.
    store.commit(&id, 2, &[Mutation::Put(namespace("n3", "third"))], 3).await.unwrap();
    assert!(matches!(store.changes_since(&id, 2, 10).await.unwrap()[0].body, ChangeBody::Mutations(_)));
}

async fn a_stale_or_misdirected_import_writes_nothing(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    store.commit(&id, 1, &[Mutation::Put(namespace("n1", "a"))], 2).await.unwrap();
    let imported = rows(&[Mutation::Put(namespace("n2", "b"))]);
    let stale = store.import(&id, 1, &imported, 3, &|_| ()).await;
    assert!(matches!(stale, Err(StoreError::Conflict { current: 2 })), "{stale:?}");
    let unknown = store.import(&PoolId::from_stored("p9"), 0, &imported, 3, &|_| ()).await;
    assert!(matches!(unknown, Err(StoreError::UnknownPool(_))), "{unknown:?}");
    assert_eq!(load(store, &id).await.records, vec![namespace("n1", "a")]);
    assert_eq!(store.changes_since(&id, 0, 10).await.unwrap().len(), 2);
}

async fn a_pool_of_many_pages_loads_whole(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    store.create_pool(&pool("p2"), &[Mutation::Put(namespace("other", "other"))], 1).await.unwrap();
    // Ids whose order differs from the order they are written in, and one with a line break.
    let mut puts: Vec<Mutation> =
        (0..25_001).rev().map(|i| Mutation::Put(namespace(&format!("n{i:06}"), &format!("c{i}")))).collect();
    if let Mutation::Put(Record::Namespace(first)) = &mut puts[0] {
        first.description = Some("two\nlines".to_owned());
    }
    store.import(&id, 1, &rows(&puts), 2, &|_| ()).await.unwrap();
    let mut pages = Vec::new();
    let revision = store.load_pool(&id, &mut |page| pages.push(page)).await.unwrap();
    assert_eq!(revision, 2);
    assert!(pages.len() > 1, "more than one page");
    let mut keys: Vec<String> = pages.concat().iter().map(|record| record.key().encode()).collect();
    keys.sort();
    let expected: Vec<String> = (0..25_001).map(|i| format!("n{i:06}")).collect();
    assert_eq!(keys, expected);
    assert_eq!(
        pages.concat().iter().filter(|r| matches!(r, Record::Namespace(n) if n.description.is_some())).count(),
        1
    );
    let unknown = store.load_pool(&PoolId::from_stored("p9"), &mut |_| ()).await;
    assert!(matches!(unknown, Err(StoreError::UnknownPool(_))), "{unknown:?}");
}

async fn pools_are_isolated(store: &dyn Store) {
    store.create_pool(&pool("p1"), &[Mutation::Put(namespace("n1", "a"))], 1).await.unwrap();
    store.create_pool(&pool("p2"), &[], 1).await.unwrap();
    assert!(load(store, &PoolId::from_stored("p2")).await.records.is_empty());
    let unknown = store.commit(&PoolId::from_stored("p3"), 0, &[Mutation::Put(namespace("n", "x"))], 1).await;
    assert!(matches!(unknown, Err(StoreError::UnknownPool(_))), "{unknown:?}");
}

async fn access_keys_can_be_found_listed_and_revoked(store: &dyn Store) {
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    let key = AccessKeyRecord {
        id: "k1".into(),
        pool: PoolId::from_stored("p1"),
        secret_ciphertext: vec![1, 2, 3],
        created_at: 5,
        revoked_at: None,
    };
    store.put_access_key(&key).await.unwrap();
    assert_eq!(store.access_key("k1").await.unwrap(), Some(key.clone()));
    assert_eq!(store.access_keys(&PoolId::from_stored("p1")).await.unwrap(), vec![key]);
    assert!(store.revoke_access_key("k1", 9).await.unwrap());
    assert!(!store.revoke_access_key("k1", 10).await.unwrap(), "already revoked");
    assert_eq!(store.access_key("k1").await.unwrap().unwrap().revoked_at, Some(9));
    assert_eq!(store.access_key("nope").await.unwrap(), None);
}

async fn settings_are_initialised_once(store: &dyn Store) {
    assert_eq!(store.init_setting("s", b"first").await.unwrap(), b"first");
    assert_eq!(store.init_setting("s", b"second").await.unwrap(), b"first");
}

/// `$open` names a function of the test's name returning the store and whatever must live as
/// long as it, or `None` when the backend is not available here (it has said why).
macro_rules! backend_suite {
    ($backend:ident, $open:path) => {
        mod $backend {
            use super::*;
            backend_suite!(@checks $open, [
                new_pool_starts_at_revision_one_with_its_records,
                commits_put_replace_and_delete_records,
                a_stale_revision_conflicts_and_writes_nothing,
                the_changelog_replays_every_commit_in_order,
                changes_come_in_bounded_batches_and_revisions_in_one_list,
                a_batch_with_several_mutations_of_one_key_keeps_the_last,
                an_import_writes_its_rows_as_one_change_logged_without_them,
                a_pool_of_many_pages_loads_whole,
                a_stale_or_misdirected_import_writes_nothing,
                pools_are_isolated,
                access_keys_can_be_found_listed_and_revoked,
                settings_are_initialised_once,
            ]);
        }
    };
    (@checks $open:path, [$($check:ident),* $(,)?]) => {
        $(
            #[tokio::test]
            async fn $check() {
                let Some((store, _guard)) = $open(stringify!($check)).await else { return };
                super::$check(&store).await;
            }
        )*
    };
}

async fn open_sqlite(_test: &str) -> Option<(SqliteStore, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    Some((SqliteStore::open(dir.path()).await.unwrap(), dir))
}

async fn open_postgres(test: &str) -> Option<(PgStore, TestDatabase)> {
    let database = TestDatabase::create(test).await?;
    Some((PgStore::connect(database.url()).await.unwrap(), database))
}

backend_suite!(sqlite, open_sqlite);
backend_suite!(postgres, open_postgres);

#[tokio::test]
async fn sqlite_has_no_change_feed() {
    let (store, _dir) = open_sqlite("").await.unwrap();
    assert!(store.watch().await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_nodes_starting_together_migrate_once() {
    let Some(database) = TestDatabase::create("postgres_nodes_starting_together_migrate_once").await else { return };
    // Separate tasks, so the connections and migrations really overlap.
    let opening: Vec<_> = (0..6)
        .map(|_| {
            let url = database.url().to_owned();
            tokio::spawn(async move { PgStore::connect(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for node in opening {
        stores.push(node.await.unwrap().expect("every node starts"));
    }
    stores[0].create_pool(&pool("p1"), &[], 1).await.unwrap();
    assert_eq!(stores[5].pools().await.unwrap(), vec![pool("p1")]);
}

#[tokio::test]
async fn postgres_announces_commits_once_they_are_visible() {
    let Some((store, database)) = open_postgres("postgres_announces_commits_once_they_are_visible").await else {
        return;
    };
    let mut feed = store.watch().await.unwrap().expect("PostgreSQL has a change feed");
    let other_node = PgStore::connect(database.url()).await.unwrap();
    let id = PoolId::from_stored("p1");
    other_node.create_pool(&pool("p1"), &[], 1).await.unwrap();
    other_node.commit(&id, 1, &[Mutation::Put(namespace("n1", "a"))], 2).await.unwrap();
    // A stale commit fails and announces nothing.
    assert!(other_node.commit(&id, 1, &[Mutation::Put(namespace("n2", "b"))], 3).await.is_err());
    for revision in [1, 2] {
        let notice = tokio::time::timeout(Duration::from_secs(5), feed.next()).await.expect("a notice").unwrap();
        assert_eq!(notice, ChangeNotice::Committed { pool: id.clone(), revision });
        // What a notice announces is already readable.
        let changes = store.changes_since(&id, revision - 1, 10).await.unwrap();
        assert_eq!(changes.first().map(|c| c.revision), Some(revision));
    }
    assert!(tokio::time::timeout(Duration::from_millis(300), feed.next()).await.is_err(), "nothing else was announced");
}

#[tokio::test]
async fn sqlite_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).await.unwrap();
        store.create_pool(&pool("p1"), &[Mutation::Put(namespace("n1", "a"))], 1).await.unwrap();
    }
    let reopened = SqliteStore::open(dir.path()).await.unwrap();
    assert_eq!(load(&reopened, &PoolId::from_stored("p1")).await.records.len(), 1);
}
