//! A check allocates nothing: a counting global allocator watches `is_action_allowed` over a
//! pool where every kind of grant path is in play (own, roles direct and via an inherited
//! department assignment, groups, departments direct and inherited, wildcards, DENY).

use portcullis_core::codes::{Action, GrantCode, RoleCode};
use portcullis_core::engine::is_action_allowed;
use portcullis_core::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, RoleId, UserId};
use portcullis_core::model::{
    Assignee, Department, DepartmentMembership, Effect, Grant, GrantTarget, GroupMembership, ResourceType, Role,
    RoleAssignment, RoleStatus, User,
};
use portcullis_core::{PoolState, Record};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn department(id: &DepartmentId, parent: Option<&DepartmentId>) -> Record {
    Record::Department(Department {
        id: id.clone(),
        organization: OrganizationId::from_stored("o"),
        parent: parent.cloned(),
        code: None,
        name: id.to_string(),
        description: None,
        open_department_id: None,
        leader_user_ids: vec![],
        is_virtual_node: false,
        status: true,
        custom_data: None,
        created_at: 0,
        updated_at: 0,
    })
}

fn grant(ns: &NamespaceId, target: GrantTarget, code: &str, actions: &[&str], effect: Effect, inherit: bool) -> Record {
    Record::Grant(Grant {
        namespace: ns.clone(),
        target,
        code: GrantCode::parse(code).unwrap(),
        resource_type: ResourceType::Data,
        actions: actions.iter().map(|a| Action::parse(a).unwrap()).collect(),
        effect,
        inherit_by_children: inherit,
        created_at: 0,
        updated_at: 0,
    })
}

fn pool() -> (PoolState, NamespaceId, UserId) {
    let ns = NamespaceId::from_stored("ns");
    let user = UserId::from_stored("u");
    let (top, middle, bottom) =
        (DepartmentId::from_stored("d1"), DepartmentId::from_stored("d2"), DepartmentId::from_stored("d3"));
    let (role, inherited_role) = (RoleId::from_stored("r1"), RoleId::from_stored("r2"));
    let group = GroupId::from_stored("g");
    let role_record = |id: &RoleId| {
        Record::Role(Role {
            id: id.clone(),
            namespace: ns.clone(),
            code: RoleCode::parse(id.as_str()).unwrap(),
            name: String::new(),
            description: String::new(),
            status: RoleStatus::Enable,
            disable_time: None,
            enable_permission_apply: false,
            created_at: 0,
            updated_at: 0,
        })
    };
    let assignment = |role: &RoleId, assignee: Assignee, inherit: bool| {
        Record::RoleAssignment(RoleAssignment {
            role: role.clone(),
            assignee,
            inherit_by_children: inherit,
            enable_time: Some(0),
            end_time: Some(10_000),
            created_at: 0,
        })
    };
    let records = vec![
        Record::User(User::new(user.clone(), 0)),
        department(&top, None),
        department(&middle, Some(&top)),
        department(&bottom, Some(&middle)),
        Record::DepartmentMember(DepartmentMembership {
            department: bottom.clone(),
            user: user.clone(),
            is_leader: false,
            is_main: true,
            joined_at: 0,
        }),
        Record::GroupMember(GroupMembership { group: group.clone(), user: user.clone(), joined_at: 0 }),
        role_record(&role),
        role_record(&inherited_role),
        assignment(&role, Assignee::User(user.clone()), false),
        assignment(&inherited_role, Assignee::Department(top.clone()), true),
        grant(&ns, GrantTarget::User(user.clone()), "books:1", &["books:read"], Effect::Allow, false),
        grant(&ns, GrantTarget::Role(role.clone()), "books:*", &["books:*"], Effect::Allow, false),
        grant(&ns, GrantTarget::Role(inherited_role.clone()), "pens", &["write"], Effect::Allow, false),
        grant(&ns, GrantTarget::Group(group.clone()), "*", &["list"], Effect::Allow, false),
        grant(&ns, GrantTarget::Department(bottom.clone()), "desks:1", &["sit"], Effect::Allow, false),
        grant(&ns, GrantTarget::Department(top.clone()), "books:secret", &["*"], Effect::Deny, true),
    ];
    (PoolState::from_records(records), ns, user)
}

#[test]
fn checks_do_not_allocate() {
    let (state, ns, user) = pool();
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8]))) > 0, "the counter sees allocations");
    let cases = [
        ("books:read", "books:1", true),
        ("books:edit", "books:7", true),
        ("write", "pens:2", true),
        ("list", "anything", true),
        ("sit", "desks:1", true),
        ("books:read", "books:secret", false),
        ("fly", "planes:1", false),
    ];
    for (action, resource, expected) in cases {
        let mut answer = None;
        let allocations =
            allocations_during(|| answer = Some(is_action_allowed(&state, &ns, &user, action, resource, 5)));
        assert_eq!(answer, Some(expected), "{action} on {resource}");
        assert_eq!(allocations, 0, "checking {action} on {resource} allocated");
    }
}

/// The same holds 32 departments deep, where a grant and a role reach the user only by
/// inheritance from the top of the chain: the ancestor test must not collect the chain.
#[test]
fn checks_through_a_deep_department_chain_do_not_allocate() {
    let (mut state, ns, _) = pool();
    let user = UserId::from_stored("deep-user");
    let chain: Vec<DepartmentId> = (0..32).map(|i| DepartmentId::from_stored(format!("chain{i}"))).collect();
    // Children first: the index must cope with parents that arrive later.
    for (i, id) in chain.iter().enumerate().rev() {
        state.apply(portcullis_core::Mutation::Put(department(id, i.checked_sub(1).map(|p| &chain[p]))));
    }
    let role = RoleId::from_stored("r2");
    let records = [
        Record::User(User::new(user.clone(), 0)),
        Record::DepartmentMember(DepartmentMembership {
            department: chain[31].clone(),
            user: user.clone(),
            is_leader: false,
            is_main: true,
            joined_at: 0,
        }),
        Record::RoleAssignment(RoleAssignment {
            role: role.clone(),
            assignee: Assignee::Department(chain[0].clone()),
            inherit_by_children: true,
            enable_time: None,
            end_time: None,
            created_at: 0,
        }),
        grant(&ns, GrantTarget::Department(chain[0].clone()), "vault:1", &["open"], Effect::Allow, true),
        grant(&ns, GrantTarget::Department(chain[1].clone()), "vault:2", &["open"], Effect::Allow, false),
    ];
    for record in records {
        state.apply(portcullis_core::Mutation::Put(record));
    }
    let cases = [("open", "vault:1", true), ("open", "vault:2", false), ("write", "pens:1", true)];
    for (action, resource, expected) in cases {
        let mut answer = None;
        let allocations =
            allocations_during(|| answer = Some(is_action_allowed(&state, &ns, &user, action, resource, 5)));
        assert_eq!(answer, Some(expected), "{action} on {resource}");
        assert_eq!(allocations, 0, "checking {action} on {resource} allocated");
    }
}
