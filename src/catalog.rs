//! Reference data: the Azure built-in role catalog and the principal inventory.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The role catalog shipped with lhlint (see `data/README.md` for its source).
/// The binary carries it as a table built from this file (`build.rs`).
#[cfg(test)]
const BUILTIN_ROLES: &str = include_str!("../data/builtin-roles.json");

mod embedded {
    use super::Role;
    use std::borrow::Cow;
    include!(concat!(env!("OUT_DIR"), "/builtin_roles.rs"));
}

/// One Azure built-in role.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: Cow<'static, str>,
    pub name: Cow<'static, str>,
    #[serde(default)]
    pub has_data_actions: bool,
    #[serde(default)]
    pub category: Option<Cow<'static, str>>,
    #[serde(default)]
    pub lighthouse_restricted_actions: Cow<'static, [Cow<'static, str>]>,
    /// False for a custom role (from `az role definition list` output).
    #[serde(default = "builtin_default")]
    pub builtin: bool,
}

fn builtin_default() -> bool {
    true
}

/// Actions that Azure Lighthouse does not support in a delegated role
/// (Microsoft Learn, *Tenants, users, and roles in Azure Lighthouse scenarios*).
pub const LIGHTHOUSE_RESTRICTED_ACTIONS: &[&str] = &[
    "Microsoft.Authorization/*",
    "Microsoft.Authorization/*/write",
    "Microsoft.Authorization/*/delete",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Authorization/roleDefinitions/write",
    "Microsoft.Authorization/roleDefinitions/delete",
    "Microsoft.Authorization/classicAdministrators/write",
    "Microsoft.Authorization/classicAdministrators/delete",
    "Microsoft.Authorization/locks/write",
    "Microsoft.Authorization/locks/delete",
    "Microsoft.Authorization/denyAssignments/write",
    "Microsoft.Authorization/denyAssignments/delete",
];

/// Roles by lower-case GUID: a static table (the embedded catalog) and the
/// roles added to it at run time, which replace those with the same id.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    /// (lower-case id, role), sorted by id.
    table: &'static [(&'static str, Role)],
    /// Position in `table` by lower-case id: rules look roles up for every
    /// authorization, and hashing beats ten GUID comparisons.
    index: foldhash::HashMap<&'static str, usize>,
    added: foldhash::HashMap<String, Role>,
}

