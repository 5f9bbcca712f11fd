//! Fuzz targets for the server: every JSON body the API accepts, sent through the real router
//! in-process (`api`), and the interchange formats (`interchange`): the HSDS importer, the
//! iCalendar writer and the GeoJSON writer.
//!
//! Property tests (proptest) on the stable toolchain. The number of cases per target comes from
//! `PROPTEST_CASES` (256 by default): `cargo test` runs a bounded set, `cargo xtask bench fuzz` a
//! long one. Every target asserts that nothing panics; the API targets that no request gets a 5xx
//! answer and that every 4xx answer is an `ErrorBody`.

mod api;
mod generate;
mod interchange;
