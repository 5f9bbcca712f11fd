//! Searching and grouping the lists the phone holds in its cache: resources by text, category,
//! language, "open now" and distance; upcoming events by local day.
//!
//! The client filters on every keystroke, over as many as 10,000 resources, within one frame
//! (16 ms in WASM). Folding text (lowercasing, stripping accents, collapsing punctuation) is the
//! expensive part, so [`ResourceIndex::new`] does it once per resource: it keeps one folded
//! haystack per resource, the parsed opening hours, the position and the order by name. A
//! keystroke then folds only the query and runs plain substring searches over the haystacks.
//!
//! [`fold`] is the one normalisation used on both sides, so "jose" finds "José", "Ka'ah" finds
//! "Kaʼah" and decomposed input (e + U+0301) finds precomposed text (é). It is a small hand-written
//! table for Latin letters, not full Unicode normalisation: other scripts are only lowercased.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use chrono_tz::Tz;

use crate::geo::LatLon;
use crate::model::{Event, OpeningHours, Resource, ResourceCategory};
use crate::order::{order, sort_by};

const MINUTES_PER_DAY: u32 = 24 * 60;
const MINUTES_PER_WEEK: u32 = 7 * MINUTES_PER_DAY;

/// Search normalisation: lowercase, Latin letters without diacritics ("ß" → "ss", "æ" → "ae",
/// "ł" → "l"...), combining marks, apostrophes and soft hyphens removed, and every run of
/// whitespace or punctuation turned into one space, trimmed. Idempotent: `fold(fold(s)) == fold(s)`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if is_dropped(c) {
            continue;
        }
        if !c.is_alphanumeric() && is_separator(c) {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        match latin_base(c) {
            Some(base) => out.push_str(base),
            None => out.push(c),
        }
    }
    out
}

/// Characters that vanish without splitting a word: combining marks, apostrophes ("Ka'ah"),
/// invisible joiners and soft hyphens, Arabic vowel marks and tatweel.
fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}'
        | '\'' | '`' | '´' | 'ʻ' | 'ʼ' | '‘' | '’'
        | '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        | '\u{640}' | '\u{64B}'..='\u{65F}' | '\u{670}')
}

/// Whitespace, controls and punctuation (ASCII, Latin-1, general, CJK, Arabic, full-width).
/// Only asked about characters that are not alphanumeric.
fn is_separator(c: char) -> bool {
    c.is_ascii()
        || c.is_whitespace()
        || c.is_control()
        || matches!(c,
            '\u{A0}'..='\u{BF}' | '×' | '÷' | '\u{2000}'..='\u{206F}' | '\u{2E00}'..='\u{2E7F}'
            | '\u{3000}'..='\u{303F}' | '،' | '؛' | '؟' | '\u{66A}'..='\u{66D}' | '۔'
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}')
}

/// The unaccented spelling of a lowercase Latin letter from Latin-1, Latin Extended-A, a few of
/// Extended-B (pinyin, Vietnamese, Romanian) and the Vietnamese letters of Extended Additional.
/// Ranges cover both cases; only lowercase letters reach this.
fn latin_base(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | 'ª' | 'Ā'..='ą' | 'Ǎ' | 'ǎ' | 'Ạ'..='ặ' => "a",
        'æ' => "ae",
        'ç' | 'Ć'..='č' => "c",
        'ð' | 'Ď'..='đ' => "d",
        'è'..='ë' | 'Ē'..='ě' | 'Ẹ'..='ệ' => "e",
        'Ĝ'..='ģ' => "g",
        'Ĥ'..='ħ' => "h",
        'ì'..='ï' | 'Ĩ'..='ı' | 'Ǐ' | 'ǐ' | 'Ỉ'..='ị' => "i",
        'Ĳ' | 'ĳ' => "ij",
        'Ĵ' | 'ĵ' => "j",
        'Ķ'..='ĸ' => "k",
        'Ĺ'..='ł' => "l",
        'ñ' | 'Ń'..='ŋ' => "n",
        'ò'..='ö' | 'ø' | 'º' | 'Ō'..='ő' | 'Ơ' | 'ơ' | 'Ǒ' | 'ǒ' | 'Ọ'..='ợ' => "o",
        'Œ' | 'œ' => "oe",
        'Ŕ'..='ř' => "r",
        'Ś'..='š' | 'ſ' | 'Ș' | 'ș' => "s",
        'ß' => "ss",
        'Ţ'..='ŧ' | 'Ț' | 'ț' => "t",
        'þ' => "th",
        'ù'..='ü' | 'Ũ'..='ų' | 'Ư' | 'ư' | 'Ǔ'..='ǜ' | 'Ụ'..='ự' => "u",
        'Ŵ' | 'ŵ' => "w",
        'ý' | 'ÿ' | 'Ŷ'..='Ÿ' | 'Ỳ'..='ỹ' => "y",
        'Ź'..='ž' => "z",
        _ => return None,
    })
}

/// A moment in a resource's local time, as opening hours are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: u8,
    /// 0..1440.
    pub minute_of_day: u16,
}

impl LocalTime {
    /// The weekday and minute of a local date and time (seconds are dropped).
    pub fn from_naive(at: NaiveDateTime) -> Self {
        LocalTime {
            weekday: at.weekday().number_from_monday() as u8,
            minute_of_day: (at.hour() * 60 + at.minute()) as u16,
        }
    }

    /// Minutes since Monday 00:00, or `None` when a field is out of range.
    fn minute_of_week(self) -> Option<u32> {
        let minute = u32::from(self.minute_of_day);
        ((1..=7).contains(&self.weekday) && minute < MINUTES_PER_DAY)
            .then(|| u32::from(self.weekday - 1) * MINUTES_PER_DAY + minute)
    }
}

