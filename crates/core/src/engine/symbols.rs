//! Dense `u32` numbers for the ids and names a check compares.
//!
//! Profiles of medium showed a third of a check spent comparing 24-character ids and most of
//! the rest in cache misses on the strings behind them. The engine's tables therefore name
//! users, roles, groups, departments, namespaces and action names by a [`Sym`], an index into
//! per-kind tables, so a check compares integers and reads small contiguous records.
//!
//! Symbols are never freed or recycled: a deleted id keeps its number, and putting it again
//! gets the same one back. That keeps every table entry unambiguous without reference counts;
//! the cost is one string and a few bytes per distinct id ever put, the same order as the
//! records themselves. Interning also hands back the table's own shared string, so the state
//! holds one allocation per id instead of one per record that mentions it.

use crate::engine::index::{inline_key, HashMap, InlineKey};
use std::borrow::Borrow;

pub(crate) type Sym = u32;

/// Symbols for one kind of name, each with an optional row of data `R` stored beside its key:
/// a row looked up by name then costs the same cache misses as the symbol alone.
#[derive(Debug, Clone)]
pub(crate) struct Interner<T, R = ()> {
    names: Vec<T>,
    /// Keyed inline, so the look-up a check makes never leaves the table for the key's bytes.
    syms: HashMap<InlineKey, (Sym, R)>,
}

impl<T, R> Default for Interner<T, R> {
    fn default() -> Self {
        Self { names: Vec::new(), syms: HashMap::default() }
    }
}

impl<T: Clone + Borrow<str>, R: Default> Interner<T, R> {
    /// The symbol and row of `name`, numbering it if new; `name` is replaced by the table's
    /// shared copy.
    pub(crate) fn intern_row(&mut self, name: &mut T) -> (Sym, &mut R) {
        let key: &str = (*name).borrow();
        if !self.syms.contains_key(key.as_bytes()) {
            let sym = Sym::try_from(self.names.len()).expect("fewer than 2^32 distinct ids");
            self.syms.insert(inline_key(key), (sym, R::default()));
            self.names.push(name.clone());
        }
        let (sym, row) = self.syms.get_mut(key.as_bytes()).expect("interned above");
        *name = self.names[*sym as usize].clone();
        (*sym, row)
    }

    pub(crate) fn intern(&mut self, name: &mut T) -> Sym {
        self.intern_row(name).0
    }

    /// The symbol of `name` if it was ever interned (a name never seen takes part in nothing).
    pub(crate) fn get(&self, name: &str) -> Option<Sym> {
        self.syms.get(name.as_bytes()).map(|(sym, _)| *sym)
    }

    pub(crate) fn row(&self, name: &str) -> Option<(Sym, &R)> {
        self.syms.get(name.as_bytes()).map(|(sym, row)| (*sym, row))
    }

    pub(crate) fn row_mut(&mut self, name: &str) -> Option<&mut R> {
        self.syms.get_mut(name.as_bytes()).map(|(_, row)| row)
    }

    /// The name numbered `sym`.
    pub(crate) fn name(&self, sym: Sym) -> &T {
        &self.names[sym as usize]
    }

    /// How many symbols exist: every symbol is below this.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}
