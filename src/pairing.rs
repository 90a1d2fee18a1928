//! Pairing templates with their parameters files into lint units.
//!
//! By name first (`X.json` with `X.parameters.json` or `X.parameters.<env>.json`
//! in the same folder); a parameters file whose template is not found by name
//! pairs with the one template of its folder that declares all its parameters.
//! Either side may be named alone on the command line: the other is read from
//! disk and added to the run. Explicit pairs from `[pairing]` in `lhlint.toml`
//! win over both.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::config::pattern::normalize;

use crate::effective::Unit;
use crate::source::FileId;
use crate::workspace::{FileKind, Workspace};

/// The template file name a parameters file names by convention, if any.
pub fn template_name_for(params: &Path) -> Option<PathBuf> {
    let name = params.file_name()?.to_str()?;
    Some(params.with_file_name(template_file_name(name)?))
}

/// The template file name that the parameters file name `name` names by
/// convention: `x.parameters.json`, `x.parameters.jsonc` and
/// `x.parameters.<env>.json` (any case) name `x.json`. Listing a folder asks
/// this of every entry, so nothing is allocated for other names.
fn template_file_name(name: &str) -> Option<String> {
    const MARK: &[u8] = b".parameters.";
    let i = name
        .as_bytes()
        .windows(MARK.len())
        .position(|w| w.eq_ignore_ascii_case(MARK))?;
    let rest = &name[i + MARK.len()..];
    let env_json = rest.len() >= 5
        && rest.as_bytes()[rest.len() - 5..].eq_ignore_ascii_case(b".json")
        && !rest[..rest.len() - 5].contains('.');
    if !(rest.eq_ignore_ascii_case("json") || rest.eq_ignore_ascii_case("jsonc") || env_json) {
        return None;
    }
    Some([&name[..i], ".json"].concat())
}

/// Explicit pairs (absolute, normalized paths), from `[pairing]` of config files.
#[derive(Debug, Default)]
pub struct Explicit {
    templates_of: HashMap<PathBuf, Vec<PathBuf>>,
    params_of: HashMap<PathBuf, Vec<PathBuf>>,
}

