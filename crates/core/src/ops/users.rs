//! Users: create (one or a batch), update, delete with cascade, department memberships, and the
//! pure parts of the user listings (filters, fuzzy search, sorting).
//!
//! Usernames, emails, phones and external ids are unique in the pool; a batch may not repeat one
//! either. Emails are kept lower-cased so lookups ignore case.

use super::organizations::{find_department, DepartmentIdType};
use super::{cascade, Page, PageRequest, Plan, Planned};
use crate::error::Duplicate;
use crate::ids::{DepartmentId, OpContext, UserId};
use crate::model::{Assignee, Department, DepartmentMembership, Gender, GrantTarget, JsonObjectText, User, UserStatus};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::PoolState;
use crate::DomainError;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashSet};

// ---- identifiers ------------------------------------------------------------------------------

/// An email address (`local@domain.tld`), lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Self> {
        let (local, domain) = raw.split_once('@')?;
        let labels: Vec<&str> = domain.split('.').collect();
        let well_formed = !local.is_empty()
            && !raw.chars().any(char::is_whitespace)
            && labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && !l.contains('@'))
            && labels.last().is_some_and(|tld| tld.len() >= 2);
        well_formed.then(|| Self(raw.to_lowercase()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: `^\+?[0-9][0-9 \-]{0,30}$`, kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Option<Self> {
        let digits = raw.strip_prefix('+').unwrap_or(raw);
        let mut chars = digits.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_digit())
            && digits.chars().count() <= 31
            && chars.all(|c| c.is_ascii_digit() || c == ' ' || c == '-');
        well_formed.then(|| Self(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a request names a user (`userIdType`). `identity`, `sync_relation` and `custom_field`
/// need data Portcullis does not keep, so they are not supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserIdType {
    UserId,
    ExternalId,
    Phone,
    Email,
    Username,
}

impl UserIdType {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "user_id" => Self::UserId,
            "external_id" => Self::ExternalId,
            "phone" => Self::Phone,
            "email" => Self::Email,
            "username" => Self::Username,
            _ => return None,
        })
    }
}

/// A well-formed reference to a user; whether it exists is only known against a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserRef {
    Id(String),
    ExternalId(String),
    Phone(Phone),
    Email(Email),
    Username(String),
}

impl UserRef {
    /// `None` when `raw` cannot name a user of this type (empty, or not an email/phone).
    pub fn parse(raw: &str, kind: UserIdType) -> Option<Self> {
        if raw.is_empty() {
            return None;
        }
        Some(match kind {
            UserIdType::UserId => Self::Id(raw.to_owned()),
            UserIdType::ExternalId => Self::ExternalId(raw.to_owned()),
            UserIdType::Phone => Self::Phone(Phone::parse(raw)?),
            UserIdType::Email => Self::Email(Email::parse(raw)?),
            UserIdType::Username => Self::Username(raw.to_owned()),
        })
    }

    pub fn find<'a>(&self, state: &'a PoolState) -> Option<&'a User> {
        match self {
            Self::Id(id) => state.user(id),
            Self::ExternalId(id) => state.user_by_external_id(id),
            Self::Phone(phone) => state.user_by_phone(phone.as_str()),
            Self::Email(email) => state.user_by_email(email.as_str()),
            Self::Username(name) => state.user_by_username(name),
        }
    }

    fn resolve<'a>(&self, state: &'a PoolState) -> Result<&'a User, DomainError> {
        self.find(state).ok_or(DomainError::UserNotFound)
    }
}

/// The one department `raw` names, or `存在不合法的 departmentId: {raw}`.
fn department_named<'a>(
    state: &'a PoolState,
    raw: &str,
    id_type: DepartmentIdType,
) -> Result<&'a Department, DomainError> {
    find_department(state, None, raw, id_type).map_err(|_| DomainError::InvalidDepartmentId(raw.to_owned()))
}

// ---- create and update ------------------------------------------------------------------------

