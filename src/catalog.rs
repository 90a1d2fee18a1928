//! Reference data: the Azure built-in role catalog and the principal inventory.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The role catalog shipped with lhlint (see `data/README.md` for its source).
const BUILTIN_ROLES: &str = include_str!("../data/builtin-roles.json");

/// One Azure built-in role.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub has_data_actions: bool,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub lighthouse_restricted_actions: Vec<String>,
}

/// Roles by lower-case GUID.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    by_id: HashMap<String, Role>,
}

impl Roles {
    /// The catalog embedded in the binary.
    pub fn builtin() -> &'static Roles {
        static ROLES: OnceLock<Roles> = OnceLock::new();
        ROLES.get_or_init(|| Roles::from_json(BUILTIN_ROLES).expect("the embedded role catalog is valid"))
    }

    /// Parses a catalog in the shipped format.
    pub fn from_json(text: &str) -> Result<Roles, String> {
        let roles: Vec<Role> = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Ok(Roles {
            by_id: roles.into_iter().map(|r| (r.id.to_ascii_lowercase(), r)).collect(),
        })
    }

    /// Adds (or replaces) the roles of one catalog file: the shipped format
    /// (`[{"id", "name", "hasDataActions", …}]`) or the output of
    /// `az role definition list` (`[{"name": GUID, "roleName", "permissions"}]`).
    pub fn add_json(&mut self, text: &str) -> Result<usize, String> {
        let value: serde_json::Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
        let items = value.as_array().ok_or("expected an array of role definitions")?;
        for (i, item) in items.iter().enumerate() {
            let role = if item.get("roleName").is_some() {
                role_from_az(item).ok_or_else(|| format!("entry {i}: expected `name` (a GUID) and `roleName`"))?
            } else {
                Role::deserialize(item).map_err(|e| format!("entry {i}: {e}"))?
            };
            if !crate::engine::checks::is_guid(role.id.trim()) {
                return Err(format!("entry {i}: role id `{}` is not a GUID", role.id));
            }
            self.by_id.insert(role.id.trim().to_ascii_lowercase(), role);
        }
        Ok(items.len())
    }

    /// Looks a role up by GUID (any case).
    pub fn get(&self, id: &str) -> Option<&Role> {
        self.by_id.get(&id.trim().to_ascii_lowercase())
    }

    /// `guid (Name)` when the role is known, the value alone otherwise.
    pub fn describe(&self, id: &str) -> String {
        match self.get(id) {
            Some(role) => format!("{id} ({})", role.name),
            None => id.to_string(),
        }
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// A role from `az role definition list` output.
fn role_from_az(item: &serde_json::Value) -> Option<Role> {
    let id = item.get("name")?.as_str()?.to_string();
    let name = item.get("roleName")?.as_str()?.to_string();
    let nonempty =
        |p: &serde_json::Value, key: &str| p.get(key).and_then(|v| v.as_array()).is_some_and(|a| !a.is_empty());
    let has_data_actions = item.get("permissions").and_then(|p| p.as_array()).is_some_and(|ps| {
        ps.iter()
            .any(|p| nonempty(p, "dataActions") || nonempty(p, "notDataActions"))
    });
    Some(Role {
        id,
        name,
        has_data_actions,
        category: None,
        lighthouse_restricted_actions: Vec::new(),
    })
}

/// The kind of a directory object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    User,
    Group,
    ServicePrincipal,
}

impl PrincipalType {
    pub fn parse(s: &str) -> Option<PrincipalType> {
        let lower = s.trim_start_matches("#microsoft.graph.").to_ascii_lowercase();
        match lower.as_str() {
            "user" => Some(PrincipalType::User),
            "group" => Some(PrincipalType::Group),
            "serviceprincipal" | "service-principal" | "service_principal" | "application" => {
                Some(PrincipalType::ServicePrincipal)
            }
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::Group => "group",
            PrincipalType::ServicePrincipal => "service principal",
        }
    }
}

/// Object ids of the managing tenant's principals, with their kinds.
#[derive(Debug, Default)]
pub struct Principals {
    by_id: HashMap<String, PrincipalType>,
}

