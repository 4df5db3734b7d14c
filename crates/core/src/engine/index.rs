//! The grants of a pool, indexed for the questions the engine asks. Owned by [`PoolState`]
//! (which alone changes it, through `apply`), so every view is updated in the same step.
//!
//! A check must not look at every grant of the user: it looks up the few grant codes that can
//! cover the requested resource (semantics §5.1) and tests only the grants filed under them:
//!
//! * rule 1 (`G == R`): the bucket of `R` itself;
//! * rule 4 (class `books` covers `books:7`) and the wildcards within a class (`books:*`,
//!   `books:fic*`, rules 2–3): all filed under the class, found by one look-up of the part of
//!   `R` before its first `:`;
//! * wildcards without `:` (`*`, `bo*`): filed by prefix, and each namespace counts its distinct
//!   prefix lengths, so a check probes `R[..n]` only for lengths `n` some such grant has.
//!
//! Every look-up a check makes is a random access into a large table, so their number (about
//! three) is what a check costs on a big pool; the buckets found are scanned contiguously.
//!
//! [`PoolState`]: crate::state::PoolState

use crate::codes::{Action, GrantCode};
use crate::engine::action_matches;
use crate::engine::prefetch::prefetch_slice;
use crate::engine::principals::Principal;
use crate::engine::symbols::Interner;
use crate::ids::NamespaceId;
use crate::model::{Effect, Grant, GrantTarget};
use smallvec::SmallVec;
use std::collections::BTreeMap;
use std::ops::ControlFlow::{self, Continue};
use std::sync::Arc;

/// The hash maps of the state and the index: foldhash is several times faster than SipHash on
/// short ids and codes (profiles showed SipHash at ~12% of a check) and, seeded per map, still
/// resists collision flooding.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A string as a hash-map key, its bytes inline up to the length of a server id. A check's
/// look-ups (user, resource code, class, wildcard prefixes) then compare the key inside the
/// table; with shared or boxed strings each hit cost one more cache miss for the key's bytes
/// (profiles: that deref was the largest remaining cost of a check on medium).
pub(crate) type InlineKey = smallvec::SmallVec<[u8; 24]>;

pub(crate) fn inline_key(text: &str) -> InlineKey {
    InlineKey::from_slice(text.as_bytes())
}

/// A grant's actions as one word, so a check decides most candidates without reading the grant
/// (profiles showed the pointer chases to the grant, its action list and each action string
/// dominating a check). Action names are interned; a name whose symbol is below [`CONFIRM`]'s
/// bit sets its own bit, which is then an exact answer. `*` sets every bit. `prefix:*` patterns
/// and names with larger symbols set the [`CONFIRM`] bit: those candidates are confirmed with
/// [`action_matches`] against the grant.
#[derive(Clone, Copy, Debug)]
struct ActionSet(u64);

const CONFIRM: u64 = 1 << 63;

impl ActionSet {
    /// Interns the actions (sharing their strings) and summarises them.
    fn of(actions: &mut [Action], names: &mut Interner<Action>) -> Self {
        Self(actions.iter_mut().fold(0, |bits, action| {
            let bit = match action.as_str() {
                "*" => u64::MAX,
                pattern if pattern.ends_with(":*") => CONFIRM,
                _ => Self::exact_bit(names.intern(action)),
            };
            bits | bit
        }))
    }

    fn exact_bit(sym: u32) -> u64 {
        if sym < 63 {
            1 << sym
        } else {
            CONFIRM
        }
    }

    /// Whether the grant's actions include `asked` (whose exact bit is `asked_bit`, 0 for a name
    /// no grant ever listed).
    fn matches(self, asked_bit: u64, granted: &[Action], asked: &str) -> bool {
        self.0 & asked_bit & !CONFIRM != 0 || (self.0 & CONFIRM != 0 && action_matches(granted, asked))
    }
}

