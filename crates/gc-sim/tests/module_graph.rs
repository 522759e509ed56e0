//! Guards the layering of gc-sim's modules: the graph of top-level module → top-level module
//! references in `src/**/*.rs` must stay acyclic (stored state below routes and traffic).
//!
//! References counted: `crate::x` paths (also `crate::{x, y}`) and `super::` paths resolved from the
//! file's module path. Comments are ignored; `lib.rs` and `main.rs` (the roots) are not nodes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Edges of the graph, each remembering one file that made it (for the failure message).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// Every `.rs` file under `dir`, as (path relative to `root`, contents).
fn sources(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(root, &path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.push((
                path.strip_prefix(root).expect("under root").to_path_buf(),
                text,
            ));
        }
    }
}

/// The module path of a file: `routes/notifications/socket.rs` → `[routes, notifications, socket]`,
/// `store/mod.rs` → `[store]`.
fn module_path(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without comments and string literals (so doc links and URLs never count).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut block_depth = 0;
    while let Some(c) = chars.next() {
        if block_depth > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block_depth -= 1;
            } else if c == '/' && chars.peek() == Some(&'*') {
                chars.next();
                block_depth += 1;
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                block_depth = 1;
            }
            '"' => {
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier at the start of `s`, if any.
fn leading_ident(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// Identifiers named first in a path that continues with `rest`: `x::…` → `[x]`,
/// `{x, y::z}` → `[x, y]`.
fn first_segments(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 0;
        let mut names = Vec::new();
        let mut at_item_start = true;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => at_item_start = true,
                c if c.is_whitespace() => {}
                _ if at_item_start && depth == 0 => {
                    if let Some(name) = leading_ident(&group[i..]) {
                        names.push(name.to_string());
                    }
                    at_item_start = false;
                }
                _ => {}
            }
        }
        names
    } else {
        leading_ident(rest)
            .map(str::to_string)
            .into_iter()
            .collect()
    }
}

/// The top-level modules a file refers to.
fn references(file: &Path, text: &str) -> BTreeSet<String> {
    let code = code_only(text);
    let here = module_path(file);
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let preceded_by_ident = i > 0 && is_ident_char(bytes[i - 1] as char);
        let rest = &code[i..];
        if !preceded_by_ident && rest.starts_with("crate::") {
            found.extend(first_segments(&rest["crate::".len()..]));
            i += "crate::".len();
        } else if !preceded_by_ident && rest.starts_with("super::") {
            let mut ups = 0;
            let mut tail = rest;
            while let Some(t) = tail.strip_prefix("super::") {
                ups += 1;
                tail = t;
            }
            let base = &here[..here.len().saturating_sub(ups)];
            match base.first() {
                Some(top) => {
                    found.insert(top.clone());
                }
                None => found.extend(first_segments(tail)),
            }
            i += rest.len() - tail.len();
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The module graph of a source tree given as (path relative to `src`, contents).
fn graph(files: &[(PathBuf, String)]) -> Graph {
    let top = |f: &Path| module_path(f).first().cloned();
    let nodes: BTreeSet<String> = files
        .iter()
        .filter_map(|(f, _)| top(f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut g: Graph = nodes.iter().map(|n| (n.clone(), BTreeMap::new())).collect();
    for (file, text) in files {
        let Some(from) = top(file).filter(|m| nodes.contains(m)) else {
            continue;
        };
        for to in references(file, text) {
            if to != from && nodes.contains(&to) {
                g.get_mut(&from)
                    .expect("node")
                    .entry(to)
                    .or_insert_with(|| file.display().to_string());
            }
        }
    }
    g
}

/// A cycle as a closed walk `[a, b, …, a]`, if the graph has one.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        node: &str,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in g[node].keys() {
            if let Some(cycle) = visit(g, next, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(g, n, &mut done, &mut Vec::new()))
}

/// The cycle with the file behind each step.
fn describe(g: &Graph, cycle: &[String]) -> String {
    cycle
        .windows(2)
        .map(|w| format!("  {} -> {}   ({})", w[0], w[1], g[&w[0]][&w[1]]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn files(pairs: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    pairs
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_string()))
        .collect()
}

#[test]
fn gc_sim_modules_form_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    sources(&src, &src, &mut all);
    let g = graph(&all);
    assert!(g.len() > 5, "found the modules: {:?}", g.keys());
    // Stored state sits on the foundations only (time, configuration, unconfirmed constants).
    let foundations = ["clock", "config", "unconfirmed"];
    let above: Vec<_> = g["store"]
        .iter()
        .filter(|(to, _)| !foundations.contains(&to.as_str()))
        .collect();
    assert!(
        above.is_empty(),
        "stored state must not import the modules above it: {above:?}"
    );
    if let Some(cycle) = find_cycle(&g) {
        panic!(
            "gc-sim has an import cycle:\n{}\nMove the shared type below both modules (usually into `store`).",
            describe(&g, &cycle)
        );
    }
}

#[test]
fn a_planted_back_import_is_reported_as_a_cycle() {
    let g = graph(&files(&[
        ("lib.rs", "mod store; mod routes;"),
        ("store/mod.rs", "pub struct Sim;"),
        ("store/tokens.rs", "use crate::routes::http::Caller;"),
        ("routes/mod.rs", "use crate::store::Sim;"),
    ]));
    let cycle = find_cycle(&g).expect("a cycle");
    assert_eq!(cycle, ["routes", "store", "routes"]);
    assert!(describe(&g, &cycle).contains("store/tokens.rs"));
}

#[test]
fn grouped_super_and_commented_references_resolve_as_written() {
    let refs = |file: &str, text: &str| -> Vec<String> {
        references(Path::new(file), text).into_iter().collect()
    };
    assert_eq!(
        refs("hub.rs", "use crate::{store::Sim, clock::{now, iso}};"),
        ["clock", "store"]
    );
    assert_eq!(refs("store/jobs.rs", "use super::Sim;"), ["store"]);
    assert_eq!(
        refs("faults.rs", "use super::traffic::launch;"),
        ["traffic"]
    );
    assert_eq!(
        refs("routes/a/b.rs", "use super::super::super::hub;"),
        ["hub"]
    );
    assert!(
        refs(
            "store/mod.rs",
            "//! see [`crate::routes`]\nlet u = \"crate::routes\";"
        )
        .is_empty()
    );
}
