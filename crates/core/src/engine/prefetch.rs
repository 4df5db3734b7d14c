//! Software prefetch: asks the CPU to start loading memory a check will read shortly.
//!
//! On a large pool every table a check reads (the user's row, the instance and class buckets)
//! is a cache miss. Left alone, those misses follow one another, because each is met only when
//! the code reaches it; prefetching each as soon as its address is known lets them overlap.

const CACHE_LINE: usize = 64;

/// Prefetches the cache lines of `data`, at most `max_lines` of them (a long bucket streams in
/// behind its first lines anyway, and is usually left early).
#[inline(always)]
pub(crate) fn prefetch_slice<T>(data: &[T], max_lines: usize) {
    let bytes = std::mem::size_of_val(data).min(max_lines * CACHE_LINE);
    prefetch_bytes(data.as_ptr().cast(), bytes);
}

/// Prefetches the cache lines that `value` occupies.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    prefetch_bytes((value as *const T).cast(), std::mem::size_of::<T>());
}

#[inline(always)]
fn prefetch_bytes(start: *const u8, bytes: usize) {
    // One prefetch per line, from the line holding `start` to the one holding the last byte.
    let misalignment = start as usize % CACHE_LINE;
    let mut line = start.wrapping_sub(misalignment);
    for _ in 0..(misalignment + bytes).div_ceil(CACHE_LINE) {
        prefetch_line(line);
        line = line.wrapping_add(CACHE_LINE);
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch_line(address: *const u8) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: a prefetch is only a hint: it never faults, whatever the address, and changes no
    // memory or register. SSE, which the intrinsic requires, is part of every x86_64 target.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(address.cast()) }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn prefetch_line(_address: *const u8) {}
