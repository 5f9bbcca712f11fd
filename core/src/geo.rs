//! Positions, geohash areas and distances, shared by the phone and the server.
//!
//! A phone never sends where exactly someone is: it sends the geohash cell around the position at
//! [`REPORT_PRECISION`] (about 150 m across), made by [`coarsen`], and the server refuses anything
//! finer with [`is_coarse_area`]. This module is plain arithmetic: it must never log, store or send
//! a position itself, and it must never depend on a geo crate, the network or the clock.
//!
//! Geohash: the longitude and latitude ranges are halved in turn (longitude first); each halving
//! gives one bit (1 = upper half), and every 5 bits make one character of the base32 alphabet
//! [`ALPHABET`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres (IUGG), used by [`distance_m`] and [`BBox::around`].
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The geohash base32 alphabet: digits and lowercase letters without `a`, `i`, `l` and `o`.
pub const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// Longest geohash accepted or produced (60 bits, a few centimetres).
pub const MAX_PRECISION: usize = 12;

/// Geohash length of a reported area: a cell of about 150 m × 150 m (less east–west away from the
/// equator).
pub const REPORT_PRECISION: usize = 7;

/// A position in degrees (WGS 84): latitude in -90..=90, longitude in -180..=180.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// A position, checked to be finite and within range.
    pub fn new(lat: f64, lon: f64) -> Result<Self, GeoError> {
        let p = LatLon { lat, lon };
        p.check()?;
        Ok(p)
    }

    /// `Ok` when both coordinates are finite and within range (NaN is out of range).
    pub fn check(self) -> Result<(), GeoError> {
        if !(-90.0..=90.0).contains(&self.lat) {
            return Err(GeoError::LatitudeOutOfRange(self.lat));
        }
        if !(-180.0..=180.0).contains(&self.lon) {
            return Err(GeoError::LongitudeOutOfRange(self.lon));
        }
        Ok(())
    }
}

/// A latitude/longitude rectangle in degrees, bounds included. `min_lon <= max_lon`: a box never
/// wraps across the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

impl BBox {
    /// The whole valid range.
    pub const WORLD: BBox = BBox {
        min_lat: -90.0,
        min_lon: -180.0,
        max_lat: 90.0,
        max_lon: 180.0,
    };

    /// Whether `p` lies in the box, edges included.
    pub fn contains(&self, p: LatLon) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lon..=self.max_lon).contains(&p.lon)
    }

    /// The middle of the box.
    pub fn center(&self) -> LatLon {
        LatLon {
            lat: (self.min_lat + self.max_lat) / 2.0,
            lon: (self.min_lon + self.max_lon) / 2.0,
        }
    }

    /// A box that encloses every point within `radius_m` metres (great-circle) of `center`, clamped
    /// to the valid ranges.
    ///
    /// When the circle reaches a pole or crosses the antimeridian the box takes the whole longitude
    /// range, so it still encloses the circle. A negative or NaN radius counts as 0; a centre
    /// outside the valid range is clamped into it, and a NaN centre gives [`BBox::WORLD`].
    pub fn around(center: LatLon, radius_m: f64) -> BBox {
        if center.lat.is_nan() || center.lon.is_nan() {
            return BBox::WORLD;
        }
        let lat = center.lat.clamp(-90.0, 90.0);
        let lon = center.lon.clamp(-180.0, 180.0);
        // Angular radius in radians; `max` also turns NaN into 0.
        let d = radius_m.max(0.0) / EARTH_RADIUS_M;
        if d >= std::f64::consts::PI {
            return BBox::WORLD;
        }
        let d_lat = d.to_degrees();
        let min_lat = (lat - d_lat).max(-90.0);
        let max_lat = (lat + d_lat).min(90.0);

        // The widest longitude offset of a circle of angular radius d around latitude φ is
        // asin(sin d / cos φ); when sin d >= cos φ the circle contains a pole.
        let sin_d = d.sin();
        let cos_lat = lat.to_radians().cos();
        let whole_lon = BBox {
            min_lat,
            min_lon: -180.0,
            max_lat,
            max_lon: 180.0,
        };
        if sin_d >= cos_lat || min_lat <= -90.0 || max_lat >= 90.0 {
            return whole_lon;
        }
        let d_lon = (sin_d / cos_lat).asin().to_degrees();
        let (min_lon, max_lon) = (lon - d_lon, lon + d_lon);
        if min_lon < -180.0 || max_lon > 180.0 {
            return whole_lon;
        }
        BBox {
            min_lat,
            min_lon,
            max_lat,
            max_lon,
        }
    }
}

