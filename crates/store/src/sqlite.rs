//! The embedded default: one SQLite database file in the data directory, in WAL mode with full
//! fsync on commit, so an acknowledged write survives a crash.

use super::*;
use sqlx::sqlite::SqliteArguments;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Arguments, Connection, Row, SqliteConnection, SqlitePool};
use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::sync::LazyLock;
use std::time::Duration;

#[derive(Clone)]
pub struct SqliteStore {
    db: SqlitePool,
    /// Kept to open the dedicated connection of [`Store::import`].
    options: SqliteConnectOptions,
}

/// Page cache of the pool's connections, in KiB: loading a pool reads the records table in key
/// order, once, so a larger cache would only add to the server's memory.
const CACHE_KIB: i64 = 4 * 1024;
/// Page cache of an import's connection, in KiB: an import appends to the right edge of the
/// table's B-tree, whose pages it dirties again and again, so they should stay in memory.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

impl SqliteStore {
    /// Opens (creating if needed) `portcullis.db` in `data_dir` and applies migrations.
    pub async fn open(data_dir: &Path) -> StoreResult<Self> {
        let path = data_dir.join("portcullis.db");
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            // Only for a new database (SQLite fixes the page size when it creates the file):
            // 16 KiB pages make a bulk import ~15% faster than 4 KiB ones (fewer B-tree splits).
            .page_size(16384)
            // Checkpoints leave the WAL file at its largest size unless told otherwise, which
            // after a bulk import is the size of the import.
            .pragma("journal_size_limit", (64 << 20).to_string());
        let db = SqlitePoolOptions::new().max_connections(4).connect_with(options.clone()).await?;
        sqlx::migrate!("./migrations/sqlite").run(&db).await?;
        Ok(Self { db, options })
    }

