//! The grants of a pool, indexed for the questions the engine asks. Owned by [`PoolState`]
//! (which alone changes it, through `apply`), so every view is updated in the same step.
//!
//! A check must not look at every grant of the user: it looks up the few grant codes that can
//! cover the requested resource (semantics §5.1) and tests only the grants filed under them:
//!
//! * rule 1 (`G == R`): the bucket of `R` itself;
//! * rule 4 (class `books` covers `books:7`): the bucket of the part of `R` before its first `:`;
//! * rules 2 and 3 (`*`, `books:*`, `books:fic*`): codes ending in `*` are filed by their prefix,
//!   and each namespace counts its distinct prefix lengths, so a check probes `R[..n]` only for
//!   lengths `n` some wildcard grant actually has (usually one or two).
//!
//! [`PoolState`]: crate::state::PoolState

use crate::codes::{Action, GrantCode};
use crate::ids::NamespaceId;
use crate::model::{Grant, GrantTarget};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The hash maps of the state and the index: foldhash is several times faster than SipHash on
/// short ids and codes (profiles showed SipHash at ~12% of a check) and, seeded per map, still
/// resists collision flooding.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A one-word summary of a grant's actions, so a check rejects most candidates without reading
/// the grant (profiles showed the action comparisons and the pointer chases to the grant, its
/// action list and each action string dominating a check). Each listed name sets the bit its
/// FNV-1a hash picks; `*` and `prefix:*` patterns set every bit. A clear bit proves no match; a
/// set bit is confirmed with [`crate::engine::action_matches`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionBits(u64);

impl ActionBits {
    fn of(actions: &[Action]) -> Self {
        Self(actions.iter().fold(0, |bits, a| {
            let a = a.as_str();
            bits | if a == "*" || a.ends_with(":*") { u64::MAX } else { Self::bit(a) }
        }))
    }

    /// The bit of one action name.
    pub(crate) fn bit(action: &str) -> u64 {
        let hash =
            action.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        1 << (hash % 64)
    }
}

/// A grant as filed under its code: shared (`Arc`) with the by-target view instead of copied,
/// next to its action summary.
#[derive(Clone, Debug)]
struct Entry {
    actions: ActionBits,
    grant: Arc<Grant>,
}

/// The grants on one code in one namespace, one per target.
type Bucket = BTreeMap<GrantTarget, Entry>;

#[derive(Default, Debug, Clone)]
struct NamespaceGrants {
    /// Codes without a trailing `*`: instances (`books:1`) and classes (`books`).
    exact: HashMap<GrantCode, Bucket>,
    /// Codes ending in `*`, by the code without that `*` (`books:*` → `books:`, `*` → ``).
    wildcard: HashMap<Box<str>, Bucket>,
    /// For each prefix length in `wildcard`, how many prefixes have it.
    prefix_lengths: BTreeMap<usize, usize>,
}

impl NamespaceGrants {
    fn bucket(&self, code: &str) -> Option<&Bucket> {
        match code.strip_suffix('*') {
            Some(prefix) => self.wildcard.get(prefix),
            None => self.exact.get(code),
        }
    }

    fn bucket_mut(&mut self, code: &GrantCode) -> &mut Bucket {
        match code.as_str().strip_suffix('*') {
            Some(prefix) => {
                if !self.wildcard.contains_key(prefix) {
                    *self.prefix_lengths.entry(prefix.len()).or_default() += 1;
                }
                self.wildcard.entry(prefix.into()).or_default()
            }
            None => self.exact.entry(code.clone()).or_default(),
        }
    }