/// Profile fields a request sets; `None` leaves a field as it is (or at its default on create).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFields {
    pub status: Option<UserStatus>,
    pub gender: Option<Gender>,
    pub email_verified: Option<bool>,
    pub phone_verified: Option<bool>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub phone_country_code: Option<String>,
    pub username: Option<String>,
    pub external_id: Option<String>,
    pub name: Option<String>,
    pub nickname: Option<String>,
    pub photo: Option<String>,
    /// Other profile strings, by API name; each replaces the stored value.
    pub profile: BTreeMap<String, String>,
    /// Replaces the stored object as a whole.
    pub custom_data: Option<JsonObjectText>,
}

impl UserFields {
    fn apply_to(self, user: &mut User) {
        fn set<T>(target: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *target = value;
            }
        }
        set(&mut user.status, self.status);
        set(&mut user.gender, self.gender);
        set(&mut user.email_verified, self.email_verified);
        set(&mut user.phone_verified, self.phone_verified);
        set(&mut user.email, self.email.map(|e| Some(e.0)));
        set(&mut user.phone, self.phone.map(|p| Some(p.0)));
        set(&mut user.phone_country_code, self.phone_country_code.map(Some));
        set(&mut user.username, self.username.map(Some));
        set(&mut user.external_id, self.external_id.map(Some));
        set(&mut user.name, self.name.map(Some));
        set(&mut user.nickname, self.nickname.map(Some));
        set(&mut user.photo, self.photo.map(Some));
        set(&mut user.custom_data, self.custom_data.map(Some));
        user.profile.extend(self.profile);
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewUser {
    pub fields: UserFields,
    /// Departments to join, as the caller named them; the first becomes the main one.
    pub departments: Vec<String>,
    pub department_id_type: DepartmentIdType,
}

/// Identifiers already claimed by earlier items of the same batch, one set per unique field.
#[derive(Default)]
struct Claims([HashSet<String>; 4]);

impl Claims {
    /// Fails when `user`'s identifiers belong to another user, or to an earlier batch item.
    fn claim(&mut self, state: &PoolState, user: &User) -> Result<(), DomainError> {
        let identifiers = [
            (Duplicate::Username, &user.username, state.user_by_username(user.username.as_deref().unwrap_or(""))),
            (Duplicate::Email, &user.email, state.user_by_email(user.email.as_deref().unwrap_or(""))),
            (Duplicate::Phone, &user.phone, state.user_by_phone(user.phone.as_deref().unwrap_or(""))),
            (
                Duplicate::ExternalId,
                &user.external_id,
                state.user_by_external_id(user.external_id.as_deref().unwrap_or("")),
            ),
        ];
        for ((kind, value, owner), claimed) in identifiers.into_iter().zip(&mut self.0) {
            let Some(value) = value else { continue };
            let owned_by_other = owner.is_some_and(|owner| owner.id != user.id);
            if owned_by_other || !claimed.insert(value.clone()) {
                return Err(DomainError::AlreadyExists(kind));
            }
        }
        Ok(())
    }
}

/// Rules on a user's final profile, whatever request produced it.
fn check_profile(user: &User) -> Result<(), DomainError> {
    if user.username.is_none() && user.email.is_none() && user.phone.is_none() {
        return Err(DomainError::UserNeedsIdentifier);
    }
    if user.phone_country_code.is_some() && user.phone.is_none() {
        return Err(DomainError::PhoneEmpty);
    }
    Ok(())
}

fn membership(department: DepartmentId, user: UserId, is_leader: bool, is_main: bool, now_ms: i64) -> Mutation {
    Mutation::Put(Record::DepartmentMember(DepartmentMembership {
        department,
        user,
        is_leader,
        is_main,
        joined_at: now_ms,
    }))
}

pub fn create(state: &PoolState, input: NewUser, cx: &mut OpContext) -> Plan<UserId> {
    let Planned { mutations, output } = create_batch(state, vec![input], cx)?;
    Ok(Planned::new(mutations, output.into_iter().next().expect("one user planned")))
}

/// All-or-nothing: the first item that fails refuses the whole batch.
pub fn create_batch(state: &PoolState, inputs: Vec<NewUser>, cx: &mut OpContext) -> Plan<Vec<UserId>> {
    let mut claims = Claims::default();
    let mut mutations = Vec::new();
    let mut ids = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut user = User::new(cx.new_id(), cx.now_ms);
        input.fields.apply_to(&mut user);
        check_profile(&user)?;
        claims.claim(state, &user)?;
        let mut joined = HashSet::new();
        for raw in &input.departments {
            let department = department_named(state, raw, input.department_id_type)?;
            if joined.insert(department.id.clone()) {
                let is_main = joined.len() == 1;
                mutations.push(membership(department.id.clone(), user.id.clone(), false, is_main, cx.now_ms));
            }
        }
        ids.push(user.id.clone());
        mutations.push(Mutation::Put(Record::User(user)));
    }
    Ok(Planned::new(mutations, ids))
}

