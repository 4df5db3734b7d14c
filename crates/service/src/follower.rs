//! Following the other nodes that share the database. Each node holds every pool in memory, so
//! commits made elsewhere must be applied here too: woken by the store's change feed (one notice
//! per commit), and by comparing every pool's revision with the store once a second, at start-up
//! and after the feed reconnects, because notices can be lost. Applying goes through
//! [`Service::catch_up`], which applies each change once and in order.

use crate::pools::Service;
use crate::ServiceResult;
use portcullis_core::ids::PoolId;
use portcullis_store::{ChangeFeed, ChangeNotice};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::mpsc;

/// How often every pool is compared with the store, as a safety net for lost notices.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The pause after the feed failed before it tries to reconnect.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);
/// Notices waiting to be applied; a full queue makes the feed wait (PostgreSQL queues for it).
const QUEUE: usize = 1024;

impl Service {
    /// Starts following commits made by other nodes, when the store can announce them; returns
    /// whether it did. The follower stops on its own once the service is dropped.
    pub async fn start_following(self: &Arc<Self>) -> ServiceResult<bool> {
        let Some(feed) = self.store().watch().await? else { return Ok(false) };
        let (sender, notices) = mpsc::channel(QUEUE);
        // The feed gets a task of its own: its receive is not safe to cancel, which waiting
        // for the next notice or the poll timer in one `select!` would do.
        let listener = tokio::spawn(forward(feed, sender));
        tokio::spawn(follow(Arc::downgrade(self), notices, listener));
        Ok(true)
    }

    /// Brings the pool up to at least `revision`, loading it if another node created it.
    async fn follow_pool(&self, pool: &PoolId, revision: u64) -> ServiceResult<()> {
        match self.loaded(pool.as_str()) {
            Some(handle) if handle.revision() < revision => self.catch_up(&handle).await,
            // Already applied: usually the notice of this node's own commit.
            Some(_) => Ok(()),
            None => self.pool(pool.as_str()).await.map(drop),
        }
    }

    /// Compares every pool with the store and follows those that moved on. A pool that fails
    /// is logged and retried at the next comparison, without holding up the others.
    pub async fn sync_all(&self) -> ServiceResult<()> {
        for (pool, revision) in self.store().pool_revisions().await? {
            if let Err(error) = self.follow_pool(&pool, revision).await {
                tracing::warn!(%pool, %error, "cannot follow pool");
            }
        }
        Ok(())
    }
}

async fn forward(mut feed: Box<dyn ChangeFeed>, notices: mpsc::Sender<ChangeNotice>) {
    loop {
        match feed.next().await {
            Ok(notice) => {
                if notices.send(notice).await.is_err() {
                    return; // the follower stopped
                }
            }
            Err(error) => {
                tracing::warn!(%error, "change feed lost its connection; reconnecting");
                tokio::time::sleep(RECONNECT_DELAY).await;
            }
        }
    }
}

async fn follow(
    service: Weak<Service>,
    mut notices: mpsc::Receiver<ChangeNotice>,
    listener: tokio::task::JoinHandle<()>,
) {
    // The first tick is immediate: commits made before the feed listened were not announced.
    let mut poll = tokio::time::interval(POLL_INTERVAL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut feed_alive = true;
    loop {
        let notice = tokio::select! {
            notice = notices.recv(), if feed_alive => match notice {
                Some(notice) => notice,
                None => {
                    // Only a panic ends the feed task; polling still keeps this node current.
                    tracing::error!("change feed task ended; following by polling only");
                    feed_alive = false;
                    continue;
                }
            },
            _ = poll.tick() => ChangeNotice::Resync,
        };
        let Some(service) = service.upgrade() else { break };
        let followed = match notice {
            ChangeNotice::Committed { pool, revision } => service.follow_pool(&pool, revision).await,
            ChangeNotice::Resync => service.sync_all().await,
        };
        if let Err(error) = followed {
            tracing::warn!(%error, "cannot follow the other nodes");
        }
    }
    listener.abort();
}
