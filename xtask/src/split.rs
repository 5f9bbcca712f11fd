//! Code splitting, in Trunk's post_build hook before `shrink`: each section's screens are a WASM
//! chunk of their own (the `wasm_split` points in `src/app.rs`), so the first load carries only
//! the app's core and the chunks of the screen it opens.
//!
//! Trunk runs wasm-bindgen itself, but the splitter needs the linker's relocations, which
//! wasm-bindgen drops. So this step starts again from cargo's raw artifact (linked with
//! `--emit-relocs`, see `build.rs`): `wasm_split_cli_support` cuts it into the main module, one
//! `split_<section>-<hash>.wasm` per split point and `chunk_<n>-<hash>.wasm` for code several
//! sections share (content-hashed names, so they are cached for a year like Trunk's files),
//! plus the loader `__wasm_split.js`; wasm-bindgen then runs on the main module and its output
//! replaces Trunk's glue and WASM (same names, so index.html's bootstrap stays as it is);
//! wasm-opt shrinks every module in release builds, and terser the loader.
//!
//! `chunks.json` (section → the files its chunk needs) is written beside them for the size
//! benchmark, and into index.html's shell script, which preloads the current section's chunks
//! beside the main WASM (else they would start downloading only once it runs). The service
//! worker precaches every chunk after the first load, so each section opens offline once the
//! app has been visited.
//!
//! An app with a split point that skipped this step would import `__wasm_split_placeholder__`
//! and show a blank page: the step fails the build if any glue still names it.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow, bail};
use sha2::{Digest, Sha256};

use crate::setup::Context;

/// The benchmark's list of each section's chunk files (not served to phones' caches).
pub const MANIFEST: &str = "chunks.json";
const PLACEHOLDER: &str = "__wasm_split_placeholder__";
/// Where index.html's shell script gets the list, to preload the current section's chunks.
const CHUNK_LIST: &str = "__VECINOS_CHUNKS__";

pub fn run(ctx: &Context, staging: &Path) -> Result<()> {
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    let raw = ctx.root.join(format!(
        "target/wasm32-unknown-unknown/{}/vecinos.wasm",
        if release { "wasm-release" } else { "debug" }
    ));
    let input = std::fs::read(&raw).with_context(|| format!("reading {}", raw.display()))?;
    let bg = crate::shrink::find(staging, "_bg.wasm")?;
    let stem = bg
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("_bg.wasm"))
        .context("an odd WASM file name")?
        .to_owned();

    let work = ctx.root.join("target/wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let main_out = work.join("main.wasm");
    let main_module = format!("./{stem}.js");
    let split = {
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = staging;
        options.main_out_path = &main_out;
        options.main_module = &main_module;
        options.link_name = "./__wasm_split.js";
        wasm_split_cli_support::transform(options).map_err(|e| anyhow!("splitting: {e:?}"))?
    };

    if split.prefetch_map.is_empty() {
        bail!("the app has no split points: build it with the `split` feature (index.html)");
    }

    let bindgen = work.join("bindgen");
    crate::run(
        ctx,
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-demangle",
            "--no-typescript",
            "--out-dir",
            path_str(&bindgen)?,
            "--out-name",
            &stem,
            path_str(&main_out)?,
        ],
    )?;
    for name in [format!("{stem}.js"), format!("{stem}_bg.wasm")] {
        std::fs::copy(bindgen.join(&name), staging.join(&name))?;
    }

    if release {
        let mut modules = vec![bg.clone()];
        modules.extend(split.split_modules.iter().cloned());
        for module in &modules {
            crate::wasm_opt(ctx, module)?;
        }
    }

    // Content-hashed chunk names: cached for good, and a page still running an older build asks
    // for its own chunks (then finds them or says the screen is not on the phone) instead of
    // linking a newer build's chunk into its WASM.
    let loader_path = staging.join("__wasm_split.js");
    let mut loader = std::fs::read_to_string(&loader_path)?;
    let mut hashed = HashMap::new();
    for module in &split.split_modules {
        let stem = module
            .file_stem()
            .and_then(|s| s.to_str())
            .context("an odd chunk name")?;
        let data = std::fs::read(module)?;
        let name = format!("{stem}-{}.wasm", &hex::encode(Sha256::digest(&data))[..16]);
        let quoted = format!("\"./{stem}.wasm\"");
        if !loader.contains(&quoted) {
            bail!("__wasm_split.js does not load {stem}.wasm");
        }
        loader = loader.replacen(&quoted, &format!("\"./{name}\""), 1);
        std::fs::rename(module, staging.join(&name))?;
        hashed.insert(stem.to_owned(), name);
    }
    std::fs::write(&loader_path, loader)?;
    let loader = path_str(&loader_path)?;
    crate::run(
        ctx,
        "terser",
        &[loader, "--module", "--compress", "--mangle", "-o", loader],
    )?;

    for entry in std::fs::read_dir(staging)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "js")
            && std::fs::read_to_string(&path)?.contains(PLACEHOLDER)
        {
            bail!(
                "{} still imports {PLACEHOLDER}: the app was not split",
                path.display()
            );
        }
    }

    let manifest: serde_json::Map<String, serde_json::Value> = split
        .prefetch_map
        .iter()
        .map(|(section, stems)| {
            let files = stems
                .iter()
                .map(|s| hashed.get(s).cloned().map(serde_json::Value::from))
                .collect::<Option<_>>()
                .with_context(|| format!("{section} needs a chunk the splitter did not write"))?;
            Ok((section.clone(), serde_json::Value::Array(files)))
        })
        .collect::<Result<_>>()?;
    std::fs::write(
        staging.join(MANIFEST),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    let index_path = staging.join("index.html");
    let index = std::fs::read_to_string(&index_path)?;
    // The string literal, quotes and all (Trunk's minifier may have changed the quotes).
    let at = index
        .find(CHUNK_LIST)
        .filter(|&at| at > 0)
        .context("index.html lost its chunk list placeholder")?;
    let list = serde_json::to_string(&manifest)?;
    let index = format!(
        "{}{list}{}",
        &index[..at - 1],
        &index[at + CHUNK_LIST.len() + 1..]
    );
    std::fs::write(&index_path, index)?;
    println!(
        "split: {} chunks for {} sections",
        split.split_modules.len(),
        manifest.len()
    );
    Ok(())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().context("non-UTF-8 path")
}
