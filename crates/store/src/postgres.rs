//! PostgreSQL, for several nodes sharing one database. Same schema and semantics as SQLite;
//! in addition every commit sends `pg_notify('portcullis_changes', '<pool>:<revision>')` inside
//! its transaction (PostgreSQL delivers it only once the transaction commits), which other nodes
//! receive through [`Store::watch`].

use super::*;
use futures_util::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The LISTEN/NOTIFY channel commits are announced on.
const CHANNEL: &str = "portcullis_changes";
/// How long a query waits for a connection (including connecting, when the database is down)
/// before it fails; sqlx's default of 30 s would hold requests and the pool's writer for that
/// long while the database restarts.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct PgStore {
    db: PgPool,
    /// Kept to open the dedicated listening connection of [`Store::watch`].
    options: PgConnectOptions,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and applies migrations. sqlx's PostgreSQL migrator
    /// holds an advisory lock while it runs, so nodes starting together migrate once.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)?;
        let db = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&db).await?;
        Ok(Self { db, options })
    }

    /// Writes a committed change: the record rows, the changelog entry and the notification.
    async fn record_change(
        tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
        pool: &PoolId,
        revision: u64,
        rows: &RecordRows,
        entry: ChangelogEntry<'_>,
        now_ms: i64,
        progress: ImportProgress<'_>,
    ) -> StoreResult<()> {
        Self::write_rows(tx, pool, rows, progress).await?;
        let (mutations, bulk_import) = entry.columns();
        sqlx::query(
            "INSERT INTO changelog (pool_id, revision, mutations, bulk_import, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(pool.as_str())
        .bind(revision as i64)
        .bind(mutations)
        .bind(bulk_import)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("{pool}:{revision}"))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Upserts and deletes the rows with one statement per [`ROWS_PER_STATEMENT`] rows (a round
    /// trip to the server per record would dominate large changes). The rows are unique by key,
    /// as one upsert may not touch a row twice.
    async fn write_rows(
        tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
        pool: &PoolId,
        rows: &RecordRows,
        progress: ImportProgress<'_>,
    ) -> StoreResult<()> {
        let mut written = 0;
        for chunk in rows.rows().chunks(ROWS_PER_STATEMENT) {
            let (mut put_kinds, mut put_keys, mut put_bodies) = (Vec::new(), Vec::new(), Vec::new());
            let (mut delete_kinds, mut delete_keys) = (Vec::new(), Vec::new());
            for row in chunk {
                match &row.body {
                    Some(body) => {
                        put_kinds.push(row.kind);
                        put_keys.push(row.key.as_str());
                        put_bodies.push(body.as_str());
                    }
                    None => {
                        delete_kinds.push(row.kind);
                        delete_keys.push(row.key.as_str());
                    }
                }
            }
            if !put_keys.is_empty() {
                sqlx::query(
                    "INSERT INTO records (pool_id, kind, key, body) \
                     SELECT $1, * FROM UNNEST($2::text[], $3::text[], $4::text[]) \
                     ON CONFLICT (pool_id, kind, key) DO UPDATE SET body = EXCLUDED.body",
                )
                .bind(pool.as_str())
                .bind(&put_kinds)
                .bind(&put_keys)
                .bind(&put_bodies)
                .execute(&mut **tx)
                .await?;
            }
            if !delete_keys.is_empty() {
                sqlx::query(
                    "DELETE FROM records WHERE pool_id = $1 \
                     AND (kind, key) IN (SELECT * FROM UNNEST($2::text[], $3::text[]))",
                )
                .bind(pool.as_str())
                .bind(&delete_kinds)
                .bind(&delete_keys)
                .execute(&mut **tx)
                .await?;
            }
            written += chunk.len();
            progress(written);
        }
        Ok(())
    }

    /// Commits one change after `expected_revision`, in one transaction: the revision check and
    /// bump, the rows, the changelog entry and the notification.
    async fn commit_change(
        &self,
        pool: &PoolId,
        expected_revision: u64,
        rows: &RecordRows,
        entry: ChangelogEntry<'_>,
        now_ms: i64,
        progress: ImportProgress<'_>,
    ) -> StoreResult<u64> {
        let mut tx = self.db.begin().await?;
        let next = Self::bump_revision(&mut tx, pool, expected_revision).await?;
        Self::record_change(&mut tx, pool, next, rows, entry, now_ms, progress).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Checks and bumps the pool's revision inside `tx`, failing as [`Store::commit`] says.
    async fn bump_revision(
        tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
        pool: &PoolId,
        expected_revision: u64,
    ) -> StoreResult<u64> {
        let next = expected_revision + 1;
        // A concurrent commit holds the row lock until it ends; this UPDATE then re-reads the
        // row, finds the revision moved on and matches nothing.
        let bumped = sqlx::query("UPDATE pools SET revision = $1 WHERE id = $2 AND revision = $3")
            .bind(next as i64)
            .bind(pool.as_str())
            .bind(expected_revision as i64)
            .execute(&mut **tx)
            .await?;
        if bumped.rows_affected() != 1 {
            let current: Option<i64> = sqlx::query_scalar("SELECT revision FROM pools WHERE id = $1")
                .bind(pool.as_str())
                .fetch_optional(&mut **tx)
                .await?;
            return Err(match current {
                Some(current) => StoreError::Conflict { current: current as u64 },
                None => StoreError::UnknownPool(pool.to_string()),
            });
        }
        Ok(next)
    }
}

/// Rows per upsert statement, keeping each statement's arrays to a few megabytes.
const ROWS_PER_STATEMENT: usize = 10_000;

#[async_trait]
impl Store for PgStore {
    async fn create_pool(&self, pool: &PoolRecord, initial: &[Mutation], now_ms: i64) -> StoreResult<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query("INSERT INTO pools (id, name, created_at, revision) VALUES ($1, $2, $3, 1)")
            .bind(pool.id.as_str())
            .bind(&pool.name)
            .bind(pool.created_at)
            .execute(&mut *tx)
            .await?;
        let rows = RecordRows::from_mutations(initial);
        Self::record_change(&mut tx, &pool.id, 1, &rows, ChangelogEntry::Mutations(initial), now_ms, &|_| ()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pools(&self) -> StoreResult<Vec<PoolRecord>> {
        let sql = format!("SELECT {POOL_COLUMNS} FROM pools ORDER BY created_at, id");
        let rows: Vec<PoolRow> = sqlx::query_as(&sql).fetch_all(&self.db).await?;
        Ok(rows.into_iter().map(pool_from_row).collect())
    }

    async fn pool(&self, id: &str) -> StoreResult<Option<PoolRecord>> {
        let sql = format!("SELECT {POOL_COLUMNS} FROM pools WHERE id = $1");
        let row: Option<PoolRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.db).await?;
        Ok(row.map(pool_from_row))
    }

    async fn put_access_key(&self, key: &AccessKeyRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO access_keys (id, pool_id, secret_ciphertext, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.id)
        .bind(key.pool.as_str())
        .bind(&key.secret_ciphertext)
        .bind(key.created_at)
        .bind(key.revoked_at)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    async fn access_key(&self, id: &str) -> StoreResult<Option<AccessKeyRecord>> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM access_keys WHERE id = $1");
        let row: Option<KeyRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.db).await?;
        Ok(row.map(key_from_row))
    }

    async fn access_keys(&self, pool: &PoolId) -> StoreResult<Vec<AccessKeyRecord>> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM access_keys WHERE pool_id = $1 ORDER BY created_at, id");
        let rows: Vec<KeyRow> = sqlx::query_as(&sql).bind(pool.as_str()).fetch_all(&self.db).await?;
        Ok(rows.into_iter().map(key_from_row).collect())
    }

    async fn revoke_access_key(&self, id: &str, now_ms: i64) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE access_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms)
            .bind(id)
            .execute(&self.db)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn init_setting(&self, name: &str, value: &[u8]) -> StoreResult<Vec<u8>> {
        // Two nodes starting together both try; the first insert wins and both read it back.
        sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(value)
            .execute(&self.db)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE name = $1").bind(name).fetch_one(&self.db).await?)
    }

    async fn load_pool(&self, pool: &PoolId, sink: RecordSink<'_>) -> StoreResult<u64> {
        // A snapshot, so the records and the revision describe the same moment even while
        // other nodes commit (READ COMMITTED would let each statement see a different one).
        let mut tx = self.db.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        let revision: i64 = sqlx::query_scalar("SELECT revision FROM pools WHERE id = $1")
            .bind(pool.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::UnknownPool(pool.to_string()))?;
        let mut decoder = PageDecoder::new(sink);
        let mut page = String::new();
        let mut rows_in_page = 0;
        let mut bodies = sqlx::query_scalar::<_, String>("SELECT body FROM records WHERE pool_id = $1")
            .bind(pool.as_str())
            .fetch(&mut *tx);
        while let Some(body) = bodies.try_next().await? {
            if rows_in_page > 0 {
                page.push('\n');
            }
            page.push_str(&body);
            rows_in_page += 1;
            if rows_in_page == LOAD_PAGE_ROWS {
                decoder.push(std::mem::take(&mut page)).await?;
                rows_in_page = 0;
            }
        }
        drop(bodies);
        if rows_in_page > 0 {
            decoder.push(page).await?;
        }
        decoder.finish().await?;
        tx.commit().await?;
        Ok(revision as u64)
    }

    async fn commit(
        &self,
        pool: &PoolId,
        expected_revision: u64,
        mutations: &[Mutation],
        now_ms: i64,
    ) -> StoreResult<u64> {
        let rows = RecordRows::from_mutations(mutations);
        let entry = ChangelogEntry::Mutations(mutations);
        self.commit_change(pool, expected_revision, &rows, entry, now_ms, &|_| ()).await
    }

    async fn import(
        &self,
        pool: &PoolId,
        expected_revision: u64,
        rows: &RecordRows,
        now_ms: i64,
        progress: ImportProgress<'_>,
    ) -> StoreResult<u64> {
        self.commit_change(pool, expected_revision, rows, ChangelogEntry::BulkImport, now_ms, progress).await
    }

    async fn changes_since(&self, pool: &PoolId, revision: u64, limit: usize) -> StoreResult<Vec<Change>> {
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM changelog WHERE pool_id = $1 AND revision > $2 ORDER BY revision LIMIT $3"
        );
        let rows: Vec<ChangeRow> = sqlx::query_as(&sql)
            .bind(pool.as_str())
            .bind(revision as i64)
            .bind(limit as i64)
            .fetch_all(&self.db)
            .await?;
        rows.into_iter().map(change_from_row).collect()
    }

    async fn pool_revisions(&self) -> StoreResult<Vec<(PoolId, u64)>> {
        let rows: Vec<RevisionRow> = sqlx::query_as("SELECT id, revision FROM pools").fetch_all(&self.db).await?;
        Ok(rows.into_iter().map(revision_from_row).collect())
    }

    async fn watch(&self) -> StoreResult<Option<Box<dyn ChangeFeed>>> {
        // A connection of its own that lives as long as the feed, as PgListener::connect does.
        let connection = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with(self.options.clone())
            .await?;
        let mut listener = PgListener::connect_with(&connection).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(Box::new(PgChangeFeed { listener, lost: false })))
    }
}

