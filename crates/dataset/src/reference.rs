//! The naive reference evaluator: semantics.md §3, §5.1, §6, §7, §8 and §13.4–13.6 written out
//! rule by rule over plain maps of owned strings, sharing no code and no index with the engine.
//!
//! It is naive on purpose (every check re-derives the user's targets by walking parent ids and
//! then tests every grant of those targets) but linear in the user's grants, so it can answer
//! the workload of the large dataset in seconds. It assumes each record key is put once, which
//! the generator guarantees.

use portcullis_core::model::{Assignee, Effect, GrantTarget, RoleStatus};
use portcullis_core::Record;
use std::collections::HashMap;

/// A grant target as plain data: (kind, id).
type Target = (char, String);

pub struct Rule {
    pub namespace: String,
    pub code: String,
    pub actions: Vec<String>,
    pub deny: bool,
    pub inherit: bool,
}

struct AssignmentTerms {
    role: String,
    inherit: bool,
    enable: Option<i64>,
    end: Option<i64>,
}

#[derive(Default)]
pub struct Reference {
    /// Role id → (namespace, status enabled, disable time).
    roles: HashMap<String, (String, bool, Option<i64>)>,
    parent: HashMap<String, String>,
    groups_of_user: HashMap<String, Vec<String>>,
    departments_of_user: HashMap<String, Vec<String>>,
    assignments_of: HashMap<(char, String), Vec<AssignmentTerms>>,
    rules_of: HashMap<Target, Vec<Rule>>,
}

fn target(t: &GrantTarget) -> Target {
    match t {
        GrantTarget::User(id) => ('U', id.to_string()),
        GrantTarget::Role(id) => ('R', id.to_string()),
        GrantTarget::Group(id) => ('G', id.to_string()),
        GrantTarget::Department(id) => ('D', id.to_string()),
    }
}

impl Reference {
    /// Takes in one record (other kinds than the ones §3–§8 look at are ignored).
    pub fn add(&mut self, record: &Record) {
        match record {
            Record::Role(r) => {
                let enabled = r.status == RoleStatus::Enable;
                self.roles.insert(r.id.to_string(), (r.namespace.to_string(), enabled, r.disable_time));
            }
            Record::Department(d) => {
                if let Some(p) = &d.parent {
                    self.parent.insert(d.id.to_string(), p.to_string());
                }
            }
            Record::GroupMember(m) => {
                self.groups_of_user.entry(m.user.to_string()).or_default().push(m.group.to_string())
            }
            Record::DepartmentMember(m) => {
                self.departments_of_user.entry(m.user.to_string()).or_default().push(m.department.to_string())
            }
            Record::RoleAssignment(a) => {
                let key = match &a.assignee {
                    Assignee::User(u) => ('U', u.to_string()),
                    Assignee::Department(d) => ('D', d.to_string()),
                };
                self.assignments_of.entry(key).or_default().push(AssignmentTerms {
                    role: a.role.to_string(),
                    inherit: a.inherit_by_children,
                    enable: a.enable_time,
                    end: a.end_time,
                });
            }
            Record::Grant(g) => self.rules_of.entry(target(&g.target)).or_default().push(Rule {
                namespace: g.namespace.to_string(),
                code: g.code.to_string(),
                actions: g.actions.iter().map(|a| a.to_string()).collect(),
                deny: g.effect == Effect::Deny,
                inherit: g.inherit_by_children,
            }),
            _ => {}
        }
    }

    /// §5.1, rule by rule.
    pub fn covers(grant: &str, resource: &str) -> bool {
        let rule1 = grant == resource;
        let rule2 = grant == "*";
        let rule3 = grant.ends_with('*') && resource.starts_with(&grant[..grant.len() - 1]);
        let rule4 = !grant.contains(':') && resource.starts_with(&format!("{grant}:"));
        rule1 || rule2 || rule3 || rule4
    }

    /// §6, rule by rule.
    pub fn action_matches(actions: &[String], action: &str) -> bool {
        let rule1 = actions.iter().any(|a| a == action);
        let rule2 = actions.iter().any(|a| a == "*");
        let rule3 = actions.iter().any(|a| a.ends_with(":*") && action.starts_with(&a[..a.len() - 1]));
        rule1 || rule2 || rule3
    }

    /// The user's departments with, for each, whether the user is a direct member (`false`:
    /// a member of a descendant), walking parent ids (bounded, in case of corrupt data).
    fn departments(&self, user: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for d in self.departments_of_user.get(user).into_iter().flatten() {
            out.push((d.clone(), true));
            let mut current = self.parent.get(d);
            for _ in 0..4096 {
                let Some(p) = current else { break };
                out.push((p.clone(), false));
                current = self.parent.get(p);
            }
        }
        out
    }

    /// §3 with §13.4–5: the targets whose grants reach the user in `namespace` at `now`, each
    /// with whether it reaches only through `inheritByChildren`.
    fn targets(&self, namespace: &str, user: &str, now: i64) -> Vec<(Target, bool)> {
        let departments = self.departments(user);
        let mut out = vec![(('U', user.to_owned()), false)];
        let role_active = |role: &str| {
            self.roles
                .get(role)
                .is_some_and(|(ns, enabled, disable)| ns == namespace && *enabled && disable.is_none_or(|t| now < t))
        };
        let in_window = |a: &AssignmentTerms| a.enable.is_none_or(|t| t <= now) && a.end.is_none_or(|t| now < t);
        for a in self.assignments_of.get(&('U', user.to_owned())).into_iter().flatten() {
            if role_active(&a.role) && in_window(a) {
                out.push((('R', a.role.clone()), false));
            }
        }
        for (d, direct) in &departments {
            for a in self.assignments_of.get(&('D', d.clone())).into_iter().flatten() {
                if role_active(&a.role) && in_window(a) && (*direct || a.inherit) {
                    out.push((('R', a.role.clone()), false));
                }
            }
        }
        for g in self.groups_of_user.get(user).into_iter().flatten() {
            out.push((('G', g.clone()), false));
        }
        for (d, direct) in departments {
            out.push((('D', d), !direct));
        }
        out
    }

    /// Every grant rule in `namespace` that reaches `user` at `now`, possibly repeated.
    pub fn reaching(&self, namespace: &str, user: &str, now: i64) -> Vec<&Rule> {
        let mut out = Vec::new();
        for (target, only_inherited) in self.targets(namespace, user, now) {
            for rule in self.rules_of.get(&target).into_iter().flatten() {
                if rule.namespace == namespace && (!only_inherited || rule.inherit) {
                    out.push(rule);
                }
            }
        }
        out
    }

    /// §8 steps 4–5: some reaching grant covering both allows, and none denies.
    pub fn is_action_allowed(&self, namespace: &str, user: &str, action: &str, resource: &str, now: i64) -> bool {
        let matching: Vec<&Rule> = self
            .reaching(namespace, user, now)
            .into_iter()
            .filter(|r| Self::covers(&r.code, resource) && Self::action_matches(&r.actions, action))
            .collect();
        matching.iter().any(|r| !r.deny) && !matching.iter().any(|r| r.deny)
    }
}
