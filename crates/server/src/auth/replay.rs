//! Freshness of signed requests (auth.md B.5): `date` parsing, the clock-skew window and the
//! nonce cache that rejects replays.

use std::collections::{HashMap, VecDeque};
use std::time::UNIX_EPOCH;

use parking_lot::Mutex;

use super::AuthError;

/// Largest accepted distance between the request's `date` and the server clock.
const SKEW_WINDOW_MS: i64 = 15 * 60 * 1000;

/// How long a nonce is remembered. Twice the skew window covers a request dated at the very
/// edge of the window on either side of the server clock, so any replay that still passes
/// the skew check is caught.
const NONCE_TTL_MS: i64 = 2 * SKEW_WINDOW_MS;

/// Default bound on remembered nonces: about 55 signed requests per second sustained over a
/// whole TTL, a few tens of MB at most.
const DEFAULT_CAPACITY: usize = 100_000;

/// Parses a `date` header (already trimmed) to Unix milliseconds. Accepted: an HTTP date as
/// JS `toUTCString()` produces it (IMF-fixdate; `httpdate` also takes the obsolete RFC 850
/// and asctime forms), or an integer Unix timestamp in milliseconds (Java SDK).
pub(super) fn parse_date(value: &str) -> Result<i64, AuthError> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().map_err(|_| AuthError::InvalidDate);
    }
    httpdate::parse_http_date(value)
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .and_then(|since_epoch| i64::try_from(since_epoch.as_millis()).ok())
        .ok_or(AuthError::InvalidDate)
}

/// Rejects a request dated more than the skew window away from `now_ms`, in either direction.
pub(super) fn check_skew(date_ms: i64, now_ms: i64) -> Result<(), AuthError> {
    if now_ms.abs_diff(date_ms) > SKEW_WINDOW_MS.unsigned_abs() {
        Err(AuthError::DateOutOfRange)
    } else {
        Ok(())
    }
}

/// Remembers `(access key id, nonce)` pairs of verified requests to reject replays.
///
/// Memory is bounded: expired entries are dropped on every insertion (amortised O(1), oldest
/// first), and beyond `capacity` live entries the oldest are forgotten early. Forgetting early
/// only matters for a replay of one of the oldest requests within its TTL, while refusing new
/// requests instead would lock out legitimate clients; only holders of a valid key can fill
/// the cache, since nonces are stored after the signature verified.
pub struct ReplayCache {
    capacity: usize,
    state: Mutex<State>,
}

/// A remembered pair: (access key id, nonce).
type Key = (String, String);

#[derive(Default)]
struct State {
    /// Expiry (Unix ms) of each remembered pair.
    expires_at: HashMap<Key, i64>,
    /// Insertion order, for expiry and eviction. Records whose pair was since re-inserted
    /// with a later expiry are stale and skipped when popped.
    order: VecDeque<(i64, Key)>,
}

impl State {
    fn forget_oldest(&mut self) {
        if let Some((expires_at, key)) = self.order.pop_front() {
            if self.expires_at.get(&key) == Some(&expires_at) {
                self.expires_at.remove(&key);
            }
        }
    }
}

impl Default for ReplayCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl ReplayCache {
    /// A cache remembering at most `capacity` live nonces.
    pub fn new(capacity: usize) -> Self {
        Self { capacity, state: Mutex::new(State::default()) }
    }

