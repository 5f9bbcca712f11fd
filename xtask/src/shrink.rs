//! Shrinks Trunk's output for the first load, after Trunk and before the precache list:
//!
//! - wasm-bindgen names each import of the app's WASM after the JS function and a 16-digit hash
//!   (`__wbg_setattribute_5b3a…`), and those names appear twice, in the WASM's import section and
//!   as keys in the JS glue. Both get the same short names (`a`, `b`, … `aa`, …).
//! - The JS glue is minified with terser (npm, pinned in `setup`): Trunk's own minifier gives up
//!   on the glue's `export default`.
//! - index.html's integrity hashes for both files are written anew.
//!
//! Measured on the app: 3.2 KB less brotli WASM and 4.2 KB less brotli JS.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use base64::Engine as _;
use sha2::{Digest, Sha384};
use wasm_encoder::{EntityType, ImportSection, Module, RawSection};
use wasmparser::{Encoding, Parser, Payload};

use crate::setup::Context;

pub fn run(ctx: &Context, dist: &Path) -> Result<()> {
    let wasm_path = find(dist, "_bg.wasm")?;
    let stem = wasm_path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("_bg.wasm"))
        .context("an odd WASM file name")?
        .to_owned();
    let js_path = dist.join(format!("{stem}.js"));

    let (wasm, names) = rename_imports(&std::fs::read(&wasm_path)?, "_bg.js")?;
    let js = rename_keys(&std::fs::read_to_string(&js_path)?, &names)?;
    std::fs::write(&wasm_path, &wasm)?;
    std::fs::write(&js_path, js)?;
    let js_arg = js_path.to_str().context("non-UTF-8 path")?;
    crate::run(
        ctx,
        "terser",
        &[js_arg, "--module", "--compress", "--mangle", "-o", js_arg],
    )?;

    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path)?;
    for file in [&wasm_path, &js_path] {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        index = set_integrity(&index, name, &std::fs::read(file)?)?;
    }
    std::fs::write(&index_path, index)?;
    println!("shrink: {} imports renamed, JS glue minified", names.len());
    Ok(())
}

/// The one file in `dir` (not below it) whose name ends with `suffix`.
pub fn find(dir: &Path, suffix: &str) -> Result<PathBuf> {
    let mut found = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        _ => bail!("expected exactly one *{suffix} in {}", dir.display()),
    }
}

/// Short names in order: a … z, A … Z, aa, ab, …
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    n += 1;
    while n > 0 {
        n -= 1;
        name.push(LETTERS[n % 52]);
        n /= 52;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Renames the imports of the module whose name ends with `module_suffix` to short names;
/// returns the new WASM and the old-to-new names. Every other section is copied byte for byte.
fn rename_imports(wasm: &[u8], module_suffix: &str) -> Result<(Vec<u8>, HashMap<String, String>)> {
    let mut out = Module::new();
    let mut names = HashMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::Version {
                encoding: Encoding::Component,
                ..
            } => bail!("a WASM component, not a module"),
            Payload::ImportSection(reader) => {
                let mut imports = ImportSection::new();
                for import in reader.into_imports() {
                    let import = import?;
                    let name = if import.module.ends_with(module_suffix) {
                        let next = short_name(names.len());
                        names.entry(import.name.to_owned()).or_insert(next).clone()
                    } else {
                        import.name.to_owned()
                    };
                    imports.import(import.module, &name, EntityType::try_from(import.ty)?);
                }
                out.section(&imports);
            }
            payload => {
                if let Some((id, range)) = payload.as_section() {
                    let range = usize::try_from(range.start)?..usize::try_from(range.end)?;
                    let data = wasm.get(range).context("the WASM ends inside a section")?;
                    out.section(&RawSection { id, data });
                }
            }
        }
    }
    Ok((out.finish(), names))
}

/// Renames the glue's import functions, written one per line as `    name: function(`.
fn rename_keys(js: &str, names: &HashMap<String, String>) -> Result<String> {
    let mut out = String::with_capacity(js.len());
    let mut renamed = 0;
    for line in js.split_inclusive('\n') {
        let key = line.trim_start();
        let indent = &line[..line.len() - key.len()];
        match key.split_once(": ").filter(|(k, _)| names.contains_key(*k)) {
            Some((old, rest)) => {
                out.push_str(indent);
                out.push_str(&names[old]);
                out.push_str(": ");
                out.push_str(rest);
                renamed += 1;
            }
            None => out.push_str(line),
        }
    }
    if renamed != names.len() {
        bail!(
            "the JS glue names {renamed} of the WASM's {} imports",
            names.len()
        );
    }
    Ok(out)
}

