//! Conversions between Vecinos records and the open formats other tools read: HSDS 3.0 JSON for
//! service directories, iCalendar for calendar apps, GeoJSON for maps.
//!
//! Everything here is a pure function of its input (and, where a timestamp is needed, of a `now`
//! the caller passes): no database, no HTTP, no clock, no randomness. None of these conversions may
//! ever turn a resource published as an area only (no `place`) into a point on a map.

pub mod geojson;
pub mod hsds;
pub mod ical;
