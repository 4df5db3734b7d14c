use portcullis_core::ids::IdSource;
use rand::RngCore;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// 24-hex ids that sort by creation time: 48-bit milliseconds, a 24-bit process-wide counter and
/// 24 random bits (so ids from different nodes in the same millisecond do not collide).
#[derive(Default)]
pub struct TimeOrderedIds;

impl IdSource for TimeOrderedIds {
    fn next_id(&mut self) -> String {
        let millis = crate::now_ms() as u64 & 0xFFFF_FFFF_FFFF;
        let count = COUNTER.fetch_add(1, Ordering::Relaxed) & 0xFF_FFFF;
        let random = rand::thread_rng().next_u32() & 0xFF_FFFF;
        format!("{millis:012x}{count:06x}{random:06x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_24_hex_and_increase() {
        let mut ids = TimeOrderedIds;
        let a = ids.next_id();
        let b = ids.next_id();
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(b > a);
    }
}
