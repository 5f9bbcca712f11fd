//! Two steps before the client compiles:
//!
//! - The interface text: `locales/<lang>.ftl` compiled into the `texts!` table `src/i18n.rs`
//!   includes, and the names of the languages listings are offered in (CLDR, and
//!   `locales/languages/` for what CLDR lacks). A file that does not parse, or a language missing
//!   a message or a name, fails the build with the file and the message named (see the
//!   `vecinos-locales` crate).
//! - The app's WASM is cut into per-section chunks after the build (`cargo xtask post-build`, see
//!   xtask/src/split.rs), which needs the linker's relocations: kept for the app binary only (not
//!   its dependencies, tests, or the map chunk), without touching RUSTFLAGS.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=locales");
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let messages = vecinos_locales::load(&root.join("locales")).unwrap_or_else(|problems| {
        for problem in problems {
            eprintln!("error: {problem}");
        }
        std::process::exit(1);
    });
    let names = vecinos_locales::language_names(&root.join("locales")).unwrap_or_else(|problems| {
        for problem in problems {
            eprintln!("error: {problem}");
        }
        std::process::exit(1);
    });
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("texts.rs"), vecinos_locales::to_rust(&messages))
        .expect("OUT_DIR is writable");
    std::fs::write(
        out.join("language_names.rs"),
        vecinos_locales::language_names_to_rust(&names),
    )
    .expect("OUT_DIR is writable");

    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