    /// Removes the grant of `target` on `code`, dropping the bucket (and its prefix length) once
    /// it is empty so that checks never probe lengths no grant has any more.
    fn remove(&mut self, target: &GrantTarget, code: &str) -> Option<Entry> {
        match code.strip_suffix('*') {
            Some(prefix) => {
                let bucket = self.wildcard.get_mut(prefix)?;
                let removed = bucket.remove(target);
                if bucket.is_empty() {
                    self.wildcard.remove(prefix);
                    if let Some(count) = self.prefix_lengths.get_mut(&prefix.len()) {
                        *count -= 1;
                        if *count == 0 {
                            self.prefix_lengths.remove(&prefix.len());
                        }
                    }
                }
                removed
            }
            None => {
                let bucket = self.exact.get_mut(code)?;
                let removed = bucket.remove(target);
                if bucket.is_empty() {
                    self.exact.remove(code);
                }
                removed
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.wildcard.is_empty()
    }

    /// Every grant whose code covers `resource` and whose [`ActionBits`] have `action_bit`. One
    /// can come twice: a class code ending in `*` (`ab*` for `ab*:1`) is met both as the class
    /// and as a wildcard.
    fn covering<'a>(
        &'a self,
        resource: &'a str,
        action_bit: u64,
    ) -> impl Iterator<Item = (&'a GrantTarget, &'a Grant)> + 'a {
        let exact = self.exact.get(resource);
        let class = resource.split_once(':').and_then(|(class, _)| self.bucket(class));
        let wildcards = self
            .prefix_lengths
            .range(..=resource.len())
            .filter_map(move |(&length, _)| resource.get(..length).and_then(|prefix| self.wildcard.get(prefix)));
        exact
            .into_iter()
            .chain(class)
            .chain(wildcards)
            .flatten()
            .filter(move |(_, entry)| entry.actions.0 & action_bit != 0)
            .map(|(target, entry)| (target, &*entry.grant))
    }
}

#[derive(Default, Debug, Clone)]
pub(crate) struct GrantIndex {
    by_namespace: HashMap<NamespaceId, NamespaceGrants>,
    /// Every grant of a target, in any namespace (listings of one target, deletion cascades).
    by_target: HashMap<GrantTarget, BTreeMap<(NamespaceId, GrantCode), Arc<Grant>>>,
}

impl GrantIndex {
    /// Files `grant`, replacing the grant with the same key.
    pub(crate) fn insert(&mut self, grant: Grant) {
        self.remove(&grant.namespace, &grant.target, &grant.code);
        let grant = Arc::new(grant);
        self.by_target
            .entry(grant.target.clone())
            .or_default()
            .insert((grant.namespace.clone(), grant.code.clone()), grant.clone());
        let namespace = self.by_namespace.entry(grant.namespace.clone()).or_default();
        let entry = Entry { actions: ActionBits::of(&grant.actions), grant: grant.clone() };
        namespace.bucket_mut(&grant.code).insert(grant.target.clone(), entry);
    }

    pub(crate) fn remove(&mut self, namespace: &NamespaceId, target: &GrantTarget, code: &GrantCode) {
        let Some(grants) = self.by_namespace.get_mut(namespace) else { return };
        if grants.remove(target, code.as_str()).is_none() {
            return;
        }
        if grants.is_empty() {
            self.by_namespace.remove(namespace);
        }
        if let Some(of_target) = self.by_target.get_mut(target) {
            of_target.remove(&(namespace.clone(), code.clone()));
            if of_target.is_empty() {
                self.by_target.remove(target);
            }
        }
    }

    pub(crate) fn get(&self, namespace: &NamespaceId, target: &GrantTarget, code: &str) -> Option<&Grant> {
        self.by_namespace.get(namespace)?.bucket(code)?.get(target).map(|entry| &*entry.grant)
    }