/// Whether any of `hours` covers `at`. A period whose closing time is at or before its opening time
/// runs past midnight into the next day (Sunday into Monday); "24:00" closes at midnight. Entries
/// that do not parse are ignored, and no hours at all means not open.
pub fn is_open(hours: &[OpeningHours], at: LocalTime) -> bool {
    open_during(hours.iter().filter_map(period), at)
}

fn open_during(periods: impl IntoIterator<Item = (u32, u32)>, at: LocalTime) -> bool {
    let Some(t) = at.minute_of_week() else {
        return false;
    };
    periods.into_iter().any(|(start, end)| {
        (start..end).contains(&t) || (start..end).contains(&(t + MINUTES_PER_WEEK))
    })
}

/// One weekly period as minutes since Monday 00:00, `start..end`; `end` may run past the end of
/// the week (a Sunday night period).
fn period(hours: &OpeningHours) -> Option<(u32, u32)> {
    if !(1..=7).contains(&hours.weekday) {
        return None;
    }
    let opens = crate::time::clock_minutes(&hours.opens).filter(|&m| m < MINUTES_PER_DAY)?;
    let closes = crate::time::clock_minutes(&hours.closes)?;
    let day = u32::from(hours.weekday - 1) * MINUTES_PER_DAY;
    let end = if closes > opens {
        closes
    } else {
        closes + MINUTES_PER_DAY
    };
    Some((day + opens, day + end))
}

/// What the resources list is narrowed to. The default keeps everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceFilter {
    /// Free text; every word must occur (accents, case and punctuation ignored).
    pub query: String,
    pub category: Option<ResourceCategory>,
    /// An ISO 639 code the resource must list ("so"); blank means any.
    pub language: Option<String>,
    pub open_now: bool,
}

impl ResourceFilter {
    /// Whether everything `self` keeps was also kept by `earlier`: the same category, language
    /// and "open now", and a query that only adds to the earlier one. Adding letters or words can
    /// only drop resources, since every word must occur and a longer word contains its prefix.
    pub fn refines(&self, earlier: &ResourceFilter) -> bool {
        self.category == earlier.category
            && self.language == earlier.language
            && self.open_now == earlier.open_now
            && fold(&self.query).starts_with(&fold(&earlier.query))
    }
}

/// Resources prepared for filtering: built once when the list is loaded, queried per keystroke.
#[derive(Clone, Debug, Default)]
pub struct ResourceIndex {
    entries: Vec<Entry>,
    /// Indices of the resources ordered by folded name.
    by_name: Vec<usize>,
    /// Every language code any resource lists, sorted, for the language filter's choices.
    languages: Vec<String>,
    /// The folded words each category is found by, in [`ResourceCategory::ALL`]'s order: its
    /// English label, and whatever [`with_category_words`](Self::with_category_words) adds
    /// (the client gives its names and everyday synonyms in every interface language). Kept
    /// once per category rather than in every haystack.
    category_words: Vec<String>,
}

#[derive(Clone, Debug)]
struct Entry {
    /// Folded name, organisation, description, service area, place and eligibility.
    haystack: String,
    /// The resource's category, as its position in [`ResourceCategory::ALL`].
    category: usize,
    /// Parsed opening hours, see [`period`].
    periods: Vec<(u32, u32)>,
    place: Option<LatLon>,
}

impl ResourceIndex {
    pub fn new(resources: &[Resource]) -> Self {
        let entries: Vec<Entry> = resources
            .iter()
            .map(|r| Entry {
                haystack: haystack(r),
                category: ResourceCategory::ALL
                    .iter()
                    .position(|c| *c == r.category)
                    .unwrap_or_default(),
                periods: r.opening_hours.iter().filter_map(period).collect(),
                place: r.place.as_ref().map(|p| LatLon {
                    lat: p.lat,
                    lon: p.lon,
                }),
            })
            .collect();
        let names: Vec<String> = resources.iter().map(|r| fold(&r.name)).collect();
        // Equal names keep their input order.
        let by_name = order(resources.len(), &|a, b| {
            names[a]
                .cmp(&names[b])
                .then_with(|| resources[a].name.cmp(&resources[b].name))
        });
        let mut languages: Vec<String> = resources
            .iter()
            .flat_map(|r| r.languages.iter().cloned())
            .collect();
        sort_by(&mut languages, |a, b| a.cmp(b));
        languages.dedup();
        ResourceIndex {
            entries,
            by_name,
            languages,
            category_words: ResourceCategory::ALL.map(|c| fold(c.label())).into(),
        }
    }

    /// The index, with each category also found by `words(category)`: any text, folded here.
    /// "comida" then finds the food bank although no resource says "comida".
    pub fn with_category_words(mut self, words: impl Fn(ResourceCategory) -> String) -> Self {
        for (folded, category) in self.category_words.iter_mut().zip(ResourceCategory::ALL) {
            *folded = fold(&format!("{} {}", category.label(), words(category)));
        }
        self
    }

    /// How many resources the index was built from.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every language code any resource lists, sorted and without repeats.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Indices into `resources` (the slice the index was built from) of those that pass `filter`
    /// at local time `now`. Ordered by name; with `distance` (how far a place is from the person,
    /// in metres), nearest place first and the listings without a place (or with an unusable
    /// one) after all others, by name. The caller measures: the client uses the browser's Math
    /// for the trigonometry, which keeps libm out of the WASM.
    pub fn filter(
        &self,
        resources: &[Resource],
        filter: &ResourceFilter,
        now: LocalTime,
        distance: Option<&dyn Fn(LatLon) -> f64>,
    ) -> Vec<usize> {
        self.filter_among(&self.by_name, resources, filter, now, distance)
    }

