//! Dates, times, numbers and language names in the interface language, by the browser's Intl
//! data where it has the language. Where it does not (Hmong everywhere, Somali in many builds of
//! Chromium), dates and times come from the app's own small table instead: the `month-*` and
//! `date-*` messages of `locales/*.ftl`, with the weekday names of the hours table. An unknown
//! time zone falls back to UTC instead of throwing.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use wasm_bindgen::{JsCast, JsValue};

use vecinos_core::geo::{self, LatLon};
use vecinos_core::places::{self, Direction, Neighbourhood, Whereabouts};
use vecinos_core::text;

use crate::api::Config;
use crate::i18n::{self, Lang, T, t};
use crate::prefs::{self, Key};

fn options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

thread_local! {
    /// Intl formatters by kind, locale and options. Making one costs far more than using it, and
    /// a list of 20 event cards asks for about 80: each is made once per page load.
    static INTL: RefCell<HashMap<String, Option<JsValue>>> = RefCell::default();
}

/// `new Intl[kind]([locale], options)`, made once; `None` where Intl refuses the options (an
/// unknown time zone) or lacks `kind`.
fn intl(kind: &str, locale: &str, pairs: &[(&str, &str)]) -> Option<JsValue> {
    let mut key = format!("{kind}|{locale}");
    for (name, value) in pairs {
        key.push('|');
        key.push_str(name);
        key.push('=');
        key.push_str(value);
    }
    if let Some(made) = INTL.with_borrow(|cache| cache.get(&key).cloned()) {
        return made;
    }
    let make = || {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let class = js_sys::Reflect::get(&intl, &kind.into()).ok()?;
        let class: &js_sys::Function = class.dyn_ref()?;
        let args = js_sys::Array::of2(&js_sys::Array::of1(&locale.into()), &options(pairs));
        js_sys::Reflect::construct(class, &args).ok()
    };
    let made = make();
    INTL.with_borrow_mut(|cache| cache.insert(key, made.clone()));
    made
}

/// `formatter[method](value)` for the Intl formatter `kind` with `locale` and `pairs`.
fn intl_call(
    kind: &str,
    locale: &str,
    pairs: &[(&str, &str)],
    method: &str,
    value: &JsValue,
) -> Option<String> {
    let formatter = intl(kind, locale, pairs)?;
    let function = js_sys::Reflect::get(&formatter, &method.into()).ok()?;
    let function: &js_sys::Function = function.dyn_ref()?;
    function.call1(&formatter, value).ok()?.as_string()
}

/// Whether the browser's Intl formats dates in `lang`; asked once per language.
fn intl_speaks(lang: Lang) -> bool {
    thread_local! {
        static SPEAKS: RefCell<HashMap<&'static str, bool>> = RefCell::default();
    }
    let code = lang.code();
    if let Some(known) = SPEAKS.with_borrow(|s| s.get(code).copied()) {
        return known;
    }
    let ask = || {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let class = js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).ok()?;
        let supported = js_sys::Reflect::get(&class, &"supportedLocalesOf".into()).ok()?;
        let found = supported
            .dyn_ref::<js_sys::Function>()?
            .call1(&class, &js_sys::Array::of1(&code.into()))
            .ok()?;
        Some(js_sys::Array::from(&found).length() > 0)
    };
    let speaks = ask().unwrap_or(false);
    SPEAKS.with_borrow_mut(|s| s.insert(code, speaks));
    speaks
}

/// The interface language when dates come from the app's table rather than Intl.
fn table_lang() -> Option<Lang> {
    let lang = i18n::lang();
    (!intl_speaks(lang)).then_some(lang)
}

/// The app's table: "Sabti, Nofembar 28" (`date-day`), "Nofembar 28, 2026" (`date-full`).
fn table_date(lang: Lang, key: T, day: NaiveDate) -> String {
    text::fill(
        key.text(lang),
        &[
            (
                "weekday",
                i18n::weekday(day.weekday().number_from_monday() as u8).text(lang),
            ),
            ("month", month(day.month()).text(lang)),
            ("day", &day.day().to_string()),
            ("year", &day.year().to_string()),
        ],
    )
}