pub fn update(state: &PoolState, user: &UserRef, fields: UserFields, cx: &mut OpContext) -> Plan<UserId> {
    let mut updated = user.resolve(state)?.clone();
    fields.apply_to(&mut updated);
    check_profile(&updated)?;
    Claims::default().claim(state, &updated)?;
    updated.updated_at = cx.now_ms;
    let id = updated.id.clone();
    Ok(Planned::new(vec![Mutation::Put(Record::User(updated))], id))
}

// ---- delete -----------------------------------------------------------------------------------

/// Deletes the users that exist (unknown references are skipped) with everything that refers to
/// them: grants to them, their role assignments, group and department memberships, and their
/// place in departments' leader lists.
pub fn delete_batch(state: &PoolState, users: &[UserRef]) -> Plan<()> {
    let doomed: BTreeSet<&UserId> = users.iter().filter_map(|r| r.find(state)).map(|u| &u.id).collect();
    let mut mutations = Vec::new();
    for id in &doomed {
        mutations.extend(cascade::grants_of_target(state, &GrantTarget::User((*id).clone())));
        mutations.extend(cascade::assignments_of(state, &Assignee::User((*id).clone())));
        mutations.extend(
            state
                .groups_of_user(id)
                .map(|group| Mutation::Delete(RecordKey::GroupMember(group.clone(), (*id).clone()))),
        );
        mutations.extend(
            state
                .departments_of_user(id)
                .map(|department| Mutation::Delete(RecordKey::DepartmentMember(department.clone(), (*id).clone()))),
        );
    }
    for department in state.departments().filter(|d| d.leader_user_ids.iter().any(|u| doomed.contains(u))) {
        let mut updated = department.clone();
        updated.leader_user_ids.retain(|u| !doomed.contains(u));
        mutations.push(Mutation::Put(Record::Department(updated)));
    }
    mutations.extend(doomed.into_iter().map(|id| Mutation::Delete(RecordKey::User(id.clone()))));
    Ok(Planned::new(mutations, ()))
}

// ---- department memberships -------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentEntry {
    pub department_id: String,
    pub is_leader: bool,
    pub is_main: bool,
}

/// Replaces the user's department memberships with exactly `entries` (non-empty, checked at the
/// edge). At most one entry may be main; with none, the first becomes main. A department that is
/// kept keeps its join time.
pub fn set_departments(state: &PoolState, user: &UserRef, entries: &[DepartmentEntry], cx: &mut OpContext) -> Plan<()> {
    let user = user.resolve(state)?;
    let mut wanted: Vec<(&Department, &DepartmentEntry)> = Vec::with_capacity(entries.len());
    for entry in entries {
        let department = department_named(state, &entry.department_id, DepartmentIdType::DepartmentId)?;
        if wanted.iter().any(|(d, _)| d.id == department.id) {
            return Err(DomainError::param("departments"));
        }
        wanted.push((department, entry));
    }
    let main_index = match entries.iter().filter(|e| e.is_main).count() {
        0 => 0,
        1 => entries.iter().position(|e| e.is_main).unwrap_or(0),
        _ => return Err(DomainError::param("departments")),
    };
    let mut mutations: Vec<Mutation> = state
        .departments_of_user(&user.id)
        .filter(|current| !wanted.iter().any(|(d, _)| &&d.id == current))
        .map(|current| Mutation::Delete(RecordKey::DepartmentMember(current.clone(), user.id.clone())))
        .collect();
    for (index, (department, entry)) in wanted.into_iter().enumerate() {
        let joined_at = state.department_membership(&department.id, &user.id).map_or(cx.now_ms, |m| m.joined_at);
        mutations.push(membership(
            department.id.clone(),
            user.id.clone(),
            entry.is_leader,
            index == main_index,
            joined_at,
        ));
    }
    Ok(Planned::new(mutations, ()))
}

