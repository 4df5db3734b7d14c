//! Durable storage. Every backend implements [`Store`]; the service never sees SQL.
//!
//! A pool's records are stored as JSON documents keyed by kind and key; every commit also
//! appends its mutations to the pool's changelog under the next revision, in the same
//! transaction, guarded by the revision the writer planned against (optimistic concurrency).
//! Several nodes sharing one database follow each other through [`Store::watch`].

mod postgres;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

use async_trait::async_trait;
use portcullis_core::ids::PoolId;
use portcullis_core::{Mutation, Record};
use rayon::slice::ParallelSliceMut;
use thiserror::Error;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, Error)]
pub enum StoreError {
    /// Another writer committed to the pool since the caller's revision; re-plan and retry.
    #[error("pool revision moved on to {current}")]
    Conflict { current: u64 },
    #[error("pool {0} does not exist")]
    UnknownPool(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The database could not be reached or went away mid-request (a restart, a network
    /// failure, every connection busy for too long): the request may succeed if retried.
    pub fn is_unavailable(&self) -> bool {
        use sqlx::Error;
        match self {
            Self::Database(Error::Io(_) | Error::PoolTimedOut | Error::PoolClosed | Error::Tls(_)) => true,
            // SQLSTATE class 08 (connection exception) and 57P01–57P03 (the server is shutting
            // down or starting up).
            Self::Database(Error::Database(e)) => {
                e.code().is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03"))
            }
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRecord {
    pub id: PoolId,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeyRecord {
    pub id: String,
    pub pool: PoolId,
    pub secret_ciphertext: Vec<u8>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// Receives a pool's records as [`Store::load_pool`] reads them, a page at a time.
pub type RecordSink<'a> = &'a mut (dyn FnMut(Vec<Record>) + Send);

/// Records per page when loading a pool.
const LOAD_PAGE_ROWS: usize = 10_000;
/// Pages being decoded at once while loading: enough to keep every core busy, few enough that
/// a loading pool holds a few pages of raw bodies, not all of them.
const PAGES_IN_FLIGHT: usize = 4;

/// Decodes pages of record bodies on rayon's threads while the store reads the next page, and
/// hands them to the sink in order. A page is the bodies joined by line breaks, which
/// [`encode_record`] never writes inside a body (JSON escapes them).
struct PageDecoder<'a> {
    sink: RecordSink<'a>,
    decoding: std::collections::VecDeque<tokio::sync::oneshot::Receiver<StoreResult<Vec<Record>>>>,
}

impl<'a> PageDecoder<'a> {
    fn new(sink: RecordSink<'a>) -> Self {
        Self { sink, decoding: Default::default() }
    }

    async fn push(&mut self, page: String) -> StoreResult<()> {
        let (decoded, receiver) = tokio::sync::oneshot::channel();
        rayon::spawn(move || {
            // The receiver is gone only when the load already failed.
            let _ = decoded.send(page.split('\n').map(decode_record).collect());
        });
        self.decoding.push_back(receiver);
        while self.decoding.len() > PAGES_IN_FLIGHT {
            self.deliver_oldest().await?;
        }
        Ok(())
    }

    async fn deliver_oldest(&mut self) -> StoreResult<()> {
        if let Some(oldest) = self.decoding.pop_front() {
            let records = oldest.await.map_err(|_| StoreError::Corrupt("a page decoder panicked".to_owned()))??;
            (self.sink)(records);
        }
        Ok(())
    }

    async fn finish(mut self) -> StoreResult<()> {
        while !self.decoding.is_empty() {
            self.deliver_oldest().await?;
        }
        Ok(())
    }
}

/// One committed change, as read back from the changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub revision: u64,
    pub body: ChangeBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeBody {
    /// The mutations, to be applied in order.
    Mutations(Vec<Mutation>),
    /// A bulk import ([`Store::import`]): too many records to repeat in the changelog, so a node
    /// holding the pool reloads it from the records.
    BulkImport,
}

/// One record row to write: its kind and encoded key, and its JSON body (`None` deletes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowWrite {
    pub kind: &'static str,
    pub key: String,
    pub body: Option<String>,
}

impl RowWrite {
    pub fn of(mutation: &Mutation) -> Self {
        match mutation {
            Mutation::Put(record) => {
                let key = record.key();
                Self { kind: key.kind(), key: key.encode(), body: Some(encode_record(record)) }
            }
            Mutation::Delete(key) => Self { kind: key.kind(), key: key.encode(), body: None },
        }
    }

    /// The order of [`RecordRows`]: by kind, then key.
    fn order(&self, other: &Self) -> std::cmp::Ordering {
        // Kinds are static names, so equal kinds are one pointer: comparing the pointer first
        // spares a string comparison in most steps of an import's sort (a third of its time).
        let kinds =
            if std::ptr::eq(self.kind, other.kind) { std::cmp::Ordering::Equal } else { self.kind.cmp(other.kind) };
        kinds.then_with(|| self.key.cmp(&other.key))
    }

    /// The record a put writes; `None` for a delete.
    pub fn record(&self) -> Option<StoreResult<Record>> {
        self.body.as_deref().map(decode_record)
    }
}

/// The rows a change writes: each key once, with its last write, in (kind, key) order, so that
/// no statement touches a row twice and a bulk import into a new pool appends to the table's
/// B-tree instead of inserting all over it.
#[derive(Debug, Default)]
pub struct RecordRows(Vec<RowWrite>);

impl RecordRows {
    /// Sorts `writes` (on every core) and keeps each key's last write.
    pub fn new(mut writes: Vec<RowWrite>) -> Self {
        // Stable, so that writes of one key stay in their given order.
        writes.par_sort_by(RowWrite::order);
        writes.dedup_by(|next, kept| {
            let same = next.kind == kept.kind && next.key == kept.key;
            if same {
                std::mem::swap(next, kept);
            }
            same
        });
        Self(writes)
    }

    pub fn from_mutations(mutations: &[Mutation]) -> Self {
        Self::new(mutations.iter().map(RowWrite::of).collect())
    }

    pub fn rows(&self) -> &[RowWrite] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds `write` as if it came before every row: where a row of its key exists, that row
    /// stays. Returns whether it was added.
    pub fn insert_before(&mut self, write: RowWrite) -> bool {
        match self.position(write.kind, &write.key) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, write);
                true
            }
        }
    }

    /// Removes the row of this key, if there is one.
    pub fn remove(&mut self, kind: &str, key: &str) {
        if let Ok(at) = self.position(kind, key) {
            self.0.remove(at);
        }
    }

    /// The rows of one kind.
    pub fn of_kind(&self, kind: &str) -> &[RowWrite] {
        let start = self.0.partition_point(|row| row.kind < kind);
        let end = start + self.0[start..].partition_point(|row| row.kind == kind);
        &self.0[start..end]
    }

    fn position(&self, kind: &str, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|row| (row.kind, row.key.as_str()).cmp(&(kind, key)))
    }
}

/// Told how many rows of an import have been written so far.
pub type ImportProgress<'a> = &'a (dyn Fn(usize) + Send + Sync);

/// What a [`ChangeFeed`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeNotice {
    /// `pool` committed `revision` (sent only once the commit is durable and visible).
    Committed { pool: PoolId, revision: u64 },
    /// The feed lost its connection and is listening again: notices sent meanwhile are lost, so
    /// every pool must be compared with the store.
    Resync,
}

