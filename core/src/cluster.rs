//! Grouping map markers that would overlap on screen, for the map's clusters.
//!
//! Points are projected once to Web Mercator "world units" ([`project`]): x runs 0..1 from west to
//! east and y 0..1 from north to south, so a map at zoom `z` is `256 · 2^z` pixels across. At a
//! zoom, the world is cut into square cells of `cell_px` screen pixels and the points of one cell
//! become one [`Cluster`]. Only the points inside the visible box are grouped, so the cost of a
//! redraw follows what is on screen, not the size of the data.
//!
//! A grid is simpler than distance-based clustering and stable while panning (a cell's members do
//! not depend on where the screen starts); its price is that two clusters can sit just either side
//! of a cell edge.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use crate::geo::LatLon;

/// Web Mercator stops here: the map is square between these latitudes.
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Width of the world in pixels at zoom 0.
pub const TILE_PX: f64 = 256.0;

/// `p` in world units (x east, y south, both 0..1). Latitudes beyond [`MAX_LATITUDE`] are clamped.
pub fn project(p: LatLon) -> (f64, f64) {
    let lat = p.lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (p.lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0;
    (x, y)
}

/// The position at world units `(x, y)`: the inverse of [`project`].
pub fn unproject(x: f64, y: f64) -> LatLon {
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    LatLon {
        lat,
        lon: x * 360.0 - 180.0,
    }
}

/// Points that share one grid cell at a zoom.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Indices into the points given to [`cluster`], in their order there.
    pub members: Vec<usize>,
    /// The members' mean position, in world units.
    pub centre: (f64, f64),
    /// The corners of the box around the members, in world units: north-west, south-east.
    pub min: (f64, f64),
    pub max: (f64, f64),
}

/// A visible box in world units, `x0 <= x1` and `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl View {
    pub const WORLD: View = View {
        x0: 0.0,
        y0: 0.0,
        x1: 1.0,
        y1: 1.0,
    };

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        (self.x0..=self.x1).contains(&x) && (self.y0..=self.y1).contains(&y)
    }
}

/// Groups the projected `points` inside `view` into cells of `cell_px` pixels at `zoom`. Every
/// point inside the view is in exactly one cluster; points outside it are left out. Clusters come
/// row by row from the north-west, so the same input always gives the same output. A cell size that
/// is not a positive number counts as one pixel.
pub fn cluster(points: &[(f64, f64)], zoom: u8, cell_px: f64, view: View) -> Vec<Cluster> {
    let cell_px = if cell_px >= 1.0 { cell_px } else { 1.0 };
    let cells_across = TILE_PX * f64::from(1u32 << zoom.min(30)) / cell_px;
    let mut cells: BTreeMap<(i64, i64), Cluster> = BTreeMap::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        if !view.contains((x, y)) {
            continue;
        }
        // Whole cells, so the `as` conversions only drop the fraction.
        let key = (
            (y * cells_across).floor() as i64,
            (x * cells_across).floor() as i64,
        );
        let c = cells.entry(key).or_insert_with(|| Cluster {
            members: Vec::new(),
            centre: (0.0, 0.0),
            min: (x, y),
            max: (x, y),
        });
        c.members.push(i);
        c.centre.0 += x;
        c.centre.1 += y;
        c.min = (c.min.0.min(x), c.min.1.min(y));
        c.max = (c.max.0.max(x), c.max.1.max(y));
    }
    cells
        .into_values()
        .map(|mut c| {
            let n = c.members.len() as f64;
            c.centre = (c.centre.0 / n, c.centre.1 / n);
            c
        })
        .collect()
}

