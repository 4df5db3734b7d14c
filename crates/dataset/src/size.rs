//! The three dataset sizes of issue 4.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub name: &'static str,
    pub users: usize,
    pub roles: usize,
    pub groups: usize,
    pub departments: usize,
    /// Levels below the root department (the root is depth 0).
    pub max_depth: usize,
    /// Resource definitions; each declares [`ACTIONS`].
    pub resources: usize,
    /// Grants in total, the heavy role's included.
    pub grants: usize,
    /// Grants of the one role whose single member is the listing benchmark's user.
    pub heavy_grants: usize,
}

/// The actions every resource declares.
pub const ACTIONS: [&str; 5] = ["read", "write", "list", "delete", "share"];

impl Size {
    pub const SMALL: Size = Size {
        name: "small",
        users: 1_000,
        roles: 50,
        groups: 50,
        departments: 100,
        max_depth: 5,
        resources: 1_000,
        grants: 10_000,
        heavy_grants: 1_000,
    };
    pub const MEDIUM: Size = Size {
        name: "medium",
        users: 100_000,
        roles: 1_000,
        groups: 1_000,
        departments: 2_000,
        max_depth: 6,
        resources: 10_000,
        grants: 200_000,
        heavy_grants: 10_000,
    };
    pub const LARGE: Size = Size {
        name: "large",
        users: 1_000_000,
        roles: 10_000,
        groups: 10_000,
        departments: 20_000,
        max_depth: 8,
        resources: 100_000,
        grants: 2_000_000,
        heavy_grants: 10_000,
    };

    pub fn parse(name: &str) -> Option<Size> {
        [Self::SMALL, Self::MEDIUM, Self::LARGE].into_iter().find(|s| s.name == name)
    }

    /// Grants on `*`: every check probes them, as a real pool's few admin grants would be.
    /// Twenty, except that small's 50 roles and 50 groups would then put about one `*` grant
    /// within reach of every user and lift its allowed share over the 30–50% asked; it gets 5.
    pub fn star_grants(&self) -> usize {
        (self.roles / 10).min(20)
    }

    /// Resource classes (`c17`), one per ten resources, so a class or wildcard bucket holds
    /// about as many grants at every size.
    pub fn classes(&self) -> usize {
        (self.resources / 10).max(1)
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}