/// A grant as filed under its code: what a check needs inline (the grant itself is shared with
/// the by-target view, and read only to confirm a pattern).
#[derive(Clone, Debug)]
struct Slot {
    principal: Principal,
    /// Which of its bucket's codes the grant is on: 0 the bucket's own code; in a class's
    /// bucket, `i + 1` is the wildcard whose prefix is [`ClassGrants::prefixes`]`[i]`.
    code: u32,
    actions: ActionSet,
    effect: Effect,
    inherit_by_children: bool,
    grant: Arc<Grant>,
}

/// A grant whose code covers the resource and whose actions include the action asked about.
pub(crate) struct Candidate {
    pub(crate) principal: Principal,
    pub(crate) effect: Effect,
    pub(crate) inherit_by_children: bool,
}

/// Grants filed together, one per target and code, unordered. A plain vector of small slots,
/// so a check scans a bucket in a few adjacent cache lines (profiles showed B-tree navigation at
/// a quarter of a check). Adding a grant pushes; replacing or deleting one scans its bucket for
/// the slot, a cost linear in the grants filed with it.
type Bucket = Vec<Slot>;

/// The grants filed under one class (`books`): on the class code itself, and on the wildcard
/// codes whose prefix names the class (`books:*`, `books:fic*`). Only resources of the class
/// can be covered by these, so one look-up by the resource's class finds them all, in one
/// bucket.
#[derive(Default, Debug, Clone)]
struct ClassGrants {
    /// The class's wildcard codes without their `*` (`books:fic*` → `books:fic`), inline: a
    /// check compares them with the resource.
    prefixes: SmallVec<[InlineKey; 2]>,
    slots: Bucket,
}

impl ClassGrants {
    /// The slot code of the wildcard with `prefix`.
    fn code_of(&self, prefix: &str) -> Option<u32> {
        let index = self.prefixes.iter().position(|p| p.as_slice() == prefix.as_bytes())?;
        Some(u32::try_from(index + 1).expect("fewer than 2^32 wildcards in a class"))
    }

    /// Whether the slot code `code` covers `resource`, a resource of this class.
    fn covers(&self, code: u32, resource: &str) -> bool {
        code == 0 || resource.as_bytes().starts_with(&self.prefixes[code as usize - 1])
    }

    /// Forgets the wildcard of slot code `code` once no slot has it, renumbering the rest.
    fn drop_unused(&mut self, code: u32) {
        if code == 0 || self.slots.iter().any(|slot| slot.code == code) {
            return;
        }
        self.prefixes.remove(code as usize - 1);
        for slot in self.slots.iter_mut().filter(|slot| slot.code > code) {
            slot.code -= 1;
        }
    }
}

