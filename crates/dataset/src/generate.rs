//! The dataset generator: a pool of the given [`Size`], the same for the same seed on every
//! machine (its own SplitMix64 generator, no dependency whose stream could change).
//!
//! Shape (issue 4): each user holds about 3 roles (some with time windows, some expired), 3
//! groups and 1–2 departments; departments form one tree no deeper than the size allows, a
//! fifth of them carry a role, some with `inheritByChildren`; a few roles are disabled or past
//! their `disableTime`. Grants: 5% DENY, 5% with action `*`; instance codes (`c17:3`) for most,
//! class codes (`c17`), wildcards (`c17:*`, `c17:1*`) and a handful of `*` grants to roles and
//! groups; a third of the department grants are inherited by child departments. One role with
//! [`Size::heavy_grants`] grants has a single member, the listing benchmark's user, and one code
//! ([`HOT_CODE`]) is granted to 1% of the grants' targets, for the authorized-targets pages.

use crate::size::{Size, ACTIONS};
use crate::NOW_MS;
use portcullis_core::codes::{Action, GrantCode, GroupCode, NamespaceCode, OrganizationCode, ResourceCode, RoleCode};
use portcullis_core::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, ResourceId, RoleId, UserId};
use portcullis_core::model::{
    Assignee, Department, DepartmentMembership, Effect, Grant, GrantTarget, Group, GroupMembership, Namespace,
    Organization, Resource, ResourceAction, ResourceType, Role, RoleAssignment, RoleStatus, User,
};
use portcullis_core::Record;
use std::collections::HashSet;

/// The code granted to many targets (get-resource-authorized-targets benchmark).
pub const HOT_CODE: &str = "portal";

/// What the benchmarks need to know about a generated pool besides its records.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub size: Size,
    pub namespace: NamespaceId,
    /// The member of the heavy role: [`Size::heavy_grants`] effective grants.
    pub heavy_user: UserId,
    /// How many records were produced.
    pub records: usize,
}

/// SplitMix64: tiny, fast, and fixed forever, so a seed always means the same dataset.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`); the modulo bias is irrelevant at these sizes.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    /// `k` distinct values of `0..n` (`k` is small).
    fn distinct(&mut self, k: usize, n: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let v = self.below(n);
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
}

/// Ids are 24 hex characters like the server's: a kind digit, then the index.
fn id(kind: u8, index: usize) -> String {
    format!("{kind:x}{index:023x}")
}
pub fn user_id(i: usize) -> UserId {
    UserId::from_stored(id(6, i))
}
pub fn department_id(i: usize) -> DepartmentId {
    DepartmentId::from_stored(id(3, i))
}
fn role_id(i: usize) -> RoleId {
    RoleId::from_stored(id(4, i))
}
fn group_id(i: usize) -> GroupId {
    GroupId::from_stored(id(5, i))
}
pub fn namespace_id() -> NamespaceId {
    NamespaceId::from_stored(id(1, 0))
}

/// The code of resource `i`: class `i % classes`, instance `100 + i / classes`.
pub fn resource_code(size: &Size, i: usize) -> String {
    format!("c{}:{}", i % size.classes(), 100 + i / size.classes())
}

/// A grant code other than an instance, chosen for roles and groups.
#[derive(Clone, Copy, Hash, PartialEq, Eq)]
enum CodeChoice {
    Instance(usize),
    Class(usize),
    /// `c17:*`
    Wildcard(usize),
    /// `c17:1*`: a longer prefix length to probe.
    PrefixWildcard(usize),
    Star,
    Hot,
}

impl CodeChoice {
    fn code(self, size: &Size) -> String {
        match self {
            Self::Instance(i) => resource_code(size, i),
            Self::Class(k) => format!("c{k}"),
            Self::Wildcard(k) => format!("c{k}:*"),
            Self::PrefixWildcard(k) => format!("c{k}:1*"),
            Self::Star => "*".to_owned(),
            Self::Hot => HOT_CODE.to_owned(),
        }
    }
}

fn action_list(rng: &mut Rng) -> Vec<Action> {
    let names: Vec<&str> = if rng.chance(0.05) {
        vec!["*"]
    } else {
        let count = 1 + rng.below(2);
        rng.distinct(count, ACTIONS.len()).into_iter().map(|a| ACTIONS[a]).collect()
    };
    names.into_iter().map(|a| Action::parse(a).unwrap()).collect()
}

/// A role assignment window: mostly none, sometimes current, sometimes over.
fn window(rng: &mut Rng) -> (Option<i64>, Option<i64>) {
    match rng.below(20) {
        0 => (Some(NOW_MS - 86_400_000), Some(NOW_MS + 86_400_000)),
        1 => (None, Some(NOW_MS - 1)),
        _ => (None, None),
    }
}

