//! URL paths map to the app's sections and back.

use vecinos::Section;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_tab_round_trips_through_its_path() {
    for section in Section::TABS {
        assert_eq!(Section::from_path(section.path()), section);
        assert_eq!(
            Section::from_path(&format!("{}/", section.path())),
            section,
            "trailing slash"
        );
    }
}

#[wasm_bindgen_test]
fn the_root_opens_events_and_unknown_paths_are_not_found() {
    assert_eq!(Section::from_path("/"), Section::Events);
    assert_eq!(Section::from_path(""), Section::Events);
    assert_eq!(Section::from_path("/admin"), Section::NotFound);
    assert_eq!(Section::from_path("/events/extra"), Section::NotFound);
}
