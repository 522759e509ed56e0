//! What the widget weighs and why: the release bundle's raw and brotli sizes (what a static host
//! serves precompressed), and a breakdown of the wasm's code by crate and by function, read from the
//! name section of cargo's output before wasm-bindgen and wasm-opt strip it (a `twiggy top` in xtask).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use wasmparser::{Name, NameSectionReader, Parser, Payload};

/// Raw and brotli bytes of one served file.
#[derive(Debug, Clone)]
pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub brotli: u64,
}

/// Brotli at the settings a host precompresses with (quality 11, 4 MB window).
pub fn brotli_len(bytes: &[u8]) -> Result<u64> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out.len() as u64)
}

/// Files in `dist` that are not the widget: the local stand-in for the Genesys Cloud UI (`www/host.*`).
const NOT_THE_WIDGET: [&str; 2] = ["host.mjs", "host.css"];

/// The wasm, JS and CSS at the top of `dist`: what the browser downloads to start the widget.
pub fn bundle(dist: &Path) -> Result<Vec<FileSize>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        let served = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("wasm" | "js" | "mjs" | "css")
        );
        let host_page = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| NOT_THE_WIDGET.contains(&n));
        if !served || host_page || !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        files.push(FileSize {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            raw: bytes.len() as u64,
            brotli: brotli_len(&bytes)?,
        });
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.raw));
    Ok(files)
}

/// Raw and brotli bytes of each file, as a table on stdout.
pub fn print_files(files: &[std::path::PathBuf]) -> Result<()> {
    println!("| file | raw bytes | brotli bytes |\n| --- | ---: | ---: |");
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        println!(
            "| {} | {} | {} |",
            file.display(),
            bytes.len(),
            brotli_len(&bytes)?
        );
    }
    Ok(())
}

/// The release bundle in `root/dist` (already built) and the breakdown of the wasm cargo produced
/// for it, as markdown.
pub fn report(root: &Path) -> Result<String> {
    let files = bundle(&root.join("dist"))?;
    let mut out = String::from("| file | raw bytes | brotli bytes |\n| --- | ---: | ---: |\n");
    for f in &files {
        out.push_str(&format!("| {} | {} | {} |\n", f.name, f.raw, f.brotli));
    }
    out.push_str(&format!(
        "| **total** | {} | {} |\n\n",
        files.iter().map(|f| f.raw).sum::<u64>(),
        files.iter().map(|f| f.brotli).sum::<u64>()
    ));
    let named = root.join("target/wasm32-unknown-unknown/wasm-release/wrapup-live.wasm");
    let wasm = std::fs::read(&named)
        .with_context(|| format!("reading {} for the breakdown", named.display()))?;
    out.push_str(&breakdown_markdown(&breakdown(&wasm)?));
    Ok(out)
}

/// Code bytes per crate and the largest functions, from a wasm that still has its name section.
pub struct Breakdown {
    pub code_bytes: u64,
    pub data_bytes: u64,
    pub by_crate: Vec<(String, u64)>,
    pub top_functions: Vec<(String, u64)>,
}

/// Reads function body sizes and their (demangled) names from `wasm`.
pub fn breakdown(wasm: &[u8]) -> Result<Breakdown> {
    let mut imported = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut data_bytes = 0u64;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body.range().len() as u64),
            Payload::DataSection(reader) => data_bytes = reader.range().len() as u64,
            Payload::CustomSection(section) if section.name() == "name" => {
                let reader = NameSectionReader::new(wasmparser::BinaryReader::new(
                    section.data(),
                    section.data_offset(),
                ));
                for name in reader {
                    if let Name::Function(map) = name? {
                        for naming in map {
                            let naming = naming?;
                            names.insert(
                                naming.index,
                                format!("{:#}", rustc_demangle::demangle(naming.name)),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut by_crate: HashMap<String, u64> = HashMap::new();
    let mut functions = Vec::with_capacity(bodies.len());
    for (i, size) in bodies.iter().enumerate() {
        let name = names
            .get(&(imported + i as u32))
            .cloned()
            .unwrap_or_else(|| format!("func[{}]", imported + i as u32));
        *by_crate.entry(crate_of(&name)).or_default() += size;
        functions.push((name, *size));
    }
    let mut by_crate: Vec<_> = by_crate.into_iter().collect();
    by_crate.sort_by_key(|c| std::cmp::Reverse(c.1));
    functions.sort_by_key(|f| std::cmp::Reverse(f.1));
    functions.truncate(15);
    Ok(Breakdown {
        code_bytes: bodies.iter().sum(),
        data_bytes,
        by_crate,
        top_functions: functions,
    })
}

/// The crate a demangled path belongs to: `yew::html::…` → `yew`; `<serde_json::… as …>::…` →
/// `serde_json`; generic code is counted where it was monomorphised from, the first path it names.
fn crate_of(name: &str) -> String {
    let trimmed = name.trim_start_matches(['<', '&', '*', ' ']);
    let trimmed = trimmed
        .strip_prefix("mut ")
        .or_else(|| trimmed.strip_prefix("dyn "))
        .unwrap_or(trimmed);
    let head: String = trimmed
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if head.len() == 1 && head.chars().all(|c| c.is_ascii_uppercase()) {
        return "(generic impls)".to_owned();
    }
    if head.is_empty() || !trimmed[head.len()..].starts_with("::") {
        return "(other)".to_owned();
    }
    head
}

/// The breakdown as markdown: code by crate (top 15) and the largest functions.
pub fn breakdown_markdown(b: &Breakdown) -> String {
    let mut out = String::new();
    let total = b.code_bytes.max(1) as f64;
    let _ = writeln!(
        out,
        "wasm before wasm-bindgen/wasm-opt: code {} KB, data {} KB; `(other)` is mostly \
         wasm-bindgen's describe shims, which wasm-bindgen removes\n",
        b.code_bytes / 1024,
        b.data_bytes / 1024
    );
    let _ = writeln!(out, "| crate | code KB | share |\n| --- | ---: | ---: |");
    for (name, size) in b.by_crate.iter().take(15) {
        let _ = writeln!(
            out,
            "| {name} | {} | {:.1} % |",
            size / 1024,
            *size as f64 * 100.0 / total
        );
    }
    let _ = writeln!(out, "\n| largest functions | bytes |\n| --- | ---: |");
    for (name, size) in &b.top_functions {
        let short: String = name.chars().take(110).collect();
        let _ = writeln!(out, "| `{}` | {size} |", short.replace('|', "\\|"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_read_from_demangled_paths() {
        assert_eq!(crate_of("yew::html::component::lifecycle::run"), "yew");
        assert_eq!(
            crate_of("<serde_json::de::Deserializer<R> as serde::Deserializer>::deserialize_any"),
            "serde_json"
        );
        assert_eq!(
            crate_of("<&mut T as core::fmt::Write>::write_str"),
            "(generic impls)"
        );
        assert_eq!(crate_of("dlmalloc"), "(other)");
    }

    #[test]
    fn brotli_shrinks_repetitive_text() {
        let text = "wrap-up ".repeat(1000);
        let packed = brotli_len(text.as_bytes()).unwrap();
        assert!(packed > 0 && packed < 100, "{packed}");
    }
}