/// Where a code's grants are filed.
enum Place<'a> {
    /// `books:1`: a code with `:` and no trailing `*`, with its class.
    Instance(&'a str, &'a str),
    /// `books`: a class, also the exact code of the resource `books`.
    Class(&'a str),
    /// `books:fic*`, by class and prefix.
    ClassWildcard(&'a str, &'a str),
    /// `*`, `bo*`: a prefix without `:`.
    Wildcard(&'a str),
}

impl<'a> Place<'a> {
    fn of(code: &'a str) -> Self {
        match (code.strip_suffix('*'), code.split_once(':')) {
            (Some(prefix), Some((class, _))) => Self::ClassWildcard(class, prefix),
            (Some(prefix), None) => Self::Wildcard(prefix),
            (None, Some((class, _))) => Self::Instance(code, class),
            (None, None) => Self::Class(code),
        }
    }
}

#[derive(Default, Debug, Clone)]
struct NamespaceGrants {
    /// Codes with `:` and no trailing `*` (`books:1`), each linked to its class.
    instances: HashMap<InlineKey, Instance>,
    /// The number of each class (`books`) in `class_grants`.
    classes: HashMap<InlineKey, u32>,
    /// By class number: class codes and the wildcards within a class. A class is numbered when
    /// a grant first names it or one of its instances, and keeps its number and entry (empty
    /// or not) from then on, so an instance can link to it: a check on a resource with an
    /// instance bucket finds the class's grants without a second look-up by name. The cost is
    /// one entry per class ever used, as for symbols ([`crate::engine::symbols`]).
    class_grants: Vec<ClassGrants>,
    /// Wildcards without `:` (`*`, `bo*`), by the code without that `*` (`*` → ``).
    wildcard: HashMap<InlineKey, Bucket>,
    /// The lengths of the prefixes in `wildcard`.
    prefix_lengths: PrefixLengths,
}

/// The grants on one instance code, and the number of its class's grants.
#[derive(Debug, Clone)]
struct Instance {
    class: u32,
    slots: Bucket,
}

/// The distinct lengths of a namespace's `:`-less wildcard prefixes, each with how many prefixes
/// have it, in ascending order. A sorted small vector: a namespace has a few such lengths, and
/// every check walks them (a `BTreeMap` range cost a check ~80 instructions, callgrind).
#[derive(Default, Debug, Clone)]
struct PrefixLengths(SmallVec<[(usize, usize); 4]>);

impl PrefixLengths {
    fn add(&mut self, length: usize) {
        match self.0.binary_search_by_key(&length, |&(l, _)| l) {
            Ok(i) => self.0[i].1 += 1,
            Err(i) => self.0.insert(i, (length, 1)),
        }
    }

    fn remove(&mut self, length: usize) {
        if let Ok(i) = self.0.binary_search_by_key(&length, |&(l, _)| l) {
            self.0[i].1 -= 1;
            if self.0[i].1 == 0 {
                self.0.remove(i);
            }
        }
    }

    /// The lengths up to `max`, ascending.
    fn up_to(&self, max: usize) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(|&(length, _)| length).take_while(move |&length| length <= max)
    }

    #[cfg(test)]
    fn count(&self, length: usize) -> Option<usize> {
        self.0.iter().find(|&&(l, _)| l == length).map(|&(_, count)| count)
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl NamespaceGrants {
    /// The grants on exactly `code`.
    fn on_code<'a>(&'a self, code: &str) -> impl Iterator<Item = &'a Slot> + 'a {
        let (bucket, slot_code) = match Place::of(code) {
            Place::Instance(code, _) => (self.instances.get(code.as_bytes()).map(|instance| &instance.slots), Some(0)),
            Place::Class(class) => (self.class(class).map(|grants| &grants.slots), Some(0)),
            Place::ClassWildcard(class, prefix) => {
                let grants = self.class(class);
                (grants.map(|grants| &grants.slots), grants.and_then(|grants| grants.code_of(prefix)))
            }
            Place::Wildcard(prefix) => (self.wildcard.get(prefix.as_bytes()), Some(0)),
        };
        bucket.into_iter().flatten().filter(move |slot| Some(slot.code) == slot_code)
    }

    /// Files `slot` (its code field is set here) under `code`.
    fn file(&mut self, code: &str, mut slot: Slot) {
        let bucket = match Place::of(code) {
            Place::Instance(code, class) => {
                let class = self.class_number(class);
                &mut self
                    .instances
                    .entry(inline_key(code))
                    .or_insert_with(|| Instance { class, slots: Vec::new() })
                    .slots
            }
            Place::Class(class) => {
                let class = self.class_number(class);
                &mut self.class_grants[class as usize].slots
            }
            Place::ClassWildcard(class, prefix) => {
                let class = self.class_number(class);
                let grants = &mut self.class_grants[class as usize];
                slot.code = grants.code_of(prefix).unwrap_or_else(|| {
                    grants.prefixes.push(inline_key(prefix));
                    u32::try_from(grants.prefixes.len()).expect("fewer than 2^32 wildcards in a class")
                });
                &mut grants.slots
            }
            Place::Wildcard(prefix) => {
                if !self.wildcard.contains_key(prefix.as_bytes()) {
                    self.prefix_lengths.add(prefix.len());
                }
                self.wildcard.entry(inline_key(prefix)).or_default()
            }
        };
        bucket.push(slot);
    }

    /// Removes the grant of `principal` on `code`, dropping emptied buckets (and prefix lengths
    /// and class wildcards) so that checks never probe what no grant has any more; a class's
    /// entry stays, emptied (see [`NamespaceGrants::class_grants`]).
    fn remove(&mut self, principal: Principal, code: &str) {
        let take = |bucket: &mut Bucket, code: u32| {
            let position = bucket.iter().position(|slot| slot.principal == principal && slot.code == code);
            position.map(|position| bucket.swap_remove(position));
        };
        match Place::of(code) {
            Place::Instance(code, _) => {
                let Some(instance) = self.instances.get_mut(code.as_bytes()) else { return };
                take(&mut instance.slots, 0);
                if instance.slots.is_empty() {
                    self.instances.remove(code.as_bytes());
                }
            }
            Place::Class(class) | Place::ClassWildcard(class, _) => {
                let Some(&number) = self.classes.get(class.as_bytes()) else { return };
                let grants = &mut self.class_grants[number as usize];
                let slot_code = match Place::of(code) {
                    Place::ClassWildcard(_, prefix) => grants.code_of(prefix),
                    _ => Some(0),
                };
                if let Some(slot_code) = slot_code {
                    take(&mut grants.slots, slot_code);
                    grants.drop_unused(slot_code);
                }
            }
            Place::Wildcard(prefix) => {
                let Some(bucket) = self.wildcard.get_mut(prefix.as_bytes()) else { return };
                take(bucket, 0);
                if bucket.is_empty() {
                    self.wildcard.remove(prefix.as_bytes());
                    self.prefix_lengths.remove(prefix.len());
                }
            }
        }
    }

    /// The grants filed under `class`, if a grant ever named it or one of its instances.
    fn class(&self, class: &str) -> Option<&ClassGrants> {
        self.classes.get(class.as_bytes()).map(|&number| &self.class_grants[number as usize])
    }

    /// The number of `class`, numbering it if new.
    fn class_number(&mut self, class: &str) -> u32 {
        if let Some(&number) = self.classes.get(class.as_bytes()) {
            return number;
        }
        let number = u32::try_from(self.class_grants.len()).expect("fewer than 2^32 classes");
        self.class_grants.push(ClassGrants::default());
        self.classes.insert(inline_key(class), number);
        number
    }

    /// The buckets whose grants may cover `resource`, looked up now (see [`Covering`]).
    fn covering<'a>(&'a self, resource: &'a str, action: &'a str, action_bit: u64) -> Covering<'a> {
        let (class, instance) = match resource.split_once(':') {
            Some((class, _)) => (class, self.instances.get(resource.as_bytes())),
            None => (resource, None),
        };
        let covering = Covering {
            resource,
            class_length: class.len(),
            action,
            action_bit,
            instance: instance.map_or(&[], |instance| &instance.slots),
            // Through the instance's link when it has grants: one look-up less.
            class: match instance {
                Some(instance) => Some(&self.class_grants[instance.class as usize]),
                None => self.class(class),
            },
            namespace: Some(self),
        };
        prefetch_slice(covering.instance, BUCKET_PREFETCH_LINES);
        if let Some(class) = covering.class {
            prefetch_slice(&class.slots, BUCKET_PREFETCH_LINES);
        }
        covering
    }
}