/// Why a position or a geohash was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GeoError {
    /// Latitude not within -90..=90 (NaN and infinities included).
    LatitudeOutOfRange(f64),
    /// Longitude not within -180..=180 (NaN and infinities included).
    LongitudeOutOfRange(f64),
    /// Geohash precision not within 1..=[`MAX_PRECISION`].
    BadPrecision(usize),
    /// The geohash is the empty string.
    EmptyHash,
    /// The geohash has more than [`MAX_PRECISION`] characters (this many).
    HashTooLong(usize),
    /// A character outside [`ALPHABET`] (uppercase included), at this character index.
    InvalidChar { index: usize, ch: char },
}

impl fmt::Display for GeoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LatitudeOutOfRange(v) => write!(f, "latitude {v} is not within -90..=90"),
            Self::LongitudeOutOfRange(v) => write!(f, "longitude {v} is not within -180..=180"),
            Self::BadPrecision(n) => {
                write!(f, "geohash precision {n} is not within 1..={MAX_PRECISION}")
            }
            Self::EmptyHash => f.write_str("geohash is empty"),
            Self::HashTooLong(n) => write!(
                f,
                "geohash has {n} characters, at most {MAX_PRECISION} are allowed"
            ),
            Self::InvalidChar { index, ch } => {
                write!(f, "geohash character {ch:?} at index {index} is not valid")
            }
        }
    }
}

impl std::error::Error for GeoError {}

/// One halving step: keeps the half of `range` that holds `v` and returns its bit.
fn halve_towards(range: &mut (f64, f64), v: f64) -> u8 {
    let mid = (range.0 + range.1) / 2.0;
    if v >= mid {
        range.0 = mid;
        1
    } else {
        range.1 = mid;
        0
    }
}

/// One halving step for a known bit.
fn halve_by_bit(range: &mut (f64, f64), bit: u8) {
    let mid = (range.0 + range.1) / 2.0;
    if bit == 1 {
        range.0 = mid;
    } else {
        range.1 = mid;
    }
}

/// The geohash of `p` with `precision` characters (1..=12).
pub fn encode(p: LatLon, precision: usize) -> Result<String, GeoError> {
    p.check()?;
    if !(1..=MAX_PRECISION).contains(&precision) {
        return Err(GeoError::BadPrecision(precision));
    }
    let mut lat = (-90.0, 90.0);
    let mut lon = (-180.0, 180.0);
    let mut hash = String::with_capacity(precision);
    let mut even = true; // even bits (counted over the whole hash) halve the longitude
    for _ in 0..precision {
        let mut index = 0usize;
        for _ in 0..5 {
            let bit = if even {
                halve_towards(&mut lon, p.lon)
            } else {
                halve_towards(&mut lat, p.lat)
            };
            index = (index << 1) | usize::from(bit);
            even = !even;
        }
        hash.push(char::from(ALPHABET[index]));
    }
    Ok(hash)
}

/// The value (0..32) of one geohash character, if it is in [`ALPHABET`].
fn char_value(ch: char) -> Option<u8> {
    let byte = u8::try_from(ch).ok()?;
    let pos = ALPHABET.iter().position(|&a| a == byte)?;
    u8::try_from(pos).ok()
}

/// The cell a geohash stands for. Lowercase only; any other character is refused.
pub fn decode(hash: &str) -> Result<BBox, GeoError> {
    if hash.is_empty() {
        return Err(GeoError::EmptyHash);
    }
    let mut lat = (-90.0, 90.0);
    let mut lon = (-180.0, 180.0);
    let mut even = true;
    for (index, ch) in hash.chars().enumerate() {
        if index >= MAX_PRECISION {
            return Err(GeoError::HashTooLong(hash.chars().count()));
        }
        let value = char_value(ch).ok_or(GeoError::InvalidChar { index, ch })?;
        for shift in (0..5).rev() {
            let bit = (value >> shift) & 1;
            if even {
                halve_by_bit(&mut lon, bit);
            } else {
                halve_by_bit(&mut lat, bit);
            }
            even = !even;
        }
    }
    Ok(BBox {
        min_lat: lat.0,
        min_lon: lon.0,
        max_lat: lat.1,
        max_lon: lon.1,
    })
}

