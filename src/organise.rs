//! The organiser signed in on this phone.
//!
//! What an organiser handles stays off the phone's storage: received reports carry neighbours'
//! own words, so they are fetched when the Organise page is open and kept in memory only; they
//! need a connection. The session itself is the server's HttpOnly cookie (scoped to /api), which
//! the page cannot read; the app only remembers the organiser's name in local storage, to show
//! the Organise tab. Signing out ends the session on the server (whose answer removes the
//! cookie) and forgets the name. Quick exit removes the name with everything else.
//!
//! The requests themselves are in `api`; every answer goes through `Session::check`, so a
//! session the server no longer knows is forgotten here too.

use leptos::prelude::*;

use crate::api::{self, Problem};
use crate::prefs::{self, Key};

/// The organiser signed in on this phone.
#[derive(Clone, Copy)]
pub struct Session {
    /// Their name, while signed in.
    pub name: RwSignal<Option<String>>,
    /// True once the server said the session is over (expired, or ended elsewhere), so the
    /// sign-in page can say why it is back.
    pub ended: RwSignal<bool>,
}

impl Session {
    pub fn start() -> Self {
        Self {
            name: RwSignal::new(prefs::get(Key::Organiser)),
            ended: RwSignal::new(false),
        }
    }

    fn remember(self, name: Option<String>) {
        match &name {
            Some(name) => {
                prefs::set(Key::Organiser, name);
                prefs::set(Key::TrustedBrowser, "1");
            }
            None => prefs::remove(Key::Organiser),
        }
        self.name.set(name);
    }

    /// Passes an organiser's answer on; one saying the session is over also forgets it here,
    /// so the page asks to sign in again.
    pub fn check<T>(self, answer: Result<T, Problem>) -> Result<T, Problem> {
        if answer.as_ref().err() == Some(&Problem::SignedOut) {
            self.ended.set(true);
            self.remember(None);
        }
        answer
    }

    pub async fn sign_in(self, name: &str, password: &str) -> Result<(), Problem> {
        api::sign_in(name, password).await?;
        self.ended.set(false);
        self.remember(Some(name.to_owned()));
        Ok(())
    }

    /// Ends the session on the server, then forgets it here. Without a connection the session
    /// cannot be ended, so nothing is forgotten and the page says so.
    pub async fn sign_out(self) -> Result<(), Problem> {
        match self.check(api::sign_out().await) {
            Ok(()) | Err(Problem::SignedOut) => {
                self.remember(None);
                Ok(())
            }
            Err(problem) => Err(problem),
        }
    }
}

/// Whether an organiser signed in on this phone, read from storage now: another tab may have
/// signed in since this one started.
pub fn signed_in_here() -> bool {
    prefs::get(Key::Organiser).is_some()
}