/// Generates the pool, handing each record to `sink` once (every key is unique), parents
/// before children.
pub fn generate(size: Size, seed: u64, mut sink: impl FnMut(Record)) -> Dataset {
    let mut rng = Rng::new(seed);
    let mut records = 0usize;
    let mut emit = |record: Record| {
        records += 1;
        sink(record)
    };
    let namespace = namespace_id();
    emit(Record::Namespace(Namespace {
        id: namespace.clone(),
        numeric_id: 1,
        code: NamespaceCode::default_namespace(),
        name: "default".to_owned(),
        description: None,
        created_at: 0,
        updated_at: 0,
    }));

    // Departments: one tree under the organization's root, depth ≤ max_depth.
    let organization = OrganizationId::from_stored(id(2, 0));
    emit(Record::Organization(Organization {
        id: organization.clone(),
        code: OrganizationCode::parse("org").unwrap(),
        name: "org".to_owned(),
        description: None,
        root_department: department_id(0),
        created_at: 0,
        updated_at: 0,
    }));
    let mut parents: Vec<Option<usize>> = vec![None];
    let mut depths = vec![0usize];
    for i in 1..size.departments {
        let mut parent = rng.below(i);
        while depths[parent] >= size.max_depth {
            parent = parents[parent].expect("only the root has no parent, and it is at depth 0");
        }
        parents.push(Some(parent));
        depths.push(depths[parent] + 1);
    }
    for (i, parent) in parents.iter().enumerate() {
        emit(department(i, &organization, parent.map(department_id)));
    }

    // Roles (role 0 is the heavy role), groups, resources.
    for i in 0..size.roles {
        let (status, disable_time) = match rng.below(50) {
            0 => (RoleStatus::Disable, None),
            1 => (RoleStatus::Enable, Some(NOW_MS - 1)),
            2 => (RoleStatus::Enable, Some(NOW_MS + 86_400_000)),
            _ => (RoleStatus::Enable, None),
        };
        emit(Record::Role(Role {
            id: role_id(i),
            namespace: namespace.clone(),
            code: RoleCode::parse(&format!("role{i}")).unwrap(),
            name: format!("role {i}"),
            description: String::new(),
            status: if i == 0 { RoleStatus::Enable } else { status },
            disable_time: if i == 0 { None } else { disable_time },
            enable_permission_apply: false,
            created_at: 0,
            updated_at: 0,
        }));
    }
    for i in 0..size.groups {
        emit(Record::Group(Group {
            id: group_id(i),
            code: GroupCode::parse(&format!("group{i}")).unwrap(),
            name: format!("group {i}"),
            description: String::new(),
            group_type: "static".to_owned(),
            custom_data: None,
            created_at: 0,
            updated_at: 0,
        }));
    }
    let declared: Vec<ResourceAction> =
        ACTIONS.iter().map(|a| ResourceAction { name: (*a).to_owned(), description: String::new() }).collect();
    for i in 0..size.resources {
        emit(Record::Resource(Resource {
            id: ResourceId::from_stored(id(7, i)),
            namespace: namespace.clone(),
            code: ResourceCode::parse(&resource_code(&size, i)).unwrap(),
            name: None,
            description: None,
            resource_type: ResourceType::Data,
            actions: declared.clone(),
            api_identifier: None,
            linked_to_tenant: false,
            created_at: 0,
            updated_at: 0,
        }));
    }

    // Users and their memberships. User 0 holds only the heavy role.
    for u in 0..size.users {
        let user = user_id(u);
        emit(Record::User(User::new(user.clone(), 0)));
        if u == 0 {
            emit(assignment(0, Assignee::User(user), false, (None, None)));
            continue;
        }
        for r in rng.distinct(3, size.roles - 1) {
            let window = window(&mut rng);
            emit(assignment(r + 1, Assignee::User(user.clone()), false, window));
        }
        for g in rng.distinct(3, size.groups) {
            emit(Record::GroupMember(GroupMembership { group: group_id(g), user: user.clone(), joined_at: 0 }));
        }
        let count = 1 + rng.below(2);
        for (n, d) in rng.distinct(count, size.departments).into_iter().enumerate() {
            emit(Record::DepartmentMember(DepartmentMembership {
                department: department_id(d),
                user: user.clone(),
                is_leader: false,
                is_main: n == 0,
                joined_at: 0,
            }));
        }
    }
    for d in 0..size.departments {
        if rng.chance(0.2) {
            let inherit = rng.chance(0.3);
            let window = window(&mut rng);
            emit(assignment(1 + rng.below(size.roles - 1), Assignee::Department(department_id(d)), inherit, window));
        }
    }

    // Grants, each (target, code) once.
    let mut grant = |target: GrantTarget, code: CodeChoice, actions: Vec<Action>, rng: &mut Rng| {
        let is_department = matches!(target, GrantTarget::Department(_));
        emit(Record::Grant(Grant {
            namespace: namespace.clone(),
            target,
            code: GrantCode::parse(&code.code(&size)).unwrap(),
            resource_type: ResourceType::Data,
            actions,
            effect: if rng.chance(0.05) { Effect::Deny } else { Effect::Allow },
            inherit_by_children: is_department && rng.chance(0.3),
            created_at: 0,
            updated_at: 0,
        }));
    };
    let read = || vec![Action::parse("read").unwrap()];
    for i in 0..size.heavy_grants {
        grant(GrantTarget::Role(role_id(0)), CodeChoice::Instance(i), read(), &mut rng);
    }
    let mut taken: HashSet<(u8, usize, CodeChoice)> = HashSet::new();
    let mut made = size.heavy_grants;
    let hot = size.grants / 100;
    while made < size.grants {
        let (kind, index) = match rng.below(100) {
            0..=39 => (0, 1 + rng.below(size.users - 1)),
            40..=64 => (1, 1 + rng.below(size.roles - 1)),
            65..=84 => (2, rng.below(size.groups)),
            _ => (3, rng.below(size.departments)),
        };
        let code = if made < size.heavy_grants + size.star_grants() {
            if kind == 0 || kind == 3 {
                continue; // the `*` grants go to roles and groups only
            }
            CodeChoice::Star
        } else if made < size.heavy_grants + size.star_grants() + hot {
            CodeChoice::Hot
        } else {
            let class = rng.below(size.classes());
            match (kind, rng.below(100)) {
                (1 | 2, 0..=1) => CodeChoice::Class(class),
                (1 | 2, 2..=3) => CodeChoice::Wildcard(class),
                (1 | 2, 4) => CodeChoice::PrefixWildcard(class),
                _ => CodeChoice::Instance(rng.below(size.resources)),
            }
        };
        if !taken.insert((kind, index, code)) {
            continue;
        }
        let target = match kind {
            0 => GrantTarget::User(user_id(index)),
            1 => GrantTarget::Role(role_id(index)),
            2 => GrantTarget::Group(group_id(index)),
            _ => GrantTarget::Department(department_id(index)),
        };
        let actions = action_list(&mut rng);
        grant(target, code, actions, &mut rng);
        made += 1;
    }
    Dataset { size, namespace, heavy_user: user_id(0), records }
}

