//! A map kept as one sorted slice, for the many small index entries of a pool (a user's role
//! assignments: about three each). A `BTreeMap` allocates a whole eleven-slot node for them;
//! with role assignments that was ~1.2 KB per user, most of the medium pool's memory over
//! budget. Iteration is in key order, as with the B-tree it replaced.
//!
//! The slice is allocated to its exact length: a `Vec` grows to at least four entries, a
//! quarter of the bytes for the usual three. Inserting and removing therefore reallocate and
//! shift the tail, which is fine for entries this size.

use std::borrow::Borrow;

#[derive(Debug, Clone)]
pub struct VecMap<K, V>(Box<[(K, V)]>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self(Box::default())
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// Inserts or replaces; the value replaced, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.resize(|entries| entries.insert(i, (key, value)));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.position(key).ok()?;
        Some(self.resize(|entries| entries.remove(i)).1)
    }

    /// Applies `change` to the entries as a vector, then sizes the slice to fit again.
    fn resize<T>(&mut self, change: impl FnOnce(&mut Vec<(K, V)>) -> T) -> T {
        let mut entries = std::mem::take(&mut self.0).into_vec();
        let result = change(&mut entries);
        self.0 = entries.into_boxed_slice();
        result
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut map = VecMap::default();
        for (k, v) in [(3, 'c'), (1, 'a'), (2, 'b'), (1, 'A')] {
            map.insert(k, v);
        }
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(map.get(&1), Some(&'A'));
        assert_eq!(map.remove(&2), Some('b'));
        assert_eq!(map.remove(&2), None);
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), [1, 3]);
    }
}
