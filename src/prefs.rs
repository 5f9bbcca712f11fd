//! Everything the app keeps in the browser's local and session storage, by key. Nothing else
//! in the WASM touches that storage, so quick exit knows exactly what to forget (`forget_all`).
//! The shell's script in index.html (`shell.rs`) reads the language and the exit flag, and its
//! quick exit, during loading, forgets every `vecinos-` key.
//!
//! Local storage is read synchronously, before the first render, which IndexedDB cannot be: it
//! holds the little that start-up needs at once. Nothing in it identifies anyone.

/// A value the app keeps in local storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// The interface language the person chose ("es").
    Lang,
    /// The name of the organiser signed in on this phone, to show the Organise tab.
    Organiser,
    /// The server's last `GET /api/v1/config` (JSON text): proof-of-work parameters for reports
    /// saved offline, tiles and region for the map.
    Config,
    /// The first screen of the resources list (JSON text), shown before IndexedDB is open.
    FirstResources,
    /// What this phone asked the server to push (`push::Watch` as JSON): alerts near a place,
    /// and an organiser's new reports.
    PushAlerts,
    PushReports,
    /// "1" once an organiser signed in on this browser: the server then left a trusted-browser
    /// cookie (kept after signing out), which quick exit asks the server to remove.
    TrustedBrowser,
}

impl Key {
    pub const ALL: [Key; 7] = [
        Self::Lang,
        Self::Organiser,
        Self::Config,
        Self::FirstResources,
        Self::PushAlerts,
        Self::PushReports,
        Self::TrustedBrowser,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Lang => "vecinos-lang",
            Self::Organiser => "vecinos-organiser",
            Self::Config => "vecinos-config",
            Self::FirstResources => "vecinos-first-resources",
            Self::PushAlerts => "vecinos-push-alerts",
            Self::PushReports => "vecinos-push-reports",
            Self::TrustedBrowser => "vecinos-trusted-browser",
        }
    }
}

/// Keys earlier versions wrote, forgotten with the others.
const RETIRED: [&str; 2] = ["vecinos-pow", "vecinos-map-config"];

/// This tab's flag, in session storage, that the person left with quick exit.
pub(crate) const EXITED: &str = "vecinos-exited";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn get(key: Key) -> Option<String> {
    local()?.get_item(key.name()).ok()?
}

/// Keeps `value`; storage that is full or switched off keeps nothing, and the app goes on.
/// After quick exit nothing is kept: work still finishing in this tab must not write back what
/// the exit deleted.
pub fn set(key: Key, value: &str) {
    if has_exited() {
        return;
    }
    if let Some(storage) = local() {
        let _ = storage.set_item(key.name(), value);
    }
}

pub fn remove(key: Key) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key.name());
    }
}

/// Forgets every key the app keeps, and those earlier versions kept.
pub fn forget_all() {
    let Some(storage) = local() else {
        return;
    };
    let names = Key::ALL.map(Key::name);
    for name in names.iter().chain(&RETIRED) {
        let _ = storage.remove_item(name);
    }
}

/// Whether the person left this tab with quick exit.
pub fn has_exited() -> bool {
    session().is_some_and(|s| s.get_item(EXITED).ok().flatten().is_some())
}

pub fn mark_exited() {
    if let Some(storage) = session() {
        let _ = storage.set_item(EXITED, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_its_own_name() {
        let mut names: Vec<&str> = Key::ALL.map(Key::name).into_iter().chain(RETIRED).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "two keys share a name");
        assert!(names.iter().all(|n| n.starts_with("vecinos-")));
    }
}