/// The app's table: "5:00 GD" (`date-clock`), on the 12-hour clock.
fn table_clock(lang: Lang, wall: NaiveDateTime) -> String {
    let (pm, hour) = wall.hour12();
    text::fill(
        T::DateClock.text(lang),
        &[
            ("hour", &hour.to_string()),
            ("minute", &format!("{:02}", wall.minute())),
            ("ampm", if pm { T::DatePm } else { T::DateAm }.text(lang)),
        ],
    )
}

/// The short name of `zone` at `at` ("CST", "GMT+3"), as English Intl writes it.
fn zone_name(at: DateTime<Utc>, zone: &str) -> String {
    let date: JsValue = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64)).into();
    let named = |zone: &str| {
        intl_call(
            "DateTimeFormat",
            "en-US",
            &[("timeZoneName", "short"), ("timeZone", zone)],
            "format",
            &date,
        )
    };
    let text = named(zone).or_else(|| named("UTC")).unwrap_or_default();
    text.rsplit(' ').next().unwrap_or_default().to_owned()
}

fn month(n: u32) -> T {
    [
        T::Month1,
        T::Month2,
        T::Month3,
        T::Month4,
        T::Month5,
        T::Month6,
        T::Month7,
        T::Month8,
        T::Month9,
        T::Month10,
        T::Month11,
        T::Month12,
    ][(n.clamp(1, 12) - 1) as usize]
}

/// "Sabti, Nofembar 28, 5:00 GD CST" by the app's table.
fn table_when(lang: Lang, at: DateTime<Utc>, zone: &str) -> Option<String> {
    let wall = wall(at, zone)?;
    let time = format!("{} {}", table_clock(lang, wall), zone_name(at, zone));
    Some(text::fill(
        &table_date(lang, T::DateWhen, wall.date()),
        &[("time", &time)],
    ))
}

fn date_in_zone(at: DateTime<Utc>, zone: &str, pairs: &[(&str, &str)]) -> String {
    let date: JsValue = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64)).into();
    // An empty zone is the phone's own.
    let with_zone = |zone: &str| {
        let mut all = pairs.to_vec();
        if !zone.is_empty() {
            all.push(("timeZone", zone));
        }
        intl_call("DateTimeFormat", i18n::lang().code(), &all, "format", &date)
    };
    with_zone(zone)
        .or_else(|| with_zone("UTC"))
        .unwrap_or_default()
}

/// "Sat, Nov 28, 5:00 PM CST" in the event's own time zone.
pub fn when(at: DateTime<Utc>, zone: &str) -> String {
    if let Some(text) = table_lang().and_then(|lang| table_when(lang, at, zone)) {
        return text;
    }
    date_in_zone(
        at,
        zone,
        &[
            ("weekday", "short"),
            ("month", "short"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
        ],
    )
}

/// "5:00 PM CST" in the event's own time zone.
pub fn time(at: DateTime<Utc>, zone: &str) -> String {
    if let Some((lang, wall)) = table_lang().zip(wall(at, zone)) {
        return format!("{} {}", table_clock(lang, wall), zone_name(at, zone));
    }
    date_in_zone(
        at,
        zone,
        &[
            ("hour", "numeric"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
        ],
    )
}

/// The calendar date of `at` in `zone` (UTC for a zone the browser does not know).
pub fn day_in_zone(at: DateTime<Utc>, zone: &str) -> NaiveDate {
    let date: JsValue = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64)).into();
    let iso = |zone: &str| {
        // Canadian English writes dates as YYYY-MM-DD.
        let text = intl_call(
            "DateTimeFormat",
            "en-CA",
            &[("timeZone", zone)],
            "format",
            &date,
        )?;
        let mut parts = text.split('-').map(|p| p.parse::<u32>().ok());
        let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
        NaiveDate::from_ymd_opt(year as i32, month, day)
    };
    iso(zone).unwrap_or_else(|| at.date_naive())
}

