//! The check workload: (user, resource, action) triples with the reference's answers.
//!
//! Uniformly random triples would almost all be denied, which measures only the cheap path.
//! So [`AIMED`] of the checks are aimed: they pick one of the user's reaching ALLOW grants and ask
//! about a resource and action it covers (denied anyway when a DENY also covers them); the
//! rest are random. That lands at 30–50% allowed, the mix the issue asks for.

use crate::generate::{resource_code, user_id, Dataset, Rng};
use crate::reference::Reference;
use crate::size::ACTIONS;
use crate::NOW_MS;
use portcullis_core::ids::UserId;
use serde::Serialize;

/// The share of aimed checks.
const AIMED: f64 = 0.3;

#[derive(Clone, Debug, Serialize)]
pub struct Check {
    #[serde(rename = "userId")]
    pub user: UserId,
    pub resource: String,
    pub action: String,
    pub expected: bool,
}

pub struct Workload {
    pub checks: Vec<Check>,
}

impl Workload {
    pub fn new(dataset: &Dataset, reference: &Reference, count: usize, seed: u64) -> Self {
        let size = &dataset.size;
        let namespace = dataset.namespace.as_str();
        let mut rng = Rng::new(seed ^ 0x5EED_C0DE);
        let instances = size.resources / size.classes();
        let mut checks = Vec::with_capacity(count);
        while checks.len() < count {
            let user = user_id(rng.below(size.users));
            let random_resource = |rng: &mut Rng| resource_code(size, rng.below(size.resources));
            let random_action = |rng: &mut Rng| ACTIONS[rng.below(ACTIONS.len())].to_owned();
            let (resource, action) = if rng.chance(AIMED) {
                let rules = reference.reaching(namespace, user.as_str(), NOW_MS);
                let allowing: Vec<_> = rules.into_iter().filter(|r| !r.deny).collect();
                if allowing.is_empty() {
                    continue;
                }
                let rule = allowing[rng.below(allowing.len())];
                let resource = match rule.code.as_str() {
                    "*" => random_resource(&mut rng),
                    code => match code.split_once(':') {
                        None => format!("{code}:{}", 100 + rng.below(instances)),
                        Some((class, rest)) if rest.ends_with('*') => {
                            format!("{class}:{}", 100 + rng.below(instances))
                        }
                        Some(_) => code.to_owned(),
                    },
                };
                let action = if rule.actions.iter().any(|a| a == "*") {
                    random_action(&mut rng)
                } else {
                    rule.actions[rng.below(rule.actions.len())].clone()
                };
                (resource, action)
            } else {
                (random_resource(&mut rng), random_action(&mut rng))
            };
            let expected = reference.is_action_allowed(namespace, user.as_str(), &action, &resource, NOW_MS);
            checks.push(Check { user, resource, action, expected });
        }
        Self { checks }
    }

    pub fn allowed_share(&self) -> f64 {
        self.checks.iter().filter(|c| c.expected).count() as f64 / self.checks.len().max(1) as f64
    }
}
