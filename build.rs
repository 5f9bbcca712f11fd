//! The app's WASM is cut into per-section chunks after the build (`cargo xtask post-build`, see
//! xtask/src/split.rs), which needs the linker's relocations: kept for the app binary only (not
//! its dependencies, tests, or the map chunk), without touching RUSTFLAGS.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
