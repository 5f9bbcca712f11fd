//! Places people can read: an alert's or a report's area (a geohash cell) put into words, on the
//! phone, offline.
//!
//! A deployment names its neighbourhoods in its region config ([`crate::sync::Region`]): each is a
//! name and the geohash cells it covers (prefixes, 5 or 6 characters is about right). An area
//! inside one of them is "near" it; an area coarser than the cells can touch two ("Northgate and
//! Riverside"); anything else is told by its direction and distance from the region's centre.
//! The words themselves are the app's (they are translated): this module returns what to say,
//! never how.

use serde::{Deserialize, Serialize};

use crate::geo::{self, LatLon};

/// A named part of the region and the geohash cells it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbourhood {
    pub name: String,
    /// Geohash prefixes: an area is in the neighbourhood when one of them is a prefix of it.
    pub cells: Vec<String>,
}

/// The eight directions of the compass rose, as seen from the region's centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
}

impl Direction {
    /// Clockwise from north, one per 45°.
    pub const ALL: [Direction; 8] = [
        Self::North,
        Self::NorthEast,
        Self::East,
        Self::SouthEast,
        Self::South,
        Self::SouthWest,
        Self::West,
        Self::NorthWest,
    ];

    /// The direction closest to the way `north` and `east` point (any unit; both zero is
    /// north): each of the eight takes 45°, so a way within 22.5° of north is north.
    pub fn towards(north: f64, east: f64) -> Direction {
        // tan 22.5°: past it off an axis, the way is diagonal.
        const TAN: f64 = 0.414_213_562_373_095;
        let (n, e) = (north.abs(), east.abs());
        let (ns, ew) = (north >= 0.0, east >= 0.0);
        if e <= n * TAN {
            if ns { Self::North } else { Self::South }
        } else if n < e * TAN {
            if ew { Self::East } else { Self::West }
        } else {
            match (ns, ew) {
                (true, true) => Self::NorthEast,
                (false, true) => Self::SouthEast,
                (false, false) => Self::SouthWest,
                (true, false) => Self::NorthWest,
            }
        }
    }
}

/// Where an area is, in terms a person knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whereabouts<'a> {
    /// In one neighbourhood, or across two of them.
    Near(&'a str, Option<&'a str>),
    /// Outside every neighbourhood, within half a kilometre of the region's centre.
    Centre,
    /// Outside every neighbourhood: about `km` kilometres (whole, at least 1) from the region's
    /// centre in `direction`.
    FromCentre { km: u32, direction: Direction },
}

/// Where the area `area` (a geohash) is. `None` for a string that is not a geohash.
///
/// The neighbourhood whose cell is a prefix of the area wins, the longest cell first (a small
/// neighbourhood inside a larger one is named, not the larger one); between equally long cells
/// the one listed first. An area coarser than the cells is "near" the neighbourhoods it overlaps
/// when they are one or two; more would say nothing, so it is placed from the centre instead.
pub fn whereabouts<'a>(
    area: &str,
    neighbourhoods: &'a [Neighbourhood],
    centre: LatLon,
) -> Option<Whereabouts<'a>> {
    let cell = geo::decode(area).ok()?;
    let mut inside: Option<(usize, &str)> = None;
    let mut touched: Vec<&str> = Vec::new();
    for n in neighbourhoods {
        for c in n.cells.iter().filter(|c| !c.is_empty()) {
            if area.starts_with(c.as_str()) {
                if inside.is_none_or(|(len, _)| c.len() > len) {
                    inside = Some((c.len(), &n.name));
                }
            } else if c.starts_with(area) && !touched.contains(&n.name.as_str()) {
                touched.push(&n.name);
            }
        }
    }
    if let Some((_, name)) = inside {
        return Some(Whereabouts::Near(name, None));
    }
    match touched[..] {
        [one] => return Some(Whereabouts::Near(one, None)),
        [one, two] => return Some(Whereabouts::Near(one, Some(two))),
        _ => {}
    }
    let here = cell.center();
    // Over a region the ground is flat enough for "about": metres north and east of the centre.
    // No trigonometry from Rust's libm, which would add kilobytes to the app's first load.
    let north = (here.lat - centre.lat) * METRES_PER_DEGREE;
    let east = (here.lon - centre.lon) * METRES_PER_DEGREE * cos_approx(centre.lat.to_radians());
    let km = ((north * north + east * east).sqrt() / 1000.0).round();
    if km < 1.0 {
        return Some(Whereabouts::Centre);
    }
    Some(Whereabouts::FromCentre {
        km: km as u32,
        direction: Direction::towards(north, east),
    })
}

