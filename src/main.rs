fn main() {
    // Panic messages only in debug builds: the formatting machinery would cost the release WASM
    // kilobytes, and a release build aborts on panic anyway.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    vecinos::start();
}