/// The phone's own time zone ("America/Chicago"), where the browser knows it.
pub fn time_zone() -> String {
    intl("DateTimeFormat", "en", &[])
        .and_then(|f| {
            let resolved = js_sys::Reflect::get(&f, &"resolvedOptions".into()).ok()?;
            let options = resolved.dyn_ref::<js_sys::Function>()?.call0(&f).ok()?;
            js_sys::Reflect::get(&options, &"timeZone".into())
                .ok()?
                .as_string()
        })
        .unwrap_or_else(|| "UTC".to_owned())
}

/// The wall-clock time of `at` in `zone` (UTC for a zone the browser does not know).
fn wall(at: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
    let date: JsValue = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64)).into();
    let pairs = [
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ];
    let text = |zone: &str| {
        let mut all = pairs.to_vec();
        all.push(("timeZone", zone));
        intl_call("DateTimeFormat", "en-CA", &all, "format", &date)
    };
    let text = text(zone).or_else(|| text("UTC"))?;
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect();
    let [year, month, day, hour, minute] = numbers[..] else {
        return None;
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)?.and_hms_opt(hour, minute, 0)
}

/// `at` in `zone` as a `datetime-local` input shows it: "2026-12-10T18:00".
pub fn wall_clock(at: DateTime<Utc>, zone: &str) -> String {
    wall(at, zone)
        .map(|w| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}",
                w.year(),
                w.month(),
                w.day(),
                w.hour(),
                w.minute()
            )
        })
        .unwrap_or_default()
}

/// The instant a `datetime-local` value ("2026-12-10T18:00") names in `zone`: the zone's offset
/// is found at a first guess and checked once more (it may differ across a change of clocks).
pub fn instant(text: &str, zone: &str) -> Option<DateTime<Utc>> {
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(|p| p.parse::<u32>().ok());
    let mut time = time.split(':').map(|p| p.parse::<u32>().ok());
    let local = NaiveDate::from_ymd_opt(date.next()?? as i32, date.next()??, date.next()??)?
        .and_hms_opt(time.next()??, time.next()??, 0)?;
    let offset = |at: DateTime<Utc>| Some(wall(at, zone)? - at.naive_utc());
    let guess = local.and_utc() - offset(local.and_utc())?;
    Some(local.and_utc() - offset(guess)?)
}

/// "Saturday, November 28" for a calendar date, or Today / Tomorrow.
pub fn day_heading(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        return t(T::Today).to_owned();
    }
    if today.succ_opt() == Some(day) {
        return t(T::Tomorrow).to_owned();
    }
    if let Some(lang) = table_lang() {
        return table_date(lang, T::DateDay, day);
    }
    calendar_date(
        day,
        &[("weekday", "long"), ("month", "long"), ("day", "numeric")],
    )
}

/// "November 28, 2026".
pub fn date(day: NaiveDate) -> String {
    if let Some(lang) = table_lang() {
        return table_date(lang, T::DateFull, day);
    }
    calendar_date(
        day,
        &[("year", "numeric"), ("month", "long"), ("day", "numeric")],
    )
}

fn calendar_date(day: NaiveDate, pairs: &[(&str, &str)]) -> String {
    let noon = day
        .and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_default();
    date_in_zone(noon, "UTC", pairs)
}

/// The phone's own calendar date.
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// The phone's weekday (1 is Monday) and minute of the day.
pub fn local_weekday_minute() -> (u8, u16) {
    let now = js_sys::Date::new_0();
    let weekday = today().weekday().number_from_monday() as u8;
    (weekday, (now.get_hours() * 60 + now.get_minutes()) as u16)
}

