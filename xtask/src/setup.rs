//! Installs what a fresh machine lacks, and skips in seconds what is already there at the right
//! version: the wasm32 target, Trunk, wasm-bindgen-cli (the exact version in Cargo.lock), wasm-opt
//! from npm binaryen, the map's Leaflet, terser and Lighthouse into .tools/, the end-to-end tests' npm packages, and Debian's Chromium,
//! ChromeDriver and PostgreSQL. `postgres` then starts the cluster the server tests use.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

const TRUNK: &str = "0.21.14";
const BINARYEN: &str = "132.0.0";
/// The map library, copied into the map chunk by `cargo xtask post-build`.
const LEAFLET: &str = "1.9.4";
/// Minifies the app's JS glue (`shrink`).
const TERSER: &str = "5.51.2";
/// Scores the first visit (`bench client`). 13.x wants Node 22; these machines have 20.
pub const LIGHTHOUSE: &str = "12.2.3";
const APT_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "postgresql"];
/// The role the server's tests connect as; it may create their throwaway databases.
const PG_ROLE: &str = "vecinos";

/// Where the project's tools are found: `.tools/node_modules/.bin` comes first on PATH so that
/// Trunk picks npm's wasm-opt 132 and never Debian's (which breaks the WASM).
pub struct Context {
    pub root: PathBuf,
    pub path: OsString,
}

impl Context {
    pub fn new(root: &Path) -> Result<Self> {
        let mut dirs = vec![root.join(".tools/node_modules/.bin")];
        if let Some(home) = std::env::var_os("HOME") {
            dirs.push(Path::new(&home).join(".cargo/bin"));
        }
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        Ok(Self {
            root: root.to_path_buf(),
            path: std::env::join_paths(dirs)?,
        })
    }

    fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        let out = Command::new(program)
            .args(args)
            .env("PATH", &self.path)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn install(&self, program: &str, args: &[&str]) -> Result<()> {
        super::run(self, program, args)
    }
}

