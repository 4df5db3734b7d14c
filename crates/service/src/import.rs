//! Bulk import: records that are already valid (a generated dataset, an export of another pool)
//! go into a pool in large batches, one change per batch. The core's planners, which validate
//! API requests, are skipped; every batch still goes through the store's commit (so the
//! changelog stays complete and other nodes follow it) and through [`PoolState::apply`].
//!
//! [`PoolState::apply`]: portcullis_core::PoolState::apply

use crate::pools::{PoolHandle, Service};
use crate::{now_ms, ServiceResult};
use portcullis_core::{Mutation, PoolState, Record};

impl Service {
    /// Commits `batch` to the pool as one change and applies it in memory; returns the
    /// committed revision. A namespace whose code the pool already uses under another id (the
    /// `default` namespace every new pool starts with) replaces that namespace.
    pub async fn import_batch(&self, pool: &PoolHandle, mut batch: Vec<Mutation>) -> ServiceResult<u64> {
        let _writer = pool.writer.lock().await;
        loop {
            let revision = pool.revision();
            let replaced = pool.read(|state| replaced_namespaces(state, &batch));
            batch.splice(0..0, replaced);
            match self.commit_locked(pool, revision, batch, now_ms()).await? {
                Ok(committed) => return Ok(committed),
                Err(returned) => batch = returned,
            }
        }
    }
}

/// Deletions of the namespaces in `state` whose codes `batch` puts under other ids.
fn replaced_namespaces(state: &PoolState, batch: &[Mutation]) -> Vec<Mutation> {
    batch
        .iter()
        .filter_map(|mutation| match mutation {
            Mutation::Put(Record::Namespace(namespace)) => state
                .namespace_by_code(namespace.code.as_str())
                .filter(|existing| existing.id != namespace.id)
                .map(|existing| Mutation::Delete(Record::Namespace(existing.clone()).key())),
            _ => None,
        })
        .collect()
}