pub fn number(n: usize) -> String {
    let value = JsValue::from_f64(n as f64);
    intl_call("NumberFormat", i18n::lang().code(), &[], "format", &value)
        .unwrap_or_else(|| n.to_string())
}

/// "1.2 km away".
pub fn distance(meters: f64) -> String {
    let km = JsValue::from_f64((meters / 100.0).round() / 10.0);
    let lang = i18n::lang().code();
    let shown = intl_call(
        "NumberFormat",
        lang,
        &[("maximumFractionDigits", "1")],
        "format",
        &km,
    )
    .unwrap_or_else(|| {
        // Whole numbers only: float formatting would add kilobytes to the WASM.
        let tenths = (meters / 100.0).round() as u64;
        format!("{}.{}", tenths / 10, tenths % 10)
    });
    T::Distance.fill(&[("d", &shown)])
}

/// "Updated 3 min ago".
pub fn updated_ago(elapsed_ms: f64) -> String {
    ago(
        elapsed_ms,
        [
            T::UpdatedNow,
            T::UpdatedMinutes,
            T::UpdatedHours,
            T::UpdatedDays,
        ],
    )
}

/// How long ago, with the texts for just now, `{n}` minutes, hours and days.
pub fn ago(elapsed_ms: f64, [now, minutes_key, hours_key, days_key]: [T; 4]) -> String {
    let minutes = (elapsed_ms / 60_000.0).floor().max(0.0) as u64;
    let (key, n) = match minutes {
        0 => return t(now).to_owned(),
        1..=59 => (minutes_key, minutes),
        60..=2879 => (hours_key, minutes / 60),
        _ => (days_key, minutes / 1440),
    };
    key.fill(&[("n", &n.to_string())])
}

/// A language's name in the interface language ("es" is "Spanish" in English, "español" in
/// Spanish, "lus Mev" in Hmong): from the app's own table (CLDR, compiled at build time) for the
/// languages listings usually use, else the browser's Intl; the app's own languages fall back to
/// their own names, others to the code.
pub fn language_name(code: &str) -> String {
    if let Some(name) = i18n::language_name(i18n::lang(), &code.to_ascii_lowercase()) {
        return name.to_owned();
    }
    let from_intl = || {
        intl_call(
            "DisplayNames",
            i18n::lang().code(),
            &[("type", "language"), ("fallback", "none")],
            "of",
            &code.into(),
        )
    };
    from_intl()
        .or_else(|| Lang::from_tag(code).map(|l| l.name().to_owned()))
        .unwrap_or_else(|| code.to_owned())
}

/// Orders two texts as the interface language sorts them (Intl.Collator; the root order of Unicode
/// for a language Intl lacks), or plainly where Intl is missing.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    let compared = intl("Collator", i18n::lang().code(), &[]).and_then(|collator| {
        let compare = js_sys::Reflect::get(&collator, &"compare".into()).ok()?;
        compare
            .dyn_ref::<js_sys::Function>()?
            .call2(&collator, &a.into(), &b.into())
            .ok()?
            .as_f64()
    });
    match compared {
        Some(n) => n.partial_cmp(&0.0).unwrap_or(std::cmp::Ordering::Equal),
        None => a.cmp(b),
    }
}

/// Where an alert or a report is, in words: its cross streets if any, then its area's
/// neighbourhood (or direction from the centre) and size, from the region config kept on the
/// phone, so offline too: "Lake St & 14th Ave · Near Northgate · about 150 m". Never the raw
/// geohash. `None` when there is neither.
pub fn place(cross_streets: Option<&str>, area: Option<&str>) -> Option<String> {
    let config = kept_config();
    let (neighbourhoods, centre) = match &config {
        Some(c) => (
            &c.neighbourhoods[..],
            Some(LatLon {
                lat: c.centre[0],
                lon: c.centre[1],
            }),
        ),
        None => (&[][..], None),
    };
    place_text(cross_streets, area, neighbourhoods, centre)
}

