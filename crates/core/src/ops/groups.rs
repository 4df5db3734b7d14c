//! Groups (principals.md §3): pool-wide sets of users that can hold grants. Groups are stored by
//! id, so renaming one keeps its grants and memberships.

use super::{cascade, sort_newest_first, Plan, Planned};
use crate::codes::GroupCode;
use crate::error::Duplicate;
use crate::ids::{GroupId, OpContext, UserId};
use crate::model::{GrantTarget, Group, GroupMembership, JsonObjectText};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::PoolState;
use crate::DomainError;
use std::collections::HashSet;

/// The only group type: dynamic (rule-based) groups are out of scope.
pub const STATIC_GROUP_TYPE: &str = "static";

#[derive(Debug, Clone)]
pub struct NewGroup {
    pub code: GroupCode,
    pub name: String,
    pub description: String,
    pub custom_data: Option<JsonObjectText>,
}

fn build(input: NewGroup, cx: &mut OpContext) -> Group {
    Group {
        id: cx.new_id(),
        code: input.code,
        name: input.name,
        description: input.description,
        group_type: STATIC_GROUP_TYPE.to_owned(),
        custom_data: input.custom_data,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    }
}

pub fn create(state: &PoolState, input: NewGroup, cx: &mut OpContext) -> Plan<GroupId> {
    let Planned { mutations, output } = create_batch(state, vec![input], cx)?;
    Ok(Planned::new(mutations, output.into_iter().next().expect("one group planned")))
}

/// All-or-nothing: a code that exists already, or repeats inside the batch, refuses the batch.
/// The ids come back in request order.
pub fn create_batch(state: &PoolState, inputs: Vec<NewGroup>, cx: &mut OpContext) -> Plan<Vec<GroupId>> {
    let mut seen = HashSet::new();
    for input in &inputs {
        if state.group_by_code(input.code.as_str()).is_some() || !seen.insert(input.code.clone()) {
            return Err(DomainError::AlreadyExists(Duplicate::Group));
        }
    }
    let groups: Vec<Group> = inputs.into_iter().map(|input| build(input, cx)).collect();
    let ids = groups.iter().map(|g| g.id.clone()).collect();
    Ok(Planned::new(groups.into_iter().map(|g| Mutation::Put(Record::Group(g))).collect(), ids))
}

/// What update-group may change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    pub new_code: Option<GroupCode>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub custom_data: Option<JsonObjectText>,
}

/// Updates in place: the id stays, so grants and memberships follow a renamed group.
pub fn update(state: &PoolState, code: &str, changes: GroupChanges, cx: &mut OpContext) -> Plan<GroupId> {
    let current = state.group_by_code(code).ok_or(DomainError::GroupNotFound)?;
    let mut updated = current.clone();
    if let Some(new_code) = changes.new_code.filter(|c| c != &current.code) {
        if state.group_by_code(new_code.as_str()).is_some() {
            return Err(DomainError::AlreadyExists(Duplicate::Group));
        }
        updated.code = new_code;
    }
    if let Some(name) = changes.name {
        updated.name = name;
    }
    if let Some(description) = changes.description {
        updated.description = description;
    }
    if let Some(custom_data) = changes.custom_data {
        updated.custom_data = Some(custom_data);
    }
    updated.updated_at = cx.now_ms;
    Ok(Planned::new(vec![Mutation::Put(Record::Group(updated))], current.id.clone()))
}

/// Deletes the groups that exist, with their grants and memberships; unknown codes are skipped
/// (the endpoint is idempotent).
pub fn delete_batch(state: &PoolState, codes: &[String]) -> Plan<()> {
    let mut mutations = Vec::new();
    let mut seen = HashSet::new();
    for group in codes.iter().filter_map(|code| state.group_by_code(code)) {
        if seen.insert(group.id.clone()) {
            mutations.extend(cascade::grants_of_target(state, &GrantTarget::Group(group.id.clone())));
            mutations.extend(
                state.group_members(&group.id).map(|m| Mutation::Delete(RecordKey::GroupMember(m.group, m.user))),
            );
            mutations.push(Mutation::Delete(RecordKey::Group(group.id.clone())));
        }
    }
    Ok(Planned::new(mutations, ()))
}

/// The group and the users a membership change names. Every user must exist, or nothing changes.
fn resolve_members<'a>(
    state: &'a PoolState,
    code: &str,
    user_ids: &[String],
) -> Result<(&'a Group, Vec<UserId>), DomainError> {
    let group = state.group_by_code(code).ok_or(DomainError::GroupNotFound)?;
    let mut seen = HashSet::new();
    let mut users = Vec::with_capacity(user_ids.len());
    for raw in user_ids {
        let user = state.user(raw).ok_or(DomainError::UserNotFound)?;
        if seen.insert(user.id.clone()) {
            users.push(user.id.clone());
        }
    }
    Ok((group, users))
}