impl Roles {
    /// The catalog embedded in the binary.
    pub fn builtin() -> &'static Roles {
        static ROLES: OnceLock<Roles> = OnceLock::new();
        ROLES.get_or_init(Roles::from_builtin)
    }

    /// A fresh copy of the embedded catalog, to update with [`Roles::add_json`].
    pub fn from_builtin() -> Roles {
        let table = embedded::BUILTIN;
        Roles {
            table,
            index: table.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect(),
            added: Default::default(),
        }
    }

    /// Parses a catalog in the shipped format.
    pub fn from_json(text: &str) -> Result<Roles, String> {
        let roles: Vec<Role> = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Ok(Roles {
            table: &[],
            index: Default::default(),
            added: roles.into_iter().map(|r| (r.id.to_ascii_lowercase(), r)).collect(),
        })
    }

    /// Adds the roles of a catalog file, replacing those with the same id:
    /// either the shipped format (`[{"id", "name", "hasDataActions", …}]`) or
    /// the JSON that `az role definition list` prints, from which DataActions
    /// and restricted actions are computed. Returns how many roles were read.
    pub fn add_json(&mut self, text: &str) -> Result<usize, String> {
        let items = json_items(text, "an array of role definitions")?;
        for (i, item) in items.iter().enumerate() {
            let obj = item.as_object().ok_or_else(|| format!("entry {i} is not an object"))?;
            let role = if obj.contains_key("roleName") || obj.contains_key("permissions") {
                role_from_az(obj).map_err(|e| format!("entry {i}: {e}"))?
            } else {
                serde_json::from_value::<Role>(item.clone()).map_err(|e| format!("entry {i}: {e}"))?
            };
            let key = role.id.to_ascii_lowercase();
            let category = self.get(&key).and_then(|r| r.category.clone());
            self.added.insert(
                key,
                Role {
                    category: role.category.or(category),
                    ..role
                },
            );
        }
        Ok(items.len())
    }

    /// Looks a role up by GUID (any case).
    pub fn get(&self, id: &str) -> Option<&Role> {
        let id = id.trim();
        let lower;
        let key = if id.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = id.to_ascii_lowercase();
            lower.as_str()
        } else {
            id
        };
        if !self.added.is_empty()
            && let Some(role) = self.added.get(key)
        {
            return Some(role);
        }
        self.index.get(key).map(|&i| &self.table[i].1)
    }

    /// `guid (Name)` when the role is known, the value alone otherwise.
    pub fn describe(&self, id: &str) -> String {
        match self.get(id) {
            Some(role) => {
                let mut out = String::with_capacity(id.len() + role.name.len() + 3);
                out.push_str(id);
                out.push_str(" (");
                out.push_str(&role.name);
                out.push(')');
                out
            }
            None => id.to_string(),
        }
    }

    /// How many roles there are.
    pub fn len(&self) -> usize {
        let replaced = self.table.iter().filter(|(k, _)| self.added.contains_key(*k)).count();
        self.table.len() + self.added.len() - replaced
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A role from `az role definition list` output: `name` is the GUID (or the
/// last segment of `id`), permissions decide DataActions and restricted actions.
fn role_from_az(obj: &serde_json::Map<String, serde_json::Value>) -> Result<Role, String> {
    let text = |key: &str| obj.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let id = text("name")
        .filter(|n| crate::engine::checks::is_guid(n))
        .or_else(|| text("id").and_then(|i| i.rsplit('/').next().map(str::to_string)))
        .filter(|n| crate::engine::checks::is_guid(n))
        .ok_or("no role definition GUID in `name` or `id`")?;
    let name = text("roleName").ok_or("no `roleName`")?;
    let builtin = !text("roleType").is_some_and(|t| t.eq_ignore_ascii_case("CustomRole"));
    let mut has_data_actions = false;
    let mut restricted = Vec::new();
    let permissions = obj
        .get("permissions")
        .and_then(|p| p.as_array())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for block in permissions {
        let list = |key: &str| -> Vec<String> {
            block
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        has_data_actions |= !list("dataActions").is_empty() || !list("notDataActions").is_empty();
        for action in list("actions") {
            if LIGHTHOUSE_RESTRICTED_ACTIONS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&action))
                && !restricted.contains(&action)
            {
                restricted.push(action);
            }
        }
    }
    Ok(Role {
        id: id.to_ascii_lowercase().into(),
        name: name.into(),
        has_data_actions,
        category: None,
        lighthouse_restricted_actions: restricted.into_iter().map(Cow::Owned).collect(),
        builtin,
    })
}

/// The kind of a directory object, as precise as the inventory tells.
///
/// `Microsoft365Group` and `DistributionGroup` are groups ([`PrincipalType::is_a`]);
/// `Application` (an app registration's object) and `ApplicationId` (an app's
/// client id) are not principals a role can be assigned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PrincipalType {
    User,
    Group,
    ServicePrincipal,
    /// A group whose `groupTypes` has `Unified`.
    Microsoft365Group,
    /// A group that is not security-enabled (`securityEnabled: false`).
    DistributionGroup,
    /// The object of an app registration (`az ad app list`), not its service principal.
    Application,
    /// The application (client) id (`appId`) of an app registration or service principal.
    ApplicationId,
}

impl PrincipalType {
    /// The names a rule's `principal-kind` options, an inventory's `type` and an
    /// offer's `principalType` may use.
    pub const NAMES: &'static str =
        "user, group, servicePrincipal, microsoft365Group, distributionGroup, application, applicationId";