/// `sortBy` of get-user-departments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepartmentSort {
    DepartmentCreatedAt,
    JoinDepartmentAt,
    DepartmentName,
    DepartmentCode,
}

/// The user's direct memberships with their departments, sorted and paged.
pub fn departments_of<'a>(
    state: &'a PoolState,
    user: &UserId,
    sort: DepartmentSort,
    descending: bool,
    page: PageRequest,
) -> Page<(DepartmentMembership, &'a Department)> {
    let mut found: Vec<(DepartmentMembership, &Department)> = state
        .departments_of_user(user)
        .filter_map(|d| Some((state.department_membership(d, user)?, state.department(d.as_str())?)))
        .collect();
    found.sort_by(|(ma, da), (mb, db)| {
        let by_key = match sort {
            DepartmentSort::DepartmentCreatedAt => da.created_at.cmp(&db.created_at),
            DepartmentSort::JoinDepartmentAt => ma.joined_at.cmp(&mb.joined_at),
            DepartmentSort::DepartmentName => da.name.cmp(&db.name),
            DepartmentSort::DepartmentCode => da.code.cmp(&db.code),
        };
        let ordered = by_key.then_with(|| da.id.cmp(&db.id));
        if descending {
            ordered.reverse()
        } else {
            ordered
        }
    });
    page.slice(found)
}

// ---- listing ----------------------------------------------------------------------------------

/// A user attribute `advancedFilter` can test. `Department` is multi-valued: the departments the
/// user is a direct member of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterField {
    Id,
    Phone,
    Email,
    Username,
    ExternalId,
    Name,
    Nickname,
    Status,
    Gender,
    Department,
}