impl Explicit {
    /// Records that `template` is deployed with `params`.
    pub fn add(&mut self, template: PathBuf, params: &[PathBuf]) {
        for p in params {
            let ts = self.templates_of.entry(p.clone()).or_default();
            if !ts.contains(&template) {
                ts.push(template.clone());
            }
        }
        let ps = self.params_of.entry(template).or_default();
        for p in params {
            if !ps.contains(p) {
                ps.push(p.clone());
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.params_of.is_empty()
    }

    /// The workspace files by normalized path (only computed when there are explicit pairs).
    fn index(&self, ws: &Workspace) -> HashMap<PathBuf, FileId> {
        if self.is_empty() {
            return HashMap::new();
        }
        ws.inputs
            .iter()
            .enumerate()
            .map(|(id, input)| (normalize(&input.path), id))
            .collect()
    }
}

/// Files on disk that belong with the workspace's files but were not named.
/// `to_open` turns an absolute path from `explicit` into the path to read.
/// By name, companions are looked for only beside `named` files (given on the
/// command line: a walked directory already yields its siblings).
pub fn companions(
    ws: &Workspace,
    explicit: &Explicit,
    to_open: &dyn Fn(&Path) -> PathBuf,
    named: &[PathBuf],
) -> Vec<PathBuf> {
    let mut extra = Vec::new();
    let index = explicit.index(ws);
    let mut listings = HashMap::new();
    for input in &ws.inputs {
        if !explicit.is_empty() {
            let own = normalize(&input.path);
            let listed = match input.kind {
                FileKind::Parameters => explicit.templates_of.get(&own),
                FileKind::Template => explicit.params_of.get(&own),
                _ => None,
            };
            for other in listed.into_iter().flatten() {
                if !index.contains_key(other) && other.is_file() {
                    extra.push(to_open(other));
                }
            }
        }
        if !named.contains(&input.path) {
            continue;
        }
        match input.kind {
            FileKind::Parameters => {
                if let Some(t) = template_name_for(&input.path)
                    && t.is_file()
                    && ws.find(&t).is_none()
                {
                    extra.push(t);
                }
            }
            FileKind::Template => {
                for p in sibling_parameter_files(&input.path, &mut listings) {
                    if ws.find(&p).is_none() {
                        extra.push(p);
                    }
                }
            }
            _ => {}
        }
    }
    extra.sort();
    extra.dedup();
    extra
}

/// `X.parameters.json` and `X.parameters.<env>.json` beside template `X.json`.
/// `listings` keeps each folder's parameters-file names (by the template name
/// they point to), so a folder of thousands of templates is read once.
fn sibling_parameter_files(
    template: &Path,
    listings: &mut HashMap<PathBuf, HashMap<OsString, Vec<OsString>>>,
) -> Vec<PathBuf> {
    let Some(dir) = template.parent() else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let listing = listings.entry(dir.to_path_buf()).or_insert_with(|| {
        let mut by_template: HashMap<OsString, Vec<OsString>> = HashMap::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| e.ok()) {
            let name = entry.file_name();
            let Some(wanted) = name.to_str().and_then(template_file_name) else {
                continue;
            };
            // The listing's file type costs no `stat`; a link is followed.
            let is_file = match entry.file_type() {
                Ok(t) if t.is_symlink() => entry.path().is_file(),
                Ok(t) => t.is_file(),
                Err(_) => false,
            };
            if is_file {
                by_template.entry(wanted.into()).or_default().push(name);
            }
        }
        by_template
    });
    let mut out: Vec<PathBuf> = template
        .file_name()
        .and_then(|name| listing.get(name))
        .into_iter()
        .flatten()
        .map(|p| template.with_file_name(p))
        .collect();
    out.sort();
    out
}

/// Builds the lint units of a workspace (in file order).
pub fn units(ws: &Workspace, explicit: &Explicit) -> Vec<Unit> {
    let mut params_of: BTreeMap<FileId, Vec<FileId>> = BTreeMap::new();
    let mut claimed = vec![false; ws.len()];
    let index = explicit.index(ws);
    let mut declared = declarations(ws);
    for (id, input) in ws.inputs.iter().enumerate() {
        if input.kind != FileKind::Parameters {
            continue;
        }
        if let Some(templates) = (!index.is_empty())
            .then(|| explicit.templates_of.get(&normalize(&input.path)))
            .flatten()
        {
            for t in templates {
                if let Some(&t) = index.get(t).filter(|&&t| ws.kind(t) == FileKind::Template) {
                    params_of.entry(t).or_default().push(id);
                    claimed[id] = true;
                }
            }
            continue;
        }
        let by_name = template_name_for(&input.path)
            .and_then(|t| ws.find(&t))
            .filter(|&t| ws.kind(t) == FileKind::Template);
        if let Some(t) = by_name.or_else(|| template_by_declarations(ws, id, &mut declared)) {
            params_of.entry(t).or_default().push(id);
            claimed[id] = true;
        }
    }
    let mut units = Vec::new();
    for (id, input) in ws.inputs.iter().enumerate() {
        match input.kind {
            FileKind::Template => match params_of.get(&id) {
                Some(params) => units.extend(params.iter().map(|&p| Unit {
                    kind: FileKind::Template,
                    root: id,
                    params: Some(p),
                    one_of_several: params.len() > 1,
                })),
                None => units.push(Unit {
                    kind: FileKind::Template,
                    root: id,
                    params: None,
                    one_of_several: false,
                }),
            },
            FileKind::Parameters if !claimed[id] => units.push(Unit {
                kind: FileKind::Parameters,
                root: id,
                params: None,
                one_of_several: false,
            }),
            FileKind::Offer => units.push(Unit {
                kind: FileKind::Offer,
                root: id,
                params: None,
                one_of_several: false,
            }),
            _ => {}
        }
    }
    units
}

/// The templates of each folder with the names of the parameters they declare
/// (lowercased), computed for a folder the first time a parameters file there
/// is not paired by name.
struct Declarations<'w> {
    templates: BTreeMap<Option<&'w Path>, Vec<FileId>>,
    declared: HashMap<Option<&'w Path>, Vec<(FileId, HashSet<String>)>>,
}

