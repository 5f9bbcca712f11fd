//! Trunk's post_build hook: fills the service worker's precache list with the built (hashed) file
//! names, its list of the map chunk's files, and a version derived from all their contents, then
//! writes brotli and gzip copies of every compressible file for the server to send as they are.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

const SERVICE_WORKER: &str = "sw.js";
const COMPRESSIBLE: [&str; 7] = ["html", "js", "wasm", "css", "webmanifest", "svg", "json"];

pub fn run(dist: &Path) -> Result<()> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dist).follow_links(true) {
        let entry = entry?;
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
    // The store screenshots are for the install sheet only; phones need not keep them. The
    // chunk list is the size benchmark's.
    let screenshots = dist.join("screenshots");
    files.retain(|f| {
        !is_compressed_copy(f)
            && !f.starts_with(&screenshots)
            && f.file_name()
                .is_some_and(|n| n != SERVICE_WORKER && n != crate::split::MANIFEST)
    });
    files.sort();

    // The map chunk is fetched when the map is first opened, not at install; it is still part of
    // the version, so a new map means a new worker (which keeps it in a cache of that version).
    let map = dist.join("map");
    let mut version = Sha256::new();
    let (mut urls, mut map_urls) = (Vec::new(), Vec::new());
    for file in &files {
        let url = format!("/{}", file.strip_prefix(dist)?.to_string_lossy());
        version.update(url.as_bytes());
        version.update(std::fs::read(file)?);
        if file.starts_with(&map) {
            map_urls.push(url);
        } else {
            urls.push(url);
        }
    }
    let version = hex::encode(&version.finalize()[..8]);

    let sw_path = dist.join(SERVICE_WORKER);
    let sw = std::fs::read_to_string(&sw_path).context("the build has no sw.js")?;
    let list = |urls: &[String]| {
        urls.iter()
            .map(|u| format!("{u:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let filled = sw
        .replacen(
            "const VERSION = \"dev\";",
            &format!("const VERSION = \"{version}\";"),
            1,
        )
        .replacen(
            "const PRECACHE = [];",
            &format!("const PRECACHE = [{}];", list(&urls)),
            1,
        )
        .replacen(
            "const MAP_FILES = [];",
            &format!("const MAP_FILES = [{}];", list(&map_urls)),
            1,
        );
    let placeholders = ["const VERSION = \"dev\";", "const PRECACHE = [];"];
    if placeholders.iter().any(|p| filled.contains(p))
        || (!map_urls.is_empty() && filled.contains("const MAP_FILES = [];"))
    {
        bail!("sw.js lost its VERSION, PRECACHE or MAP_FILES placeholder line");
    }
    std::fs::write(&sw_path, filled)?;
    files.push(sw_path);

    for file in files.iter().filter(|f| is_compressible(f)) {
        compress(file)?;
    }
    println!("precache: {} files, shell version {version}", urls.len());
    Ok(())
}

fn extension(path: &Path) -> &str {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
}

fn is_compressed_copy(path: &Path) -> bool {
    matches!(extension(path), "br" | "gz")
}

fn is_compressible(path: &Path) -> bool {
    COMPRESSIBLE.contains(&extension(path))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn compress(path: &Path) -> Result<()> {
    let data = std::fs::read(path)?;
    std::fs::write(with_suffix(path, ".br"), brotli_max(&data)?)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data)?;
    std::fs::write(with_suffix(path, ".gz"), gz.finish()?)?;
    Ok(())
}

/// Brotli at its best quality: what the server sends and what the size budget counts.
pub fn brotli_max(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_precache_list_and_writes_compressed_copies() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("vecinos-precache-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("icons"))?;
        std::fs::create_dir_all(dir.join("map"))?;
        std::fs::write(dir.join("map/leaflet.js"), "var L = {};")?;
        std::fs::write(dir.join("index.html"), "<html></html>")?;
        std::fs::write(dir.join("app-0123456789abcdef.js"), "console.log(1)")?;
        std::fs::write(dir.join("icons/icon.png"), [0u8, 1, 2])?;
        std::fs::write(
            dir.join(SERVICE_WORKER),
            "const VERSION = \"dev\";\nconst PRECACHE = [];\nconst MAP_FILES = [];\n",
        )?;

        run(&dir)?;
        let sw = std::fs::read_to_string(dir.join(SERVICE_WORKER))?;
        assert!(sw.contains(r#"const PRECACHE = ["/app-0123456789abcdef.js", "/icons/icon.png", "/index.html"];"#), "{sw}");
        assert!(
            sw.contains(r#"const MAP_FILES = ["/map/leaflet.js"];"#),
            "{sw}"
        );
        assert!(!sw.contains("\"dev\""));
        assert!(dir.join("index.html.br").is_file() && dir.join("sw.js.gz").is_file());
        assert!(!dir.join("icons/icon.png.br").exists());
        assert!(
            dir.join("map/leaflet.js.br").is_file(),
            "the map chunk is sent compressed"
        );
        let version = |sw: &str| sw.lines().next().map(str::to_owned);
        let first = version(&sw);

        // A second run (Trunk rebuilt in place) must not list the compressed copies.
        std::fs::write(
            dir.join(SERVICE_WORKER),
            "const VERSION = \"dev\";\nconst PRECACHE = [];\nconst MAP_FILES = [];\n",
        )?;
        run(&dir)?;
        assert!(!std::fs::read_to_string(dir.join(SERVICE_WORKER))?.contains(".br"));

        // The map chunk is not precached, but a new one makes a new version of the worker.
        std::fs::write(dir.join("map/leaflet.js"), "var L = { changed: true };")?;
        std::fs::write(
            dir.join(SERVICE_WORKER),
            "const VERSION = \"dev\";\nconst PRECACHE = [];\nconst MAP_FILES = [];\n",
        )?;
        run(&dir)?;
        assert_ne!(
            version(&std::fs::read_to_string(dir.join(SERVICE_WORKER))?),
            first
        );
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
