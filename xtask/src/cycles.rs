//! `cargo xtask cycles`, also the first check of `cargo xtask test`: the client's top-level
//! modules must not depend on each other in a cycle.
//!
//! Each file under `src/` belongs to a top-level module (`src/app.rs` to `app`, `src/pages/mod.rs`
//! and `src/pages/alerts.rs` to `pages`; `lib.rs` and `main.rs` are the crate root, left out).
//! Every `crate::NAME` path in a file, in a `use` (grouped ones too) or inline, is an edge to
//! module NAME when NAME is another module (`crate::mark`, a function of the root, is not).
//! Files are read as Rust tokens, so comments and strings do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr as _;

use anyhow::{Result, bail};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use walkdir::WalkDir;

/// Module → each module it names → the files that name it.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

pub fn check(root: &Path) -> Result<()> {
    let graph = graph(&read(root)?)?;
    let cycles = cycles(&graph);
    if cycles.is_empty() {
        println!("cycles: none between the client's {} modules", graph.len());
        return Ok(());
    }
    bail!("{}", describe(&graph, &cycles))
}

/// Every `.rs` file under `root/src`, as its path from `root` and its text.
fn read(root: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(root.join("src")) {
        let entry = entry?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "rs") {
            let path = entry
                .path()
                .strip_prefix(root)?
                .to_string_lossy()
                .into_owned();
            files.push((path, std::fs::read_to_string(entry.path())?));
        }
    }
    Ok(files)
}

/// The top-level module of a file under `src/`, or `None` for the crate root.
fn module_of(path: &str) -> Option<&str> {
    let first = path.strip_prefix("src/")?.split('/').next()?;
    match first {
        "lib.rs" | "main.rs" => None,
        _ => Some(first.strip_suffix(".rs").unwrap_or(first)),
    }
}

fn graph(files: &[(String, String)]) -> Result<Graph> {
    let mut graph: Graph = files
        .iter()
        .filter_map(|(path, _)| module_of(path))
        .map(|module| (module.to_owned(), BTreeMap::new()))
        .collect();
    for (path, text) in files {
        let Some(module) = module_of(path) else {
            continue;
        };
        let tokens = TokenStream::from_str(text)
            .map_err(|e| anyhow::anyhow!("{path} does not read as Rust: {e}"))?;
        let mut names = Vec::new();
        crate_paths(tokens, &mut names);
        for name in names {
            if name != module && graph.contains_key(&name) {
                graph
                    .entry(module.to_owned())
                    .or_default()
                    .entry(name)
                    .or_default()
                    .insert(path.clone());
            }
        }
    }
    Ok(graph)
}

/// The first name after each `crate::` in `tokens`, nested groups included; for a grouped use
/// (`crate::{a, b::c}`), the first name of each item (`a`, `b`).
fn crate_paths(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => crate_paths(group.stream(), out),
            TokenTree::Ident(ident) if ident == "crate" => {
                let [TokenTree::Punct(colon), TokenTree::Punct(colon2), next, ..] =
                    &tokens[i + 1..]
                else {
                    continue;
                };
                if colon.as_char() != ':' || colon2.as_char() != ':' {
                    continue;
                }
                match next {
                    TokenTree::Ident(name) => out.push(name.to_string()),
                    TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                        let mut item_start = true;
                        for token in group.stream() {
                            match token {
                                TokenTree::Ident(name) if item_start => out.push(name.to_string()),
                                TokenTree::Punct(p) if p.as_char() == ',' => item_start = true,
                                _ => item_start = false,
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// The cycles a depth-first search meets, one for each edge back into its path: none exactly
/// when the graph has no cycle. Each starts and ends with the same module.
fn cycles(graph: &Graph) -> Vec<Vec<&str>> {
    fn visit<'a>(
        graph: &'a Graph,
        module: &'a str,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        cycles: &mut Vec<Vec<&'a str>>,
    ) {
        path.push(module);
        for next in graph.get(module).into_iter().flat_map(BTreeMap::keys) {
            if let Some(at) = path.iter().position(|m| m == next) {
                let mut cycle = path[at..].to_vec();
                cycle.push(next);
                cycles.push(cycle);
            } else if !done.contains(next.as_str()) {
                visit(graph, next, path, done, cycles);
            }
        }
        path.pop();
        done.insert(module);
    }
    let (mut done, mut cycles) = (BTreeSet::new(), Vec::new());
    for module in graph.keys() {
        if !done.contains(module.as_str()) {
            visit(graph, module, &mut Vec::new(), &mut done, &mut cycles);
        }
    }
    cycles
}

/// One line per cycle, then the files that make each of its edges.
fn describe(graph: &Graph, cycles: &[Vec<&str>]) -> String {
    let mut text = String::new();
    for cycle in cycles {
        text.push_str(&format!(
            "module cycle in the client: {}\n",
            cycle.join(" -> ")
        ));
        for pair in cycle.windows(2) {
            let files = &graph[pair[0]][pair[1]];
            let files: Vec<&str> = files.iter().map(String::as_str).collect();
            text.push_str(&format!(
                "    {} -> {}: {}\n",
                pair[0],
                pair[1],
                files.join(", ")
            ));
        }
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect()
    }

    /// Each module and the modules it names.
    fn edges(graph: &Graph) -> Vec<(&str, Vec<&str>)> {
        graph
            .iter()
            .map(|(module, to)| (module.as_str(), to.keys().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn reads_grouped_uses_and_inline_paths_of_modules_only() -> Result<()> {
        let graph = graph(&files(&[
            (
                "src/lib.rs",
                "mod app; mod pages; pub fn mark() { crate::app::run() }",
            ),
            (
                "src/app.rs",
                "use crate::{format, route::{Route, Link}, self};\n\
                 // crate::engine is named in a comment only\n\
                 fn run() { crate::mark(); let s = \"crate::state\"; }",
            ),
            ("src/pages/mod.rs", "pub mod alerts;"),
            (
                "src/pages/alerts.rs",
                "use crate::pages::mod_item; fn f() { view! { <p>{crate::format::when(1)}</p> } }",
            ),
            ("src/format.rs", ""),
            ("src/route.rs", ""),
            ("src/engine.rs", ""),
            ("src/state.rs", ""),
        ]))?;
        assert_eq!(
            edges(&graph),
            [
                ("app", vec!["format", "route"]),
                ("engine", vec![]),
                ("format", vec![]),
                ("pages", vec!["format"]),
                ("route", vec![]),
                ("state", vec![]),
            ]
        );
        assert!(cycles(&graph).is_empty());
        Ok(())
    }

    #[test]
    fn finds_and_names_a_cycle() -> Result<()> {
        let graph = graph(&files(&[
            ("src/app.rs", "use crate::engine::start;"),
            ("src/engine.rs", "fn f() { crate::pages::reload() }"),
            ("src/pages/mod.rs", "mod events;"),
            ("src/pages/events.rs", "use crate::{app::Link, format};"),
            ("src/format.rs", ""),
        ]))?;
        assert_eq!(cycles(&graph), [vec!["app", "engine", "pages", "app"]]);
        assert_eq!(
            describe(&graph, &cycles(&graph)),
            "module cycle in the client: app -> engine -> pages -> app\n    \
             app -> engine: src/app.rs\n    \
             engine -> pages: src/engine.rs\n    \
             pages -> app: src/pages/events.rs"
        );
        Ok(())
    }

    #[test]
    fn the_client_of_this_repository_reads() -> Result<()> {
        let graph = graph(&read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))?)?;
        assert!(graph.contains_key("app") && !graph.contains_key("lib"));
        Ok(())
    }
}
