//! Domain operations. Each write is planned against a read-only [`PoolState`] and returns the
//! mutations that carry it out; nothing changes until the service has made them durable.
//! One module per API area.

pub mod authorization;
pub mod cascade;
pub mod groups;
pub mod namespaces;
pub mod organizations;
pub mod resources;
pub mod roles;
pub mod users;

use crate::mutation::Mutation;
use crate::state::PoolState;
use crate::DomainError;

/// A planned write: the mutations to commit and what to answer once they are applied.
#[derive(Debug)]
pub struct Planned<T> {
    pub mutations: Vec<Mutation>,
    pub output: T,
}

impl<T> Planned<T> {
    pub fn new(mutations: Vec<Mutation>, output: T) -> Self {
        Self { mutations, output }
    }
}

pub type Plan<T> = Result<Planned<T>, DomainError>;

/// One page of a listing: 1-based `page`, `limit` items (already range-checked at the edge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { page: 1, limit: 10 }
    }
}

/// A page of results plus the total number of matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub total: usize,
    pub items: Vec<T>,
}

impl PageRequest {
    /// Cuts one page out of `items`, which the caller has already sorted.
    pub fn slice<T>(self, items: Vec<T>) -> Page<T> {
        let total = items.len();
        let start = (self.page as usize - 1).saturating_mul(self.limit as usize);
        let items = items.into_iter().skip(start).take(self.limit as usize).collect();
        Page { total, items }
    }
}

/// Resolves the request's namespace code (absent = `default`) to a namespace, or the
/// contract's `权限组不存在`.
pub fn namespace_in<'a>(state: &'a PoolState, code: Option<&str>) -> Result<&'a crate::model::Namespace, DomainError> {
    state.namespace_by_code(code.unwrap_or("default")).ok_or(DomainError::NamespaceNotFound)
}

/// Newest first, then by id (ids are time-ordered), as every listing in the contract is.
pub fn sort_newest_first<T>(items: &mut [T], key: impl Fn(&T) -> (i64, &str)) {
    items.sort_by(|a, b| {
        let (ta, ia) = key(a);
        let (tb, ib) = key(b);
        tb.cmp(&ta).then_with(|| ib.cmp(ia))
    });
}