/// [`place`] with the region given: its neighbourhoods and centre (`None` when no config was
/// ever kept: then the area is told by its size only).
pub fn place_text(
    cross_streets: Option<&str>,
    area: Option<&str>,
    neighbourhoods: &[Neighbourhood],
    centre: Option<LatLon>,
) -> Option<String> {
    let streets = cross_streets.map(str::trim).filter(|s| !s.is_empty());
    let area = area.filter(|a| geo::decode(a).is_ok());
    let size = area.map(|a| T::AreaAbout.fill(&[("size", places::cell_size(a.len()))]));
    let near = area.zip(centre).and_then(|(a, c)| {
        Some(match places::whereabouts(a, neighbourhoods, c)? {
            Whereabouts::Near(name, None) => T::PlaceNear.fill(&[("name", name)]),
            Whereabouts::Near(a, Some(b)) => T::PlaceNearTwo.fill(&[("a", a), ("b", b)]),
            Whereabouts::Centre => t(T::PlaceCentre).to_owned(),
            Whereabouts::FromCentre { km, direction } => T::PlaceFromCentre.fill(&[
                ("km", &km.to_string()),
                ("direction", t(compass(direction))),
            ]),
        })
    });
    let size = match (&near, area) {
        (None, Some(a)) => Some(T::PlaceArea.fill(&[("size", places::cell_size(a.len()))])),
        _ => size,
    };
    let parts: Vec<String> = [streets.map(str::to_owned), near, size]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn compass(direction: Direction) -> T {
    match direction {
        Direction::North => T::DirNorth,
        Direction::NorthEast => T::DirNorthEast,
        Direction::East => T::DirEast,
        Direction::SouthEast => T::DirSouthEast,
        Direction::South => T::DirSouth,
        Direction::SouthWest => T::DirSouthWest,
        Direction::West => T::DirWest,
        Direction::NorthWest => T::DirNorthWest,
    }
}

thread_local! {
    /// The kept config as last read, with the text it was read from: read again only when the
    /// text changed, not for every alert shown.
    static KEPT: std::cell::RefCell<Option<(String, std::rc::Rc<Config>)>> =
        const { std::cell::RefCell::new(None) };
}

fn kept_config() -> Option<std::rc::Rc<Config>> {
    let text = prefs::get(Key::Config)?;
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some((read, config)) = kept.as_ref()
            && *read == text
        {
            return Some(config.clone());
        }
        let config = std::rc::Rc::new(Config::read(&text)?);
        *kept = Some((text, config.clone()));
        Some(config)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_never_the_raw_area_alone() {
        let n = |name: &str, cells: &[&str]| Neighbourhood {
            name: name.into(),
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        };
        let list = [
            n("Northgate (example)", &["9zvxv"]),
            n("Riverside (example)", &["9zvxy"]),
        ];
        let centre = Some(LatLon {
            lat: 44.963,
            lon: -93.265,
        });
        let place = |streets, area| place_text(streets, area, &list, centre);
        assert_eq!(
            place(None, Some("9zvxvf2")).as_deref(),
            Some("Near Northgate (example) · about 150 m")
        );
        assert_eq!(
            place(Some(" Lake St & 14th Ave "), Some("9zvxy1")).as_deref(),
            Some("Lake St & 14th Ave · Near Riverside (example) · about 1 km")
        );
        assert_eq!(
            place(None, Some("9zvxs8t")).as_deref(),
            Some("About 6 km south-west of the centre · about 150 m")
        );
        assert_eq!(
            place(Some("Lake St & 14th Ave"), None).as_deref(),
            Some("Lake St & 14th Ave")
        );
        assert_eq!(place(None, None), None);
        assert_eq!(place(Some("  "), Some("not a cell")), None);
        // Without a config kept: the size alone, in words.
        assert_eq!(
            place_text(None, Some("9zvxvf2"), &[], None).as_deref(),
            Some("An area of about 150 m")
        );
        for text in [
            place(None, Some("9zvxvf2")),
            place(None, Some("9zvxs8t")),
            place_text(None, Some("9zvxvf2"), &[], None),
        ] {
            assert!(!text.unwrap_or_default().contains("9zv"));
        }
    }

    #[test]
    fn somali_and_hmong_dates_come_from_the_apps_table() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).expect("a valid date");
        assert_eq!(table_date(Lang::So, T::DateDay, day), "Sabti, Nofembar 28");
        assert_eq!(table_date(Lang::So, T::DateFull, day), "Nofembar 28, 2026");
        assert_eq!(
            table_date(Lang::Hmn, T::DateFull, day),
            "28 Lub Kaum Ib Hlis 2026"
        );
        assert_eq!(
            table_date(Lang::Es, T::DateDay, day),
            "Sábado, 28 de noviembre"
        );
        let evening = day.and_hms_opt(17, 5, 0).expect("a valid time");
        assert_eq!(table_clock(Lang::So, evening), "5:05 GD");
        let midnight = day.and_hms_opt(0, 30, 0).expect("a valid time");
        assert_eq!(table_clock(Lang::En, midnight), "12:30 AM");
    }

    #[test]
    fn relative_update_times_round_down() {
        assert_eq!(updated_ago(59_000.0), "Updated just now");
        assert_eq!(updated_ago(3.5 * 60_000.0), "Updated 3 min ago");
        assert_eq!(updated_ago(125.0 * 60_000.0), "Updated 2 h ago");
        assert_eq!(updated_ago(3.0 * 86_400_000.0), "Updated 3 days ago");
        assert_eq!(
            updated_ago(-5_000.0),
            "Updated just now",
            "a clock set back"
        );
    }
}