/// How much of a bucket is prefetched when it is found.
const BUCKET_PREFETCH_LINES: usize = 8;

/// The grants of a namespace that may cover one resource: its instance bucket and its class's
/// bucket, found (and their slots prefetched) before any slot is read, so that their cache
/// misses overlap each other and the user's look-up the check makes next.
pub(crate) struct Covering<'a> {
    resource: &'a str,
    /// The length of the resource's class: the part before its first `:`, or all of it.
    class_length: usize,
    action: &'a str,
    action_bit: u64,
    /// The grants on exactly `resource` (only a resource with `:` has them here).
    instance: &'a [Slot],
    /// The grants filed under the resource's class (a resource without `:` is its own class).
    class: Option<&'a ClassGrants>,
    /// For the `:`-less wildcards (few, and probed only when the scan reaches them); `None`
    /// when the namespace has no grants.
    namespace: Option<&'a NamespaceGrants>,
}

impl Covering<'_> {
    /// Offers `visit` every grant whose code covers the resource and whose actions include the
    /// action, until it breaks: the instance bucket, the class bucket's slots whose code covers
    /// the resource (the class code, and the wildcards of the class whose prefix starts it),
    /// and the `:`-less wildcards, probed only for the prefix lengths some grant has, up to the
    /// resource's first `:`. One can come twice: a class code ending in `*` (`ab*` for `ab*:1`)
    /// is met both as the class and as a wildcard.
    ///
    /// Plain loops over the slices rather than a chain of iterator adapters: a check visits a
    /// few dozen slots, and the adapters' state machine cost more instructions than the slots'
    /// tests (callgrind).
    #[inline]
    pub(crate) fn try_for_each<B>(&self, mut visit: impl FnMut(Candidate) -> ControlFlow<B>) -> ControlFlow<B> {
        for slot in self.instance {
            self.offer(slot, &mut visit)?;
        }
        if let Some(class) = self.class {
            for slot in class.slots.iter().filter(|slot| class.covers(slot.code, self.resource)) {
                self.offer(slot, &mut visit)?;
            }
        }
        let Some(grants) = self.namespace else { return Continue(()) };
        for length in grants.prefix_lengths.up_to(self.class_length) {
            let prefix = self.resource.get(..length);
            for slot in prefix.and_then(|prefix| grants.wildcard.get(prefix.as_bytes())).into_iter().flatten() {
                self.offer(slot, &mut visit)?;
            }
        }
        Continue(())
    }

    /// Visits `slot` if its actions include the action. Inlined into each loop above: as a
    /// called closure its register saves cost more than the test (callgrind).
    #[inline(always)]
    fn offer<B>(&self, slot: &Slot, visit: &mut impl FnMut(Candidate) -> ControlFlow<B>) -> ControlFlow<B> {
        if !slot.actions.matches(self.action_bit, &slot.grant.actions, self.action) {
            return Continue(());
        }
        visit(Candidate {
            principal: slot.principal,
            effect: slot.effect,
            inherit_by_children: slot.inherit_by_children,
        })
    }
}

