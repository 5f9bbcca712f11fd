//! `cargo xtask setup|serve|test|bench|cycles`: what a fresh machine needs, in one place.
//!
//! Each step prints one line before it runs, and a failing step stops the whole task with a
//! non-zero exit. Tools are installed idempotently (see `setup`).

mod bench;
mod cycles;
mod map_chunk;
mod precache;
mod setup;
mod shrink;
mod split;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask <setup | serve [--addr ADDR] [--data DIR] | test | bench [client | server | fuzz] | cycles>";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root()?;
    std::env::set_current_dir(&root)?;
    let ctx = setup::Context::new(&root)?;
    match args.first().map(String::as_str) {
        Some("setup") => setup::run(&ctx),
        Some("serve") => serve(&ctx, &args[1..]),
        Some("test") => test(&ctx),
        Some("cycles") => cycles::check(&root),
        // Only cargo: no setup.
        Some("bench") if args.get(1).is_some_and(|a| a == "fuzz") => bench::fuzz(&ctx),
        Some("bench") => {
            setup::run(&ctx)?;
            match args.get(1).map(String::as_str) {
                None => {
                    build_app(&ctx)?;
                    bench::map_chunk(&root)?;
                    if bench::shell(&root)? > bench::SHELL_BUDGET_BROTLI {
                        bail!("the app shell is over its size budget");
                    }
                    bench::fuzz(&ctx)
                }
                Some("client") => {
                    build_app(&ctx)?;
                    bench::client(&ctx)
                }
                Some("server") => bench::server(&ctx),
                Some(other) => bail!("unknown benchmark {other}\n{USAGE}"),
            }
        }
        // Called by Trunk's post_build hook; the staging folder comes in TRUNK_STAGING_DIR.
        Some("post-build") => {
            let dir =
                std::env::var_os("TRUNK_STAGING_DIR").context("TRUNK_STAGING_DIR is not set")?;
            map_chunk::build(&ctx, Path::new(&dir))?;
            split::run(&ctx, Path::new(&dir))?;
            shrink::run(&ctx, Path::new(&dir))?;
            precache::run(Path::new(&dir))
        }
        _ => bail!("{USAGE}"),
    }
}

/// The workspace root: xtask's manifest sits one level below it.
fn root() -> Result<PathBuf> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").context("run through `cargo xtask`")?;
    Ok(Path::new(&manifest)
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf())
}

fn step(name: &str) {
    println!("\n==> {name}");
}

/// Runs a command with the project's tool PATH, failing if it fails.
fn run(ctx: &setup::Context, program: &str, args: &[&str]) -> Result<()> {
    run_with(ctx, program, args, std::iter::empty::<(&str, &OsStr)>())
}

/// Shrinks a built WASM module in place, as every module the app ships is shrunk.
fn wasm_opt(ctx: &setup::Context, wasm: &Path) -> Result<()> {
    let wasm = wasm.to_str().context("non-UTF-8 path")?;
    run(
        ctx,
        "wasm-opt",
        &[
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "-o",
            wasm,
            wasm,
        ],
    )
}

