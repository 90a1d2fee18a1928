//! `role`: looks a role id up in the role catalog and fails on the properties
//! a rule rejects (not a built-in role id, unknown, DataActions, restricted
//! actions, a name that matches a pattern).

use crate::engine::pattern::Pattern;

use crate::effective::View;
use crate::engine::checks::{Context, Failure, Outcome, is_guid};
use crate::workspace::NodeRef;

/// A property of a role that a rule can reject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RoleProperty {
    /// Not the bare GUID of a built-in role: a resource id, a name, or a
    /// role the catalog marks as custom.
    NotBuiltinId,
    /// A GUID that the catalog does not know.
    Unknown,
    /// The role has DataActions or NotDataActions.
    DataActions,
    /// The role's actions include one that Azure Lighthouse does not support.
    RestrictedActions,
}

impl RoleProperty {
    pub const NAMES: &'static str = "not-builtin-id, unknown, data-actions, restricted-actions";

    pub fn parse(s: &str) -> Option<RoleProperty> {
        match s {
            "not-builtin-id" => Some(RoleProperty::NotBuiltinId),
            "unknown" => Some(RoleProperty::Unknown),
            "data-actions" => Some(RoleProperty::DataActions),
            "restricted-actions" => Some(RoleProperty::RestrictedActions),
            _ => None,
        }
    }
}

/// The compiled options of `role`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct RoleCheck {
    pub reject: Vec<RoleProperty>,
    /// Role ids (lower case) that pass whatever their properties.
    pub except: Vec<String>,
    /// Fails for a known role whose name matches.
    pub name_matches: Option<Pattern>,
}

impl RoleCheck {
    pub fn eval(&self, cx: &Context<'_>, view: &View<'_>, target: NodeRef) -> Outcome {
        let Some(value) = view.str(target) else {
            return Outcome::Pass;
        };
        let id = value.trim();
        if self.except.iter().any(|e| e.eq_ignore_ascii_case(id)) {
            return Outcome::Pass;
        }
        let guid = is_guid(id);
        let role = if guid { cx.roles.get(id) } else { None };
        for property in &self.reject {
            let reason = match property {
                RoleProperty::NotBuiltinId if !guid => Some(if id.to_ascii_lowercase().contains("/roledefinitions/") {
                    "is a role definition resource id, not the GUID of a built-in role".to_string()
                } else {
                    "is not a role definition GUID".to_string()
                }),
                RoleProperty::NotBuiltinId if role.is_some_and(|r| !r.builtin) => {
                    Some("is a custom role, not a built-in role".to_string())
                }
                RoleProperty::Unknown if guid && role.is_none() => Some("is not in lhlint's role catalog".to_string()),
                RoleProperty::DataActions if role.is_some_and(|r| r.has_data_actions) => {
                    Some("has DataActions".to_string())
                }
                RoleProperty::RestrictedActions
                    if role.is_some_and(|r| !r.lighthouse_restricted_actions.is_empty()) =>
                {
                    Some(format!("includes {}", actions(role)))
                }
                _ => None,
            };
            if let Some(reason) = reason {
                return fail(target, reason, role);
            }
        }
        if let (Some(re), Some(r)) = (&self.name_matches, role)
            && re.is_match(&r.name)
        {
            return fail(target, format!("is named `{}`", r.name), role);
        }
        Outcome::Pass
    }
}

fn actions(role: Option<&crate::catalog::Role>) -> String {
    role.map(|r| r.lighthouse_restricted_actions.join(", "))
        .unwrap_or_default()
}

fn fail(target: NodeRef, reason: String, role: Option<&crate::catalog::Role>) -> Outcome {
    let vars = vec![
        ("reason", reason),
        ("actions", actions(role)),
        ("name", role.map(|r| r.name.to_string()).unwrap_or_default()),
    ];
    Outcome::Fail(vec![Failure {
        at: target,
        missing: false,
        vars,
        value_of: Some(target),
        related: Vec::new(),
    }])
}