#[derive(Default, Debug, Clone)]
pub(crate) struct GrantIndex {
    by_namespace: HashMap<NamespaceId, NamespaceGrants>,
    /// Every grant of a target, in any namespace (listings of one target, deletion cascades,
    /// look-ups of one grant).
    by_target: HashMap<GrantTarget, TargetGrants>,
    /// The action names grants list (never freed, see [`crate::engine::symbols`]).
    actions: Interner<Action>,
}

/// The grants of one target, by namespace and code. Most targets hold a handful (a user's one
/// or two direct grants), and a B-tree leaf costs some 450 bytes however few it holds (on
/// large, a million targets): up to [`FEW_GRANTS`] they are a vector sorted by key, read from
/// the grants themselves; a target with more gets a B-tree, so filing stays logarithmic.
#[derive(Debug, Clone)]
enum TargetGrants {
    Few(Vec<Arc<Grant>>),
    Many(BTreeMap<(NamespaceId, GrantCode), Arc<Grant>>),
}

const FEW_GRANTS: usize = 16;

impl TargetGrants {
    fn search(few: &[Arc<Grant>], namespace: &NamespaceId, code: &GrantCode) -> Result<usize, usize> {
        few.binary_search_by(|grant| (&grant.namespace, &grant.code).cmp(&(namespace, code)))
    }

