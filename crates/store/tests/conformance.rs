//! The behaviour every [`Store`] backend must have. Each check is a plain async function over a
//! `&dyn Store`; `backend_suite!` runs all of them against one backend.

use portcullis_core::codes::NamespaceCode;
use portcullis_core::ids::{NamespaceId, PoolId};
use portcullis_core::model::Namespace;
use portcullis_core::{Mutation, Record, RecordKey};
use portcullis_store::{AccessKeyRecord, PoolRecord, SqliteStore, Store, StoreError};

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

async fn new_pool_starts_at_revision_one_with_its_records(store: &dyn Store) {
    let initial = vec![Mutation::Put(namespace("n1", "default"))];
    store.create_pool(&pool("p1"), &initial, 1).await.unwrap();
    let loaded = store.load_pool(&PoolId::from_stored("p1")).await.unwrap();
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
    assert_eq!(store.load_pool(&id).await.unwrap().records, vec![namespace("n1", "b")]);
    let delete = Mutation::Delete(RecordKey::Namespace(NamespaceId::from_stored("n1")));
    assert_eq!(store.commit(&id, 3, &[delete], 4).await.unwrap(), 4);
    let loaded = store.load_pool(&id).await.unwrap();
    assert!(loaded.records.is_empty());
    assert_eq!(loaded.revision, 4);
}

async fn a_stale_revision_conflicts_and_writes_nothing(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    store.create_pool(&pool("p1"), &[], 1).await.unwrap();
    store.commit(&id, 1, &[Mutation::Put(namespace("n1", "a"))], 2).await.unwrap();
    let stale = store.commit(&id, 1, &[Mutation::Put(namespace("n2", "b"))], 3).await;
    assert!(matches!(stale, Err(StoreError::Conflict { current: 2 })), "{stale:?}");
    assert_eq!(store.load_pool(&id).await.unwrap().records.len(), 1);
    assert_eq!(store.changes_since(&id, 0).await.unwrap().len(), 2);
}

async fn the_changelog_replays_every_commit_in_order(store: &dyn Store) {
    let id = PoolId::from_stored("p1");
    let first = vec![Mutation::Put(namespace("n0", "default"))];
    store.create_pool(&pool("p1"), &first, 1).await.unwrap();
    let second = vec![Mutation::Put(namespace("n1", "a")), Mutation::Put(namespace("n2", "b"))];
    store.commit(&id, 1, &second, 2).await.unwrap();
    let changes = store.changes_since(&id, 0).await.unwrap();
    assert_eq!(changes.iter().map(|c| c.revision).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(changes[0].mutations, first);
    assert_eq!(changes[1].mutations, second);
    assert_eq!(store.changes_since(&id, 1).await.unwrap().len(), 1);
    assert!(store.changes_since(&id, 2).await.unwrap().is_empty());
}

async fn pools_are_isolated(store: &dyn Store) {
    store.create_pool(&pool("p1"), &[Mutation::Put(namespace("n1", "a"))], 1).await.unwrap();
    store.create_pool(&pool("p2"), &[], 1).await.unwrap();
    assert!(store.load_pool(&PoolId::from_stored("p2")).await.unwrap().records.is_empty());
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

macro_rules! backend_suite {
    ($backend:ident, $open:expr, [$($check:ident),* $(,)?]) => {
        mod $backend {
            use super::*;
            $(
                #[tokio::test]
                async fn $check() {
                    let (store, _guard) = $open.await;
                    super::$check(&store).await;
                }
            )*
        }
    };
}

async fn open_sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (SqliteStore::open(dir.path()).await.unwrap(), dir)
}

backend_suite!(
    sqlite,
    open_sqlite(),
    [
        new_pool_starts_at_revision_one_with_its_records,
        commits_put_replace_and_delete_records,
        a_stale_revision_conflicts_and_writes_nothing,
        the_changelog_replays_every_commit_in_order,
        pools_are_isolated,
        access_keys_can_be_found_listed_and_revoked,
        settings_are_initialised_once,
    ]
);

#[tokio::test]
async fn sqlite_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).await.unwrap();
        store.create_pool(&pool("p1"), &[Mutation::Put(namespace("n1", "a"))], 1).await.unwrap();
    }
    let reopened = SqliteStore::open(dir.path()).await.unwrap();
    assert_eq!(reopened.load_pool(&PoolId::from_stored("p1")).await.unwrap().records.len(), 1);
}