/// The area a phone reports instead of its position: the geohash of `p` at [`REPORT_PRECISION`].
pub fn coarsen(p: LatLon) -> Result<String, GeoError> {
    encode(p, REPORT_PRECISION)
}

/// Whether `hash` is a valid geohash of 1..=[`REPORT_PRECISION`] characters, i.e. an area no
/// finer than a reported one. The server refuses any other area.
pub fn is_coarse_area(hash: &str) -> bool {
    hash.len() <= REPORT_PRECISION && decode(hash).is_ok()
}

/// The cells of `precision` characters around `p`: its own and the eight touching it (fewer at
/// the poles), so "near me" still covers a place just over a cell's edge. Computed on the phone;
/// only these cells leave it.
pub fn cells_around(p: LatLon, precision: usize) -> Result<Vec<String>, GeoError> {
    let own = decode(&encode(p, precision)?)?;
    let (height, width) = (own.max_lat - own.min_lat, own.max_lon - own.min_lon);
    let (lat, lon) = (
        (own.min_lat + own.max_lat) / 2.0,
        (own.min_lon + own.max_lon) / 2.0,
    );
    let mut cells = Vec::with_capacity(9);
    for dy in [-1.0, 0.0, 1.0] {
        for dx in [-1.0, 0.0, 1.0] {
            let next = LatLon {
                lat: lat + dy * height,
                // Across the antimeridian, longitude wraps.
                lon: (lon + dx * width + 540.0) % 360.0 - 180.0,
            };
            if let Ok(cell) = encode(next, precision)
                && !cells.contains(&cell)
            {
                cells.push(cell);
            }
        }
    }
    Ok(cells)
}