/// Notices of commits made by any process sharing the database.
#[async_trait]
pub trait ChangeFeed: Send {
    /// The next notice. After an error the feed reconnects on the next call (and then reports
    /// [`ChangeNotice::Resync`]), so the caller should wait a moment and call again.
    async fn next(&mut self) -> StoreResult<ChangeNotice>;
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates a pool and commits its initial records as revision 1.
    async fn create_pool(&self, pool: &PoolRecord, initial: &[Mutation], now_ms: i64) -> StoreResult<()>;
    async fn pools(&self) -> StoreResult<Vec<PoolRecord>>;
    async fn pool(&self, id: &str) -> StoreResult<Option<PoolRecord>>;

    async fn put_access_key(&self, key: &AccessKeyRecord) -> StoreResult<()>;
    async fn access_key(&self, id: &str) -> StoreResult<Option<AccessKeyRecord>>;
    async fn access_keys(&self, pool: &PoolId) -> StoreResult<Vec<AccessKeyRecord>>;
    /// Marks the key revoked; false when there is no such active key.
    async fn revoke_access_key(&self, id: &str, now_ms: i64) -> StoreResult<bool>;

    /// Stores `value` under `name` unless a value is there already; returns the stored value.
    async fn init_setting(&self, name: &str, value: &[u8]) -> StoreResult<Vec<u8>>;