/// `advancedFilter.operator` with its value(s). On a multi-valued field a positive operator holds
/// when any value satisfies it, and a negated one when none does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterOp {
    Equal(String),
    NotEqual(String),
    Contains(String),
    NotContains(String),
    IsNull,
    NotNull,
    In(Vec<String>),
    /// Inclusive.
    Greater(String),
    /// Inclusive.
    Lesser(String),
    /// Inclusive at both ends.
    Between(String, String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserFilter {
    pub field: FilterField,
    pub op: FilterOp,
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

impl UserFilter {
    fn values<'a>(&self, state: &'a PoolState, user: &'a User) -> Vec<&'a str> {
        let single = |value: &'a Option<String>| value.as_deref().into_iter().collect();
        match self.field {
            FilterField::Id => vec![user.id.as_str()],
            FilterField::Phone => single(&user.phone),
            FilterField::Email => single(&user.email),
            FilterField::Username => single(&user.username),
            FilterField::ExternalId => single(&user.external_id),
            FilterField::Name => single(&user.name),
            FilterField::Nickname => single(&user.nickname),
            FilterField::Status => vec![user.status.as_str()],
            FilterField::Gender => vec![user.gender.as_str()],
            FilterField::Department => state.departments_of_user(&user.id).map(DepartmentId::as_str).collect(),
        }
    }

    fn matches(&self, state: &PoolState, user: &User) -> bool {
        let values = self.values(state, user);
        let any = |test: &dyn Fn(&str) -> bool| values.iter().any(|v| test(v));
        match &self.op {
            FilterOp::Equal(x) => any(&|v| v == x),
            FilterOp::NotEqual(x) => !any(&|v| v == x),
            FilterOp::Contains(x) => any(&|v| contains_ignoring_case(v, x)),
            FilterOp::NotContains(x) => !any(&|v| contains_ignoring_case(v, x)),
            FilterOp::IsNull => values.is_empty(),
            FilterOp::NotNull => !values.is_empty(),
            FilterOp::In(xs) => any(&|v| xs.iter().any(|x| v == x)),
            FilterOp::Greater(x) => any(&|v| v >= x.as_str()),
            FilterOp::Lesser(x) => any(&|v| v <= x.as_str()),
            FilterOp::Between(low, high) => any(&|v| low.as_str() <= v && v <= high.as_str()),
        }
    }
}

/// A field `keywords` is matched against (`options.fuzzySearchOn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FuzzyField {
    Id,
    Phone,
    Email,
    Name,
    Username,
    ExternalId,
    Nickname,
    /// One of the free profile strings (`company`, `givenName`, …).
    Profile(String),
}

impl FuzzyField {
    /// The contract's default set when the caller names none.
    pub fn defaults() -> Vec<Self> {
        vec![Self::Phone, Self::Email, Self::Name, Self::Username, Self::Nickname, Self::ExternalId]
    }

    fn value<'a>(&self, user: &'a User) -> Option<&'a str> {
        match self {
            Self::Id => Some(user.id.as_str()),
            Self::Phone => user.phone.as_deref(),
            Self::Email => user.email.as_deref(),
            Self::Name => user.name.as_deref(),
            Self::Username => user.username.as_deref(),
            Self::ExternalId => user.external_id.as_deref(),
            Self::Nickname => user.nickname.as_deref(),
            Self::Profile(key) => user.profile.get(key).map(String::as_str),
        }
    }
}

/// A field `options.sort` can order by. Fields Portcullis does not record (login counts, last
/// login, …) are equal for every user, so ordering by them keeps the default order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortField {
    Id,
    CreatedAt,
    UpdatedAt,
    Email,
    Username,
    ExternalId,
    Phone,
    Status,
    Gender,
    PhoneCountryCode,
    Unrecorded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortKey {
    pub field: SortField,
    pub descending: bool,
}