/// What needs the browser's Intl runs in Chromium (`cargo test --target wasm32-unknown-unknown`).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser {
    use chrono::TimeZone;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn times_show_in_the_event_zone_and_unknown_zones_fall_back_to_utc() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 23, 0, 0)
            .single()
            .expect("a valid time");
        let chicago = when(at, "America/Chicago");
        assert!(
            chicago.starts_with("Sat, Nov 28, 5:00") && chicago.ends_with("CST"),
            "{chicago}"
        );
        let unknown = when(at, "Mars/Olympus_Mons");
        assert!(
            unknown.starts_with("Sat, Nov 28, 11:00") && unknown.ends_with("UTC"),
            "{unknown}"
        );
    }

    #[wasm_bindgen_test]
    fn day_headings_name_today_and_tomorrow() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date");
        assert_eq!(day_heading(today, today), "Today");
        assert_eq!(
            day_heading(today.succ_opt().expect("a date"), today),
            "Tomorrow"
        );
        let later = NaiveDate::from_ymd_opt(2026, 12, 3).expect("a valid date");
        assert_eq!(day_heading(later, today), "Thursday, December 3");
        let late = Utc
            .with_ymd_and_hms(2026, 11, 29, 5, 30, 0)
            .single()
            .expect("a valid time");
        assert_eq!(
            day_in_zone(late, "America/Chicago"),
            today.succ_opt().expect("a date")
        );
        assert_eq!(day_in_zone(late, "Mars/Base"), late.date_naive());
        assert_eq!(language_name("so"), "Somali");
        assert_eq!(collate("Ñandú", "Zorro"), std::cmp::Ordering::Less);
        assert_eq!(collate("éclair", "Eclipse"), std::cmp::Ordering::Less);
        assert!(intl_speaks(Lang::En));
        assert!(!intl_speaks(Lang::Hmn), "Chromium has no Hmong date data");
        assert_eq!(
            table_when(Lang::So, late, "America/Chicago").as_deref(),
            Some("Sabti, Nofembar 28, 11:30 GD CST")
        );
        assert_eq!(distance(1_234.0), "1.2 km away");
    }
}
