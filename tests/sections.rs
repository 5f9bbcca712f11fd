//! URL paths map to the app's pages and back.

use uuid::Uuid;
use vecinos::Route;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_page_round_trips_through_its_path() {
    let id = Uuid::from_u128(0x1234);
    let pages =
        Route::TABS
            .into_iter()
            .chain([Route::Event(id), Route::Resource(id), Route::Card(id)]);
    for route in pages {
        assert_eq!(Route::from_path(&route.path()), route);
        assert_eq!(
            Route::from_path(&format!("{}/", route.path())),
            route,
            "trailing slash"
        );
    }
    assert_eq!(Route::Card(id).tab(), Some(Route::Rights));
}

#[wasm_bindgen_test]
fn the_root_opens_events_and_unknown_paths_are_not_found() {
    assert_eq!(Route::from_path("/"), Route::Events);
    assert_eq!(Route::from_path(""), Route::Events);
    assert_eq!(Route::from_path("/admin"), Route::NotFound);
    assert_eq!(Route::from_path("/events/not-an-id"), Route::NotFound);
    assert_eq!(
        Route::from_path("/map/00000000-0000-0000-0000-000000001234"),
        Route::NotFound
    );
    assert_eq!(Route::NotFound.tab(), None);
}