    pub fn parse(s: &str) -> Option<PrincipalType> {
        let lower = s.trim_start_matches("#microsoft.graph.").to_ascii_lowercase();
        match lower.as_str() {
            "user" => Some(PrincipalType::User),
            "group" => Some(PrincipalType::Group),
            "serviceprincipal" | "service-principal" | "service_principal" => Some(PrincipalType::ServicePrincipal),
            "microsoft365group" | "microsoft-365-group" | "unifiedgroup" => Some(PrincipalType::Microsoft365Group),
            "distributiongroup" | "distribution-group" => Some(PrincipalType::DistributionGroup),
            // Microsoft Graph's `#microsoft.graph.application`, Azure AD Graph's
            // `objectType: Application`: an app registration.
            "application" | "app-registration" | "appregistration" => Some(PrincipalType::Application),
            "applicationid" | "application-id" | "appid" => Some(PrincipalType::ApplicationId),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::Group => "group",
            PrincipalType::ServicePrincipal => "service principal",
            PrincipalType::Microsoft365Group => "Microsoft 365 group",
            PrincipalType::DistributionGroup => "distribution group",
            PrincipalType::Application => "app registration (application object)",
            PrincipalType::ApplicationId => "application (client) id",
        }
    }

    /// [`PrincipalType::as_str`] with its indefinite article.
    pub fn with_article(self) -> String {
        let name = self.as_str();
        let article = match self {
            PrincipalType::Application | PrincipalType::ApplicationId => "an",
            _ => "a",
        };
        format!("{article} {name}")
    }

    /// Whether a principal of this kind is also of kind `other` (a Microsoft 365
    /// group is a group).
    pub fn is_a(self, other: PrincipalType) -> bool {
        self == other
            || (other == PrincipalType::Group
                && matches!(
                    self,
                    PrincipalType::Microsoft365Group | PrincipalType::DistributionGroup
                ))
    }
}

/// Object ids of the managing tenant's principals, with their kinds.
#[derive(Debug, Default)]
pub struct Principals {
    by_id: HashMap<String, PrincipalType>,
    /// An application (client) id → the object id of its service principal,
    /// when the inventory lists that service principal.
    service_principal_of: HashMap<String, String>,
}

impl Principals {
    /// Adds the principals of one inventory file: either
    /// `[{"id": …, "type": "user"|"group"|"servicePrincipal"|…}]` or the JSON that
    /// `az ad user list`, `az ad group list`, `az ad sp list` and `az ad app list`
    /// print. Groups keep whether they are Microsoft 365 (`groupTypes` has
    /// `Unified`) or distribution groups (`securityEnabled: false`); the `appId`
    /// of an app registration or service principal is recorded as an
    /// application id.
    pub fn add_json(&mut self, text: &str) -> Result<usize, String> {
        let items = json_items(text, "an array of principals (or a Graph response with `value`)")?;
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
            let id = id.to_ascii_lowercase();
            if let Some(app_id) = obj.get("appId").and_then(|v| v.as_str()) {
                let app_id = app_id.to_ascii_lowercase();
                if app_id != id {
                    // An object id that is also listed wins over an application id.
                    self.by_id.entry(app_id.clone()).or_insert(PrincipalType::ApplicationId);
                    if kind == PrincipalType::ServicePrincipal {
                        self.service_principal_of.insert(app_id, id.clone());
                    }
                }
            }
            self.by_id.insert(id, kind);
            added += 1;
        }
        Ok(added)
    }

    pub fn get(&self, id: &str) -> Option<PrincipalType> {
        let id = id.trim();
        if id.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_id.get(&id.to_ascii_lowercase())
        } else {
            self.by_id.get(id)
        }
        .copied()
    }

    /// Why `id` is of kind `kind`, for a message.
    pub fn evidence(&self, id: &str, kind: PrincipalType) -> String {
        let mut text = format!("the principal inventory lists {id} as {}", kind.with_article());
        if kind == PrincipalType::ApplicationId {
            match self.service_principal_of.get(&id.trim().to_ascii_lowercase()) {
                Some(sp) => text.push_str(&format!(", whose service principal is {sp}")),
                None => text.push_str(", and no service principal for it"),
            }
        }
        text
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Reads the kind from `type`, `@odata.type`, or the shape of a Graph object,
/// and refines a group by `groupTypes` and `securityEnabled`.
fn principal_type_of(obj: &serde_json::Map<String, serde_json::Value>) -> Option<PrincipalType> {
    let stated = ["type", "@odata.type", "objectType"]
        .iter()
        .find_map(|key| obj.get(*key).and_then(|v| v.as_str()).and_then(PrincipalType::parse));
    let has = |key: &str| obj.contains_key(key);
    let kind = stated.or_else(|| {
        if has("servicePrincipalType") || has("servicePrincipalNames") || has("appOwnerOrganizationId") {
            Some(PrincipalType::ServicePrincipal)
        } else if has("appId") && (has("signInAudience") || has("requiredResourceAccess") || has("identifierUris")) {
            // `az ad app list`: an app registration, which has no service principal fields.
            Some(PrincipalType::Application)
        } else if has("appId") {
            Some(PrincipalType::ServicePrincipal)
        } else if has("groupTypes") || has("securityEnabled") {
            Some(PrincipalType::Group)
        } else if has("userPrincipalName") {
            Some(PrincipalType::User)
        } else {
            None
        }
    })?;
    if kind != PrincipalType::Group {
        return Some(kind);
    }
    let unified = obj.get("groupTypes").and_then(|v| v.as_array()).is_some_and(|types| {
        types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| t.eq_ignore_ascii_case("Unified")))
    });
    let security = obj.get("securityEnabled").and_then(|v| v.as_bool());
    Some(if unified {
        PrincipalType::Microsoft365Group
    } else if security == Some(false) {
        PrincipalType::DistributionGroup
    } else {
        PrincipalType::Group
    })
}