fn department(i: usize, organization: &OrganizationId, parent: Option<DepartmentId>) -> Record {
    Record::Department(Department {
        id: department_id(i),
        organization: organization.clone(),
        parent,
        code: None,
        name: format!("department {i}"),
        description: None,
        open_department_id: None,
        leader_user_ids: Vec::new(),
        is_virtual_node: false,
        status: true,
        custom_data: None,
        created_at: 0,
        updated_at: 0,
    })
}

fn assignment(role: usize, assignee: Assignee, inherit: bool, window: (Option<i64>, Option<i64>)) -> Record {
    Record::RoleAssignment(RoleAssignment {
        role: role_id(role),
        assignee,
        inherit_by_children: inherit,
        enable_time: window.0,
        end_time: window.1,
        created_at: 0,
    })
}

/// A chain of `depth` departments below a new root, one user in the deepest, and two grants
/// on one resource that reach the user only by inheritance from the top: `read` to the top
/// department, `write` to a new role assigned to it. Appended to a generated pool by the depth
/// benchmark; returns the user and the resource.
pub fn deep_chain(dataset: &Dataset, depth: usize, mut sink: impl FnMut(Record)) -> (UserId, String) {
    let size = &dataset.size;
    let organization = OrganizationId::from_stored(id(2, 0));
    let first = size.departments + 1_000_000 * depth;
    for level in 0..=depth {
        let parent = (level > 0).then(|| department_id(first + level - 1));
        sink(department(first + level, &organization, parent));
    }
    let user = user_id(size.users + depth);
    sink(Record::User(User::new(user.clone(), 0)));
    sink(Record::DepartmentMember(DepartmentMembership {
        department: department_id(first + depth),
        user: user.clone(),
        is_leader: false,
        is_main: true,
        joined_at: 0,
    }));
    let top = department_id(first);
    let role = size.roles + depth;
    sink(Record::Role(Role {
        id: role_id(role),
        namespace: dataset.namespace.clone(),
        code: RoleCode::parse(&format!("deep{depth}")).unwrap(),
        name: String::new(),
        description: String::new(),
        status: RoleStatus::Enable,
        disable_time: None,
        enable_permission_apply: false,
        created_at: 0,
        updated_at: 0,
    }));
    sink(assignment(role, Assignee::Department(top.clone()), true, (None, None)));
    let resource = format!("deep{depth}:1");
    for (target, action) in [(GrantTarget::Department(top), "read"), (GrantTarget::Role(role_id(role)), "write")] {
        let inherit_by_children = matches!(target, GrantTarget::Department(_));
        sink(Record::Grant(Grant {
            namespace: dataset.namespace.clone(),
            target,
            code: GrantCode::parse(&resource).unwrap(),
            resource_type: ResourceType::Data,
            actions: vec![Action::parse(action).unwrap()],
            effect: Effect::Allow,
            inherit_by_children,
            created_at: 0,
            updated_at: 0,
        }));
    }
    (user, resource)
}
