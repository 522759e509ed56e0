//! Data flows one way: `state/` and `components/` speak `types/` and never reach into `services/`,
//! so reducers hold facts and components cannot fetch. Reads the sources; fails on any such path.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

/// Lines of `room` (under `src/`) that name the services module, as `file:line: text`.
fn service_paths_in(room: &str) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(room),
        &mut files,
    );
    assert!(!files.is_empty(), "src/{room} has no Rust files");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains("crate::services") || code.contains("super::services") {
                found.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}

#[test]
fn state_never_imports_services() {
    let found = service_paths_in("state");
    assert!(
        found.is_empty(),
        "state must hold facts only:\n{}",
        found.join("\n")
    );
}

#[test]
fn components_never_import_services() {
    let found = service_paths_in("components");
    assert!(
        found.is_empty(),
        "components render, they never call services:\n{}",
        found.join("\n")
    );
}