fn declarations(ws: &Workspace) -> Declarations<'_> {
    let mut templates: BTreeMap<Option<&Path>, Vec<FileId>> = BTreeMap::new();
    for (id, input) in ws.inputs.iter().enumerate() {
        if input.kind == FileKind::Template {
            templates.entry(input.path.parent()).or_default().push(id);
        }
    }
    Declarations {
        templates,
        declared: HashMap::new(),
    }
}

impl<'w> Declarations<'w> {
    fn of(&mut self, ws: &Workspace, dir: Option<&'w Path>) -> &[(FileId, HashSet<String>)] {
        let templates = &self.templates;
        self.declared.entry(dir).or_insert_with(|| {
            templates
                .get(&dir)
                .into_iter()
                .flatten()
                .map(|&id| {
                    let names = parameter_names(ws, id).iter().map(|n| n.to_ascii_lowercase()).collect();
                    (id, names)
                })
                .collect()
        })
    }
}

/// The single template in the same folder that declares every parameter the file sets.
fn template_by_declarations<'w>(ws: &'w Workspace, params: FileId, declared: &mut Declarations<'w>) -> Option<FileId> {
    let names = parameter_names(ws, params);
    if names.is_empty() {
        return None;
    }
    let mut found = None;
    for (id, declares) in declared.of(ws, ws.inputs[params].path.parent()) {
        if names.iter().all(|n| declares.contains(&n.to_ascii_lowercase())) {
            if found.is_some() {
                return None;
            }
            found = Some(*id);
        }
    }
    found
}

/// Names under the root `parameters` object.
fn parameter_names(ws: &Workspace, file: FileId) -> Vec<String> {
    let Some(root) = ws.root(file) else {
        return Vec::new();
    };
    let Some(params) = ws.get(root, "parameters") else {
        return Vec::new();
    };
    let doc = ws.doc_of(params);
    let text = ws.text(file);
    doc.children(params.node)
        .filter_map(|c| doc.key(text, c).map(|k| k.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::template_name_for;
    use std::path::Path;

    #[test]
    fn conventional_names() {
        let t = |p: &str| template_name_for(Path::new(p)).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(t("a/x.parameters.json").as_deref(), Some("a/x.json"));
        assert_eq!(t("a/x.parameters.prod.json").as_deref(), Some("a/x.json"));
        assert_eq!(t("azuredeploy.parameters.json").as_deref(), Some("azuredeploy.json"));
        assert_eq!(t("a/x.json"), None);
        assert_eq!(t("a/x.parameters.a.b.json"), None);
        // Any case, the name's own case kept; .jsonc; non-ASCII names.
        assert_eq!(t("X.Parameters.JSON").as_deref(), Some("X.json"));
        assert_eq!(t("x.PARAMETERS.Prod.Json").as_deref(), Some("x.json"));
        assert_eq!(t("x.parameters.jsonc").as_deref(), Some("x.json"));
        assert_eq!(t("über.parameters.prüf.json").as_deref(), Some("über.json"));
        assert_eq!(t("x.parameters.é.json").as_deref(), Some("x.json"));
        assert_eq!(t("x.parameters.é"), None);
        assert_eq!(t("x.parameters.").as_deref(), None);
        assert_eq!(t("x.parameters.json.bak"), None);
        assert_eq!(t(".parameters.json").as_deref(), Some(".json"));
        assert_eq!(t("a.parameters.b.parameters.json"), None);
    }
}
