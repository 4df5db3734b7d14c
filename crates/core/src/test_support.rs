//! The fixture the unit tests share: a pool whose ids come from a [`SequentialIds`] and whose
//! clock ticks once per planned write, plus builders for the records tests put in place
//! directly. Helpers that only one module needs live in that module's tests, as free functions
//! or a local extension trait on [`TestPool`].

use crate::codes::{GrantCode, NamespaceCode, RoleCode};
use crate::ids::{DepartmentId, GeneratedId, NamespaceId, OpContext, OrganizationId, RoleId, SequentialIds, UserId};
use crate::model::{
    Assignee, Department, Effect, Grant, GrantTarget, ResourceType, Role, RoleAssignment, RoleStatus, User,
};
use crate::mutation::{Mutation, Record};
use crate::ops::{namespaces, Plan};
use crate::state::PoolState;
use crate::DomainError;

pub(crate) struct TestPool {
    pub state: PoolState,
    pub ids: SequentialIds,
    /// The time of the latest planned write.
    pub now: i64,
}

impl TestPool {
    /// An empty pool at time 0.
    pub fn new() -> Self {
        Self { state: PoolState::default(), ids: SequentialIds::default(), now: 0 }
    }

    /// A pool holding the `default` namespace, planned at time 0 (so it takes the first id).
    pub fn with_default_namespace() -> Self {
        let mut pool = Self::new();
        let default = namespaces::create_default(&mut OpContext::new(0, &mut pool.ids));
        pool.state.apply(default);
        pool
    }

    /// Plans with a fresh context one millisecond after the previous plan and applies the result.
    pub fn run<T>(&mut self, plan: impl FnOnce(&PoolState, &mut OpContext) -> Plan<T>) -> Result<T, DomainError> {
        self.run_at(self.now + 1, plan)
    }

    /// Plans at `now`, which becomes the pool's clock, and applies the result.
    pub fn run_at<T>(
        &mut self,
        now: i64,
        plan: impl FnOnce(&PoolState, &mut OpContext) -> Plan<T>,
    ) -> Result<T, DomainError> {
        self.now = now;
        let planned = plan(&self.state, &mut OpContext::new(now, &mut self.ids))?;
        self.state.apply_all(&planned.mutations);
        Ok(planned.output)
    }

    /// Puts a record in place directly, bypassing the operations.
    pub fn put(&mut self, record: Record) {
        self.state.apply(Mutation::Put(record));
    }

    /// The next id of the pool's id source.
    pub fn new_id<T: From<GeneratedId>>(&mut self) -> T {
        OpContext::new(0, &mut self.ids).new_id()
    }

    /// A user with no profile, created at time 0, under a fresh id.
    pub fn user(&mut self) -> UserId {
        let id: UserId = self.new_id();
        self.put(Record::User(User::new(id.clone(), 0)));
        id
    }

    /// A user with no profile, created at time 0, under the id `id`.
    pub fn user_with_id(&mut self, id: &str) -> UserId {
        let id = UserId::from_stored(id);
        self.put(Record::User(User::new(id.clone(), 0)));
        id
    }

    /// A namespace created through the namespace operations.
    pub fn namespace(&mut self, code: &str) -> NamespaceId {
        let input =
            namespaces::NewNamespace { code: NamespaceCode::parse(code).unwrap(), name: None, description: None };
        self.run(|s, cx| namespaces::create(s, input, cx)).unwrap()
    }
}

/// An ALLOW grant of no actions on the data resource `code`, not inherited, made at time 0.
pub fn grant(namespace: NamespaceId, target: GrantTarget, code: &str) -> Grant {
    Grant {
        namespace,
        target,
        code: GrantCode::parse(code).unwrap(),
        resource_type: ResourceType::Data,
        actions: Vec::new(),
        effect: Effect::Allow,
        inherit_by_children: false,
        created_at: 0,
        updated_at: 0,
    }
}

/// An enabled role named after its code, made at time 0.
pub fn role(id: RoleId, namespace: NamespaceId, code: &str) -> Role {
    Role {
        id,
        namespace,
        code: RoleCode::parse(code).unwrap(),
        name: code.to_owned(),
        description: String::new(),
        status: RoleStatus::Enable,
        disable_time: None,
        enable_permission_apply: false,
        created_at: 0,
        updated_at: 0,
    }
}

/// A role assignment without a time window or inheritance, made at time 0.
pub fn role_assignment(role: RoleId, assignee: Assignee) -> RoleAssignment {
    RoleAssignment { role, assignee, inherit_by_children: false, enable_time: None, end_time: None, created_at: 0 }
}

/// A top-level, enabled department with nothing but a name, made at time 0.
pub fn department(id: DepartmentId, organization: OrganizationId, name: &str) -> Department {
    Department {
        id,
        organization,
        parent: None,
        code: None,
        name: name.to_owned(),
        description: None,
        open_department_id: None,
        leader_user_ids: Vec::new(),
        is_virtual_node: false,
        status: true,
        custom_data: None,
        created_at: 0,
        updated_at: 0,
    }
}