    /// Files `grant`, replacing the one with its key.
    fn insert(&mut self, grant: Arc<Grant>) {
        match self {
            Self::Few(few) => match Self::search(few, &grant.namespace, &grant.code) {
                Ok(at) => few[at] = grant,
                Err(_) if few.len() == FEW_GRANTS => {
                    let many = few.drain(..).chain([grant]).map(|g| ((g.namespace.clone(), g.code.clone()), g));
                    *self = Self::Many(many.collect());
                }
                Err(at) => few.insert(at, grant),
            },
            Self::Many(many) => {
                many.insert((grant.namespace.clone(), grant.code.clone()), grant);
            }
        }
    }

    fn remove(&mut self, namespace: &NamespaceId, code: &GrantCode) -> Option<Arc<Grant>> {
        match self {
            Self::Few(few) => Self::search(few, namespace, code).ok().map(|at| few.remove(at)),
            Self::Many(many) => many.remove(&(namespace.clone(), code.clone())),
        }
    }

    fn get(&self, namespace: &NamespaceId, code: &GrantCode) -> Option<&Grant> {
        match self {
            Self::Few(few) => Self::search(few, namespace, code).ok().map(|at| &*few[at]),
            Self::Many(many) => many.get(&(namespace.clone(), code.clone())).map(|grant| &**grant),
        }
    }

    /// In key order.
    fn iter(&self) -> impl Iterator<Item = &Grant> {
        let (few, many) = match self {
            Self::Few(few) => (few.as_slice(), None),
            Self::Many(many) => (&[][..], Some(many)),
        };
        few.iter().chain(many.into_iter().flat_map(BTreeMap::values)).map(|grant| &**grant)
    }

