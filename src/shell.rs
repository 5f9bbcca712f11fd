//! The app shell in `index.html`: the header with a working Exit, the tabs and a list skeleton,
//! painted before the WASM has arrived. Its small inline script (hashed into the CSP by the
//! server) puts the words in the person's language and deletes everything if Exit is pressed
//! during loading, as `exit.rs` does once the app runs. On a first visit (no config kept yet) it
//! preloads the server's config and the change feed's first page, and on every visit the opened
//! screen's WASM chunks, if it is in one: they download beside the WASM. [`start`]
//! replaces the shell with the app in one task, so nothing in between is painted.

pub fn start() {
    if let Some(shell) = leptos::prelude::document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(crate::App);
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, T};
    use crate::route::Route;

    const INDEX: &str = include_str!("../index.html");

    /// The shell's words for `lang`: the strings of its line `code: [...]` in the script.
    fn shell_words(lang: Lang) -> Vec<&'static str> {
        let start = format!("{}: [", lang.code());
        let line = INDEX
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("no words for {} in index.html", lang.code()));
        line[start.len()..].split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_shell_says_what_the_app_says_in_every_language() {
        for lang in Lang::ALL {
            let mut expected = vec![
                lang.name(),
                T::Language.text(lang),
                T::Sections.text(lang),
                T::Exit.text(lang),
                T::ExitHint.text(lang),
                T::Loading.text(lang),
            ];
            expected.extend(Route::TABS.map(|tab| tab.label().text(lang)));
            assert_eq!(shell_words(lang), expected, "{}", lang.code());
        }
    }

    #[test]
    fn the_shell_links_the_tabs_in_the_apps_order() {
        let nav = INDEX
            .split("<nav class=\"tabs\"")
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .expect("the shell's tabs");
        let hrefs: Vec<&str> = nav
            .split("href=\"")
            .skip(1)
            .filter_map(|h| h.split('"').next())
            .collect();
        let paths: Vec<String> = Route::TABS.iter().map(|tab| tab.path()).collect();
        assert_eq!(hrefs, paths);
    }

    #[test]
    fn the_shell_deletes_what_the_app_keeps() {
        assert!(INDEX.contains(&format!("deleteDatabase(\"{}\")", crate::cache::DB_NAME)));
        assert!(INDEX.contains(&format!("getItem(\"{}\")", crate::prefs::EXITED)));
        assert!(INDEX.contains(&format!("fetch(\"{}?device=forget\"", crate::api::SESSION)));
    }

    #[test]
    fn a_first_visit_preloads_the_config_and_first_page_the_app_asks_for() {
        let first_pull = format!(
            "{}?since={}",
            crate::api::CHANGES,
            vecinos_core::Cursor::START.0
        );
        assert!(INDEX.contains(&format!("preload(\"{first_pull}\")")));
        assert!(INDEX.contains(&format!("preload(\"{}\")", crate::api::CONFIG)));
        assert!(INDEX.contains(&format!(
            "getItem(\"{}\")",
            crate::prefs::Key::Config.name()
        )));
    }
}