/// Metres along a meridian per degree of latitude.
const METRES_PER_DEGREE: f64 = geo::EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// cos(x) for |x| <= π/2 by its Taylor series to x⁸: within 0.1% up to 80° of latitude, plenty
/// for "about 3 km".
fn cos_approx(x: f64) -> f64 {
    let x2 = x * x;
    (1.0 - x2 / 2.0 * (1.0 - x2 / 12.0 * (1.0 - x2 / 30.0 * (1.0 - x2 / 56.0)))).max(0.0)
}

/// About how wide a geohash cell of `len` characters is, at mid latitudes: "150 m", "1 km",
/// "5 km", "40 km" or "150 km" (the coarsest an alert is pushed to), and more for shorter ones.
pub fn cell_size(len: usize) -> &'static str {
    match len {
        0 | 1 => "5000 km",
        2 => "1000 km",
        3 => "150 km",
        4 => "40 km",
        5 => "5 km",
        6 => "1 km",
        _ => "150 m",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Made up for the tests, around the demo's Example City.
    fn example() -> Vec<Neighbourhood> {
        let n = |name: &str, cells: &[&str]| Neighbourhood {
            name: name.into(),
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        };
        vec![
            n("Old Market", &["9zvxv"]),
            // Inside Old Market: the longer cell wins.
            n("Civic Center", &["9zvxv9", "9zvxvc"]),
            n("Lakeview", &["9zvxt"]),
            n("Riverside", &["9zvxy"]),
            // Listed twice by mistake: named once.
            n("Eastbank", &["9zvxw", "9zvxwq"]),
        ]
    }

    const CENTRE: LatLon = LatLon {
        lat: 44.963,
        lon: -93.265,
    };

    fn at(area: &str) -> Option<Whereabouts<'static>> {
        let list: &'static [Neighbourhood] = Box::leak(example().into_boxed_slice());
        whereabouts(area, list, CENTRE)
    }

    #[test]
    fn an_area_inside_a_neighbourhood_is_near_it() {
        assert_eq!(at("9zvxtqw"), Some(Whereabouts::Near("Lakeview", None)));
        assert_eq!(at("9zvxwqe"), Some(Whereabouts::Near("Eastbank", None)));
        // The cell itself is inside too.
        assert_eq!(at("9zvxy"), Some(Whereabouts::Near("Riverside", None)));
    }

    #[test]
    fn the_longest_cell_wins_where_neighbourhoods_overlap() {
        assert_eq!(at("9zvxv9q"), Some(Whereabouts::Near("Civic Center", None)));
        assert_eq!(at("9zvxvc"), Some(Whereabouts::Near("Civic Center", None)));
        // Next to Civic Center, still in Old Market.
        assert_eq!(at("9zvxvf2"), Some(Whereabouts::Near("Old Market", None)));
        // The order of the list does not matter.
        let mut reversed = example();
        reversed.reverse();
        assert_eq!(
            whereabouts("9zvxv9q", &reversed, CENTRE),
            Some(Whereabouts::Near("Civic Center", None))
        );
    }

    #[test]
    fn cells_either_side_of_a_border() {
        // 9zvxt and 9zvxv share the latitude 44.9560546875: just south is Lakeview, just north
        // Old Market.
        let border = 44.956_054_687_5;
        let south = geo::coarsen(LatLon {
            lat: border - 0.0005,
            lon: -93.27,
        })
        .expect("a position");
        let north = geo::coarsen(LatLon {
            lat: border + 0.0005,
            lon: -93.27,
        })
        .expect("a position");
        assert_eq!(at(&south), Some(Whereabouts::Near("Lakeview", None)));
        assert_eq!(at(&north), Some(Whereabouts::Near("Old Market", None)));
        // West of Lakeview (9zvxs, just over its western edge at -93.2958984375) is nobody's.
        let west = geo::coarsen(LatLon {
            lat: 44.93,
            lon: -93.296,
        })
        .expect("a position");
        assert!(west.starts_with("9zvxs"), "{west}");
        assert!(matches!(at(&west), Some(Whereabouts::FromCentre { .. })));
        let east = geo::coarsen(LatLon {
            lat: 44.93,
            lon: -93.2957,
        })
        .expect("a position");
        assert_eq!(at(&east), Some(Whereabouts::Near("Lakeview", None)));
    }

    #[test]
    fn an_area_outside_every_neighbourhood_is_placed_from_the_centre() {
        // 9zvxs8t: about 44.915, -93.31, some 6 km south-west of the centre.
        assert_eq!(
            at("9zvxs8t"),
            Some(Whereabouts::FromCentre {
                km: 6,
                direction: Direction::SouthWest
            })
        );
        // Far north (cbj8j, about 45.02, -93.27).
        assert!(matches!(
            at("cbj8j"),
            Some(Whereabouts::FromCentre {
                direction: Direction::North,
                ..
            })
        ));
        // With no neighbourhoods at all, and right at the centre.
        let centre_cell = geo::coarsen(CENTRE).expect("a position");
        assert_eq!(
            whereabouts(&centre_cell, &[], CENTRE),
            Some(Whereabouts::Centre)
        );
    }

    #[test]
    fn a_coarser_area_names_up_to_two_neighbourhoods() {
        let n = |name: &str, cells: &[&str]| Neighbourhood {
            name: name.into(),
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        };
        let two = [n("North", &["9zvxv1"]), n("South", &["9zvxv0", "9zvxv2"])];
        assert_eq!(
            whereabouts("9zvxv", &two, CENTRE),
            Some(Whereabouts::Near("North", Some("South")))
        );
        let three = [
            n("A", &["9zvxv1"]),
            n("B", &["9zvxv0"]),
            n("C", &["9zvxv2"]),
        ];
        assert!(matches!(
            whereabouts("9zvxv", &three, CENTRE),
            Some(Whereabouts::Centre | Whereabouts::FromCentre { .. })
        ));
        // 9zvx covers every example neighbourhood: too many to name.
        assert!(matches!(at("9zvx"), Some(Whereabouts::FromCentre { .. })));
        // One neighbourhood in it: near that one.
        assert_eq!(
            whereabouts("9zvxv", &two[..1], CENTRE),
            Some(Whereabouts::Near("North", None))
        );
    }

    #[test]
    fn not_a_geohash_is_nowhere() {
        assert_eq!(at(""), None);
        assert_eq!(at("9zva"), None);
        assert_eq!(at("9ZVXV"), None);
        // An empty cell in the config matches nothing.
        let odd = [Neighbourhood {
            name: "Everywhere".into(),
            cells: vec![String::new()],
        }];
        assert!(matches!(
            whereabouts("9zvxs8t", &odd, CENTRE),
            Some(Whereabouts::FromCentre { .. })
        ));
    }

    #[test]
    fn directions_by_the_way_they_point() {
        let at = |degrees: f64| {
            let r = degrees.to_radians();
            Direction::towards(r.cos(), r.sin())
        };
        assert_eq!(at(0.0), Direction::North);
        assert_eq!(at(22.0), Direction::North);
        assert_eq!(at(23.0), Direction::NorthEast);
        assert_eq!(at(67.0), Direction::NorthEast);
        assert_eq!(at(68.0), Direction::East);
        assert_eq!(at(90.0), Direction::East);
        assert_eq!(at(-45.0), Direction::NorthWest);
        assert_eq!(at(180.0), Direction::South);
        assert_eq!(at(350.0), Direction::North);
        assert_eq!(at(225.0), Direction::SouthWest);
        assert_eq!(at(135.0), Direction::SouthEast);
        assert_eq!(at(270.0), Direction::West);
        assert_eq!(Direction::towards(0.0, 0.0), Direction::North);
        // Every sector, clockwise, 45° apart.
        for (i, d) in Direction::ALL.into_iter().enumerate() {
            assert_eq!(at(45.0 * i as f64), d);
        }
    }

    #[test]
    fn distances_are_about_right() {
        for x in [0.0f64, 0.3, 0.785, 1.2, 1.396] {
            assert!((cos_approx(x) - x.cos()).abs() < 1e-3, "{x}");
        }
        // Against the great-circle distance, a few kilometres out.
        let far = geo::encode(
            LatLon {
                lat: 45.02,
                lon: -93.20,
            },
            7,
        )
        .expect("a position");
        let cell = geo::decode(&far).expect("a cell").center();
        let exact = (geo::distance_m(CENTRE, cell) / 1000.0).round() as u32;
        assert!(matches!(at(&far), Some(Whereabouts::FromCentre { km, .. }) if km == exact));
    }

    #[test]
    fn sizes_by_cell_length() {
        assert_eq!(cell_size(7), "150 m");
        assert_eq!(cell_size(6), "1 km");
        assert_eq!(cell_size(5), "5 km");
        assert_eq!(cell_size(4), "40 km");
        assert_eq!(cell_size(3), "150 km");
    }
}