/// Sets the `integrity` of the tag in `html` that links `/name` to the SHA-384 of `content`, if
/// it has one.
fn set_integrity(html: &str, name: &str, content: &[u8]) -> Result<String> {
    let link = html
        .find(&format!("href=/{name} "))
        .or_else(|| html.find(&format!("href=\"/{name}\"")))
        .with_context(|| format!("index.html does not link /{name}"))?;
    let tag_start = html[..link].rfind('<').context("a link outside a tag")?;
    let tag_end = link + html[link..].find('>').context("an unclosed tag")?;
    let tag = &html[tag_start..tag_end];
    // Without an integrity there is nothing to bring up to date.
    let Some(value) = tag
        .find("integrity=")
        .map(|i| tag_start + i + "integrity=".len())
    else {
        return Ok(html.to_owned());
    };
    let quoted = html[value..].starts_with('"');
    let value_start = value + usize::from(quoted);
    let value_end = value_start
        + html[value_start..]
            .find(|c: char| {
                if quoted {
                    c == '"'
                } else {
                    c == ' ' || c == '>'
                }
            })
            .context("an unterminated integrity")?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(content));
    Ok(format!(
        "{}sha384-{digest}{}",
        &html[..value_start],
        &html[value_end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "__wbg_log_0123456789abcdef";
    const NOW: &str = "__wbg_now_fedcba9876543210";

    /// A module importing two functions from the glue (one of them twice) and a memory from
    /// elsewhere, with a function, an export and a custom section after the imports.
    fn module() -> Vec<u8> {
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function([], []);
        let mut imports = ImportSection::new();
        imports.import("./app_bg.js", LOG, EntityType::Function(0));
        imports.import("./app_bg.js", NOW, EntityType::Function(0));
        imports.import("./app_bg.js", LOG, EntityType::Function(0));
        let memory = wasm_encoder::MemoryType {
            minimum: 1,
            maximum: Some(2),
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        imports.import("env", "memory", memory);
        let mut functions = wasm_encoder::FunctionSection::new();
        functions.function(0);
        let mut exports = wasm_encoder::ExportSection::new();
        exports.export("start", wasm_encoder::ExportKind::Func, 3);
        let mut code = wasm_encoder::CodeSection::new();
        let mut body = wasm_encoder::Function::new([]);
        body.instructions().call(1).call(0).end();
        code.function(&body);
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&functions)
            .section(&exports)
            .section(&code)
            .section(&wasm_encoder::CustomSection {
                name: "x".into(),
                data: [9, 9][..].into(),
            });
        module.finish()
    }

    /// Each section's id and bytes, imports aside.
    fn other_sections(wasm: &[u8]) -> Result<Vec<(u8, Vec<u8>)>> {
        let mut sections = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Some((id, range)) = payload?.as_section()
                && id != 2
            {
                let range = usize::try_from(range.start)?..usize::try_from(range.end)?;
                sections.push((id, wasm[range].to_vec()));
            }
        }
        Ok(sections)
    }

    /// The module and name of each import, in order.
    fn imports(wasm: &[u8]) -> Result<Vec<(String, String)>> {
        let mut imports = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ImportSection(reader) = payload? {
                for import in reader.into_imports() {
                    let import = import?;
                    imports.push((import.module.to_owned(), import.name.to_owned()));
                }
            }
        }
        Ok(imports)
    }

    #[test]
    fn renames_the_glue_imports_in_the_wasm_and_the_js_alike() -> Result<()> {
        let (wasm, names) = rename_imports(&module(), "_bg.js")?;
        assert_eq!((names[LOG].as_str(), names[NOW].as_str()), ("a", "b"));
        assert_eq!(names.len(), 2, "imports of other modules keep their names");
        let pair = |module: &str, name: &str| (module.to_owned(), name.to_owned());
        assert_eq!(
            imports(&wasm)?,
            [
                pair("./app_bg.js", "a"),
                pair("./app_bg.js", "b"),
                pair("./app_bg.js", "a"),
                pair("env", "memory"),
            ]
        );
        assert_eq!(
            other_sections(&wasm)?,
            other_sections(&module())?,
            "every other section is kept as it was"
        );

        let js = format!(
            "const imports = {{\n        {LOG}: function(arg0) {{\n            console.log(arg0);\n        }},\n        {NOW}: function() {{\n            return Date.now();\n        }},\n    }};\n"
        );
        let renamed = rename_keys(&js, &names)?;
        assert!(
            renamed.contains("        a: function(arg0) {")
                && renamed.contains("        b: function() {")
        );
        assert!(!renamed.contains("__wbg_"));
        assert!(
            rename_keys("nothing here\n", &names).is_err(),
            "a glue that lacks an import is an error, not a broken app"
        );
        Ok(())
    }

    #[test]
    fn short_names_are_distinct() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert_eq!(
            (names[0].as_str(), names[51].as_str(), names[52].as_str()),
            ("a", "Z", "aa")
        );
    }

    #[test]
    fn refuses_what_is_not_a_module() {
        assert!(rename_imports(b"<html>", "_bg.js").is_err());
        let mut cut = module();
        cut.truncate(cut.len() - 8);
        assert!(rename_imports(&cut, "_bg.js").is_err());
        let component = b"\0asm\x0d\0\x01\0";
        assert!(rename_imports(component, "_bg.js").is_err());
    }

    #[test]
    fn writes_the_integrity_of_the_linked_file() -> Result<()> {
        let html = "<link crossorigin href=/app-1.js integrity=sha384-old rel=modulepreload><link href=/other.css integrity=sha384-keep>";
        let out = set_integrity(html, "app-1.js", b"new content")?;
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"new content"));
        assert!(out.contains(&format!("href=/app-1.js integrity=sha384-{expected} rel=")));
        assert!(out.contains("href=/other.css integrity=sha384-keep>"));
        assert!(set_integrity(html, "missing.js", b"").is_err());
        let plain = "<link href=\"/app-1.js\" rel=\"modulepreload\">";
        assert_eq!(
            set_integrity(plain, "app-1.js", b"x")?,
            plain,
            "no integrity, no change"
        );
        Ok(())
    }
}
