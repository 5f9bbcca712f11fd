//! Every string the interface shows, in every language the app speaks.
//!
//! Translators keep the text in Fluent files, one per language (`locales/en.ftl`, `es.ftl`,
//! `so.ftl`, `hmn.ftl`). The build compiles them into one table, checked at compile time:
//! `texts!` makes each message an enum variant (`tab-events` is `T::TabEvents`), so a misspelt
//! key does not compile, and the build refuses a language that lacks a message or changes its
//! placeholders. Placeholders are written `{ $name }` in the files and filled by [`T::fill`].
//!
//! Why not a crate: leptos_i18n generates much more code per key, and the app shell has a 160 KB
//! brotli budget. Four `match`es of string literals cost only the strings.
//!
//! English and Spanish are complete; the Somali and Hmong drafts await review by native speakers
//! (TRANSLATIONS.md). Dates and times are formatted by the browser's Intl where it has the
//! language, else by the app's own table (`month-*`, `date-*`; see `format.rs`); the names of
//! listing languages come from CLDR at build time ([`language_name`]).

use leptos::prelude::*;
use vecinos_core::text;
use vecinos_core::{EventKind, EventStatus, ReportKind, ResourceCategory};

use crate::prefs::{self, Key};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
    So,
    Hmn,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Self::En, Self::Es, Self::So, Self::Hmn];

    /// The ISO 639 code, also used as the Intl locale and the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::So => "so",
            Self::Hmn => "hmn",
        }
    }

    /// The language's name in itself, as the language menu shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Es => "Español",
            Self::So => "Soomaali",
            Self::Hmn => "Hmoob",
        }
    }

    /// Matches a language tag such as "es-MX" or "hmn" by its primary subtag.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }
}

/// The language chosen in the app, else the first of the browser's languages the app speaks,
/// else English.
pub fn initial_lang() -> Lang {
    let chosen = prefs::get(Key::Lang).and_then(|code| Lang::from_tag(&code));
    chosen
        .or_else(|| {
            window()
                .navigator()
                .languages()
                .iter()
                .filter_map(|tag| tag.as_string())
                .find_map(|tag| Lang::from_tag(&tag))
        })
        .unwrap_or(Lang::En)
}

/// Remembers the person's choice (quick exit deletes it with everything else) and labels the
/// document, so screen readers and hyphenation follow.
pub fn choose(lang: Lang) {
    prefs::set(Key::Lang, lang.code());
    apply_document_lang(lang);
}

pub fn apply_document_lang(lang: Lang) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The language of the interface. The app re-creates its views when it changes, so components
/// read it once.
pub fn lang() -> Lang {
    use_context::<RwSignal<Lang>>().map_or(Lang::En, |l| l.get_untracked())
}

/// The text of `key` in the interface language.
pub fn t(key: T) -> &'static str {
    key.text(lang())
}

macro_rules! texts {
    ($($key:ident { en: $en:literal, es: $es:literal, so: $so:literal, hmn: $hmn:literal, })*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self { $(T::$key => $en),* },
                    Lang::Es => match self { $(T::$key => $es),* },
                    Lang::So => match self { $(T::$key => $so),* },
                    Lang::Hmn => match self { $(T::$key => $hmn),* },
                }
            }
        }
    };
}

impl T {
    /// The text with each `{name}` replaced by its value.
    pub fn fill(self, args: &[(&str, &str)]) -> String {
        text::fill(t(self), args)
    }
}

pub fn event_kind(kind: EventKind) -> T {
    match kind {
        EventKind::Rally => T::KindRally,
        EventKind::Vigil => T::KindVigil,
        EventKind::Training => T::KindTraining,
        EventKind::CourtWatch => T::KindCourtWatch,
        EventKind::Meeting => T::KindMeeting,
        EventKind::Other => T::KindOther,
    }
}

pub fn event_status(status: EventStatus) -> Option<T> {
    match status {
        EventStatus::Scheduled => None,
        EventStatus::Cancelled => Some(T::Cancelled),
        EventStatus::Postponed => Some(T::Postponed),
    }
}

pub fn category(category: ResourceCategory) -> T {
    match category {
        ResourceCategory::LegalAid => T::CatLegalAid,
        ResourceCategory::Hotline => T::CatHotline,
        ResourceCategory::Food => T::CatFood,
        ResourceCategory::Rides => T::CatRides,
        ResourceCategory::Housing => T::CatHousing,
        ResourceCategory::Medical => T::CatMedical,
        ResourceCategory::Childcare => T::CatChildcare,
        ResourceCategory::Schools => T::CatSchools,
        ResourceCategory::TenantUnion => T::CatTenantUnion,
        ResourceCategory::BailFund => T::CatBailFund,
        ResourceCategory::KnowYourRights => T::CatKnowYourRights,
    }
}

/// What a category is found by in search: its name and its everyday words (`cat-*-words`) in
/// every language the app speaks, so "comida" or "cunto" finds food whatever the phone shows.
pub fn category_words(category: ResourceCategory) -> String {
    let words = match category {
        ResourceCategory::LegalAid => T::CatLegalAidWords,
        ResourceCategory::Hotline => T::CatHotlineWords,
        ResourceCategory::Food => T::CatFoodWords,
        ResourceCategory::Rides => T::CatRidesWords,
        ResourceCategory::Housing => T::CatHousingWords,
        ResourceCategory::Medical => T::CatMedicalWords,
        ResourceCategory::Childcare => T::CatChildcareWords,
        ResourceCategory::Schools => T::CatSchoolsWords,
        ResourceCategory::TenantUnion => T::CatTenantUnionWords,
        ResourceCategory::BailFund => T::CatBailFundWords,
        ResourceCategory::KnowYourRights => T::CatKnowYourRightsWords,
    };
    let name = self::category(category);
    Lang::ALL
        .iter()
        .flat_map(|&lang| [name.text(lang), words.text(lang)])
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn report_kind(kind: ReportKind) -> T {
    match kind {
        ReportKind::EnforcementSeen => T::ReportEnforcement,
        ReportKind::Detained => T::ReportDetained,
        ReportKind::Checkpoint => T::ReportCheckpoint,
        ReportKind::HelpNeeded => T::ReportHelpNeeded,
        ReportKind::HelpOffered => T::ReportHelpOffered,
        ReportKind::Correction => T::ReportCorrection,
    }
}

/// Monday is 1, as in opening hours.
pub fn weekday(day: u8) -> T {
    match day {
        1 => T::Monday,
        2 => T::Tuesday,
        3 => T::Wednesday,
        4 => T::Thursday,
        5 => T::Friday,
        6 => T::Saturday,
        _ => T::Sunday,
    }
}

// The table itself: `locales/*.ftl`, compiled by build.rs (see the `vecinos-locales` crate).
include!(concat!(env!("OUT_DIR"), "/texts.rs"));
include!(concat!(env!("OUT_DIR"), "/language_names.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_match_by_primary_subtag() {
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("HMN"), Some(Lang::Hmn));
        assert_eq!(Lang::from_tag("so_SO"), Some(Lang::So));
        assert_eq!(Lang::from_tag("fr-CA"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