    /// The same as [`filter`](Self::filter), looking only at `earlier`, the result of a filter
    /// that `filter` [refines](ResourceFilter::refines) (with the same `distance`): typing one more
    /// letter then re-checks the few resources still shown instead of all of them.
    pub fn refine(
        &self,
        earlier: &[usize],
        resources: &[Resource],
        filter: &ResourceFilter,
        now: LocalTime,
    ) -> Vec<usize> {
        // `earlier` is already in the right order, and a subsequence of it stays in order.
        self.filter_among(earlier, resources, filter, now, None)
    }

    fn filter_among(
        &self,
        candidates: &[usize],
        resources: &[Resource],
        filter: &ResourceFilter,
        now: LocalTime,
        distance: Option<&dyn Fn(LatLon) -> f64>,
    ) -> Vec<usize> {
        let query = fold(&filter.query);
        let terms: Vec<&str> = query.split_whitespace().collect();
        let language = filter
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        let hits = candidates.iter().filter_map(|&i| {
            let (resource, entry) = (resources.get(i)?, self.entries.get(i)?);
            let keep = filter.category.is_none_or(|c| c == resource.category)
                && language.is_none_or(|l| {
                    resource
                        .languages
                        .iter()
                        .any(|code| code.eq_ignore_ascii_case(l))
                })
                && (!filter.open_now || open_during(entry.periods.iter().copied(), now))
                && terms.iter().all(|t| {
                    entry.haystack.contains(t)
                        || self
                            .category_words
                            .get(entry.category)
                            .is_some_and(|words| words.contains(t))
                });
            keep.then_some((i, entry))
        });
        let Some(distance) = distance else {
            return hits.map(|(i, _)| i).collect();
        };
        let mut placed = Vec::new();
        let mut unplaced = Vec::new();
        for (i, entry) in hits {
            match entry.place.map(distance).filter(|d| d.is_finite()) {
                Some(d) => placed.push((d, i)),
                None => unplaced.push(i),
            }
        }
        // Equal distances stay in name order.
        sort_by(&mut placed, |a, b| a.0.total_cmp(&b.0));
        placed.into_iter().map(|(_, i)| i).chain(unplaced).collect()
    }
}

fn haystack(r: &Resource) -> String {
    let mut parts = vec![r.name.as_str(), &r.organisation, &r.description];
    parts.extend(r.service_area.as_deref());
    if let Some(p) = &r.place {
        parts.push(&p.name);
        parts.push(&p.address);
    }
    parts.extend(r.eligibility.as_deref());
    // Organisers' translations are found in every language, as the category words are.
    parts.extend(
        r.translations
            .values()
            .flat_map(|t| t.values().map(String::as_str)),
    );
    fold(&parts.join(" "))
}

