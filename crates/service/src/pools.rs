//! The service: pools in memory, the write path, and operator actions (pools, keys).

use crate::ids::TimeOrderedIds;
use crate::keys::KeyCache;
use crate::secrets::MasterKey;
use crate::{now_ms, ServiceResult};
use parking_lot::RwLock;
use portcullis_core::ids::{OpContext, PoolId};
use portcullis_core::ops::{namespaces, Plan};
use portcullis_core::PoolState;
use portcullis_store::{PoolRecord, Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// One pool held in memory. Readers take the state lock briefly; writers are serialised by
/// `writer` and hold the state lock only while applying an already-committed change.
pub struct PoolHandle {
    pub id: PoolId,
    state: RwLock<Applied>,
    writer: tokio::sync::Mutex<()>,
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
}

pub struct Service {
    store: Arc<dyn Store>,
    master: MasterKey,
    pools: RwLock<HashMap<PoolId, Arc<PoolHandle>>>,
    pub(crate) keys: KeyCache,
}

impl Service {
    /// Opens the service over `store`, loading every pool into memory.
    pub async fn open(store: Arc<dyn Store>, master: MasterKey) -> ServiceResult<Arc<Self>> {
        let service = Arc::new(Self { store, master, pools: RwLock::new(HashMap::new()), keys: KeyCache::default() });
        for pool in service.store.pools().await? {
            service.load(&pool.id).await?;
        }
        Ok(service)
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub(crate) fn master(&self) -> &MasterKey {
        &self.master
    }

    async fn load(&self, id: &PoolId) -> ServiceResult<Arc<PoolHandle>> {
        let loaded = self.store.load_pool(id).await?;
        let handle = Arc::new(PoolHandle {
            id: id.clone(),
            state: RwLock::new(Applied { revision: loaded.revision, state: PoolState::from_records(loaded.records) }),
            writer: tokio::sync::Mutex::new(()),
        });
        Ok(self.pools.write().entry(id.clone()).or_insert(handle).clone())
    }

    /// The pool with this id, loading it if another process created it since start-up.
    pub async fn pool(&self, id: &str) -> ServiceResult<Option<Arc<PoolHandle>>> {
        if let Some(handle) = self.pools.read().get(id) {
            return Ok(Some(handle.clone()));
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
            match self.store.commit(&pool.id, revision, &planned.mutations, now).await {
                Ok(committed) => {
                    let mut applied = pool.state.write();
                    applied.state.apply_all(&planned.mutations);
                    applied.revision = committed;
                    return Ok(planned.output);
                }
                Err(StoreError::Conflict { .. }) => self.catch_up(pool).await?,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Applies every change committed to the pool since the revision held in memory.
    pub async fn catch_up(&self, pool: &PoolHandle) -> ServiceResult<()> {
        let from = pool.revision();
        let changes = self.store.changes_since(&pool.id, from).await?;
        let mut applied = pool.state.write();
        for change in changes {
            if change.revision == applied.revision + 1 {
                applied.state.apply_all(&change.mutations);
                applied.revision = change.revision;
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
