//! Bulk import: records that are already valid (a generated dataset, an export of another pool)
//! go into a pool as one change. The core's planners, which validate API requests, are skipped;
//! every line must still decode as a [`Mutation`]. The whole file is parsed (on every core)
//! before anything is written, so a bad line stops the import with nothing written, and the
//! rows are then written in key order in one transaction ([`Store::import`]).
//!
//! [`Store::import`]: portcullis_store::Store::import

use crate::pools::{PoolHandle, Service};
use crate::{now_ms, ServiceResult};
use portcullis_core::{record_kinds, Mutation, PoolState, Record, RecordKey};
use portcullis_store::{ImportProgress, RecordRows, RowWrite, StoreError};
use rayon::iter::{ParallelBridge, ParallelIterator};
use std::io::Read;
use thiserror::Error;

/// Bytes read per parsing task; a task ends at the last line break within its bytes.
const CHUNK_BYTES: usize = 4 << 20;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read the input: {0}")]
    Read(#[from] std::io::Error),
    #[error("line {line}: {message}")]
    BadLine { line: usize, message: String },
}

/// Reads JSON lines, one [`Mutation`] each (blank lines are skipped), into the rows to write;
/// of several mutations of one key, the last wins. `progress` is told the bytes read so far.
pub fn read_import(input: impl Read + Send, progress: &(dyn Fn(u64) + Sync)) -> Result<RecordRows, ImportError> {
    let mut parsed = Chunks { input, carry: Vec::new(), next_index: 0, next_line: 1, read: 0 }
        .par_bridge()
        .map(|chunk| {
            let chunk = chunk?;
            progress(chunk.read_so_far);
            Ok((chunk.index, parse_lines(&chunk.text, chunk.first_line)?))
        })
        .collect::<Result<Vec<_>, ImportError>>()?;
    parsed.sort_unstable_by_key(|(index, _)| *index);
    let mut rows = Vec::with_capacity(parsed.iter().map(|(_, rows)| rows.len()).sum());
    for (_, chunk) in parsed {
        rows.extend(chunk);
    }
    Ok(RecordRows::new(rows))
}

fn parse_lines(text: &str, first_line: usize) -> Result<Vec<RowWrite>, ImportError> {
    let mut rows = Vec::with_capacity(text.len() / 160);
    for (line, number) in text.lines().zip(first_line..) {
        if line.trim().is_empty() {
            continue;
        }
        let mutation: Mutation =
            serde_json::from_str(line).map_err(|e| ImportError::BadLine { line: number, message: e.to_string() })?;
        rows.push(RowWrite::of(&mutation));
    }
    Ok(rows)
}

struct Chunk {
    index: usize,
    first_line: usize,
    read_so_far: u64,
    text: String,
}

/// The input cut into chunks of whole lines.
struct Chunks<R> {
    input: R,
    /// The partial last line of the previous read.
    carry: Vec<u8>,
    next_index: usize,
    next_line: usize,
    read: u64,
}

impl<R: Read> Iterator for Chunks<R> {
    type Item = Result<Chunk, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut bytes = std::mem::take(&mut self.carry);
        // Read until the bytes hold a whole line (the rest is carried to the next chunk), or
        // the input ends, where the last line needs no line break.
        loop {
            let read = match self.input.by_ref().take(CHUNK_BYTES as u64).read_to_end(&mut bytes) {
                Ok(read) => read,
                Err(e) => return Some(Err(e.into())),
            };
            self.read += read as u64;
            if read < CHUNK_BYTES {
                break;
            }
            if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
                self.carry = bytes.split_off(end + 1);
                break;
            }
        }
        if bytes.is_empty() {
            return None;
        }
        let first_line = self.next_line;
        self.next_line += bytes.iter().filter(|&&b| b == b'\n').count();
        let index = self.next_index;
        self.next_index += 1;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = first_line + valid.iter().filter(|&&b| b == b'\n').count();
                return Some(Err(ImportError::BadLine { line, message: "not UTF-8".to_owned() }));
            }
        };
        Some(Ok(Chunk { index, first_line, read_so_far: self.read, text }))
    }
}

impl Service {
    /// Writes `rows` to the pool as one change and unloads the pool from this service (the
    /// next use loads it again, as does every other node holding it); returns the committed
    /// revision. A namespace whose code the pool already uses under another id (the `default`
    /// namespace every new pool starts with) replaces that namespace.
    pub async fn import(
        &self,
        pool: &PoolHandle,
        mut rows: RecordRows,
        progress: ImportProgress<'_>,
    ) -> ServiceResult<u64> {
        let _writer = pool.writer.lock().await;
        loop {
            let revision = pool.revision();
            let replaced = pool.read(|state| replaced_namespaces(state, &rows))?;
            let added: Vec<RowWrite> = replaced.into_iter().filter(|write| rows.insert_before(write.clone())).collect();
            match self.store().import(&pool.id, revision, &rows, now_ms(), progress).await {
                Ok(committed) => {
                    self.unload(&pool.id);
                    return Ok(committed);
                }
                Err(StoreError::Conflict { .. }) => {
                    for write in &added {
                        rows.remove(write.kind, &write.key);
                    }
                    self.catch_up_locked(pool).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// Deletions of the namespaces in `state` whose codes `rows` puts under other ids.
fn replaced_namespaces(state: &PoolState, rows: &RecordRows) -> ServiceResult<Vec<RowWrite>> {
    let mut replaced = Vec::new();
    for row in rows.of_kind(record_kinds::NAMESPACE) {
        let Some(Record::Namespace(namespace)) = row.record().transpose()? else { continue };
        if let Some(existing) = state.namespace_by_code(namespace.code.as_str()).filter(|e| e.id != namespace.id) {
            replaced.push(RowWrite::of(&Mutation::Delete(RecordKey::Namespace(existing.id.clone()))));
        }
    }
    Ok(replaced)
}