/// The items of an inventory file: a JSON array, or an object whose `value`
/// is one (Azure CLI and Graph responses); a BOM is allowed. `expected` names
/// the array in the error.
fn json_items(text: &str, expected: &str) -> Result<Vec<serde_json::Value>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
    match value {
        serde_json::Value::Array(items) => Ok(items),
        serde_json::Value::Object(mut o) => match o.remove("value") {
            Some(serde_json::Value::Array(items)) => Ok(items),
            _ => Err(format!("expected {expected}")),
        },
        _ => Err(format!("expected {expected}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventories_are_arrays_or_values_of_responses() {
        assert_eq!(json_items("\u{feff}[1, 2]", "x").unwrap().len(), 2);
        assert_eq!(json_items(r#"{"value": [1]}"#, "x").unwrap().len(), 1);
        assert_eq!(json_items(r#"{"value": 1}"#, "a list").unwrap_err(), "expected a list");
        assert_eq!(json_items("3", "a list").unwrap_err(), "expected a list");
        assert!(json_items("[", "a list").is_err());
    }

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
    fn the_embedded_table_is_the_catalog_file() {
        let parsed = Roles::from_json(BUILTIN_ROLES).unwrap();
        let table = Roles::builtin();
        assert_eq!(table.len(), parsed.len());
        for (id, role) in &parsed.added {
            assert_eq!(table.get(id), Some(role), "{id}");
        }
        assert!(table.table.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no repeats");
        assert!(
            table
                .table
                .iter()
                .any(|(_, r)| !r.lighthouse_restricted_actions.is_empty())
        );
        assert!(table.table.iter().any(|(_, r)| r.category.is_none()));
        assert_eq!(
            table.get(" 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 ").unwrap().name,
            "Owner"
        );
        assert_eq!(table.get("8e3af657-a8ff-443c-a75c-2fe8c4bcb63"), None);
    }

    #[test]
    fn az_role_definitions_update_the_catalog() {
        let mut roles = Roles::from_builtin();
        let az = r#"[
          {"name": "73c42c96-874c-492b-b04d-ab87d138a893", "roleName": "Log Analytics Reader", "roleType": "BuiltInRole",
           "permissions": [{"actions": ["*/read"], "notActions": [], "dataActions": [], "notDataActions": ["x/read"]}]},
          {"id": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/0d7ac2f1-58e4-4f0b-9a31-6c1d1a5e2b11",
           "name": "not-a-guid", "roleName": "Contoso Lock Keeper", "roleType": "CustomRole",
           "permissions": [{"actions": ["microsoft.authorization/locks/write", "*/read"], "dataActions": []}]}
        ]"#;
        assert_eq!(roles.add_json(az).unwrap(), 2);
        let reader = roles.get("73c42c96-874c-492b-b04d-ab87d138a893").unwrap();
        assert!(reader.has_data_actions);
        assert_eq!(reader.category.as_deref(), Some("Monitor"), "the category is kept");
        let custom = roles.get("0D7AC2F1-58E4-4F0B-9A31-6C1D1A5E2B11").unwrap();
        assert!(!custom.builtin);
        assert_eq!(
            custom.lighthouse_restricted_actions,
            vec!["microsoft.authorization/locks/write"]
        );
        // One role replaced, one added.
        assert_eq!(roles.len(), 929);
        assert!(
            roles
                .add_json(r#"[{"roleName": "x", "permissions": []}]"#)
                .unwrap_err()
                .contains("entry 0")
        );
        assert!(roles.add_json("{}").is_err());
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

    #[test]
    fn inventory_keeps_group_types_and_application_ids() {
        let mut p = Principals::default();
        // `az ad group list`
        p.add_json(
            r#"[{"id": "g1", "displayName": "Ops", "groupTypes": [], "securityEnabled": true, "mailEnabled": false},
                {"id": "g2", "displayName": "Team", "groupTypes": ["Unified"], "securityEnabled": true, "mailEnabled": true},
                {"id": "g3", "displayName": "News", "groupTypes": [], "securityEnabled": false, "mailEnabled": true},
                {"id": "g4", "type": "group", "groupTypes": ["DynamicMembership", "unified"]}]"#,
        )
        .unwrap();
        assert_eq!(p.get("g1"), Some(PrincipalType::Group));
        assert_eq!(p.get("g2"), Some(PrincipalType::Microsoft365Group));
        assert_eq!(p.get("g3"), Some(PrincipalType::DistributionGroup));
        assert_eq!(p.get("g4"), Some(PrincipalType::Microsoft365Group));
        assert!(PrincipalType::Microsoft365Group.is_a(PrincipalType::Group));
        assert!(!PrincipalType::Group.is_a(PrincipalType::Microsoft365Group));
        // `az ad app list`, then `az ad sp list`
        p.add_json(
            r#"[{"id": "A1", "appId": "C1", "displayName": "automation", "signInAudience": "AzureADMyOrg"},
                       {"id": "a2", "appId": "c2", "requiredResourceAccess": []}]"#,
        )
        .unwrap();
        p.add_json(r#"[{"id": "s1", "appId": "c1", "servicePrincipalType": "Application"}]"#)
            .unwrap();
        assert_eq!(p.get("a1"), Some(PrincipalType::Application));
        assert_eq!(p.get("c1"), Some(PrincipalType::ApplicationId));
        assert_eq!(p.get("s1"), Some(PrincipalType::ServicePrincipal));
        assert_eq!(
            p.evidence("C1", PrincipalType::ApplicationId),
            "the principal inventory lists C1 as an application (client) id, whose service principal is s1"
        );
        assert_eq!(
            p.evidence("c2", PrincipalType::ApplicationId),
            "the principal inventory lists c2 as an application (client) id, and no service principal for it"
        );
        assert_eq!(
            p.evidence("g2", PrincipalType::Microsoft365Group),
            "the principal inventory lists g2 as a Microsoft 365 group"
        );
        // Graph types and the own format.
        p.add_json(
            r##"[{"id": "a3", "@odata.type": "#microsoft.graph.application"},
                        {"id": "x1", "type": "applicationId"}]"##,
        )
        .unwrap();
        assert_eq!(p.get("a3"), Some(PrincipalType::Application));
        assert_eq!(p.get("x1"), Some(PrincipalType::ApplicationId));
    }
}