    /// Commits one change: checks and bumps the revision, writes the rows and the changelog
    /// entry, in one transaction.
    async fn commit_change(
        connection: &mut SqliteConnection,
        pool: &PoolId,
        expected_revision: u64,
        rows: &RecordRows,
        entry: ChangelogEntry<'_>,
        now_ms: i64,
        progress: ImportProgress<'_>,
    ) -> StoreResult<u64> {
        let next = expected_revision + 1;
        let mut tx = connection.begin().await?;
        let bumped = sqlx::query("UPDATE pools SET revision = ? WHERE id = ? AND revision = ?")
            .bind(next as i64)
            .bind(pool.as_str())
            .bind(expected_revision as i64)
            .execute(&mut *tx)
            .await?;
        if bumped.rows_affected() != 1 {
            let current: Option<i64> = sqlx::query_scalar("SELECT revision FROM pools WHERE id = ?")
                .bind(pool.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match current {
                Some(current) => StoreError::Conflict { current: current as u64 },
                None => StoreError::UnknownPool(pool.to_string()),
            });
        }
        Self::write_rows(&mut tx, pool, rows, progress).await?;
        Self::append_changelog(&mut tx, pool, next, entry, now_ms).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Writes the rows in order. Consecutive puts go in multi-row statements of [`PUT_ROWS`]
    /// rows, so a bulk import is not one statement per record, and each statement's arguments
    /// are encoded while SQLite runs the one before (sqlx copies arguments to its worker thread,
    /// which on a large import costs as much as the worker's own work).
    async fn write_rows(
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        pool: &PoolId,
        rows: &RecordRows,
        progress: ImportProgress<'_>,
    ) -> StoreResult<()> {
        let mut rest = rows.rows();
        let mut written = 0;
        let mut next = RowStatement::next(pool, &mut rest)?;
        while let Some(RowStatement { sql, arguments, rows }) = next {
            let (done, following) = tokio::join!(sqlx::query_with(&sql, arguments).execute(&mut **tx), async {
                RowStatement::next(pool, &mut rest)
            });
            done?;
            written += rows;
            progress(written);
            next = following?;
        }
        Ok(())
    }

    async fn append_changelog(
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        pool: &PoolId,
        revision: u64,
        entry: ChangelogEntry<'_>,
        now_ms: i64,
    ) -> StoreResult<()> {
        let (mutations, bulk_import) = entry.columns();
        sqlx::query(
            "INSERT INTO changelog (pool_id, revision, mutations, bulk_import, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(pool.as_str())
        .bind(revision as i64)
        .bind(mutations)
        .bind(bulk_import)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// A page of record bodies joined by line breaks, and the page's last kind and key; all `NULL`
/// past the last page.
type PageRow = (Option<String>, Option<String>, Option<String>);

/// Rows per multi-row insert: 4 parameters each, within SQLite's limit of 32766 parameters.
const PUT_ROWS: usize = 1000;

/// One statement of [`SqliteStore::write_rows`]: a delete, or an insert of consecutive puts.
struct RowStatement {
    sql: Cow<'static, str>,
    arguments: SqliteArguments<'static>,
    rows: usize,
}

impl RowStatement {
    /// The statement for the first rows of `rest`, which it then skips.
    fn next(pool: &PoolId, rest: &mut &[RowWrite]) -> StoreResult<Option<Self>> {
        let Some(first) = rest.first() else { return Ok(None) };
        let mut arguments = SqliteArguments::default();
        let encoded = |e| StoreError::Database(sqlx::Error::Encode(e));
        let (sql, rows) = if first.body.is_none() {
            arguments.add(pool.as_str().to_owned()).map_err(encoded)?;
            arguments.add(first.kind).map_err(encoded)?;
            arguments.add(first.key.clone()).map_err(encoded)?;
            (Cow::Borrowed("DELETE FROM records WHERE pool_id = ? AND kind = ? AND key = ?"), 1)
        } else {
            let puts = rest.iter().take(PUT_ROWS).take_while(|row| row.body.is_some()).count();
            for row in &rest[..puts] {
                // Not one numbered parameter for all rows: sqlx looks every parameter's name
                // up, which SQLite answers by a scan of the statement's parameters.
                arguments.add(pool.as_str().to_owned()).map_err(encoded)?;
                arguments.add(row.kind).map_err(encoded)?;
                arguments.add(row.key.clone()).map_err(encoded)?;
                arguments.add(row.body.clone()).map_err(encoded)?;
            }
            let sql = if puts == PUT_ROWS { Cow::Borrowed(FULL_INSERT.as_str()) } else { Cow::Owned(insert_sql(puts)) };
            (sql, puts)
        };
        *rest = &rest[rows..];
        Ok(Some(Self { sql, arguments, rows }))
    }
}

static FULL_INSERT: LazyLock<String> = LazyLock::new(|| insert_sql(PUT_ROWS));

fn insert_sql(rows: usize) -> String {
    format!(
        "INSERT OR REPLACE INTO records (pool_id, kind, key, body) VALUES {}",
        vec!["(?, ?, ?, ?)"; rows].join(", ")
    )
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_pool(&self, pool: &PoolRecord, initial: &[Mutation], now_ms: i64) -> StoreResult<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query("INSERT INTO pools (id, name, created_at, revision) VALUES (?, ?, ?, 1)")
            .bind(pool.id.as_str())
            .bind(&pool.name)
            .bind(pool.created_at)
            .execute(&mut *tx)
            .await?;
        Self::write_rows(&mut tx, &pool.id, &RecordRows::from_mutations(initial), &|_| ()).await?;
        Self::append_changelog(&mut tx, &pool.id, 1, ChangelogEntry::Mutations(initial), now_ms).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pools(&self) -> StoreResult<Vec<PoolRecord>> {
        let sql = format!("SELECT {POOL_COLUMNS} FROM pools ORDER BY created_at, id");
        let rows: Vec<PoolRow> = sqlx::query_as(&sql).fetch_all(&self.db).await?;
        Ok(rows.into_iter().map(pool_from_row).collect())
    }

    async fn pool(&self, id: &str) -> StoreResult<Option<PoolRecord>> {
        let sql = format!("SELECT {POOL_COLUMNS} FROM pools WHERE id = ?");
        let row: Option<PoolRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.db).await?;
        Ok(row.map(pool_from_row))
    }

    async fn put_access_key(&self, key: &AccessKeyRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO access_keys (id, pool_id, secret_ciphertext, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)",
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
        let sql = format!("SELECT {KEY_COLUMNS} FROM access_keys WHERE id = ?");
        let row: Option<KeyRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.db).await?;
        Ok(row.map(key_from_row))
    }

    async fn access_keys(&self, pool: &PoolId) -> StoreResult<Vec<AccessKeyRecord>> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM access_keys WHERE pool_id = ? ORDER BY created_at, id");
        let rows: Vec<KeyRow> = sqlx::query_as(&sql).bind(pool.as_str()).fetch_all(&self.db).await?;
        Ok(rows.into_iter().map(key_from_row).collect())
    }

    async fn revoke_access_key(&self, id: &str, now_ms: i64) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE access_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(now_ms)
            .bind(id)
            .execute(&self.db)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn init_setting(&self, name: &str, value: &[u8]) -> StoreResult<Vec<u8>> {
        sqlx::query("INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)")
            .bind(name)
            .bind(value)
            .execute(&self.db)
            .await?;
        let row = sqlx::query("SELECT value FROM settings WHERE name = ?").bind(name).fetch_one(&self.db).await?;
        Ok(row.get("value"))
    }

    async fn load_pool(&self, pool: &PoolId, sink: RecordSink<'_>) -> StoreResult<u64> {
        // One read transaction, so the records and the revision describe the same moment.
        let mut tx = self.db.begin().await?;
        let revision: i64 = sqlx::query_scalar("SELECT revision FROM pools WHERE id = ?")
            .bind(pool.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::UnknownPool(pool.to_string()))?;
        // A page of rows per query, concatenated by SQLite: sqlx hands rows from its worker
        // thread one at a time, which cost more than reading them. The page's last key comes
        // from the row that holds the maximum (SQLite's bare columns beside `max`); `char(1)`
        // sorts below every character of a kind or key, so the concatenation orders as the
        // (kind, key) pair does.
        let mut decoder = PageDecoder::new(sink);
        let mut after = (String::new(), String::new());
        loop {
            let (page, last_kind, last_key): PageRow = sqlx::query_as(
                "SELECT group_concat(body, char(10)), kind, key, max(kind || char(1) || key) FROM \
                 (SELECT kind, key, body FROM records WHERE pool_id = ? AND (kind, key) > (?, ?) \
                 ORDER BY kind, key LIMIT ?)",
            )
            .bind(pool.as_str())
            .bind(&after.0)
            .bind(&after.1)
            .bind(LOAD_PAGE_ROWS as i64)
            .fetch_one(&mut *tx)
            .await?;
            let (Some(page), Some(kind), Some(key)) = (page, last_kind, last_key) else { break };
            decoder.push(page).await?;
            after = (kind, key);
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
        Self::commit_change(&mut *self.db.acquire().await?, pool, expected_revision, &rows, entry, now_ms, &|_| ())
            .await
    }

    async fn import(
        &self,
        pool: &PoolId,
        expected_revision: u64,
        rows: &RecordRows,
        now_ms: i64,
        progress: ImportProgress<'_>,
    ) -> StoreResult<u64> {
        let options = self.options.clone().pragma("cache_size", format!("-{IMPORT_CACHE_KIB}"));
        let mut connection = SqliteConnection::connect_with(&options).await?;
        let committed = Self::commit_change(
            &mut connection,
            pool,
            expected_revision,
            rows,
            ChangelogEntry::BulkImport,
            now_ms,
            progress,
        )
        .await;
        if committed.is_ok() {
            // The commit checkpointed the import into the database file; the WAL file is still
            // as large as the import until the next checkpoint empties it. Best effort: a
            // reader still on the old snapshot makes it wait for a later one.
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut connection).await {
                tracing::warn!(%error, "cannot truncate the write-ahead log after an import");
            }
        }
        if let Err(error) = connection.close().await {
            // The outcome is already decided; SQLite recovers an unclean close on next open.
            tracing::warn!(%error, "cannot close the import's connection");
        }
        committed
    }

    async fn changes_since(&self, pool: &PoolId, revision: u64, limit: usize) -> StoreResult<Vec<Change>> {
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM changelog WHERE pool_id = ? AND revision > ? ORDER BY revision LIMIT ?"
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

    /// One node owns a SQLite file; operator commands only add pools and keys, which the server
    /// looks up on demand, so there is nothing to follow.
    async fn watch(&self) -> StoreResult<Option<Box<dyn ChangeFeed>>> {
        Ok(None)
    }
}