    /// Hands every record of the pool to `sink`, a page at a time, and returns the revision
    /// they make up (read in one snapshot).
    async fn load_pool(&self, pool: &PoolId, sink: RecordSink<'_>) -> StoreResult<u64>;
    /// Commits `mutations` as revision `expected_revision + 1`, or fails with
    /// [`StoreError::Conflict`] if the pool is no longer at `expected_revision`.
    async fn commit(
        &self,
        pool: &PoolId,
        expected_revision: u64,
        mutations: &[Mutation],
        now_ms: i64,
    ) -> StoreResult<u64>;
    /// Writes `rows` as revision `expected_revision + 1`, in one transaction (all of them or, on
    /// any failure, none), recorded in the changelog as [`ChangeBody::BulkImport`]; fails with
    /// [`StoreError::Conflict`] if the pool is no longer at `expected_revision`.
    async fn import(
        &self,
        pool: &PoolId,
        expected_revision: u64,
        rows: &RecordRows,
        now_ms: i64,
        progress: ImportProgress<'_>,
    ) -> StoreResult<u64>;
    /// At most `limit` changes after `revision`, in order.
    async fn changes_since(&self, pool: &PoolId, revision: u64, limit: usize) -> StoreResult<Vec<Change>>;
    /// Every pool's current revision, so a follower can find what it missed in one query.
    async fn pool_revisions(&self) -> StoreResult<Vec<(PoolId, u64)>>;
    /// A feed of commits made through other connections, when the backend can share its database
    /// between processes that each hold the data in memory; `None` for a single-node backend.
    async fn watch(&self) -> StoreResult<Option<Box<dyn ChangeFeed>>>;
}

fn encode_record(record: &Record) -> String {
    serde_json::to_string(record).expect("records always serialize")
}

fn decode_record(body: &str) -> StoreResult<Record> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn encode_mutations(mutations: &[Mutation]) -> String {
    serde_json::to_string(mutations).expect("mutations always serialize")
}

fn decode_mutations(body: &str) -> StoreResult<Vec<Mutation>> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

// Rows as tuples, so every backend decodes them with `query_as` and converts them here once.
// Each comes with the column list its queries select.

const POOL_COLUMNS: &str = "id, name, created_at";
type PoolRow = (String, String, i64);

fn pool_from_row((id, name, created_at): PoolRow) -> PoolRecord {
    PoolRecord { id: PoolId::from_stored(id), name, created_at }
}

const KEY_COLUMNS: &str = "id, pool_id, secret_ciphertext, created_at, revoked_at";
type KeyRow = (String, String, Vec<u8>, i64, Option<i64>);

fn key_from_row((id, pool, secret_ciphertext, created_at, revoked_at): KeyRow) -> AccessKeyRecord {
    AccessKeyRecord { id, pool: PoolId::from_stored(pool), secret_ciphertext, created_at, revoked_at }
}

const CHANGE_COLUMNS: &str = "revision, mutations, bulk_import";
type ChangeRow = (i64, String, bool);

fn change_from_row((revision, mutations, bulk_import): ChangeRow) -> StoreResult<Change> {
    let body = if bulk_import { ChangeBody::BulkImport } else { ChangeBody::Mutations(decode_mutations(&mutations)?) };
    Ok(Change { revision: revision as u64, body })
}

/// What the changelog row of a change holds: its mutations, or nothing for a bulk import.
enum ChangelogEntry<'a> {
    Mutations(&'a [Mutation]),
    BulkImport,
}

impl ChangelogEntry<'_> {
    /// The `mutations` and `bulk_import` columns.
    fn columns(&self) -> (String, bool) {
        match self {
            Self::Mutations(mutations) => (encode_mutations(mutations), false),
            Self::BulkImport => ("[]".to_owned(), true),
        }
    }
}

type RevisionRow = (String, i64);

fn revision_from_row((id, revision): RevisionRow) -> (PoolId, u64) {
    (PoolId::from_stored(id), revision as u64)
}