    pub(crate) fn of_target<'a>(&'a self, target: &GrantTarget) -> impl Iterator<Item = &'a Grant> + 'a {
        self.by_target.get(target).into_iter().flat_map(|grants| grants.values().map(|g| &**g))
    }

    pub(crate) fn on_code<'a>(&'a self, namespace: &NamespaceId, code: &str) -> impl Iterator<Item = &'a Grant> + 'a {
        let bucket = self.by_namespace.get(namespace).and_then(|grants| grants.bucket(code));
        bucket.into_iter().flat_map(|grants| grants.values().map(|entry| &*entry.grant))
    }

    pub(crate) fn covering<'a>(
        &'a self,
        namespace: &NamespaceId,
        resource: &'a str,
        action: &str,
    ) -> impl Iterator<Item = (&'a GrantTarget, &'a Grant)> + 'a {
        let bit = ActionBits::bit(action);
        self.by_namespace.get(namespace).into_iter().flat_map(move |grants| grants.covering(resource, bit))
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &Grant> {
        self.by_target.values().flat_map(|grants| grants.values().map(|g| &**g))
    }

    pub(crate) fn len(&self) -> usize {
        self.by_target.values().map(BTreeMap::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::covers;
    use crate::ids::UserId;
    use crate::test_support::grant;

    const CODES: &[&str] = &["*", "books", "books:*", "books:1", "books:12", "books:fic*", "a:b", "a", "额*", "额:1"];
    const RESOURCES: &[&str] =
        &["books", "books:1", "books:12", "books:fiction", "books:*", "a:b", "a:b:c", "额:1", "x"];

    fn index(codes: &[&str]) -> GrantIndex {
        let mut index = GrantIndex::default();
        for (i, code) in codes.iter().enumerate() {
            let target = GrantTarget::User(UserId::from_stored(format!("u{i}")));
            let actions = vec![Action::parse("read").unwrap()];
            index.insert(Grant { actions, ..grant(NamespaceId::from_stored("ns"), target, code) });
        }
        index
    }

    /// A clear bit proves the grant cannot match; patterns and `*` never get filtered out.
    #[test]
    fn action_bits_never_reject_a_matching_grant() {
        let names = ["read", "write", "books:read", "books:*", "*", "x"];
        for granted in names.iter().flat_map(|a| names.iter().map(move |b| [*a, *b])) {
            let actions: Vec<Action> = granted.iter().map(|a| Action::parse(a).unwrap()).collect();
            for asked in ["read", "write", "books:read", "books:edit", "other", "*"] {
                if crate::engine::action_matches(&actions, asked) {
                    assert_ne!(ActionBits::of(&actions).0 & ActionBits::bit(asked), 0, "{granted:?} {asked}");
                }
            }
        }
    }

    /// The candidates are exactly the covering grants (up to repeats), for every rule of §5.1.
    #[test]
    fn candidates_are_the_covering_grants() {
        let index = index(CODES);
        let ns = NamespaceId::from_stored("ns");
        for resource in RESOURCES {
            let mut found: Vec<&str> = index.covering(&ns, resource, "read").map(|(_, g)| g.code.as_str()).collect();
            found.sort();
            found.dedup();
            let mut expected: Vec<&str> = CODES.iter().copied().filter(|code| covers(code, resource)).collect();
            expected.sort();
            assert_eq!(found, expected, "{resource}");
        }
    }

    #[test]
    fn removing_the_last_wildcard_of_a_length_stops_probing_it() {
        let mut index = index(&["books:*", "pens:*"]);
        let ns = NamespaceId::from_stored("ns");
        assert_eq!(index.by_namespace[&ns].prefix_lengths.get(&5), Some(&1));
        index.remove(&ns, &GrantTarget::User(UserId::from_stored("u1")), &GrantCode::parse("pens:*").unwrap());
        assert_eq!(index.by_namespace[&ns].prefix_lengths.get(&5), None);
        assert_eq!(index.by_namespace[&ns].prefix_lengths.get(&6), Some(&1));
        index.remove(&ns, &GrantTarget::User(UserId::from_stored("u0")), &GrantCode::parse("books:*").unwrap());
        assert!(index.by_namespace.is_empty() && index.by_target.is_empty());
        assert_eq!(index.len(), 0);
    }
}
