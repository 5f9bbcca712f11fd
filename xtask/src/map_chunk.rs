//! The map chunk, built into `map/` of Trunk's staging folder by the post_build hook: the
//! `vecinos-map` crate through wasm-bindgen (`no-modules`: a classic script that defines the
//! global `wasm_bindgen`, which the app loads on demand), wasm-opt and terser, next to Leaflet's script and
//! stylesheet from npm (`.tools/node_modules/leaflet`, installed by `setup` at a pinned version;
//! never committed) and the map's own stylesheet. None of it is in the first load or the service
//! worker's precache list: the app fetches it when the map is first opened.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::setup::Context;

/// Files of Leaflet's npm package the map needs (its marker images are not: markers are drawn
/// with CSS).
const LEAFLET_FILES: [&str; 2] = ["leaflet.js", "leaflet.css"];

pub fn build(ctx: &Context, staging: &Path) -> Result<()> {
    let out = staging.join("map");
    std::fs::create_dir_all(&out)?;
    crate::run(
        ctx,
        "cargo",
        &[
            "build",
            "-p",
            "vecinos-map",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
    )?;
    let built = ctx
        .root
        .join("target/wasm32-unknown-unknown/wasm-release/vecinos_map.wasm");
    let out_dir = out.to_str().context("non-UTF-8 path")?;
    crate::run(
        ctx,
        "wasm-bindgen",
        &[
            "--target",
            "no-modules",
            "--no-typescript",
            "--out-dir",
            out_dir,
            "--out-name",
            "vecinos_map",
            built.to_str().context("non-UTF-8 path")?,
        ],
    )?;
    crate::wasm_opt(ctx, &out.join("vecinos_map_bg.wasm"))?;
    // A classic script: terser leaves its top-level names (the global `wasm_bindgen`) alone.
    let glue = out.join("vecinos_map.js");
    let glue = glue.to_str().context("non-UTF-8 path")?;
    crate::run(ctx, "terser", &[glue, "--compress", "--mangle", "-o", glue])?;
    let leaflet = ctx.root.join(".tools/node_modules/leaflet/dist");
    for file in LEAFLET_FILES {
        std::fs::copy(leaflet.join(file), out.join(file))
            .with_context(|| format!("copying Leaflet's {file}: run `cargo xtask setup`"))?;
    }
    std::fs::copy(ctx.root.join("map/map.css"), out.join("map.css"))?;
    Ok(())
}