impl SortKey {
    fn compare(&self, a: &User, b: &User) -> Ordering {
        let ordering = match self.field {
            SortField::Id => a.id.cmp(&b.id),
            SortField::CreatedAt => a.created_at.cmp(&b.created_at),
            SortField::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            SortField::Email => a.email.cmp(&b.email),
            SortField::Username => a.username.cmp(&b.username),
            SortField::ExternalId => a.external_id.cmp(&b.external_id),
            SortField::Phone => a.phone.cmp(&b.phone),
            SortField::Status => a.status.as_str().cmp(b.status.as_str()),
            SortField::Gender => a.gender.as_str().cmp(b.gender.as_str()),
            SortField::PhoneCountryCode => a.phone_country_code.cmp(&b.phone_country_code),
            SortField::Unrecorded => Ordering::Equal,
        };
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

/// What list-users (either form) asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub keywords: Option<String>,
    pub fuzzy_on: Vec<FuzzyField>,
    pub filters: Vec<UserFilter>,
    /// Applied in order; ties fall back to newest first.
    pub sort: Vec<SortKey>,
    /// Inclusive bounds on `updatedAt` (ms).
    pub updated_from: Option<i64>,
    pub updated_to: Option<i64>,
    pub page: PageRequest,
}

impl UserQuery {
    fn matches(&self, state: &PoolState, user: &User) -> bool {
        let keywords_match = self
            .keywords
            .as_deref()
            .is_none_or(|k| self.fuzzy_on.iter().any(|f| f.value(user).is_some_and(|v| contains_ignoring_case(v, k))));
        keywords_match
            && self.updated_from.is_none_or(|from| user.updated_at >= from)
            && self.updated_to.is_none_or(|to| user.updated_at <= to)
            && self.filters.iter().all(|f| f.matches(state, user))
    }
}

pub fn list<'a>(state: &'a PoolState, query: &UserQuery) -> Page<&'a User> {
    let mut found: Vec<&User> = state.users().filter(|u| query.matches(state, u)).collect();
    let newest_first = |a: &User, b: &User| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id));
    found.sort_by(|a, b| {
        query
            .sort
            .iter()
            .fold(Ordering::Equal, |acc, key| acc.then_with(|| key.compare(a, b)))
            .then_with(|| newest_first(a, b))
    });
    query.page.slice(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{GroupCode, OrganizationCode};
    use crate::model::{Group, GroupMembership, Organization};
    use crate::test_support::{department, grant, TestPool};

    fn fields(username: &str) -> UserFields {
        UserFields { username: Some(username.to_owned()), ..Default::default() }
    }

    fn new_user(username: &str) -> NewUser {
        NewUser { fields: fields(username), ..Default::default() }
    }

    /// This module's helpers on the shared pool.
    trait UserPool {
        fn create_user(&mut self, username: &str) -> UserId;
        fn department(&mut self, code: &str) -> DepartmentId;
    }

    impl UserPool for TestPool {
        fn create_user(&mut self, username: &str) -> UserId {
            self.run(|s, cx| create(s, new_user(username), cx)).unwrap()
        }

        /// The root department of a new organization; both take `code` as code and name.
        fn department(&mut self, code: &str) -> DepartmentId {
            let id: DepartmentId = self.new_id();
            let org: crate::ids::OrganizationId = self.new_id();
            self.put(Record::Organization(Organization {
                id: org.clone(),
                code: OrganizationCode::parse(code).unwrap(),
                name: code.to_owned(),
                description: None,
                root_department: id.clone(),
                created_at: 0,
                updated_at: 0,
            }));
            self.put(Record::Department(Department {
                code: Some(crate::codes::DepartmentCode::parse(code).unwrap()),
                open_department_id: Some(format!("open-{code}")),
                ..department(id.clone(), org, code)
            }));
            id
        }
    }

    fn by_id(id: &UserId) -> UserRef {
        UserRef::Id(id.to_string())
    }

    #[test]
    fn identifiers_parse_like_the_contract_says() {
        assert_eq!(Email::parse("A.B@Example.COM").unwrap().as_str(), "a.b@example.com");
        for bad in ["test1@qqq", "test#x.com", "@x.com", "a b@x.com", "a@x.c", "a@@x.com"] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
        assert!(Phone::parse("212-456-1111").is_some());
        assert!(Phone::parse("+86 188 0000 0000").is_some());
        for bad in ["1234567890#", "", "+", "-1", &"1".repeat(32)] {
            assert!(Phone::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(UserIdType::parse("identity"), None);
        assert_eq!(UserRef::parse("", UserIdType::UserId), None);
    }

    #[test]
    fn a_user_needs_an_identifier_and_a_phone_for_its_country_code() {
        let mut pool = TestPool::new();
        assert_eq!(pool.run(|s, cx| create(s, NewUser::default(), cx)).unwrap_err(), DomainError::UserNeedsIdentifier);
        let mut input = new_user("a");
        input.fields.phone_country_code = Some("+86".into());
        assert_eq!(pool.run(|s, cx| create(s, input.clone(), cx)).unwrap_err(), DomainError::PhoneEmpty);
        assert_eq!(pool.state.user_count(), 0);
    }

    #[test]
    fn identifiers_are_unique_in_the_pool_and_within_a_batch() {
        let mut pool = TestPool::new();
        let mut first = new_user("alice");
        first.fields.email = Email::parse("Alice@X.com");
        pool.run(|s, cx| create(s, first.clone(), cx)).unwrap();

        let mut same_email = new_user("other");
        same_email.fields.email = Email::parse("ALICE@x.com");
        assert_eq!(
            pool.run(|s, cx| create(s, same_email.clone(), cx)).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Email)
        );
        let batch = vec![new_user("bob"), new_user("carol"), new_user("bob")];
        assert_eq!(
            pool.run(|s, cx| create_batch(s, batch.clone(), cx)).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Username)
        );
        assert_eq!(pool.state.user_count(), 1, "a refused batch creates nobody");
    }

    #[test]
    fn update_may_keep_its_own_identifiers_but_not_take_others() {
        let mut pool = TestPool::new();
        let alice = pool.create_user("alice");
        pool.create_user("bob");
        let keep = UserFields { username: Some("alice".into()), nickname: Some("Al".into()), ..Default::default() };
        pool.run(|s, cx| update(s, &by_id(&alice), keep.clone(), cx)).unwrap();
        assert_eq!(pool.state.user(alice.as_str()).unwrap().nickname.as_deref(), Some("Al"));
        assert_eq!(
            pool.run(|s, cx| update(s, &by_id(&alice), fields("bob"), cx)).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Username)
        );
        assert_eq!(
            pool.run(|s, cx| update(s, &UserRef::Id("nobody".into()), fields("x"), cx)).unwrap_err(),
            DomainError::UserNotFound
        );
    }

    #[test]
    fn create_joins_departments_and_refuses_unknown_ones() {
        let mut pool = TestPool::new();
        let sales = pool.department("sales");
        pool.department("dev");
        let mut input = new_user("a");
        input.departments = vec!["sales".into(), "dev".into()];
        input.department_id_type = DepartmentIdType::Code;
        let id = pool.run(|s, cx| create(s, input.clone(), cx)).unwrap();
        assert_eq!(pool.state.departments_of_user(&id).count(), 2);
        assert!(pool.state.department_membership(&sales, &id).unwrap().is_main);

        let mut unknown = new_user("b");
        unknown.departments = vec![sales.to_string(), "missing".into()];
        assert_eq!(
            pool.run(|s, cx| create(s, unknown.clone(), cx)).unwrap_err(),
            DomainError::InvalidDepartmentId("missing".into())
        );
        assert!(pool.state.user_by_username("b").is_none());
    }

    #[test]
    fn set_departments_replaces_memberships_and_picks_a_main_one() {
        let mut pool = TestPool::new();
        let (a, b, c) = (pool.department("a"), pool.department("b"), pool.department("c"));
        let user = pool.create_user("u");
        let entry =
            |d: &DepartmentId, is_main| DepartmentEntry { department_id: d.to_string(), is_leader: false, is_main };
        pool.run(|s, cx| set_departments(s, &by_id(&user), &[entry(&a, false), entry(&b, false)], cx)).unwrap();
        assert!(pool.state.department_membership(&a, &user).unwrap().is_main);
        let joined_b = pool.state.department_membership(&b, &user).unwrap().joined_at;

        pool.run(|s, cx| set_departments(s, &by_id(&user), &[entry(&b, false), entry(&c, true)], cx)).unwrap();
        assert!(pool.state.department_membership(&a, &user).is_none());
        assert_eq!(pool.state.department_membership(&b, &user).unwrap().joined_at, joined_b);
        assert!(pool.state.department_membership(&c, &user).unwrap().is_main);

        let two_mains = [entry(&a, true), entry(&b, true)];
        assert_eq!(
            pool.run(|s, cx| set_departments(s, &by_id(&user), &two_mains, cx)).unwrap_err(),
            DomainError::param("departments")
        );
        let unknown =
            [entry(&a, false), DepartmentEntry { department_id: " ".into(), is_leader: false, is_main: false }];
        assert_eq!(
            pool.run(|s, cx| set_departments(s, &by_id(&user), &unknown, cx)).unwrap_err(),
            DomainError::InvalidDepartmentId(" ".into())
        );
        assert_eq!(pool.state.departments_of_user(&user).count(), 2, "a refused set changes nothing");
    }

    #[test]
    fn delete_cascades_to_everything_that_refers_to_the_user() {
        let mut pool = TestPool::new();
        let department = pool.department("d");
        let user = pool.create_user("u");
        let kept = pool.create_user("k");
        let group = Group {
            id: OpContext::new(0, &mut pool.ids).new_id(),
            code: GroupCode::parse("g").unwrap(),
            name: "g".into(),
            description: String::new(),
            group_type: "static".into(),
            custom_data: None,
            created_at: 0,
            updated_at: 0,
        };
        let ns = OpContext::new(0, &mut pool.ids).new_id();
        let mut leaders = pool.state.department(department.as_str()).unwrap().clone();
        leaders.leader_user_ids = vec![user.clone(), kept.clone()];
        let records = vec![
            Record::Department(leaders),
            Record::GroupMember(GroupMembership { group: group.id.clone(), user: user.clone(), joined_at: 0 }),
            Record::Group(group),
            Record::DepartmentMember(DepartmentMembership {
                department: department.clone(),
                user: user.clone(),
                is_leader: true,
                is_main: true,
                joined_at: 0,
            }),
            Record::Grant(grant(ns, GrantTarget::User(user.clone()), "books")),
        ];
        for record in records {
            pool.state.apply(Mutation::Put(record));
        }
        let refs = [by_id(&user), UserRef::Id("unknown".into())];
        pool.run(|s, _| delete_batch(s, &refs)).unwrap();
        assert!(pool.state.user(user.as_str()).is_none());
        assert!(pool.state.user(kept.as_str()).is_some());
        assert_eq!(pool.state.groups_of_user(&user).count(), 0);
        assert_eq!(pool.state.departments_of_user(&user).count(), 0);
        assert_eq!(pool.state.grants().count(), 0);
        assert_eq!(pool.state.department(department.as_str()).unwrap().leader_user_ids, vec![kept]);
        assert!(pool.state.user_by_username("u").is_none(), "the username is free again");
    }

    #[test]
    fn listing_filters_searches_sorts_and_pages() {
        let mut pool = TestPool::new();
        let department = pool.department("d");
        for name in ["carol", "alice", "bob"] {
            pool.create_user(name);
        }
        let bob = pool.state.user_by_username("bob").unwrap().id.clone();
        pool.run(|s, cx| {
            let entry = DepartmentEntry { department_id: department.to_string(), is_leader: false, is_main: true };
            set_departments(s, &by_id(&bob), &[entry], cx)
        })
        .unwrap();
        let names = |page: Page<&User>| -> Vec<String> {
            page.items.iter().map(|u| u.username.clone().unwrap_or_default()).collect()
        };
        let query = UserQuery::default();
        assert_eq!(names(list(&pool.state, &query)), ["bob", "alice", "carol"], "newest first by default");

        let sorted = UserQuery {
            sort: vec![SortKey { field: SortField::Username, descending: false }],
            page: PageRequest { page: 1, limit: 2 },
            ..Default::default()
        };
        let page = list(&pool.state, &sorted);
        assert_eq!(page.total, 3);
        assert_eq!(names(page), ["alice", "bob"]);

        let fuzzy = UserQuery { keywords: Some("AR".into()), fuzzy_on: FuzzyField::defaults(), ..Default::default() };
        assert_eq!(names(list(&pool.state, &fuzzy)), ["carol"]);

        let in_department = UserQuery {
            filters: vec![UserFilter {
                field: FilterField::Department,
                op: FilterOp::In(vec![department.to_string()]),
            }],
            ..Default::default()
        };
        assert_eq!(names(list(&pool.state, &in_department)), ["bob"]);
        let outside = UserQuery {
            filters: vec![
                UserFilter { field: FilterField::Department, op: FilterOp::NotEqual(department.to_string()) },
                UserFilter { field: FilterField::Username, op: FilterOp::Between("a".into(), "bz".into()) },
            ],
            ..Default::default()
        };
        assert_eq!(names(list(&pool.state, &outside)), ["alice"]);
    }
}