    /// Records the nonce at server time `now_ms`, or fails with
    /// [`AuthError::SignatureReused`] if the same access key used it within the TTL.
    pub(super) fn check_and_remember(&self, access_key_id: &str, nonce: &str, now_ms: i64) -> Result<(), AuthError> {
        let mut state = self.state.lock();
        // Insertion times are nearly monotonic, so expired records sit at the front. If the
        // clock stepped back, a few expired ones may linger behind a live one; the expiry
        // comparison below ignores them.
        while state.order.front().is_some_and(|(t, _)| *t <= now_ms) {
            state.forget_oldest();
        }
        let key = (access_key_id.to_owned(), nonce.to_owned());
        if state.expires_at.get(&key).is_some_and(|&t| t > now_ms) {
            return Err(AuthError::SignatureReused);
        }
        let expires_at = now_ms.saturating_add(NONCE_TTL_MS);
        state.expires_at.insert(key.clone(), expires_at);
        state.order.push_back((expires_at, key));
        while state.expires_at.len() > self.capacity {
            state.forget_oldest();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_763_863_200_000;

    fn remembered(cache: &ReplayCache) -> usize {
        cache.state.lock().expires_at.len()
    }

    #[test]
    fn parses_imf_fixdate() {
        assert_eq!(parse_date("Sun, 23 Nov 2025 02:00:00 GMT"), Ok(T0));
    }

    #[test]
    fn parses_unix_milliseconds() {
        assert_eq!(parse_date("1763863200123"), Ok(T0 + 123));
        assert_eq!(parse_date("0"), Ok(0));
    }

    #[test]
    fn rejects_other_dates() {
        for value in [
            "",
            "yesterday",
            "-1763863200000",
            "1763863200.5",
            "1.7e12",
            "99999999999999999999",
            "Sun, 23 Nov 2025 02:00:00",
            "2025-11-23T02:00:00Z",
            "Sun, 32 Nov 2025 02:00:00 GMT",
        ] {
            assert_eq!(parse_date(value), Err(AuthError::InvalidDate), "{value:?}");
        }
    }

    #[test]
    fn skew_window_is_inclusive() {
        assert_eq!(check_skew(T0, T0 + SKEW_WINDOW_MS), Ok(()));
        assert_eq!(check_skew(T0, T0 - SKEW_WINDOW_MS), Ok(()));
        assert_eq!(check_skew(T0, T0 + SKEW_WINDOW_MS + 1), Err(AuthError::DateOutOfRange));
        assert_eq!(check_skew(T0, T0 - SKEW_WINDOW_MS - 1), Err(AuthError::DateOutOfRange));
        assert_eq!(check_skew(i64::MIN, i64::MAX), Err(AuthError::DateOutOfRange));
    }

    #[test]
    fn detects_replay_per_access_key() {
        let cache = ReplayCache::default();
        assert_eq!(cache.check_and_remember("ak1", "n1", T0), Ok(()));
        assert_eq!(cache.check_and_remember("ak1", "n1", T0 + 1), Err(AuthError::SignatureReused));
        assert_eq!(cache.check_and_remember("ak2", "n1", T0 + 1), Ok(()));
        assert_eq!(cache.check_and_remember("ak1", "n2", T0 + 1), Ok(()));
    }

    #[test]
    fn forgets_nonces_after_twice_the_skew_window() {
        let cache = ReplayCache::default();
        cache.check_and_remember("ak", "n", T0).unwrap();
        assert_eq!(cache.check_and_remember("ak", "n", T0 + NONCE_TTL_MS - 1), Err(AuthError::SignatureReused));
        assert_eq!(cache.check_and_remember("ak", "n", T0 + NONCE_TTL_MS), Ok(()));
    }

    #[test]
    fn expired_entries_are_purged() {
        let cache = ReplayCache::default();
        for i in 0..10 {
            cache.check_and_remember("ak", &i.to_string(), T0 + i).unwrap();
        }
        assert_eq!(remembered(&cache), 10);
        cache.check_and_remember("ak", "late", T0 + 5 + NONCE_TTL_MS).unwrap();
        // Entries inserted at T0+0..=T0+5 expired; T0+6..=T0+9 and "late" remain.
        assert_eq!(remembered(&cache), 5);
        assert_eq!(cache.state.lock().order.len(), 5);
    }

    #[test]
    fn capacity_evicts_oldest() {
        let cache = ReplayCache::new(2);
        for nonce in ["a", "b", "c"] {
            cache.check_and_remember("ak", nonce, T0).unwrap();
        }
        assert_eq!(remembered(&cache), 2);
        assert_eq!(cache.check_and_remember("ak", "c", T0), Err(AuthError::SignatureReused));
        assert_eq!(cache.check_and_remember("ak", "a", T0), Ok(()));
    }

    #[test]
    fn clock_stepping_back_keeps_reinserted_entries() {
        let cache = ReplayCache::default();
        cache.check_and_remember("ak", "a", T0 + 1000).unwrap();
        // Earlier clock: "b" is queued behind "a" although it expires first.
        cache.check_and_remember("ak", "b", T0).unwrap();
        // "b" expired but is still queued; it is accepted and re-inserted.
        cache.check_and_remember("ak", "b", T0 + NONCE_TTL_MS + 500).unwrap();
        // Purging "a" and the stale "b" record must not drop the new "b".
        assert_eq!(cache.check_and_remember("ak", "b", T0 + NONCE_TTL_MS + 1000), Err(AuthError::SignatureReused));
        assert_eq!(remembered(&cache), 1);
    }
}