/// Adds users to the group; users who are members already keep their original joining time.
pub fn add_members(state: &PoolState, code: &str, user_ids: &[String], cx: &mut OpContext) -> Plan<()> {
    let (group, users) = resolve_members(state, code, user_ids)?;
    let mutations = users
        .into_iter()
        .filter(|user| !state.is_group_member(&group.id, user))
        .map(|user| {
            Mutation::Put(Record::GroupMember(GroupMembership { group: group.id.clone(), user, joined_at: cx.now_ms }))
        })
        .collect();
    Ok(Planned::new(mutations, ()))
}

/// Removes users from the group; users who are not members are ignored.
pub fn remove_members(state: &PoolState, code: &str, user_ids: &[String]) -> Plan<()> {
    let (group, users) = resolve_members(state, code, user_ids)?;
    let mutations = users
        .into_iter()
        .filter(|user| state.is_group_member(&group.id, user))
        .map(|user| Mutation::Delete(RecordKey::GroupMember(group.id.clone(), user)))
        .collect();
    Ok(Planned::new(mutations, ()))
}

/// Groups whose code or name contains `keywords` (case-insensitive; `None` = all), newest first.
pub fn search<'a>(state: &'a PoolState, keywords: Option<&str>) -> Vec<&'a Group> {
    let keywords = keywords.map(str::to_lowercase);
    let mut found: Vec<&Group> = state
        .groups()
        .filter(|g| {
            keywords
                .as_deref()
                .is_none_or(|k| g.code.as_str().to_lowercase().contains(k) || g.name.to_lowercase().contains(k))
        })
        .collect();
    sort_newest_first(&mut found, |g| (g.created_at, g.id.as_str()));
    found
}