/// Events grouped by `day_of` each (the date they start on in their own time zone), days
/// ascending, events within a day in input order.
///
/// The day is a parameter because the browser already knows every time zone: the client asks
/// Intl, and the WASM carries no zone tables. Elsewhere, [`local_date`] computes it.
pub fn by_day<'a>(
    events: &[&'a Event],
    day_of: impl Fn(&Event) -> NaiveDate,
) -> Vec<(NaiveDate, Vec<&'a Event>)> {
    let mut dated: Vec<(NaiveDate, &'a Event)> = events.iter().map(|&e| (day_of(e), e)).collect();
    // Events keep their order within a day.
    sort_by(&mut dated, |a, b| a.0.cmp(&b.0));
    let mut days: Vec<(NaiveDate, Vec<&'a Event>)> = Vec::new();
    for (day, event) in dated {
        match days.last_mut() {
            Some((last, list)) if *last == day => list.push(event),
            _ => days.push((day, vec![event])),
        }
    }
    days
}

/// The date an event starts on in its own time zone (UTC when the zone is unknown).
pub fn local_date(event: &Event) -> NaiveDate {
    match event.time_zone.parse::<Tz>() {
        Ok(zone) => event.starts_at.with_timezone(&zone).date_naive(),
        Err(_) => event.starts_at.date_naive(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::distance_m;
    use crate::model::{EventKind, EventStatus, Phone, Place};
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;
    use uuid::Uuid;

    /// How far places are from `origin`, as the client's filter is given it.
    fn from(origin: Option<LatLon>) -> Option<Box<dyn Fn(LatLon) -> f64>> {
        origin.map(|o| Box::new(move |p| distance_m(o, p)) as Box<dyn Fn(LatLon) -> f64>)
    }

    // ---- fold ----

    #[test]
    fn folds_spanish() {
        assert_eq!(fold("José Peña"), "jose pena");
        assert_eq!(fold("ÁÉÍÓÚÜÑ áéíóúüñ"), "aeiouun aeiouun");
        assert_eq!(fold("¿Dónde está la Clínica?"), "donde esta la clinica");
        assert_eq!(fold("¡Ayuda legal gratuita!"), "ayuda legal gratuita");
    }

    #[test]
    fn folds_french_portuguese_and_others() {
        assert_eq!(fold("Œuvre Ça garçon Noël"), "oeuvre ca garcon noel");
        assert_eq!(fold("À l'école, où ê ô î"), "a lecole ou e o i");
        assert_eq!(fold("São João, Conceição"), "sao joao conceicao");
        assert_eq!(fold("ÀÈÌÒÙ àèìòù äëïöüÿ"), "aeiou aeiou aeiouy");
        assert_eq!(fold("Ærø Øst Ål"), "aero ost al");
        assert_eq!(fold("Łódź Đorđe"), "lodz dorde");
        assert_eq!(fold("İstanbul Şişli Ğ ı"), "istanbul sisli g i");
        assert_eq!(fold("Ā Ē Ī Ō Ū ā ē ī ō ū"), "a e i o u a e i o u");
        assert_eq!(fold("Čeština Ž š ř ů ő ű"), "cestina z s r u o u");
        assert_eq!(fold("Șoseaua Țării"), "soseaua tarii");
        assert_eq!(fold("Nguyễn Đặng Phước"), "nguyen dang phuoc");
        assert_eq!(fold("Þór"), "thor");
    }

    #[test]
    fn folds_sharp_s_and_ligatures() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("STRAẞE"), "strasse");
        assert_eq!(fold("æ Æ œ Œ ĳ"), "ae ae oe oe ij");
    }

    #[test]
    fn decomposed_folds_like_precomposed() {
        let decomposed = "Jose\u{301} Pen\u{303}a Noe\u{308}l c\u{327}a";
        assert_eq!(fold(decomposed), fold("José Peña Noël ça"));
        assert_eq!(fold(decomposed), "jose pena noel ca");
        // A stray combining mark does not split a word or leave a space.
        assert_eq!(fold("\u{301}abc\u{301} \u{308}"), "abc");
    }

    #[test]
    fn apostrophes_vanish() {
        for name in ["Ka'ah", "Ka’ah", "Kaʼah", "Ka‘ah", "KA'AH"] {
            assert_eq!(fold(name), "kaah", "{name}");
        }
        assert_eq!(fold("Mu'min Xaliimo'"), "mumin xaliimo");
    }

    #[test]
    fn collapses_whitespace_and_punctuation() {
        assert_eq!(fold("  Hello,\t  world!! \n"), "hello world");
        assert_eq!(fold("“Quoted” — dash… end"), "quoted dash end");
        assert_eq!(fold("Legal-aid/Food & Rides"), "legal aid food rides");
        assert_eq!(fold("a\u{A0}b\u{3000}c"), "a b c");
        assert_eq!(fold("Rechts\u{AD}hilfe"), "rechtshilfe");
        assert_eq!(fold("... ,,, "), "");
        assert_eq!(fold(""), "");
        assert_eq!(fold("No. 5, 2ª planta"), "no 5 2a planta");
    }

    #[test]
    fn other_scripts_are_lowercased_and_kept() {
        assert_eq!(fold("МОСКВА"), "москва");
        assert_eq!(fold("नमस्ते"), "नमस्ते");
        assert_eq!(fold("مَرْحَبًا، صديق"), "مرحبا صديق");
        assert_eq!(fold("日本語。テスト"), "日本語 テスト");
    }

    // ---- opening hours ----

    fn hours(weekday: u8, opens: &str, closes: &str) -> OpeningHours {
        OpeningHours {
            weekday,
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    fn at(weekday: u8, hour: u16, minute: u16) -> LocalTime {
        LocalTime {
            weekday,
            minute_of_day: hour * 60 + minute,
        }
    }

    #[test]
    fn local_time_from_naive() {
        // 2026-11-29 is a Sunday.
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_opt(23, 45, 59))
            .expect("valid date");
        assert_eq!(LocalTime::from_naive(sunday), at(7, 23, 45));
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid date");
        assert_eq!(LocalTime::from_naive(monday), at(1, 0, 0));
    }

    #[test]
    fn open_within_a_day() {
        let h = [hours(1, "09:00", "17:00")];
        assert!(!is_open(&h, at(1, 8, 59)));
        assert!(is_open(&h, at(1, 9, 0)));
        assert!(is_open(&h, at(1, 16, 59)));
        assert!(!is_open(&h, at(1, 17, 0)));
        assert!(!is_open(&h, at(2, 10, 0)));
        assert!(!is_open(&h, at(7, 10, 0)));
    }

    #[test]
    fn open_over_midnight() {
        let h = [hours(5, "22:00", "02:00")];
        assert!(!is_open(&h, at(5, 21, 59)));
        assert!(is_open(&h, at(5, 23, 0)));
        assert!(is_open(&h, at(6, 0, 0)));
        assert!(is_open(&h, at(6, 1, 59)));
        assert!(!is_open(&h, at(6, 2, 0)));
        // Not the Friday morning before.
        assert!(!is_open(&h, at(5, 1, 0)));
    }

    #[test]
    fn sunday_night_wraps_to_monday() {
        let h = [hours(7, "20:00", "04:00")];
        assert!(is_open(&h, at(7, 21, 0)));
        assert!(is_open(&h, at(1, 0, 0)));
        assert!(is_open(&h, at(1, 3, 59)));
        assert!(!is_open(&h, at(1, 4, 0)));
        assert!(!is_open(&h, at(7, 3, 0)));
        assert!(!is_open(&h, at(6, 3, 0)));
    }

    #[test]
    fn midnight_closing_and_whole_days() {
        let h = [hours(2, "18:00", "24:00")];
        assert!(is_open(&h, at(2, 23, 59)));
        assert!(!is_open(&h, at(3, 0, 0)));
        assert!(!is_open(&h, at(2, 17, 59)));

        let all_day = [hours(3, "00:00", "24:00")];
        assert!(is_open(&all_day, at(3, 0, 0)));
        assert!(is_open(&all_day, at(3, 23, 59)));
        assert!(!is_open(&all_day, at(4, 0, 0)));
        assert!(!is_open(&all_day, at(2, 23, 59)));

        // Closing equal to opening: 24 hours, into the next day.
        let day_and_night = [hours(4, "10:00", "10:00")];
        assert!(is_open(&day_and_night, at(4, 10, 0)));
        assert!(is_open(&day_and_night, at(5, 9, 59)));
        assert!(!is_open(&day_and_night, at(5, 10, 0)));
        assert!(!is_open(&day_and_night, at(4, 9, 59)));
        // Sunday midnight to midnight ends exactly at Monday 00:00.
        let sunday = [hours(7, "00:00", "00:00")];
        assert!(is_open(&sunday, at(7, 12, 0)));
        assert!(!is_open(&sunday, at(1, 0, 0)));
    }

    #[test]
    fn several_periods() {
        let h = [hours(1, "09:00", "12:00"), hours(1, "14:00", "18:00")];
        assert!(is_open(&h, at(1, 11, 0)));
        assert!(!is_open(&h, at(1, 13, 0)));
        assert!(is_open(&h, at(1, 15, 0)));
    }

    #[test]
    fn garbage_is_ignored() {
        let valid = hours(1, "09:00", "17:00");
        let garbage = [
            hours(0, "09:00", "17:00"),
            hours(8, "00:00", "24:00"),
            hours(255, "00:00", "24:00"),
            hours(2, "9am", "5pm"),
            hours(2, "", ""),
            hours(2, "9:00", "17:00"),
            hours(2, "09:00", "25:00"),
            hours(2, "09:60", "17:00"),
            hours(2, "24:00", "10:00"),
            hours(2, "09:00", "24:01"),
            hours(2, "-1:00", "17:00"),
            hours(2, "+9:00", "17:00"),
            hours(2, "09:00:00", "17:00"),
            hours(2, "１２:００", "17:00"),
            hours(2, ":", "17:00"),
            hours(2, "é9:00", "17:00"),
        ];
        for g in &garbage {
            for day in 1..=7 {
                for hour in [0, 9, 10, 16, 23] {
                    assert!(!is_open(std::slice::from_ref(g), at(day, hour, 0)), "{g:?}");
                }
            }
        }
        let mut mixed = garbage.to_vec();
        mixed.push(valid);
        assert!(is_open(&mixed, at(1, 10, 0)));
        assert!(!is_open(&mixed, at(2, 10, 0)));
    }

    #[test]
    fn no_hours_or_bad_time_is_never_open() {
        assert!(!is_open(&[], at(1, 10, 0)));
        let h = [hours(1, "00:00", "24:00")];
        assert!(!is_open(&h, at(0, 10, 0)));
        assert!(!is_open(&h, at(8, 10, 0)));
        assert!(!is_open(
            &h,
            LocalTime {
                weekday: 1,
                minute_of_day: 1440
            }
        ));
        assert!(!is_open(
            &h,
            LocalTime {
                weekday: 1,
                minute_of_day: u16::MAX
            }
        ));
    }

    // ---- resource filter ----

    fn place(name: &str, address: &str, lat: f64, lon: f64) -> Place {
        Place {
            name: name.into(),
            address: address.into(),
            lat,
            lon,
            accessibility: None,
        }
    }

    fn resource(n: u128, name: &str, category: ResourceCategory) -> Resource {
        Resource {
            translations: Default::default(),
            id: Uuid::from_u128(n),
            version: 1,
            name: name.into(),
            category,
            description: String::new(),
            organisation: "Example Network".into(),
            phones: vec![Phone {
                number: "+1 555 0100".into(),
                label: None,
            }],
            website: Some("https://example.org".into()),
            place: None,
            service_area: None,
            opening_hours: vec![],
            languages: vec!["en".into()],
            eligibility: None,
            cost: Some("Free".into()),
            last_verified: NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date"),
        }
    }

    /// Five resources; by folded name the order is 4, 1, 0, 2, 3.
    fn sample() -> Vec<Resource> {
        let mut legal = resource(1, "Example Legal Aid Clinic", ResourceCategory::LegalAid);
        legal.description = "Free immigration consultations.".into();
        legal.place = Some(place("Example Hall", "100 Example Ave", 44.98, -93.27));
        legal.languages = vec!["en".into(), "es".into(), "so".into()];
        legal.opening_hours = (1..=5).map(|d| hours(d, "09:00", "17:00")).collect();

        let mut pantry = resource(2, "Centro José Martí", ResourceCategory::Food);
        pantry.organisation = "Example Community Center".into();
        pantry.description = "Despensa de alimentos los sábados.".into();
        pantry.place = Some(place("Centro", "200 Sample St", 45.10, -93.40));
        pantry.languages = vec!["es".into()];
        pantry.opening_hours = vec![hours(6, "10:00", "14:00")];

        let mut rides = resource(3, "Example Safe Rides", ResourceCategory::Rides);
        rides.description = "Rides to appointments and hearings.".into();
        rides.service_area = Some("North side, by appointment".into());
        rides.languages = vec!["en".into(), "so".into()];

        let mut hotline = resource(4, "Ka'ah Example Hotline", ResourceCategory::Hotline);
        hotline.service_area = Some("Statewide".into());
        hotline.languages = vec!["so".into(), "en".into()];
        hotline.opening_hours = vec![hours(7, "20:00", "04:00")];

        let mut union = resource(
            5,
            "Ábaco Example Tenant Union",
            ResourceCategory::TenantUnion,
        );
        union.place = Some(place("Ábaco office", "300 Sample Rd", 44.96, -93.26));
        union.languages = vec!["es".into()];
        union.eligibility = Some("Renters in Example County".into());

        vec![legal, pantry, rides, hotline, union]
    }

    const MONDAY_10: LocalTime = LocalTime {
        weekday: 1,
        minute_of_day: 600,
    };

    fn run(resources: &[Resource], filter: &ResourceFilter) -> Vec<usize> {
        ResourceIndex::new(resources).filter(resources, filter, MONDAY_10, None)
    }

    fn query(q: &str) -> ResourceFilter {
        ResourceFilter {
            query: q.into(),
            ..ResourceFilter::default()
        }
    }

    #[test]
    fn refining_an_earlier_result_equals_filtering_from_scratch() {
        let resources = sample();
        let index = ResourceIndex::new(&resources);
        let near = Some(LatLon {
            lat: 45.0,
            lon: -93.3,
        });
        let typed = [
            "",
            "e",
            "ex",
            "exa",
            "exam",
            "example",
            "example ",
            "example a",
            "example ab",
        ];
        for near in [None, near] {
            let mut earlier = query("");
            let mut shown = index.filter(&resources, &earlier, MONDAY_10, from(near).as_deref());
            for q in typed {
                let next = query(q);
                assert!(next.refines(&earlier), "{q:?} refines {:?}", earlier.query);
                shown = index.refine(&shown, &resources, &next, MONDAY_10);
                assert_eq!(
                    shown,
                    index.filter(&resources, &next, MONDAY_10, from(near).as_deref()),
                    "{q:?}"
                );
                earlier = next;
            }
        }
    }

    #[test]
    fn the_index_lists_each_language_once() {
        let resources = sample();
        assert_eq!(
            ResourceIndex::new(&resources).languages(),
            ["en", "es", "so"]
        );
        assert!(ResourceIndex::new(&[]).languages().is_empty());
    }

    #[test]
    fn only_narrower_filters_refine() {
        let base = query("legal");
        assert!(query("legal aid").refines(&base));
        assert!(query("Légal-").refines(&base), "folding first");
        assert!(!query("lega").refines(&base), "deleting a letter widens");
        assert!(!query("aid legal").refines(&base));
        let food = ResourceFilter {
            category: Some(ResourceCategory::Food),
            ..query("legal aid")
        };
        assert!(!food.refines(&base), "another category is not a refinement");
        let open = ResourceFilter {
            open_now: true,
            ..query("legal")
        };
        assert!(!open.refines(&base));
    }

    #[test]
    fn empty_filter_keeps_all_by_folded_name() {
        let resources = sample();
        let index = ResourceIndex::new(&resources);
        assert_eq!(index.len(), 5);
        assert!(!index.is_empty());
        assert_eq!(run(&resources, &ResourceFilter::default()), [4, 1, 0, 2, 3]);
        assert_eq!(run(&resources, &query("  ¿? ")), [4, 1, 0, 2, 3]);
    }

    #[test]
    fn query_is_accent_and_case_insensitive() {
        let resources = sample();
        for q in ["jose", "José", "JOSE", "Jose\u{301}", "marti"] {
            assert_eq!(run(&resources, &query(q)), [1], "{q}");
        }
        for q in ["kaah", "Ka'ah", "ka’ah", "KAʼAH"] {
            assert_eq!(run(&resources, &query(q)), [3], "{q}");
        }
        assert_eq!(run(&resources, &query("abaco")), [4]);
        assert_eq!(run(&resources, &query("sabados")), [1]);
    }

    #[test]
    fn every_query_term_must_match() {
        let resources = sample();
        assert_eq!(run(&resources, &query("legal aid")), [0]);
        assert_eq!(run(&resources, &query("aid legal")), [0]);
        assert_eq!(run(&resources, &query("Legal, Aid!")), [0]);
        assert_eq!(run(&resources, &query("example clinic")), [0]);
        assert_eq!(run(&resources, &query("legal xyz")), Vec::<usize>::new());
        // Substrings of words match.
        assert_eq!(run(&resources, &query("immig")), [0]);
        assert_eq!(run(&resources, &query("example")), [4, 1, 0, 2, 3]);
    }

    #[test]
    fn query_searches_every_field() {
        let resources = sample();
        // Organisation, description, category label, service area, place name and address,
        // eligibility.
        assert_eq!(run(&resources, &query("community center")), [1]);
        assert_eq!(run(&resources, &query("hearings")), [2]);
        assert_eq!(run(&resources, &query("food")), [1]);
        assert_eq!(run(&resources, &query("north side")), [2]);
        assert_eq!(run(&resources, &query("statewide")), [3]);
        assert_eq!(run(&resources, &query("example hall")), [0]);
        assert_eq!(run(&resources, &query("100 example ave")), [0]);
        assert_eq!(run(&resources, &query("sample")), [4, 1]);
        assert_eq!(run(&resources, &query("renters county")), [4]);
        // Not searched: phone numbers, website, cost.
        assert_eq!(run(&resources, &query("555")), Vec::<usize>::new());
        assert_eq!(run(&resources, &query("free")), [0]);
    }

    #[test]
    fn category_words_find_a_category_in_any_language() {
        let resources = sample();
        let index = ResourceIndex::new(&resources).with_category_words(|c| match c {
            ResourceCategory::Food => "Comida, cunto, zaub mov".into(),
            ResourceCategory::LegalAid => "Asesoría legal, abogado, sharci".into(),
            _ => String::new(),
        });
        let found = |q: &str| index.filter(&resources, &query(q), MONDAY_10, None);
        assert_eq!(found("comida"), [1]);
        assert_eq!(found("CUNTO"), [1]);
        assert_eq!(found("zaub mov"), [1]);
        assert_eq!(found("asesoria"), [0], "accents fold in the words too");
        assert_eq!(
            found("abogado consultations"),
            [0],
            "a word and the text together"
        );
        assert!(found("abogado comida").is_empty(), "every word must match");
        assert_eq!(found("legal aid"), [0], "the English label stays");

        let plain = ResourceIndex::new(&resources);
        assert!(
            plain
                .filter(&resources, &query("comida"), MONDAY_10, None)
                .is_empty()
        );
        assert_eq!(
            plain.filter(&resources, &query("food"), MONDAY_10, None),
            [1]
        );
    }

    #[test]
    fn translated_text_is_searched() {
        let mut resources = sample();
        resources[0].translations = crate::model::Translations::from([(
            "so".into(),
            std::collections::BTreeMap::from([(
                "description".into(),
                "La-talin sharci oo bilaash ah".into(),
            )]),
        )]);
        assert_eq!(run(&resources, &query("la-talin")), [0]);
        assert!(run(&sample(), &query("la-talin")).is_empty());
    }

    #[test]
    fn filters_by_category() {
        let resources = sample();
        let only = |category| ResourceFilter {
            category: Some(category),
            ..ResourceFilter::default()
        };
        assert_eq!(run(&resources, &only(ResourceCategory::Food)), [1]);
        assert_eq!(run(&resources, &only(ResourceCategory::Hotline)), [3]);
        assert_eq!(
            run(&resources, &only(ResourceCategory::BailFund)),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn filters_by_language() {
        let resources = sample();
        let speaks = |code: &str| ResourceFilter {
            language: Some(code.into()),
            ..ResourceFilter::default()
        };
        assert_eq!(run(&resources, &speaks("so")), [0, 2, 3]);
        assert_eq!(run(&resources, &speaks("SO")), [0, 2, 3]);
        assert_eq!(run(&resources, &speaks("es")), [4, 1, 0]);
        // Exact codes: no prefix matching.
        assert_eq!(run(&resources, &speaks("s")), Vec::<usize>::new());
        assert_eq!(run(&resources, &speaks("hmn")), Vec::<usize>::new());
        // Blank means any.
        assert_eq!(run(&resources, &speaks("")), [4, 1, 0, 2, 3]);
    }

    #[test]
    fn filters_open_now() {
        let resources = sample();
        let index = ResourceIndex::new(&resources);
        let open = ResourceFilter {
            open_now: true,
            ..ResourceFilter::default()
        };
        let at_time = |now| index.filter(&resources, &open, now, None);
        assert_eq!(at_time(at(1, 10, 0)), [0]);
        assert_eq!(at_time(at(1, 3, 0)), [3]);
        assert_eq!(at_time(at(7, 22, 0)), [3]);
        assert_eq!(at_time(at(6, 11, 0)), [1]);
        assert_eq!(at_time(at(6, 20, 0)), Vec::<usize>::new());
        // Without open_now, the time does not matter.
        assert_eq!(
            index.filter(&resources, &ResourceFilter::default(), at(6, 20, 0), None),
            [4, 1, 0, 2, 3]
        );
    }

    #[test]
    fn combines_criteria() {
        let resources = sample();
        let f = ResourceFilter {
            query: "example".into(),
            category: None,
            language: Some("so".into()),
            open_now: true,
        };
        assert_eq!(run(&resources, &f), [0]);
        let f = ResourceFilter {
            category: Some(ResourceCategory::LegalAid),
            language: Some("es".into()),
            ..ResourceFilter::default()
        };
        assert_eq!(run(&resources, &f), [0]);
        let f = ResourceFilter {
            category: Some(ResourceCategory::Food),
            language: Some("so".into()),
            ..ResourceFilter::default()
        };
        assert_eq!(run(&resources, &f), Vec::<usize>::new());
        let f = ResourceFilter {
            query: "centro".into(),
            category: Some(ResourceCategory::Food),
            language: Some("es".into()),
            open_now: false,
        };
        assert_eq!(run(&resources, &f), [1]);
    }

    #[test]
    fn nearest_first_area_only_last() {
        let resources = sample();
        let index = ResourceIndex::new(&resources);
        let all = ResourceFilter::default();
        let near_union = LatLon {
            lat: 44.9601,
            lon: -93.2601,
        };
        assert_eq!(
            index.filter(
                &resources,
                &all,
                MONDAY_10,
                from(Some(near_union)).as_deref()
            ),
            [4, 0, 1, 2, 3]
        );
        let near_pantry = LatLon {
            lat: 45.10,
            lon: -93.40,
        };
        assert_eq!(
            index.filter(
                &resources,
                &all,
                MONDAY_10,
                from(Some(near_pantry)).as_deref()
            ),
            [1, 0, 4, 2, 3]
        );
        // Filters still apply.
        let somali = ResourceFilter {
            language: Some("so".into()),
            ..ResourceFilter::default()
        };
        assert_eq!(
            index.filter(
                &resources,
                &somali,
                MONDAY_10,
                from(Some(near_union)).as_deref()
            ),
            [0, 2, 3]
        );
    }

    #[test]
    fn equal_distances_and_bad_positions() {
        let mut resources = vec![
            resource(1, "Zeta Example", ResourceCategory::Food),
            resource(2, "Alpha Example", ResourceCategory::Food),
            resource(3, "Broken Example", ResourceCategory::Food),
            resource(4, "Area Example", ResourceCategory::Food),
            resource(5, "Far Example", ResourceCategory::Food),
        ];
        resources[0].place = Some(place("Same", "1 Example St", 10.0, 10.0));
        resources[1].place = Some(place("Same", "1 Example St", 10.0, 10.0));
        resources[2].place = Some(place("Nowhere", "?", f64::NAN, 10.0));
        resources[4].place = Some(place("Far", "2 Example St", -10.0, -10.0));
        let index = ResourceIndex::new(&resources);
        let origin = LatLon {
            lat: 10.001,
            lon: 10.0,
        };
        assert_eq!(
            index.filter(
                &resources,
                &ResourceFilter::default(),
                MONDAY_10,
                from(Some(origin)).as_deref()
            ),
            [1, 0, 4, 3, 2]
        );
        // An unusable origin puts everything in name order.
        let nan = LatLon {
            lat: f64::NAN,
            lon: 0.0,
        };
        assert_eq!(
            index.filter(
                &resources,
                &ResourceFilter::default(),
                MONDAY_10,
                from(Some(nan)).as_deref()
            ),
            [1, 3, 2, 4, 0]
        );
    }

    #[test]
    fn empty_and_mismatched_slices_do_not_panic() {
        let index = ResourceIndex::new(&[]);
        assert!(index.is_empty());
        assert_eq!(index.len(), 0);
        assert!(
            index
                .filter(&[], &ResourceFilter::default(), MONDAY_10, None)
                .is_empty()
        );
        let resources = sample();
        let index = ResourceIndex::new(&resources);
        let fewer = &resources[..2];
        assert_eq!(
            index.filter(fewer, &ResourceFilter::default(), MONDAY_10, None),
            [1, 0]
        );
        assert_eq!(ResourceIndex::default().len(), 0);
    }

    #[test]
    fn many_resources() {
        let categories = ResourceCategory::ALL;
        let resources: Vec<Resource> = (0..10_000u32)
            .map(|n| {
                let category = categories[n as usize % categories.len()];
                let mut r = resource(
                    u128::from(n),
                    &format!("Example {} nº{n}", n % 97),
                    category,
                );
                if n % 3 != 0 {
                    let offset = f64::from(n % 1000) / 1000.0;
                    r.place = Some(place("Example", "Example Ave", 44.0 + offset, -93.0));
                }
                r
            })
            .collect();
        let index = ResourceIndex::new(&resources);
        let filter = ResourceFilter {
            query: "example 42".into(),
            category: Some(ResourceCategory::Food),
            ..ResourceFilter::default()
        };
        let origin = LatLon {
            lat: 44.0,
            lon: -93.0,
        };
        let hits = index.filter(
            &resources,
            &filter,
            MONDAY_10,
            from(Some(origin)).as_deref(),
        );
        assert!(!hits.is_empty());
        let distance = |i: usize| {
            resources[i].place.as_ref().map(|p| {
                distance_m(
                    origin,
                    LatLon {
                        lat: p.lat,
                        lon: p.lon,
                    },
                )
            })
        };
        let mut seen_unplaced = false;
        let mut last = 0.0;
        for &i in &hits {
            assert_eq!(resources[i].category, ResourceCategory::Food);
            assert!(fold(&resources[i].name).contains("42"));
            match distance(i) {
                Some(d) => {
                    assert!(!seen_unplaced && d >= last);
                    last = d;
                }
                None => seen_unplaced = true,
            }
        }
        let expected = resources
            .iter()
            .filter(|r| r.category == ResourceCategory::Food && r.name.contains("42"))
            .count();
        assert_eq!(hits.len(), expected);
    }

    // ---- events by day ----

    fn event(title: &str, starts_at: DateTime<Utc>, zone: &str) -> Event {
        Event {
            translations: Default::default(),
            id: Uuid::nil(),
            version: 1,
            title: title.into(),
            description: String::new(),
            kind: EventKind::Vigil,
            starts_at,
            ends_at: None,
            time_zone: zone.into(),
            place: None,
            organiser: "Example Network".into(),
            languages: vec!["en".into()],
            links: vec![],
            status: EventStatus::Scheduled,
        }
    }

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0)
            .single()
            .expect("valid time")
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("valid date")
    }

    fn titles<'a>(groups: &[(NaiveDate, Vec<&'a Event>)]) -> Vec<(NaiveDate, Vec<&'a str>)> {
        groups
            .iter()
            .map(|(d, es)| (*d, es.iter().map(|e| e.title.as_str()).collect()))
            .collect()
    }

    #[test]
    fn groups_by_local_date_not_utc_date() {
        // 05:30 UTC on the 28th is 23:30 on the 27th in Chicago (UTC-6 in November).
        let late = event("late vigil", utc(28, 5, 30), "America/Chicago");
        let morning = event("morning", utc(28, 15, 0), "America/Chicago");
        let evening = event("evening", utc(29, 1, 0), "America/Chicago");
        let groups = by_day(&[&late, &morning, &evening], local_date);
        assert_eq!(
            titles(&groups),
            [
                (day(27), vec!["late vigil"]),
                (day(28), vec!["morning", "evening"]),
            ]
        );
        assert!(std::ptr::eq(groups[0].1[0], &late));
    }

    #[test]
    fn unknown_zone_falls_back_to_utc() {
        let a = event("a", utc(28, 5, 30), "Mars/Olympus_Mons");
        let b = event("b", utc(28, 5, 30), "");
        assert_eq!(
            titles(&by_day(&[&a, &b], local_date)),
            [(day(28), vec!["a", "b"])]
        );
    }

    #[test]
    fn mixed_zones_merge_by_date() {
        // Auckland is UTC+13 in November: 20:00 UTC on the 27th is 09:00 on the 28th there.
        let auckland = event("auckland", utc(27, 20, 0), "Pacific/Auckland");
        let chicago = event("chicago", utc(28, 5, 30), "America/Chicago");
        let later = event("later", utc(28, 15, 0), "America/Chicago");
        let groups = by_day(&[&auckland, &chicago, &later], local_date);
        assert_eq!(
            titles(&groups),
            [
                (day(27), vec!["chicago"]),
                (day(28), vec!["auckland", "later"]),
            ]
        );
        assert!(by_day(&[], local_date).is_empty());
    }

    // ---- properties ----

    #[test]
    fn fold_idempotent_on_every_char() {
        let mut s = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            s.clear();
            s.extend(['a', c, 'b']);
            let once = fold(&s);
            assert_eq!(fold(&once), once, "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn fold_never_panics_and_is_idempotent(s in any::<String>()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn fold_idempotent_on_latin_text(
            s in "[a-zA-Z0-9 ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿĀ-ſƠơƯưǍ-ǜȘșȚțẞẠ-ỹ'’ʼ\u{300}-\u{36F}.,;:!?¿¡\t\n-]{0,40}"
        ) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            // Every Latin letter folds to ASCII.
            prop_assert!(once.is_ascii(), "{:?} -> {:?}", s, once);
        }
    }
}
