//! `cargo xtask bench`: the figures DESIGN.md budgets. For now the app shell's first-load size:
//! everything index.html pulls in for the first screen, raw and brotli (quality 11, as served).

use std::path::Path;

use anyhow::{Result, bail};

use crate::precache::brotli_max;

const SHELL_BUDGET_BROTLI: usize = 160 * 1024;

pub fn run(root: &Path) -> Result<()> {
    let dist = root.join("dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name == "index.html"
                || [".js", ".wasm", ".css"]
                    .iter()
                    .any(|ext| name.ends_with(ext))
        })
        .filter(|p| p.file_name().is_some_and(|n| n != "sw.js"))
        .collect();
    files.sort();
    println!(
        "\n{:<44} {:>10} {:>10}",
        "first load (dist/)", "raw", "brotli"
    );
    let (mut raw_total, mut br_total) = (0, 0);
    for file in &files {
        let data = std::fs::read(file)?;
        let br = brotli_max(&data)?.len();
        raw_total += data.len();
        br_total += br;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        println!("{name:<44} {:>10} {:>10}", kb(data.len()), kb(br));
    }
    println!("{:<44} {:>10} {:>10}", "total", kb(raw_total), kb(br_total));
    println!("budget: {} brotli", kb(SHELL_BUDGET_BROTLI));
    if br_total > SHELL_BUDGET_BROTLI {
        bail!("the app shell is over its size budget");
    }
    Ok(())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
