//! The service: pools in memory, the write path, and operator actions (pools, keys).

use crate::ids::TimeOrderedIds;
use crate::keys::KeyCache;
use crate::secrets::MasterKey;
use crate::{now_ms, ServiceResult};
use parking_lot::RwLock;
use portcullis_core::ids::{OpContext, PoolId};
use portcullis_core::ops::{namespaces, Plan};
use portcullis_core::{Mutation, PoolState};
use portcullis_store::{ChangeBody, PoolRecord, Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// A pool further behind than this many changes is reloaded from the store rather than replayed.
const MAX_REPLAY: usize = 10_000;

/// One pool held in memory. Readers take the state lock briefly; everything that changes the
/// state (local writes, catching up with other nodes) is serialised by `writer`, so a change is
/// applied exactly once and in revision order, and holds the state lock only while applying.
pub struct PoolHandle {
    pub id: PoolId,
    state: RwLock<Applied>,
    pub(crate) writer: tokio::sync::Mutex<()>,
    /// The applied revision, published for [`PoolHandle::wait_for_revision`].
    applied: watch::Sender<u64>,
}

struct Applied {
    revision: u64,
    state: PoolState,
}

impl PoolHandle {
    /// Runs `f` against the current state.
    pub fn read<R>(&self, f: impl FnOnce(&PoolState) -> R) -> R {
        f(&self.state.read().state)
    }

    /// The revision of the last change applied in memory.
    pub fn revision(&self) -> u64 {
        self.state.read().revision
    }

    /// Waits until this node has applied `revision` (read-your-writes across nodes); false if
    /// it has not within `timeout`.
    pub async fn wait_for_revision(&self, revision: u64, timeout: Duration) -> bool {
        let mut applied = self.applied.subscribe();
        let waited = tokio::time::timeout(timeout, applied.wait_for(|&current| current >= revision)).await;
        // The sender lives in `self`, so the wait can only end by reaching it or timing out.
        waited.is_ok_and(|reached| reached.is_ok())
    }

    fn new(id: PoolId, (revision, state): (u64, PoolState)) -> Self {
        Self {
            id,
            state: RwLock::new(Applied { revision, state }),
            writer: tokio::sync::Mutex::new(()),
            applied: watch::Sender::new(revision),
        }
    }

    /// Applies one committed change under the state lock and publishes its revision. Takes the
    /// mutations by value, so no record is copied on the way into the state.
    fn apply(&self, applied: &mut Applied, revision: u64, mutations: Vec<Mutation>) {
        for mutation in mutations {
            applied.state.apply(mutation);
        }
        applied.revision = revision;
        self.applied.send_replace(revision);
    }

    /// Replaces the state with a fresh load of the pool, unless that load is older.
    fn replace(&self, (revision, state): (u64, PoolState)) {
        let mut applied = self.state.write();
        if revision >= applied.revision {
            *applied = Applied { revision, state };
            self.applied.send_replace(revision);
        }
    }
}

pub struct Service {
    store: Arc<dyn Store>,
    master: MasterKey,
    pools: RwLock<HashMap<PoolId, Arc<PoolHandle>>>,
    pub(crate) keys: KeyCache,
}

impl Service {
    /// Opens the service over `store`. Pools are loaded into memory on first use, so that an
    /// operator command (an import, a new key) does not pay for loading every other pool.
    pub async fn open(store: Arc<dyn Store>, master: MasterKey) -> ServiceResult<Arc<Self>> {
        Ok(Arc::new(Self { store, master, pools: RwLock::new(HashMap::new()), keys: KeyCache::default() }))
    }

    /// Loads every pool not yet in memory: a server does before it answers, so that no request
    /// waits for a load.
    pub async fn load_all(&self) -> ServiceResult<()> {
        for pool in self.store.pools().await? {
            if self.loaded(pool.id.as_str()).is_none() {
                self.load(&pool.id).await?;
            }
        }
        Ok(())
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub(crate) fn master(&self) -> &MasterKey {
        &self.master
    }

    /// Builds the pool's state from the store, page by page as the store decodes them, so the
    /// decoded records are never all held beside the state.
    async fn load_state(&self, id: &PoolId) -> ServiceResult<(u64, PoolState)> {
        let mut state = PoolState::default();
        let revision = self.store.load_pool(id, &mut |records| state.insert_loaded(records)).await?;
        crate::memory::return_freed_memory();
        Ok((revision, state))
    }

    async fn load(&self, id: &PoolId) -> ServiceResult<Arc<PoolHandle>> {
        let handle = Arc::new(PoolHandle::new(id.clone(), self.load_state(id).await?));
        Ok(self.pools.write().entry(id.clone()).or_insert(handle).clone())
    }

    /// Drops the pool from memory; its next use loads it from the store again.
    pub(crate) fn unload(&self, id: &PoolId) {
        self.pools.write().remove(id);
    }

    /// The pool if it is already in memory (no store access).
    pub fn loaded(&self, id: &str) -> Option<Arc<PoolHandle>> {
        self.pools.read().get(id).cloned()
    }

    /// The pool with this id, loading it if another process created it since start-up.
    pub async fn pool(&self, id: &str) -> ServiceResult<Option<Arc<PoolHandle>>> {
        if let Some(handle) = self.loaded(id) {
            return Ok(Some(handle));
        }
        match self.store.pool(id).await? {
            Some(record) => Ok(Some(self.load(&record.id).await?)),
            None => Ok(None),
        }
    }

    /// Plans a write against the pool's current state, commits it, then applies it in memory.
    /// If another node committed first, catches up and plans again.
    pub async fn write<T>(
        &self,
        pool: &PoolHandle,
        plan: impl Fn(&PoolState, &mut OpContext) -> Plan<T>,
    ) -> ServiceResult<T> {
        let _writer = pool.writer.lock().await;
        loop {
            let now = now_ms();
            let mut ids = TimeOrderedIds;
            let (revision, planned) = {
                let applied = pool.state.read();
                (applied.revision, plan(&applied.state, &mut OpContext::new(now, &mut ids))?)
            };
            if planned.mutations.is_empty() {
                return Ok(planned.output);
            }
            if self.commit_locked(pool, revision, planned.mutations, now).await?.is_ok() {
                return Ok(planned.output);
            }
        }
    }

    /// Commits `mutations` as the change after `revision` and applies them in memory, returning
    /// the committed revision; or, if another node committed first, catches up and hands the
    /// mutations back (`Ok(Err(..))`) so that the caller can try again. The caller holds the
    /// pool's writer lock.
    pub(crate) async fn commit_locked(
        &self,
        pool: &PoolHandle,
        revision: u64,
        mutations: Vec<Mutation>,
        now: i64,
    ) -> ServiceResult<Result<u64, Vec<Mutation>>> {
        match self.store.commit(&pool.id, revision, &mutations, now).await {
            Ok(committed) => {
                pool.apply(&mut pool.state.write(), committed, mutations);
                Ok(Ok(committed))
            }
            Err(StoreError::Conflict { .. }) => {
                self.catch_up_locked(pool).await?;
                Ok(Err(mutations))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Applies every change committed to the pool (by any node) since the revision held in
    /// memory, in revision order and each exactly once.
    pub async fn catch_up(&self, pool: &PoolHandle) -> ServiceResult<()> {
        let _writer = pool.writer.lock().await;
        self.catch_up_locked(pool).await
    }

    /// [`Service::catch_up`] for a caller that holds the pool's writer lock. Replays the
    /// changelog; rebuilds the pool from the store instead when it is too far behind, when a
    /// change is a bulk import (its records are not in the changelog), or when the changelog
    /// does not continue exactly where memory stands (a gap would corrupt the state).
    pub(crate) async fn catch_up_locked(&self, pool: &PoolHandle) -> ServiceResult<()> {
        let from = pool.revision();
        let changes = self.store.changes_since(&pool.id, from, MAX_REPLAY + 1).await?;
        let contiguous = changes.iter().zip(from + 1..).all(|(change, expected)| change.revision == expected);
        let replayable: Option<Vec<(u64, Vec<Mutation>)>> = changes
            .into_iter()
            .map(|change| match change.body {
                ChangeBody::Mutations(mutations) => Some((change.revision, mutations)),
                ChangeBody::BulkImport => None,
            })
            .collect();
        match replayable {
            Some(changes) if changes.len() <= MAX_REPLAY && contiguous => {
                let mut applied = pool.state.write();
                for (revision, mutations) in changes {
                    pool.apply(&mut applied, revision, mutations);
                }
            }
            _ => {
                tracing::info!(pool = %pool.id, from, contiguous, "rebuilding pool from the store");
                pool.replace(self.load_state(&pool.id).await?);
            }
        }
        Ok(())
    }

    /// Creates a pool with its `default` namespace. `id` is the pool id to use (the bootstrap
    /// key's id), or a fresh one.
    pub async fn create_pool(&self, name: &str, id: Option<&str>) -> ServiceResult<PoolId> {
        let now = now_ms();
        let mut ids = TimeOrderedIds;
        let mut cx = OpContext::new(now, &mut ids);
        let id = match id {
            Some(id) => PoolId::from_stored(id),
            None => cx.new_id(),
        };
        let initial = vec![namespaces::create_default(&mut cx)];
        let record = PoolRecord { id: id.clone(), name: name.to_owned(), created_at: now };
        self.store.create_pool(&record, &initial, now).await?;
        self.load(&id).await?;
        Ok(id)
    }

    pub async fn pools(&self) -> ServiceResult<Vec<PoolRecord>> {
        Ok(self.store.pools().await?)
    }

    /// The HS256 key for management tokens: generated once, stored encrypted, kept across restarts.
    pub async fn token_signing_key(&self) -> ServiceResult<Vec<u8>> {
        let fresh: [u8; 32] = rand::random();
        let stored = self.store.init_setting("token_signing_key", &self.master.encrypt(&fresh)).await?;
        Ok(self.master.decrypt(&stored)?)
    }
}