impl Principals {
    /// Adds the principals of one inventory file: either
    /// `[{"id": …, "type": "user"|"group"|"servicePrincipal"}]` or the JSON that
    /// `az ad user list`, `az ad group list` and `az ad sp list` print.
    pub fn add_json(&mut self, text: &str) -> Result<usize, String> {
        let value: serde_json::Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
        let items = match &value {
            serde_json::Value::Array(items) => items.as_slice(),
            serde_json::Value::Object(o) => match o.get("value") {
                Some(serde_json::Value::Array(items)) => items.as_slice(),
                _ => return Err("expected an array of principals (or a Graph response with `value`)".into()),
            },
            _ => return Err("expected an array of principals".into()),
        };
        let mut added = 0;
        for (i, item) in items.iter().enumerate() {
            let obj = item.as_object().ok_or_else(|| format!("entry {i} is not an object"))?;
            let id = obj
                .get("id")
                .and_then(|v| v.as_str())
                .ok_or_else(|| format!("entry {i} has no string `id`"))?;
            let kind = principal_type_of(obj).ok_or_else(|| {
                format!(
                    "entry {i} ({id}): cannot tell whether it is a user, a group or a service principal; add \"type\""
                )
            })?;
            self.by_id.insert(id.to_ascii_lowercase(), kind);
            added += 1;
        }
        Ok(added)
    }

    pub fn get(&self, id: &str) -> Option<PrincipalType> {
        self.by_id.get(&id.trim().to_ascii_lowercase()).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Reads the kind from `type`, `@odata.type`, or the shape of a Graph object.
fn principal_type_of(obj: &serde_json::Map<String, serde_json::Value>) -> Option<PrincipalType> {
    for key in ["type", "@odata.type", "objectType"] {
        if let Some(kind) = obj.get(key).and_then(|v| v.as_str()).and_then(PrincipalType::parse) {
            return Some(kind);
        }
    }
    if obj.contains_key("servicePrincipalType") || obj.contains_key("appId") {
        Some(PrincipalType::ServicePrincipal)
    } else if obj.contains_key("groupTypes") || obj.contains_key("securityEnabled") {
        Some(PrincipalType::Group)
    } else if obj.contains_key("userPrincipalName") {
        Some(PrincipalType::User)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_has_the_lighthouse_roles() {
        let roles = Roles::builtin();
        assert_eq!(roles.len(), 928);
        assert_eq!(roles.get("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635").unwrap().name, "Owner");
        assert!(
            roles
                .get("92aaf0da-9dab-42b6-94a3-d43ce8d16293")
                .unwrap()
                .has_data_actions
        );
        assert_eq!(
            roles.describe("b24988ac-6180-42a0-ab88-20f7382dd24c"),
            "b24988ac-6180-42a0-ab88-20f7382dd24c (Contributor)"
        );
    }

    #[test]
    fn extra_role_catalogs() {
        let mut roles = Roles::builtin().clone();
        roles
            .add_json(r#"[{"id": "11111111-2222-3333-4444-555555555555", "name": "Contoso Operator"}]"#)
            .unwrap();
        roles
            .add_json(
                r#"[{"name": "66666666-2222-3333-4444-555555555555", "roleName": "Contoso Reader",
                     "permissions": [{"actions": ["*/read"], "dataActions": ["x/read"]}]}]"#,
            )
            .unwrap();
        assert_eq!(
            roles.get("11111111-2222-3333-4444-555555555555").unwrap().name,
            "Contoso Operator"
        );
        assert!(
            roles
                .get("66666666-2222-3333-4444-555555555555")
                .unwrap()
                .has_data_actions
        );
        assert_eq!(roles.len(), 930);
        assert!(roles.add_json(r#"[{"id": "nope", "name": "x"}]"#).is_err());
    }

    #[test]
    fn inventory_formats() {
        let mut p = Principals::default();
        p.add_json(r#"[{"id": "A1", "type": "user"}, {"id": "b2", "type": "servicePrincipal"}]"#)
            .unwrap();
        p.add_json(r#"[{"id": "c3", "displayName": "Ops", "groupTypes": [], "securityEnabled": true}]"#)
            .unwrap();
        p.add_json(r#"[{"id": "d4", "userPrincipalName": "jane@contoso.com"}]"#)
            .unwrap();
        p.add_json(r#"[{"id": "e5", "appId": "x", "servicePrincipalType": "Application"}]"#)
            .unwrap();
        assert_eq!(p.get("a1"), Some(PrincipalType::User));
        assert_eq!(p.get("B2"), Some(PrincipalType::ServicePrincipal));
        assert_eq!(p.get("c3"), Some(PrincipalType::Group));
        assert_eq!(p.get("d4"), Some(PrincipalType::User));
        assert_eq!(p.get("e5"), Some(PrincipalType::ServicePrincipal));
        assert!(p.add_json(r#"[{"id": "f6"}]"#).unwrap_err().contains("add \"type\""));
    }
}