fn run_with<'a>(
    ctx: &setup::Context,
    program: &str,
    args: &[&str],
    env: impl IntoIterator<Item = (&'a str, &'a OsStr)>,
) -> Result<()> {
    let status = Command::new(program)
        .args(args)
        .env("PATH", &ctx.path)
        .envs(env)
        .status()
        .with_context(|| format!("could not start {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn build_app(ctx: &setup::Context) -> Result<()> {
    step("build the PWA (trunk build --release)");
    run(ctx, "trunk", &["build", "--release"])
}

fn serve(ctx: &setup::Context, args: &[String]) -> Result<()> {
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut data = "data".to_owned();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .with_context(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--addr" => addr.clone_from(value),
            "--data" => data.clone_from(value),
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    setup::run(ctx)?;
    build_app(ctx)?;
    step("build the server (release)");
    run(
        ctx,
        "cargo",
        &["build", "--release", "-p", "vecinos-server"],
    )?;
    step("start the server (Ctrl-C stops it)");
    let server = Path::new("target/release/vecinos-server");
    let server = server.to_str().context("non-UTF-8 path")?;
    run(
        ctx,
        server,
        &[
            "serve", "--addr", &addr, "--data", &data, "--dist", "dist", "--demo",
        ],
    )
}

fn test(ctx: &setup::Context) -> Result<()> {
    step("no module cycle in the client");
    cycles::check(&ctx.root)?;
    setup::run(ctx)?;
    step("rustfmt");
    run(ctx, "cargo", &["fmt", "--all", "--", "--check"])?;
    step("clippy, native");
    run(
        ctx,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("clippy, wasm32 client and map chunk");
    let wasm = ["--target", "wasm32-unknown-unknown"];
    run(
        ctx,
        "cargo",
        &[
            "clippy",
            "-p",
            "vecinos",
            "-p",
            "vecinos-map",
            wasm[0],
            wasm[1],
            "--all-targets",
            "--features",
            "vecinos/split",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    step("vecinos-core stays pure and builds for wasm32");
    check_core_dependencies(ctx)?;
    run(
        ctx,
        "cargo",
        &["build", "-p", "vecinos-core", wasm[0], wasm[1]],
    )?;
    step("PostgreSQL for the server's store tests");
    let postgres = setup::postgres(ctx)?;
    step("native tests (core, the client's pure modules, server on SQLite and PostgreSQL, xtask)");
    let env = [("VECINOS_TEST_POSTGRES", OsStr::new(&postgres))];
    // The PostgreSQL store tests are marked ignored for machines without PostgreSQL.
    run_with(
        ctx,
        "cargo",
        &["test", "--workspace", "--", "--include-ignored"],
        env,
    )?;
    step("browser tests (wasm-bindgen-test in Chromium)");
    run_with(
        ctx,
        "cargo",
        &["test", "-p", "vecinos", wasm[0], wasm[1]],
        [("CHROMEDRIVER", OsStr::new("/usr/bin/chromedriver"))],
    )?;
    build_app(ctx)?;
    step("build the server and the push-service stand-in");
    run(
        ctx,
        "cargo",
        &[
            "build",
            "-p",
            "vecinos-server",
            "--bin",
            "vecinos-server",
            "--example",
            "push_standin",
        ],
    )?;
    step("end-to-end scenarios (real server, real Chromium)");
    let server = ctx.root.join("target/debug/vecinos-server");
    let standin = ctx.root.join("target/debug/examples/push_standin");
    let dist = ctx.root.join("dist");
    let shots = ctx.root.join("target/screenshots");
    let mut files: Vec<String> = std::fs::read_dir("e2e")?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut args = vec!["--test", "--test-concurrency=1"];
    args.extend(files.iter().map(String::as_str));
    run_with(
        ctx,
        "node",
        &args,
        [
            ("VECINOS_SERVER_BIN", server.as_os_str()),
            ("VECINOS_PUSH_STANDIN", standin.as_os_str()),
            ("VECINOS_DIST", dist.as_os_str()),
            ("VECINOS_SCREENSHOTS", shots.as_os_str()),
        ],
    )?;
    println!("\nall checks passed");
    Ok(())
}

/// ARCHITECTURE.md's rule: core never depends on web-sys, tokio or sqlx.
fn check_core_dependencies(ctx: &setup::Context) -> Result<()> {
    let out = Command::new("cargo")
        .args([
            "tree",
            "-p",
            "vecinos-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--target",
            "all",
        ])
        .env("PATH", &ctx.path)
        .output()?;
    if !out.status.success() {
        bail!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    let forbidden: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| ["web-sys", "js-sys", "tokio", "sqlx"].contains(name))
        .collect();
    if !forbidden.is_empty() {
        bail!("vecinos-core must not depend on {forbidden:?}");
    }
    println!("vecinos-core depends on none of web-sys, js-sys, tokio, sqlx");
    Ok(())
}