/// The finest cells, of one length up to `precision` characters and at most `max` of them, that
/// cover `area`: a region to watch as a whole. Empty when even single characters would take
/// more than `max`.
pub fn covering(area: &BBox, max: usize, precision: usize) -> Vec<String> {
    (1..=precision.min(MAX_PRECISION))
        .map_while(|precision| {
            let corner = |lat, lon| encode(LatLon { lat, lon }, precision).and_then(|h| decode(&h));
            let (Ok(low), Ok(high)) = (
                corner(area.min_lat, area.min_lon),
                corner(area.max_lat, area.max_lon),
            ) else {
                return None;
            };
            let (height, width) = (low.max_lat - low.min_lat, low.max_lon - low.min_lon);
            let rows = ((high.min_lat - low.min_lat) / height).round() as usize + 1;
            let columns = ((high.min_lon - low.min_lon) / width).round() as usize + 1;
            // Saturating: on wasm32 (32-bit usize) the product of a fine precision overflows.
            (rows.saturating_mul(columns) <= max).then(|| {
                (0..rows)
                    .flat_map(|row| (0..columns).map(move |column| (row, column)))
                    .filter_map(|(row, column)| {
                        let lat = low.min_lat + (row as f64 + 0.5) * height;
                        let lon = low.min_lon + (column as f64 + 0.5) * width;
                        encode(LatLon { lat, lon }, precision).ok()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .last()
        .unwrap_or_default()
}

/// Great-circle distance in metres between two positions (haversine on a sphere of radius
/// [`EARTH_RADIUS_M`]). Symmetric; zero from a point to itself. Inputs are not checked: a NaN
/// coordinate gives NaN.
pub fn distance_m(a: LatLon, b: LatLon) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    // Absolute half-differences: the result does not depend on the argument order, bit for bit.
    let half_d_lat = ((lat_b - lat_a) / 2.0).abs();
    let half_d_lon = ((b.lon.to_radians() - a.lon.to_radians()) / 2.0).abs();
    let h = half_d_lat.sin().powi(2) + lat_a.cos() * lat_b.cos() * half_d_lon.sin().powi(2);
    let h = h.clamp(0.0, 1.0);
    2.0 * EARTH_RADIUS_M * h.sqrt().atan2((1.0 - h).sqrt())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cells_around_a_place_are_its_own_and_its_neighbours() {
        let here = LatLon {
            lat: 44.9778,
            lon: -93.2650,
        };
        let cells = cells_around(here, 5).expect("a place");
        assert_eq!(cells.len(), 9);
        let own = encode(here, 5).expect("encodes");
        assert!(cells.contains(&own));
        assert!(cells.iter().all(|c| c.len() == 5));
        // A point just over the edge of its own cell is in one of the others.
        let cell = decode(&own).expect("decodes");
        let over = LatLon {
            lat: cell.max_lat + 0.0001,
            lon: cell.max_lon + 0.0001,
        };
        assert!(cells.contains(&encode(over, 5).expect("encodes")));
        let pole = cells_around(
            LatLon {
                lat: 89.99,
                lon: 0.0,
            },
            5,
        )
        .expect("the pole");
        assert!(pole.len() < 9 && pole.len() >= 4);
    }

    #[test]
    fn a_region_is_covered_by_a_few_cells_of_one_length() {
        let region = BBox {
            min_lat: 44.89,
            min_lon: -93.33,
            max_lat: 45.05,
            max_lon: -93.19,
        };
        let cells = covering(&region, 12, 5);
        assert!(!cells.is_empty() && cells.len() <= 12, "{cells:?}");
        let length = cells[0].len();
        assert!(cells.iter().all(|c| c.len() == length) && length <= 5);
        for lat in [44.89, 44.97, 45.05] {
            for lon in [-93.33, -93.26, -93.19] {
                let hash = encode(LatLon { lat, lon }, 7).expect("encodes");
                assert!(
                    cells.iter().any(|c| hash.starts_with(c.as_str())),
                    "{lat},{lon}"
                );
            }
        }
        assert_eq!(covering(&region, 0, 5), Vec::<String>::new());
        let small = BBox {
            min_lat: 44.97,
            min_lon: -93.27,
            max_lat: 44.971,
            max_lon: -93.269,
        };
        assert!(
            covering(&small, 12, 5).iter().all(|c| c.len() == 5),
            "never finer than asked"
        );
    }

    use super::*;
    use proptest::prelude::*;

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            encode(ll(57.64911, 10.40744), 11).expect("valid position"),
            "u4pruydqqvj"
        );
        assert_eq!(
            encode(ll(42.605, -5.603), 5).expect("valid position"),
            "ezs42"
        );
        assert_eq!(encode(ll(0.0, 0.0), 1).expect("valid position"), "s");
        assert_eq!(
            encode(ll(0.0, 0.0), 12).expect("valid position"),
            "s00000000000"
        );
        assert_eq!(
            encode(ll(-90.0, -180.0), 12).expect("valid position"),
            "000000000000"
        );
        assert_eq!(
            encode(ll(90.0, 180.0), 12).expect("valid position"),
            "zzzzzzzzzzzz"
        );
        // A prefix of a hash is the hash at a lower precision.
        assert_eq!(
            encode(ll(57.64911, 10.40744), 7).expect("valid position"),
            "u4pruyd"
        );
    }

    #[test]
    fn decode_known_cells() {
        let b = decode("ezs42").expect("valid geohash");
        assert!(b.contains(ll(42.605, -5.603)));
        assert!((b.min_lat - 42.583_007_812_5).abs() < 1e-9);
        assert!((b.max_lat - 42.626_953_125).abs() < 1e-9);
        assert!((b.min_lon - -5.625).abs() < 1e-9);
        assert!((b.max_lon - -5.581_054_687_5).abs() < 1e-9);

        let b = decode("u4pruydqqvj").expect("valid geohash");
        assert!(b.contains(ll(57.64911, 10.40744)));

        assert_eq!(
            decode("s").expect("valid geohash"),
            BBox {
                min_lat: 0.0,
                min_lon: 0.0,
                max_lat: 45.0,
                max_lon: 45.0,
            }
        );

        // A report cell is 180 / 2^17 degrees high and 360 / 2^18 degrees wide.
        let b = decode("u4pruyd").expect("valid geohash");
        assert_eq!(b.max_lat - b.min_lat, 180.0 / f64::from(1u32 << 17));
        assert_eq!(b.max_lon - b.min_lon, 360.0 / f64::from(1u32 << 18));
        let height_m = distance_m(ll(b.min_lat, b.min_lon), ll(b.max_lat, b.min_lon));
        assert!((140.0..160.0).contains(&height_m), "{height_m}");
    }

    #[test]
    fn out_of_range_rejected() {
        for lat in [
            90.000_001,
            -90.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert!(matches!(
                encode(ll(lat, 0.0), 5),
                Err(GeoError::LatitudeOutOfRange(_))
            ));
            assert!(LatLon::new(lat, 0.0).is_err());
        }
        for lon in [180.000_001, -181.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                encode(ll(0.0, lon), 5),
                Err(GeoError::LongitudeOutOfRange(_))
            ));
            assert!(coarsen(ll(0.0, lon)).is_err());
        }
        assert_eq!(encode(ll(0.0, 0.0), 0), Err(GeoError::BadPrecision(0)));
        assert_eq!(encode(ll(0.0, 0.0), 13), Err(GeoError::BadPrecision(13)));
        assert!(LatLon::new(-90.0, 180.0).is_ok());
    }

    #[test]
    fn bad_hashes_rejected() {
        assert_eq!(decode(""), Err(GeoError::EmptyHash));
        assert_eq!(decode("u4pruydqqvjxy"), Err(GeoError::HashTooLong(13)));
        for (hash, index, ch) in [
            ("a", 0, 'a'),
            ("u4i", 2, 'i'),
            ("ul", 1, 'l'),
            ("o", 0, 'o'),
            ("U4PR", 0, 'U'),
            ("u4pr ", 4, ' '),
            ("u4é", 2, 'é'),
        ] {
            assert_eq!(decode(hash), Err(GeoError::InvalidChar { index, ch }));
            assert!(!is_coarse_area(hash));
        }
        assert!(!is_coarse_area(""));
        assert!(!is_coarse_area("u4pruydq"));
        assert!(is_coarse_area("u4pruyd"));
        assert!(is_coarse_area("u"));
        // Display is readable.
        assert_eq!(
            GeoError::InvalidChar { index: 1, ch: 'a' }.to_string(),
            "geohash character 'a' at index 1 is not valid"
        );
    }

    #[test]
    fn known_distances() {
        let one_degree = distance_m(ll(10.0, 20.0), ll(11.0, 20.0));
        assert!(
            (one_degree - 111_200.0).abs() < 111_200.0 * 0.005,
            "{one_degree}"
        );
        // Quarter of a great circle: equator to pole.
        let quarter = distance_m(ll(0.0, 0.0), ll(90.0, 0.0));
        let expected = std::f64::consts::FRAC_PI_2 * EARTH_RADIUS_M;
        assert!((quarter - expected).abs() < 1e-6, "{quarter}");
        // Across the antimeridian is short.
        let across = distance_m(ll(0.0, 179.5), ll(0.0, -179.5));
        assert!((across - 111_195.08).abs() < 1.0, "{across}");
        // Antipodes: half a great circle.
        let half = distance_m(ll(0.0, 0.0), ll(0.0, 180.0));
        assert!((half - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1e-3);
    }

    #[test]
    fn bbox_around_edges() {
        let b = BBox::around(ll(0.0, 0.0), 1000.0);
        assert!(b.contains(ll(0.0, 0.0)));
        assert!(b.max_lat > 0.0089 && b.max_lat < 0.0091, "{b:?}");
        // Near a pole the box takes every longitude.
        let b = BBox::around(ll(89.999, 10.0), 1000.0);
        assert_eq!((b.min_lon, b.max_lon, b.max_lat), (-180.0, 180.0, 90.0));
        // Across the antimeridian too.
        let b = BBox::around(ll(0.0, 179.999), 1000.0);
        assert_eq!((b.min_lon, b.max_lon), (-180.0, 180.0));
        // Absurd inputs stay valid.
        assert_eq!(BBox::around(ll(f64::NAN, 0.0), 10.0), BBox::WORLD);
        assert_eq!(BBox::around(ll(0.0, 0.0), f64::INFINITY), BBox::WORLD);
        let b = BBox::around(ll(45.0, 45.0), f64::NAN);
        assert!(b.contains(ll(45.0, 45.0)));
        assert_eq!(b.max_lat - b.min_lat, 0.0);
        let b = BBox::around(ll(45.0, 45.0), -5.0);
        assert_eq!(b.max_lon - b.min_lon, 0.0);
        assert_eq!(decode("s").expect("valid geohash").center(), ll(22.5, 22.5));
    }

    /// The point `distance` metres from `from` along the initial bearing `bearing` (radians).
    fn destination(from: LatLon, bearing: f64, distance: f64) -> LatLon {
        let d = distance / EARTH_RADIUS_M;
        let lat1 = from.lat.to_radians();
        let lon1 = from.lon.to_radians();
        let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * bearing.cos()).asin();
        let lon2 =
            lon1 + (bearing.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
        // Normalise the longitude into -180..=180.
        let mut lon = lon2.to_degrees();
        while lon > 180.0 {
            lon -= 360.0;
        }
        while lon < -180.0 {
            lon += 360.0;
        }
        ll(lat2.to_degrees().clamp(-90.0, 90.0), lon)
    }

    fn lat_strategy() -> impl Strategy<Value = f64> {
        prop_oneof![
            1 => Just(-90.0),
            1 => Just(90.0),
            1 => Just(0.0),
            12 => -90.0..=90.0f64,
        ]
    }

    fn lon_strategy() -> impl Strategy<Value = f64> {
        prop_oneof![
            1 => Just(-180.0),
            1 => Just(180.0),
            1 => Just(0.0),
            12 => -180.0..=180.0f64,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn decoded_cell_contains_point(lat in lat_strategy(), lon in lon_strategy(),
                                       precision in 1usize..=12) {
            let p = ll(lat, lon);
            let hash = encode(p, precision).expect("valid position");
            prop_assert_eq!(hash.len(), precision);
            let cell = decode(&hash).expect("valid geohash");
            prop_assert!(cell.contains(p), "{:?} not in {:?} ({})", p, cell, hash);
            // The centre of the cell encodes back to the same hash.
            prop_assert_eq!(encode(cell.center(), precision).expect("valid position"), hash);
        }

        #[test]
        fn coarsened_is_coarse(lat in lat_strategy(), lon in lon_strategy()) {
            let hash = coarsen(ll(lat, lon)).expect("valid position");
            prop_assert!(is_coarse_area(&hash));
            prop_assert_eq!(hash.len(), REPORT_PRECISION);
        }

        #[test]
        fn decode_never_panics(s in any::<String>()) {
            let _ = decode(&s);
            let _ = is_coarse_area(&s);
        }

        #[test]
        fn decode_geohash_like_strings(s in "[0-9a-z]{0,14}") {
            let valid = !s.is_empty() && s.len() <= 12
                && s.bytes().all(|b| ALPHABET.contains(&b));
            prop_assert_eq!(decode(&s).is_ok(), valid);
            prop_assert_eq!(is_coarse_area(&s), valid && s.len() <= REPORT_PRECISION);
        }

        #[test]
        fn distance_symmetric_and_zero_to_self(a_lat in lat_strategy(), a_lon in lon_strategy(),
                                               b_lat in lat_strategy(), b_lon in lon_strategy()) {
            let (a, b) = (ll(a_lat, a_lon), ll(b_lat, b_lon));
            prop_assert_eq!(distance_m(a, b), distance_m(b, a));
            prop_assert_eq!(distance_m(a, a), 0.0);
            let d = distance_m(a, b);
            prop_assert!((0.0..=std::f64::consts::PI * EARTH_RADIUS_M + 1e-6).contains(&d));
        }

        #[test]
        fn bbox_around_encloses_circle(lat in -89.9..=89.9f64, lon in lon_strategy(),
                                       radius in 0.0..50_000.0f64, bearing in 0.0..std::f64::consts::TAU,
                                       fraction in 0.0..0.999f64) {
            let center = ll(lat, lon);
            let b = BBox::around(center, radius);
            prop_assert!(b.contains(center));
            prop_assert!(b.min_lat >= -90.0 && b.max_lat <= 90.0);
            prop_assert!(b.min_lon >= -180.0 && b.max_lon <= 180.0);
            let q = destination(center, bearing, radius * fraction);
            prop_assert!(distance_m(center, q) <= radius);
            prop_assert!(b.contains(q), "{:?} not in {:?}", q, b);
        }
    }
}