    fn len(&self) -> usize {
        match self {
            Self::Few(few) => few.len(),
            Self::Many(many) => many.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl GrantIndex {
    /// Files `grant` (made to `principal`), replacing the grant with the same key.
    pub(crate) fn insert(&mut self, principal: Principal, mut grant: Grant) {
        self.remove(&grant.namespace, principal, &grant.target, &grant.code);
        let actions = ActionSet::of(&mut grant.actions, &mut self.actions);
        let grant = Arc::new(grant);
        let slot = Slot {
            principal,
            code: 0,
            actions,
            effect: grant.effect,
            inherit_by_children: grant.inherit_by_children,
            grant: grant.clone(),
        };
        let namespace = self.by_namespace.entry(grant.namespace.clone()).or_default();
        namespace.file(grant.code.as_str(), slot);
        match self.by_target.get_mut(&grant.target) {
            Some(of_target) => of_target.insert(grant),
            None => {
                self.by_target.insert(grant.target.clone(), TargetGrants::Few(vec![grant]));
            }
        }
    }

    pub(crate) fn remove(
        &mut self,
        namespace: &NamespaceId,
        principal: Principal,
        target: &GrantTarget,
        code: &GrantCode,
    ) {
        // The by-target view says whether the grant exists, so adding a new grant to a large
        // bucket never scans it.
        let Some(of_target) = self.by_target.get_mut(target) else { return };
        if of_target.remove(namespace, code).is_none() {
            return;
        }
        if of_target.is_empty() {
            self.by_target.remove(target);
        }
        // A namespace's entry stays when its last grant goes, like its classes' entries.
        if let Some(grants) = self.by_namespace.get_mut(namespace) {
            grants.remove(principal, code.as_str());
        }
    }

    pub(crate) fn get(&self, namespace: &NamespaceId, target: &GrantTarget, code: &GrantCode) -> Option<&Grant> {
        self.by_target.get(target)?.get(namespace, code)
    }

    pub(crate) fn of_target<'a>(&'a self, target: &GrantTarget) -> impl Iterator<Item = &'a Grant> + 'a {
        self.by_target.get(target).into_iter().flat_map(TargetGrants::iter)
    }

    pub(crate) fn on_code<'a>(&'a self, namespace: &NamespaceId, code: &str) -> impl Iterator<Item = &'a Grant> + 'a {
        let slots = self.by_namespace.get(namespace).map(|grants| grants.on_code(code));
        slots.into_iter().flatten().map(|slot| &*slot.grant)
    }

    pub(crate) fn covering<'a>(&'a self, namespace: &NamespaceId, resource: &'a str, action: &'a str) -> Covering<'a> {
        let bit = self.actions.get(action).map_or(0, ActionSet::exact_bit);
        match self.by_namespace.get(namespace) {
            Some(grants) => grants.covering(resource, action, bit),
            None => Covering {
                resource,
                class_length: 0,
                action,
                action_bit: bit,
                instance: &[],
                class: None,
                namespace: None,
            },
        }
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &Grant> {
        self.by_target.values().flat_map(TargetGrants::iter)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_target.values().map(TargetGrants::len).sum()
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
            index.insert(
                Principal::User(i as u32),
                Grant { actions, ..grant(NamespaceId::from_stored("ns"), target, code) },
            );
        }
        index
    }

    /// The one-word summary answers exactly as [`action_matches`] does, for names with exact
    /// bits and for names numbered past them (after 70 other names were interned).
    #[test]
    fn action_sets_answer_as_action_matches() {
        let names = ["read", "write", "books:read", "books:*", "*", "x"];
        for padding in [0, 70] {
            let mut interner = Interner::default();
            for i in 0..padding {
                interner.intern(&mut Action::parse(&format!("pad{i}")).unwrap());
            }
            for granted in names.iter().flat_map(|a| names.iter().map(move |b| [*a, *b])) {
                let mut actions: Vec<Action> = granted.iter().map(|a| Action::parse(a).unwrap()).collect();
                let set = ActionSet::of(&mut actions, &mut interner);
                for asked in ["read", "write", "books:read", "books:edit", "other", "*"] {
                    let bit = interner.get(asked).map_or(0, ActionSet::exact_bit);
                    assert_eq!(
                        set.matches(bit, &actions, asked),
                        action_matches(&actions, asked),
                        "{granted:?} {asked}"
                    );
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
            // Grant `i` was made to user `i` on `CODES[i]`.
            let code = |candidate: Candidate| match candidate.principal {
                Principal::User(i) => CODES[i as usize],
                other => unreachable!("{other:?}"),
            };
            let mut found: Vec<&str> = Vec::new();
            let _: ControlFlow<()> = index.covering(&ns, resource, "read").try_for_each(|candidate| {
                found.push(code(candidate));
                Continue(())
            });
            found.sort();
            found.dedup();
            let mut expected: Vec<&str> = CODES.iter().copied().filter(|code| covers(code, resource)).collect();
            expected.sort();
            assert_eq!(found, expected, "{resource}");
        }
    }

    /// Prefix lengths are probed for wildcards without `:` (those with one are filed under
    /// their class, see the next test).
    #[test]
    fn removing_the_last_wildcard_of_a_length_stops_probing_it() {
        let mut index = index(&["books_*", "pens_*"]);
        let ns = NamespaceId::from_stored("ns");
        assert_eq!(index.by_namespace[&ns].prefix_lengths.count(5), Some(1));
        let pens = GrantTarget::User(UserId::from_stored("u1"));
        index.remove(&ns, Principal::User(1), &pens, &GrantCode::parse("pens_*").unwrap());
        assert_eq!(index.by_namespace[&ns].prefix_lengths.count(5), None);
        assert_eq!(index.by_namespace[&ns].prefix_lengths.count(6), Some(1));
        let books = GrantTarget::User(UserId::from_stored("u0"));
        index.remove(&ns, Principal::User(0), &books, &GrantCode::parse("books_*").unwrap());
        assert!(index.by_namespace[&ns].wildcard.is_empty() && index.by_namespace[&ns].prefix_lengths.is_empty());
        assert!(index.by_target.is_empty());
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn removing_the_last_grant_of_a_class_empties_it() {
        let mut index = index(&["books:*", "books:fic*", "books"]);
        let ns = NamespaceId::from_stored("ns");
        for (i, code) in ["books:*", "books:fic*"].into_iter().enumerate() {
            let target = GrantTarget::User(UserId::from_stored(format!("u{i}")));
            index.remove(&ns, Principal::User(i as u32), &target, &GrantCode::parse(code).unwrap());
        }
        assert!(index.by_namespace[&ns].class("books").is_some_and(|grants| grants.prefixes.is_empty()));
        assert!(index.by_namespace[&ns].prefix_lengths.is_empty());
        let target = GrantTarget::User(UserId::from_stored("u2"));
        index.remove(&ns, Principal::User(2), &target, &GrantCode::parse("books").unwrap());
        assert!(index.by_namespace[&ns].class("books").is_some_and(|grants| grants.slots.is_empty()));
        assert!(index.by_target.is_empty());
    }

    /// A target's grants read alike below and past [`FEW_GRANTS`]: one per key (filing a grant
    /// again replaces it), in key order, each found and removed by its key.
    #[test]
    fn a_targets_grants_are_one_per_key_in_key_order_at_any_count() {
        for count in [3, FEW_GRANTS, FEW_GRANTS + 1, 3 * FEW_GRANTS] {
            let mut index = GrantIndex::default();
            let target = GrantTarget::User(UserId::from_stored("u"));
            let keys: Vec<(NamespaceId, GrantCode)> = ["b", "a"]
                .into_iter()
                .flat_map(|ns| (0..count).rev().map(move |i| (ns, format!("c{i:03}"))))
                .map(|(ns, code)| (NamespaceId::from_stored(ns), GrantCode::parse(&code).unwrap()))
                .collect();
            let file = |index: &mut GrantIndex, (ns, code): &(NamespaceId, GrantCode), action: &str| {
                let grant = grant(ns.clone(), target.clone(), code.as_str());
                index.insert(Principal::User(0), Grant { actions: vec![Action::parse(action).unwrap()], ..grant });
            };
            for key in &keys {
                file(&mut index, key, "read");
            }
            file(&mut index, &keys[1], "write");
            let listed: Vec<_> = index.of_target(&target).map(|g| (g.namespace.clone(), g.code.clone())).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(listed, sorted, "{count}");
            let (ns, code) = &keys[1];
            assert_eq!(index.get(ns, &target, code).unwrap().actions, vec![Action::parse("write").unwrap()]);
            assert_eq!(index.len(), keys.len());
            for (ns, code) in &keys {
                assert!(index.get(ns, &target, code).is_some());
                index.remove(ns, Principal::User(0), &target, code);
                assert!(index.get(ns, &target, code).is_none());
            }
            assert!(index.by_target.is_empty(), "{count}");
        }
    }

    /// An instance links to its class's entry whichever was filed first, and the link survives
    /// the class losing all its grants and getting new ones.
    #[test]
    fn an_instance_finds_its_class_grants_filed_later() {
        let mut index = index(&["books:1", "books"]);
        let ns = NamespaceId::from_stored("ns");
        let covering = |index: &GrantIndex| {
            let mut found = Vec::new();
            let _: ControlFlow<()> = index.covering(&ns, "books:1", "read").try_for_each(|candidate| {
                found.push(candidate.principal);
                Continue(())
            });
            found
        };
        assert_eq!(covering(&index), vec![Principal::User(0), Principal::User(1)]);
        let target = GrantTarget::User(UserId::from_stored("u1"));
        index.remove(&ns, Principal::User(1), &target, &GrantCode::parse("books").unwrap());
        assert_eq!(covering(&index), vec![Principal::User(0)]);
        let grant = grant(ns.clone(), GrantTarget::User(UserId::from_stored("u2")), "books:*");
        index.insert(Principal::User(2), Grant { actions: vec![Action::parse("read").unwrap()], ..grant });
        assert_eq!(covering(&index), vec![Principal::User(0), Principal::User(2)]);
    }
}