/// The group's memberships, most recently joined first.
pub fn members_newest_first(state: &PoolState, group: &GroupId) -> Vec<GroupMembership> {
    let mut members: Vec<GroupMembership> = state.group_members(group).collect();
    sort_newest_first(&mut members, |m| (m.joined_at, m.user.as_str()));
    members
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{NamespaceId, SequentialIds};
    use crate::test_support::{grant, TestPool};

    /// This module's helpers on the shared pool.
    trait GroupPool {
        fn group(&mut self, code: &str) -> GroupId;
        fn members(&self, code: &str) -> Vec<UserId>;
    }

    impl GroupPool for TestPool {
        fn group(&mut self, code: &str) -> GroupId {
            self.run(|s, cx| create(s, new(code), cx)).unwrap()
        }

        fn members(&self, code: &str) -> Vec<UserId> {
            let group = self.state.group_by_code(code).unwrap();
            self.state.group_members(&group.id).map(|m| m.user).collect()
        }
    }

    fn new(code: &str) -> NewGroup {
        NewGroup {
            code: GroupCode::parse(code).unwrap(),
            name: code.to_owned(),
            description: String::new(),
            custom_data: None,
        }
    }

    fn ids(users: &[&UserId]) -> Vec<String> {
        users.iter().map(|u| u.to_string()).collect()
    }

    #[test]
    fn created_groups_are_static_and_batches_keep_request_order() {
        let mut pool = TestPool::new();
        let created = pool.run(|s, cx| create_batch(s, vec![new("b"), new("a")], cx)).unwrap();
        assert_eq!(created.len(), 2);
        assert_eq!(pool.state.group(&created[0]).unwrap().code.as_str(), "b");
        assert_eq!(pool.state.group(&created[1]).unwrap().group_type, STATIC_GROUP_TYPE);
    }

    #[test]
    fn batch_with_an_existing_or_repeated_code_plans_nothing() {
        let mut pool = TestPool::new();
        pool.group("taken");
        for batch in [vec![new("fresh"), new("taken")], vec![new("twice"), new("twice")]] {
            let err = create_batch(&pool.state, batch, &mut OpContext::new(9, &mut pool.ids)).unwrap_err();
            assert_eq!(err, DomainError::AlreadyExists(Duplicate::Group));
        }
    }

    #[test]
    fn rename_keeps_the_id_so_grants_and_members_follow() {
        let mut pool = TestPool::new();
        let user = pool.user();
        let id = pool.group("old");
        pool.run(|s, cx| add_members(s, "old", &ids(&[&user]), cx)).unwrap();
        let changes = GroupChanges { new_code: Some(GroupCode::parse("new").unwrap()), ..Default::default() };
        assert_eq!(pool.run(|s, cx| update(s, "old", changes.clone(), cx)).unwrap(), id);
        assert!(pool.state.group_by_code("old").is_none());
        assert_eq!(pool.members("new"), vec![user]);
    }

    #[test]
    fn rename_onto_another_group_or_unknown_group_is_refused() {
        let mut pool = TestPool::new();
        pool.group("a");
        pool.group("b");
        let onto_b = GroupChanges { new_code: Some(GroupCode::parse("b").unwrap()), ..Default::default() };
        let mut cx_ids = SequentialIds::default();
        let mut cx = OpContext::new(5, &mut cx_ids);
        assert_eq!(
            update(&pool.state, "a", onto_b.clone(), &mut cx).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Group)
        );
        assert_eq!(update(&pool.state, "zzz", onto_b, &mut cx).unwrap_err(), DomainError::GroupNotFound);
        let same_code = GroupChanges {
            new_code: Some(GroupCode::parse("a").unwrap()),
            name: Some("A".into()),
            ..Default::default()
        };
        assert!(update(&pool.state, "a", same_code, &mut cx).is_ok());
    }

    #[test]
    fn membership_changes_with_an_unknown_user_change_nothing() {
        let mut pool = TestPool::new();
        let known = pool.user();
        pool.group("g");
        let batch = vec![known.to_string(), "no-such-user".to_owned()];
        assert_eq!(pool.run(|s, cx| add_members(s, "g", &batch, cx)).unwrap_err(), DomainError::UserNotFound);
        assert!(pool.members("g").is_empty());
        pool.run(|s, cx| add_members(s, "g", &ids(&[&known]), cx)).unwrap();
        assert_eq!(pool.run(|s, _| remove_members(s, "g", &batch)).unwrap_err(), DomainError::UserNotFound);
        assert_eq!(pool.members("g"), vec![known]);
        assert_eq!(pool.run(|s, _| remove_members(s, "nope", &[])).unwrap_err(), DomainError::GroupNotFound);
    }

    #[test]
    fn adding_is_idempotent_and_keeps_the_first_joining_time() {
        let mut pool = TestPool::new();
        let user = pool.user();
        let group = pool.group("g");
        pool.run(|s, cx| add_members(s, "g", &ids(&[&user, &user]), cx)).unwrap();
        let joined = pool.state.group_members(&group).next().unwrap().joined_at;
        let again = add_members(&pool.state, "g", &ids(&[&user]), &mut OpContext::new(99, &mut pool.ids)).unwrap();
        assert!(again.mutations.is_empty());
        assert_eq!(pool.state.group_members(&group).next().unwrap().joined_at, joined);
        let stranger = pool.user();
        let planned = remove_members(&pool.state, "g", &ids(&[&stranger])).unwrap();
        assert!(planned.mutations.is_empty(), "non-members are ignored");
    }

    #[test]
    fn deleting_a_group_removes_its_grants_and_memberships_only() {
        let mut pool = TestPool::new();
        let user = pool.user();
        let doomed = pool.group("doomed");
        let kept = pool.group("kept");
        for code in ["doomed", "kept"] {
            pool.run(|s, cx| add_members(s, code, &ids(&[&user]), cx)).unwrap();
        }
        let namespace = NamespaceId::from_stored("ns");
        for group in [&doomed, &kept] {
            pool.put(Record::Grant(grant(namespace.clone(), GrantTarget::Group(group.clone()), "doc:1")));
        }
        let codes = vec!["doomed".to_owned(), "doomed".to_owned(), "unknown".to_owned()];
        pool.run(|s, _| delete_batch(s, &codes)).unwrap();
        assert!(pool.state.group(&doomed).is_none());
        assert_eq!(pool.state.grants_of_target(&GrantTarget::Group(doomed.clone())).count(), 0);
        assert_eq!(pool.state.group_members(&doomed).count(), 0);
        assert_eq!(pool.state.groups_of_user(&user).collect::<Vec<_>>(), vec![&kept]);
        assert_eq!(pool.state.grants_of_target(&GrantTarget::Group(kept)).count(), 1);
    }

    #[test]
    fn search_matches_code_or_name_and_lists_newest_first() {
        let mut pool = TestPool::new();
        pool.group("alpha");
        pool.group("beta");
        let mut named = new("gamma");
        named.name = "Team Alpha".into();
        pool.run(|s, cx| create(s, named.clone(), cx)).unwrap();
        let codes = |found: Vec<&Group>| found.iter().map(|g| g.code.to_string()).collect::<Vec<_>>();
        assert_eq!(codes(search(&pool.state, None)), ["gamma", "beta", "alpha"]);
        assert_eq!(codes(search(&pool.state, Some("ALPHA"))), ["gamma", "alpha"]);
    }

    #[test]
    fn members_are_listed_most_recent_first() {
        let mut pool = TestPool::new();
        let (first, second) = (pool.user(), pool.user());
        let group = pool.group("g");
        pool.run(|s, cx| add_members(s, "g", &ids(&[&first]), cx)).unwrap();
        pool.run(|s, cx| add_members(s, "g", &ids(&[&second]), cx)).unwrap();
        let order: Vec<UserId> = members_newest_first(&pool.state, &group).into_iter().map(|m| m.user).collect();
        assert_eq!(order, vec![second, first]);
    }
}