struct PgChangeFeed {
    listener: PgListener,
    /// The last receive failed; the listener reconnects (and listens again) on its next use.
    lost: bool,
}

#[async_trait]
impl ChangeFeed for PgChangeFeed {
    async fn next(&mut self) -> StoreResult<ChangeNotice> {
        if self.lost {
            // Reconnect before reporting the resync, so that a catch-up started on it cannot
            // miss a commit whose notice would have gone to the dead connection.
            sqlx::query("SELECT 1").execute(&mut self.listener).await?;
            self.lost = false;
            return Ok(ChangeNotice::Resync);
        }
        match self.listener.try_recv().await {
            Ok(Some(notification)) => Ok(parse_notice(notification.payload())),
            // The connection dropped and the listener has already reconnected and re-listened.
            Ok(None) => Ok(ChangeNotice::Resync),
            Err(e) => {
                self.lost = true;
                Err(e.into())
            }
        }
    }
}

/// `<pool>:<revision>`; anything else (never sent by us) is answered with a full resync.
fn parse_notice(payload: &str) -> ChangeNotice {
    payload
        .rsplit_once(':')
        .and_then(|(pool, revision)| {
            Some(ChangeNotice::Committed { pool: PoolId::from_stored(pool), revision: revision.parse().ok()? })
        })
        .unwrap_or(ChangeNotice::Resync)
}