/// Merges the clusters whose centres lie within `min_px` screen pixels of each other at `zoom`
/// (across and down, so square icons of up to `min_px` never overlap), until none do. The grid
/// alone can leave two clusters just either side of a cell edge, one icon over the other, and an
/// icon partly under another is a target too small to tap (WCAG 2.5.8). Members stay in input
/// order; a merged centre is the mean of all its members.
pub fn separate(mut clusters: Vec<Cluster>, zoom: u8, min_px: f64) -> Vec<Cluster> {
    let world_px = TILE_PX * f64::from(1u32 << zoom.min(30));
    let close = |a: &Cluster, b: &Cluster| {
        let dx = (a.centre.0 - b.centre.0).abs() * world_px;
        let dy = (a.centre.1 - b.centre.1).abs() * world_px;
        dx < min_px && dy < min_px
    };
    while let Some((i, j)) = (0..clusters.len())
        .flat_map(|i| (i + 1..clusters.len()).map(move |j| (i, j)))
        .find(|&(i, j)| close(&clusters[i], &clusters[j]))
    {
        let b = clusters.remove(j);
        let a = &mut clusters[i];
        let (na, nb) = (a.members.len() as f64, b.members.len() as f64);
        a.centre = (
            (a.centre.0 * na + b.centre.0 * nb) / (na + nb),
            (a.centre.1 * na + b.centre.1 * nb) / (na + nb),
        );
        a.min = (a.min.0.min(b.min.0), a.min.1.min(b.min.1));
        a.max = (a.max.0.max(b.max.0), a.max.1.max(b.max.1));
        a.members.extend(b.members);
        a.members.sort_unstable();
    }
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CELL: f64 = 60.0;

    fn at(lat: f64, lon: f64) -> (f64, f64) {
        project(LatLon { lat, lon })
    }

    #[test]
    fn projection_puts_the_equator_and_greenwich_in_the_middle_and_north_at_the_top() {
        let (x, y) = at(0.0, 0.0);
        assert!((x - 0.5).abs() < 1e-12 && (y - 0.5).abs() < 1e-12);
        assert!(at(45.0, 0.0).1 < 0.5, "north is up");
        assert!(at(0.0, 90.0).0 > 0.5, "east is right");
        assert!(
            at(90.0, 0.0).1.abs() < 1e-9,
            "the pole is clamped to the top edge"
        );
    }

    #[test]
    fn two_places_a_street_apart_are_one_cluster_from_afar_and_two_close_up() {
        // Two corners about 300 m apart in the demo city.
        let points = [at(44.9630, -93.2650), at(44.9630, -93.2612)];
        let street = cluster(&points, 18, CELL, View::WORLD);
        assert_eq!(
            street.len(),
            2,
            "at zoom 18 they are hundreds of pixels apart"
        );
        let region = cluster(&points, 4, CELL, View::WORLD);
        assert_eq!(
            region.len(),
            1,
            "at zoom 4 they are a fraction of a pixel apart"
        );
        assert_eq!(region[0].members, vec![0, 1]);
    }

    #[test]
    fn the_centre_is_the_mean_and_the_box_encloses_the_members() {
        let points = [(0.1000, 0.2000), (0.1002, 0.2004), (0.1001, 0.2001)];
        let c = &cluster(&points, 0, CELL, View::WORLD)[0];
        assert_eq!(c.members, vec![0, 1, 2]);
        assert!((c.centre.0 - 0.1001).abs() < 1e-12);
        assert!((c.centre.1 - 0.6005 / 3.0).abs() < 1e-12);
        assert_eq!(c.min, (0.1000, 0.2000));
        assert_eq!(c.max, (0.1002, 0.2004));
    }

    #[test]
    fn only_the_points_in_view_are_grouped() {
        let points = [(0.2, 0.2), (0.8, 0.8)];
        let view = View {
            x0: 0.0,
            y0: 0.0,
            x1: 0.5,
            y1: 0.5,
        };
        let clusters = cluster(&points, 10, CELL, view);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].members, vec![0]);
    }

    #[test]
    fn a_bad_cell_size_still_groups_without_dividing_by_zero() {
        let points = [(0.3, 0.3), (0.3, 0.3)];
        for cell in [0.0, -5.0, f64::NAN] {
            let clusters = cluster(&points, 5, cell, View::WORLD);
            assert_eq!(clusters.len(), 1);
            assert_eq!(clusters[0].members.len(), 2);
        }
    }

    #[test]
    fn clusters_either_side_of_a_cell_edge_are_merged_so_no_icon_covers_another() {
        let zoom = 14;
        let world_px = TILE_PX * f64::from(1u32 << zoom);
        // Three points a few pixels either side of a cell edge, and one far away.
        let edge = (CELL * 100.0) / world_px;
        let points = [
            (edge - 3.0 / world_px, 0.5),
            (edge + 2.0 / world_px, 0.5),
            (edge + 4.0 / world_px, 0.5 + 1.0 / world_px),
            (edge + 500.0 / world_px, 0.5),
        ];
        let grid = cluster(&points, zoom, CELL, View::WORLD);
        assert_eq!(grid.len(), 3, "the grid splits the close points: {grid:?}");
        let apart = separate(grid, zoom, 48.0);
        assert_eq!(apart.len(), 2, "{apart:?}");
        assert_eq!(apart[0].members, [0, 1, 2]);
        assert!(
            (apart[0].centre.0 - (points[0].0 + points[1].0 + points[2].0) / 3.0).abs() < 1e-15
        );
        assert_eq!(apart[1].members, [3]);
    }

    proptest! {
        #[test]
        fn unproject_inverts_project(lat in -85.0f64..85.0, lon in -180.0f64..180.0) {
            let (x, y) = at(lat, lon);
            let back = unproject(x, y);
            prop_assert!((back.lat - lat).abs() < 1e-9 && (back.lon - lon).abs() < 1e-9);
        }

        #[test]
        fn separated_clusters_keep_every_point_and_lie_apart(
            points in proptest::collection::vec((0.4f64..0.4001, 0.4f64..0.4001), 0..60),
        ) {
            let zoom = 15;
            let apart = separate(cluster(&points, zoom, CELL, View::WORLD), zoom, 48.0);
            let mut members: Vec<usize> = apart.iter().flat_map(|c| c.members.clone()).collect();
            members.sort_unstable();
            prop_assert_eq!(members, (0..points.len()).collect::<Vec<_>>());
            let world_px = TILE_PX * f64::from(1u32 << zoom);
            for (i, a) in apart.iter().enumerate() {
                for b in &apart[i + 1..] {
                    let dx = (a.centre.0 - b.centre.0).abs() * world_px;
                    let dy = (a.centre.1 - b.centre.1).abs() * world_px;
                    prop_assert!(dx >= 48.0 || dy >= 48.0, "{a:?} and {b:?} overlap");
                }
            }
        }

        #[test]
        fn every_point_in_view_is_in_exactly_one_cluster_no_wider_than_a_cell(
            points in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 0..300),
            zoom in 0u8..19,
        ) {
            let clusters = cluster(&points, zoom, CELL, View::WORLD);
            let mut seen = vec![0; points.len()];
            let cell = CELL / (TILE_PX * f64::from(1u32 << zoom));
            for c in &clusters {
                prop_assert!(!c.members.is_empty());
                for &i in &c.members {
                    seen[i] += 1;
                }
                prop_assert!(c.max.0 - c.min.0 <= cell && c.max.1 - c.min.1 <= cell);
                prop_assert!(c.min.0 <= c.centre.0 && c.centre.0 <= c.max.0);
                prop_assert!(c.min.1 <= c.centre.1 && c.centre.1 <= c.max.1);
            }
            prop_assert!(seen.iter().all(|&n| n == 1));
        }
    }
}
