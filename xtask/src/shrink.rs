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
fn find(dir: &Path, suffix: &str) -> Result<PathBuf> {
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

fn read_leb(bytes: &[u8], at: &mut usize) -> Result<u32> {
    let mut value = 0u32;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at).context("the WASM ends inside a number")?;
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(value);
        }
    }
    bail!("a malformed number in the WASM")
}

fn write_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_name<'a>(bytes: &'a [u8], at: &mut usize) -> Result<&'a str> {
    let len = read_leb(bytes, at)? as usize;
    let name = bytes
        .get(*at..*at + len)
        .context("the WASM ends inside a name")?;
    *at += len;
    Ok(std::str::from_utf8(name)?)
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len());
    out.extend_from_slice(name.as_bytes());
}

/// Renames the imports of the module whose name ends with `module_suffix` to short names;
/// returns the new WASM and the old-to-new names. Every other byte stays as it was.
fn rename_imports(wasm: &[u8], module_suffix: &str) -> Result<(Vec<u8>, HashMap<String, String>)> {
    if wasm.get(..4) != Some(b"\0asm") {
        bail!("not a WASM file");
    }
    let mut out = wasm[..8].to_vec();
    let mut names = HashMap::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = read_leb(wasm, &mut at)? as usize;
        let body = wasm
            .get(at..at + size)
            .context("the WASM ends inside a section")?;
        at += size;
        let body = if id == 2 {
            rename_in_import_section(body, module_suffix, &mut names)?
        } else {
            body.to_vec()
        };
        out.push(id);
        write_leb(&mut out, body.len());
        out.extend_from_slice(&body);
    }
    Ok((out, names))
}

fn rename_in_import_section(
    body: &[u8],
    module_suffix: &str,
    names: &mut HashMap<String, String>,
) -> Result<Vec<u8>> {
    let mut at = 0;
    let count = read_leb(body, &mut at)?;
    let mut out = Vec::with_capacity(body.len());
    write_leb(&mut out, count as usize);
    for _ in 0..count {
        let module = read_name(body, &mut at)?;
        let field = read_name(body, &mut at)?;
        let start = at;
        let kind = *body.get(at).context("the WASM ends inside an import")?;
        at += 1;
        // Skip the import's description, whose shape depends on its kind.
        let limits = |at: &mut usize| -> Result<()> {
            let flags = *body.get(*at).context("truncated limits")?;
            *at += 1;
            read_leb(body, at)?;
            if flags & 1 == 1 {
                read_leb(body, at)?;
            }
            Ok(())
        };
        match kind {
            0 => {
                read_leb(body, &mut at)?;
            }
            1 => {
                at += 1;
                limits(&mut at)?;
            }
            2 => limits(&mut at)?,
            3 => at += 2,
            4 => {
                at += 1;
                read_leb(body, &mut at)?;
            }
            other => bail!("an import of unknown kind {other}"),
        }
        let field = if module.ends_with(module_suffix) {
            let next = short_name(names.len());
            names.entry(field.to_owned()).or_insert(next).clone()
        } else {
            field.to_owned()
        };
        write_name(&mut out, module);
        write_name(&mut out, &field);
        out.extend_from_slice(body.get(start..at).context("truncated import")?);
    }
    if at != body.len() {
        bail!("the import section has bytes after its imports");
    }
    Ok(out)
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

    /// A module importing one function from the glue and one memory from elsewhere, with a
    /// custom section after the imports.
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // Type section: one function type () -> ().
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut imports = vec![2];
        write_name(&mut imports, "./app_bg.js");
        write_name(&mut imports, "__wbg_log_0123456789abcdef");
        imports.extend_from_slice(&[0, 0]);
        write_name(&mut imports, "env");
        write_name(&mut imports, "memory");
        imports.extend_from_slice(&[2, 1, 1, 2]);
        wasm.push(2);
        write_leb(&mut wasm, imports.len());
        wasm.extend_from_slice(&imports);
        wasm.extend_from_slice(&[0, 4, 1, b'x', 9, 9]);
        wasm
    }

    #[test]
    fn renames_the_glue_imports_in_the_wasm_and_the_js_alike() -> Result<()> {
        let (wasm, names) = rename_imports(&module(), "_bg.js")?;
        assert_eq!(names["__wbg_log_0123456789abcdef"], "a");
        assert_eq!(names.len(), 1, "imports of other modules keep their names");
        let text = String::from_utf8_lossy(&wasm);
        assert!(!text.contains("__wbg_log") && text.contains("memory"));
        assert!(
            wasm.ends_with(&[0, 4, 1, b'x', 9, 9]),
            "later sections are kept"
        );
        // Renaming again finds the short name: the output is a well-formed module.
        let (_, again) = rename_imports(&wasm, "_bg.js")?;
        assert!(again.contains_key("a"));

        let js = "const imports = {\n        __wbg_log_0123456789abcdef: function(arg0) {\n            console.log(arg0);\n        },\n    };\n";
        let renamed = rename_keys(js, &names)?;
        assert!(renamed.contains("        a: function(arg0) {") && !renamed.contains("__wbg_log"));
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
