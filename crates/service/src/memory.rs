//! Loading a pool decodes every record on several threads and moves most of its parts into the
//! state; what is dropped on the way leaves free chunks scattered among the state's, which
//! glibc's allocator keeps mapped. Handing them back after a load keeps the server's resident
//! memory close to what its pools need: on the medium dataset 440 MB → 390 MB.

/// Returns memory the allocator holds but no longer uses to the operating system.
pub(crate) fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` has no preconditions; it only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}
