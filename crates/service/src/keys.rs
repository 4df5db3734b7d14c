//! Access keys: creation, revocation, and the lookup every authenticated request makes.

use crate::pools::Service;
use crate::{now_ms, ServiceError, ServiceResult};
use parking_lot::Mutex;
use portcullis_core::ids::PoolId;
use portcullis_store::AccessKeyRecord;
use rand::distributions::Alphanumeric;
use rand::Rng;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A key as handed to an operator: the secret is shown once and then only stored encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub pool: PoolId,
    pub secret: String,
}

/// What authentication needs to know about a key id.
#[derive(Debug, Clone)]
pub struct ResolvedKey {
    pub pool: PoolId,
    pub secret: String,
}

/// How long a looked-up key is trusted before the store is asked again, so that a key revoked
/// by the CLI stops working on a running server within this time.
const KEY_CACHE_TTL: Duration = Duration::from_secs(2);

#[derive(Default)]
pub(crate) struct KeyCache(Mutex<HashMap<String, (Instant, Option<ResolvedKey>)>>);

fn random_secret() -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(32).map(char::from).collect()
}

impl Service {
    /// Creates an access key for `pool`. `id`/`secret` default to fresh random values.
    pub async fn create_access_key(
        &self,
        pool: &PoolId,
        id: Option<&str>,
        secret: Option<&str>,
    ) -> ServiceResult<AccessKey> {
        let id = id.map(str::to_owned).unwrap_or_else(|| {
            let mut ids = crate::TimeOrderedIds;
            portcullis_core::ids::IdSource::next_id(&mut ids)
        });
        let secret = secret.map(str::to_owned).unwrap_or_else(random_secret);
        let record = AccessKeyRecord {
            id: id.clone(),
            pool: pool.clone(),
            secret_ciphertext: self.master().encrypt(secret.as_bytes()),
            created_at: now_ms(),
            revoked_at: None,
        };
        self.store().put_access_key(&record).await?;
        self.keys.0.lock().remove(&id);
        Ok(AccessKey { id, pool: pool.clone(), secret })
    }

    pub async fn revoke_access_key(&self, id: &str) -> ServiceResult<bool> {
        let revoked = self.store().revoke_access_key(id, now_ms()).await?;
        self.keys.0.lock().remove(id);
        Ok(revoked)
    }

    pub async fn access_keys(&self, pool: &PoolId) -> ServiceResult<Vec<AccessKeyRecord>> {
        Ok(self.store().access_keys(pool).await?)
    }

    /// The active key with this id, if any.
    pub async fn resolve_access_key(&self, id: &str) -> ServiceResult<Option<ResolvedKey>> {
        if let Some((fetched, key)) = self.keys.0.lock().get(id) {
            if fetched.elapsed() < KEY_CACHE_TTL {
                return Ok(key.clone());
            }
        }
        let key = match self.store().access_key(id).await? {
            Some(record) if record.revoked_at.is_none() => {
                let secret = String::from_utf8(self.master().decrypt(&record.secret_ciphertext)?)
                    .map_err(|_| ServiceError::Config(format!("stored secret of key {id} is not UTF-8")))?;
                Some(ResolvedKey { pool: record.pool, secret })
            }
            _ => None,
        };
        let mut cache = self.keys.0.lock();
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(id.to_owned(), (Instant::now(), key.clone()));
        Ok(key)
    }

    /// First-start bootstrap. With an operator-supplied key, makes sure it exists (creating its
    /// pool, whose id is the key id, if needed) and refuses a secret that differs from the stored
    /// one. Without one, creates a default pool and key when the server has no pool yet.
    /// Returns a key only when it was generated here, so the caller can print it once.
    pub async fn bootstrap(&self, supplied: Option<(&str, &str)>) -> ServiceResult<Option<AccessKey>> {
        match supplied {
            Some((id, secret)) => {
                if let Some(existing) = self.resolve_access_key(id).await? {
                    if existing.secret != secret {
                        return Err(ServiceError::Config(format!(
                            "PORTCULLIS_ACCESS_KEY_SECRET differs from the stored secret of access key {id}; \
                             the stored key is kept (revoke it with `portcullis key revoke` to replace it)"
                        )));
                    }
                    return Ok(None);
                }
                let pool = match self.pool(id).await? {
                    Some(pool) => pool.id.clone(),
                    None => self.create_pool("default", Some(id)).await?,
                };
                self.create_access_key(&pool, Some(id), Some(secret)).await?;
                Ok(None)
            }
            None if self.pools().await?.is_empty() => {
                let pool = self.create_pool("default", None).await?;
                Ok(Some(self.create_access_key(&pool, Some(pool.as_str()), None).await?))
            }
            None => Ok(None),
        }
    }
}