pub fn run(ctx: &Context) -> Result<()> {
    let started = Instant::now();
    super::step("setup");
    wasm_target(ctx)?;
    trunk(ctx)?;
    wasm_bindgen(ctx)?;
    npm_tools(ctx)?;
    apt_packages(ctx)?;
    println!("setup: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn report(what: &str, present: bool) {
    let state = if present { "present" } else { "installing" };
    println!("setup: {what:<36} {state}");
}

fn wasm_target(ctx: &Context) -> Result<()> {
    let present = ctx
        .output("rustup", &["target", "list", "--installed"])
        .is_some_and(|list| list.lines().any(|l| l.trim() == "wasm32-unknown-unknown"));
    report("rust target wasm32-unknown-unknown", present);
    if !present {
        ctx.install("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    Ok(())
}

fn trunk(ctx: &Context) -> Result<()> {
    let present = ctx
        .output("trunk", &["--version"])
        .is_some_and(|v| v.trim() == format!("trunk {TRUNK}"));
    report(&format!("trunk {TRUNK}"), present);
    if !present {
        println!("setup: compiling Trunk takes about 9 minutes on 2 cores");
        ctx.install(
            "cargo",
            &["install", "trunk", "--locked", "--version", TRUNK],
        )?;
    }
    Ok(())
}

/// The wasm-bindgen version Cargo.lock resolved, as `cargo pkgid` names it
/// (`registry+…#wasm-bindgen@0.2.130`); the CLI must match it exactly.
fn locked_wasm_bindgen(ctx: &Context) -> Result<String> {
    let id = ctx
        .output("cargo", &["pkgid", "wasm-bindgen"])
        .context("`cargo pkgid wasm-bindgen` failed")?;
    let version = id.trim().rsplit(['@', '#']).next().unwrap_or_default();
    Ok(version.to_owned())
}

fn wasm_bindgen(ctx: &Context) -> Result<()> {
    let version = locked_wasm_bindgen(ctx)?;
    let matches = |program: &str| {
        ctx.output(program, &["--version"])
            .is_some_and(|v| v.split_whitespace().nth(1) == Some(&version))
    };
    let present = matches("wasm-bindgen") && matches("wasm-bindgen-test-runner");
    report(&format!("wasm-bindgen-cli {version}"), present);
    if !present {
        // Without --locked: the CLI's own lockfile pins crates this registry view lacks.
        ctx.install(
            "cargo",
            &[
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--force",
            ],
        )?;
    }
    Ok(())
}

fn npm_package_version(dir: &Path) -> Option<String> {
    let manifest = std::fs::read(dir.join("package.json")).ok()?;
    let manifest: Value = serde_json::from_slice(&manifest).ok()?;
    manifest["version"].as_str().map(str::to_owned)
}

fn npm_tools(ctx: &Context) -> Result<()> {
    let tools = ctx.root.join(".tools");
    let version = |name: &str| npm_package_version(&tools.join("node_modules").join(name));
    let present = version("binaryen").as_deref() == Some(BINARYEN)
        && version("leaflet").as_deref() == Some(LEAFLET)
        && version("terser").as_deref() == Some(TERSER)
        && version("lighthouse").as_deref() == Some(LIGHTHOUSE);
    report(
        &format!(
            "npm binaryen {BINARYEN}, leaflet {LEAFLET}, terser {TERSER}, lighthouse {LIGHTHOUSE}"
        ),
        present,
    );
    if !present {
        std::fs::create_dir_all(&tools)?;
        let prefix = tools.to_str().context("non-UTF-8 path")?;
        // All in one install: `--no-save` removes what the command does not name.
        let binaryen = format!("binaryen@{BINARYEN}");
        let leaflet = format!("leaflet@{LEAFLET}");
        let terser = format!("terser@{TERSER}");
        let lighthouse = format!("lighthouse@{LIGHTHOUSE}");
        ctx.install(
            "npm",
            &[
                "install",
                "--prefix",
                prefix,
                "--no-save",
                "--no-audit",
                "--no-fund",
                &binaryen,
                &leaflet,
                &terser,
                &lighthouse,
            ],
        )?;
    }

    // The end-to-end tests' packages, exactly as e2e/package-lock.json pins them.
    let e2e = ctx.root.join("e2e");
    let lock = std::fs::read_to_string(e2e.join("package-lock.json"))
        .context("reading e2e/package-lock.json")?;
    let installed =
        std::fs::read_to_string(e2e.join("node_modules/.package-lock.json")).unwrap_or_default();
    let present = lock_packages(&lock) == lock_packages(&installed);
    report("end-to-end npm packages (e2e/)", present);
    if !present {
        let prefix = e2e.to_str().context("non-UTF-8 path")?;
        ctx.install(
            "npm",
            &["ci", "--prefix", prefix, "--no-audit", "--no-fund"],
        )?;
    }
    Ok(())
}

/// The installed packages of an npm lockfile and their versions, which npm copies into
/// node_modules/.package-lock.json; none for a file that is not one.
fn lock_packages(lock: &str) -> BTreeMap<String, Value> {
    let lock: Value = serde_json::from_str(lock).unwrap_or_default();
    lock["packages"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(path, _)| path.starts_with("node_modules/"))
        .map(|(path, package)| (path.clone(), package["version"].clone()))
        .collect()
}

fn apt_packages(ctx: &Context) -> Result<()> {
    let missing: Vec<&str> = APT_PACKAGES
        .into_iter()
        .filter(|pkg| {
            !ctx.output("dpkg-query", &["-W", "-f=${Status}", pkg])
                .is_some_and(|status| status.contains("install ok installed"))
        })
        .collect();
    report(
        &format!("debian {}", APT_PACKAGES.join(", ")),
        missing.is_empty(),
    );
    if missing.is_empty() {
        return Ok(());
    }
    let root = ctx
        .output("id", &["-u"])
        .is_some_and(|uid| uid.trim() == "0");
    let (program, prefix): (&str, &[&str]) = if root {
        ("apt-get", &[])
    } else {
        ("sudo", &["apt-get"])
    };
    let mut update = prefix.to_vec();
    update.extend(["update", "-q"]);
    ctx.install(program, &update)?;
    let mut install = prefix.to_vec();
    install.extend(["install", "-y", "-q"]);
    install.extend(&missing);
    // CI has no stdin: apt must never stop to ask a question.
    let quiet = [("DEBIAN_FRONTEND", std::ffi::OsStr::new("noninteractive"))];
    super::run_with(ctx, program, &install, quiet)
}

fn is_root(ctx: &Context) -> bool {
    ctx.output("id", &["-u"])
        .is_some_and(|uid| uid.trim() == "0")
}

/// Starts Debian's PostgreSQL cluster if it is down, makes sure the test role exists, and returns
/// the URL the server's tests connect to (they create and drop their own databases).
pub fn postgres(ctx: &Context) -> Result<String> {
    let clusters = ctx
        .output("pg_lsclusters", &["--no-header"])
        .context("pg_lsclusters failed: is postgresql installed?")?;
    let line = clusters
        .lines()
        .next()
        .context("PostgreSQL has no cluster")?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [version, cluster, port, status, ..] = fields[..] else {
        bail!("unexpected pg_lsclusters line: {line}")
    };
    if status != "online" {
        println!("setup: starting PostgreSQL {version}/{cluster}");
        ctx.install("pg_ctlcluster", &[version, cluster, "start"])?;
    }
    let sql = format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PG_ROLE}') THEN \
         CREATE ROLE {PG_ROLE} LOGIN CREATEDB PASSWORD '{PG_ROLE}'; END IF; END $$;"
    );
    let psql = [
        "psql",
        "--quiet",
        "-p",
        port,
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        &sql,
    ];
    if is_root(ctx) {
        ctx.install("runuser", &[&["-u", "postgres", "--"], &psql[..]].concat())?;
    } else {
        ctx.install("sudo", &[&["-u", "postgres"], &psql[..]].concat())?;
    }
    println!("setup: PostgreSQL {version} on port {port}, role {PG_ROLE}");
    Ok(format!("postgres://{PG_ROLE}:{PG_ROLE}@127.0.0.1:{port}"))
}

/// Runs one SQL statement as PostgreSQL's superuser (the `postgres` system account).
pub fn psql(ctx: &Context, sql: &str) -> Result<()> {
    let psql = ["psql", "--quiet", "-v", "ON_ERROR_STOP=1", "-c", sql];
    if is_root(ctx) {
        ctx.install("runuser", &[&["-u", "postgres", "--"], &psql[..]].concat())
    } else {
        ctx.install("sudo", &[&["-u", "postgres"], &psql[..]].concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_locked_wasm_bindgen_version() -> Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let version = locked_wasm_bindgen(&Context::new(&root)?)?;
        assert!(
            version.split('.').count() == 3 && version.split('.').all(|n| n.parse::<u32>().is_ok()),
            "{version}"
        );
        Ok(())
    }

    #[test]
    fn an_installed_tree_matches_its_lockfile_and_nothing_else() {
        let lock = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "e2e", "devDependencies": {"a": "^1"}},
            "node_modules/a": {"version": "1.0.0", "dev": true}}}"#;
        let installed = r#"{"lockfileVersion": 3, "packages": {
            "node_modules/a": {"version": "1.0.0", "dev": true}}}"#;
        assert_eq!(lock_packages(lock), lock_packages(installed));
        assert_ne!(
            lock_packages(lock),
            lock_packages(&installed.replace("1.0.0", "1.0.1"))
        );
        assert_ne!(lock_packages(lock), lock_packages(""));
    }
}
