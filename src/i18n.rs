//! Every string the interface shows, in every language the app speaks.
//!
//! One table, checked at compile time: `texts!` makes each key an enum variant, so a misspelt key
//! does not compile, and its pattern demands all four languages for every key, so a missing
//! translation does not compile either. Placeholders are written `{name}` and filled by
//! [`T::fill`]; a unit test checks every translation uses the same placeholders as English.
//!
//! Why not a crate: leptos_i18n generates much more code per key, and the app shell has a 160 KB
//! brotli budget. Four `match`es of string literals cost only the strings.
//!
//! English and Spanish are complete; the Somali and Hmong drafts await review by native speakers
//! (TRANSLATIONS.md). Dates, times and numbers are formatted by the browser's Intl for the chosen
//! language (Intl has no Hmong data yet and falls back to English for those).

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
            #[cfg(test)]
            const ALL: &[T] = &[$(T::$key),*];

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

texts! {
    TabEvents { en: "Events", es: "Eventos", so: "Dhacdooyin", hmn: "Kev sib sau", }
    TabResources { en: "Resources", es: "Recursos", so: "Adeegyo", hmn: "Kev pab", }
    TabMap { en: "Map", es: "Mapa", so: "Khariidad", hmn: "Daim qhia chaw", }
    TabAlerts { en: "Alerts", es: "Alertas", so: "Digniino", hmn: "Ceeb toom", }
    TabRights { en: "Rights", es: "Derechos", so: "Xuquuq", hmn: "Txoj cai", }
    Sections { en: "Sections", es: "Secciones", so: "Qaybaha", hmn: "Cov ntu", }
    Exit { en: "Exit", es: "Salir", so: "Ka bax", hmn: "Tawm", }
    ExitHint {
        en: "Quick exit: delete everything this app saved on this phone and leave",
        es: "Salida rápida: borrar todo lo que esta app guardó en este teléfono y salir",
        so: "Ka bixid degdeg ah: tirtir wax kasta oo app-kani ku kaydiyay taleefankan, kadibna ka bax",
        hmn: "Tawm sai: tshem txhua yam uas app no khaws cia hauv lub xov tooj no thiab tawm mus",
    }
    Language { en: "Language", es: "Idioma", so: "Luqadda", hmn: "Hom lus", }
    Offline {
        en: "Offline: showing what is saved on this phone",
        es: "Sin conexión: se muestra lo guardado en este teléfono",
        so: "Internet la'aan: waxaa la tusayaa waxa ku kaydsan taleefankan",
        hmn: "Tsis muaj internet: qhia tej yam uas khaws cia hauv lub xov tooj no",
    }
    Updating { en: "Updating…", es: "Actualizando…", so: "Waa la cusboonaysiinayaa…", hmn: "Tab tom hloov tshiab…", }
    UpdatedNow { en: "Updated just now", es: "Actualizado hace un momento", so: "Hadda la cusboonaysiiyay", hmn: "Nyuam qhuav hloov tshiab", }
    UpdatedMinutes { en: "Updated {n} min ago", es: "Actualizado hace {n} min", so: "La cusboonaysiiyay {n} daqiiqo ka hor", hmn: "Hloov tshiab {n} feeb dhau los", }
    UpdatedHours { en: "Updated {n} h ago", es: "Actualizado hace {n} h", so: "La cusboonaysiiyay {n} saacadood ka hor", hmn: "Hloov tshiab {n} teev dhau los", }
    UpdatedDays { en: "Updated {n} days ago", es: "Actualizado hace {n} días", so: "La cusboonaysiiyay {n} maalmood ka hor", hmn: "Hloov tshiab {n} hnub dhau los", }
    NeverUpdated { en: "Not updated yet", es: "Aún sin actualizar", so: "Weli lama cusboonaysiin", hmn: "Tseem tsis tau hloov tshiab", }
    SyncFailed {
        en: "Could not update: {reason}. Showing what is saved.",
        es: "No se pudo actualizar: {reason}. Se muestra lo guardado.",
        so: "Lama cusboonaysiin karin: {reason}. Waxaa la tusayaa waxa kaydsan.",
        hmn: "Hloov tshiab tsis tau: {reason}. Qhia tej yam uas khaws cia.",
    }
    ErrNetwork { en: "no connection to the server", es: "no hay conexión con el servidor", so: "server-ka lama gaari karo", hmn: "txuas tsis tau rau lub server", }
    ErrServer { en: "the server had a problem ({status})", es: "el servidor tuvo un problema ({status})", so: "server-ka cillad ayaa ku timid ({status})", hmn: "lub server muaj teeb meem ({status})", }
    ErrStorage { en: "this phone's storage could not be used", es: "no se pudo usar el almacenamiento del teléfono", so: "kaydka taleefankan lama isticmaali karin", hmn: "siv tsis tau qhov chaw khaws ntaub ntawv hauv lub xov tooj no", }
    UpdateReady { en: "A new version is ready", es: "Hay una versión nueva", so: "Nooc cusub ayaa diyaar ah", hmn: "Muaj tsab tshiab lawm", }
    Reload { en: "Reload", es: "Recargar", so: "Dib u soo rar", hmn: "Rov qhib dua", }
    Loading { en: "Loading…", es: "Cargando…", so: "Waa la soo rarayaa…", hmn: "Tab tom thauj…", }
    Unreadable {
        en: "{n} saved items could not be read by this version of the app.",
        es: "Esta versión de la app no pudo leer {n} elementos guardados.",
        so: "Noocan app-ka ma akhriyi karo {n} shay oo kaydsan.",
        hmn: "Tsab app no nyeem tsis tau {n} yam uas khaws cia.",
    }
    NotLoaded {
        en: "This screen is not on this phone yet. Connect to the internet, then try again.",
        es: "Esta pantalla aún no está en este teléfono. Conéctate a internet y vuelve a intentarlo.",
        so: "Shaashaddan weli kuma jirto taleefankan. Ku xirmo internetka, kadibna isku day mar kale.",
        hmn: "Nplooj no tseem tsis tau nyob hauv lub xov tooj no. Txuas internet, ces sim dua.",
    }
    TryAgain { en: "Try again", es: "Volver a intentar", so: "Isku day mar kale", hmn: "Sim dua", }
    NotFound { en: "This page does not exist.", es: "Esta página no existe.", so: "Boggani ma jiro.", hmn: "Tsis muaj nplooj ntawv no.", }
    Gone {
        en: "This is no longer saved on this phone. It may have been removed.",
        es: "Esto ya no está guardado en este teléfono. Puede que lo hayan quitado.",
        so: "Tani hadda kuma kaydsana taleefankan. Waxaa laga yaabaa in la tirtiray.",
        hmn: "Yam no tsis khaws cia hauv lub xov tooj no lawm. Tej zaum twb raug tshem tawm lawm.",
    }
    Back { en: "Back", es: "Volver", so: "Dib u noqo", hmn: "Rov qab", }
    EventsTitle { en: "Upcoming events", es: "Próximos eventos", so: "Dhacdooyinka soo socda", hmn: "Kev sib sau tom ntej", }
    NoEvents {
        en: "No upcoming events saved on this phone yet.",
        es: "Todavía no hay eventos próximos guardados en este teléfono.",
        so: "Weli ma jiraan dhacdooyin soo socda oo ku kaydsan taleefankan.",
        hmn: "Tseem tsis tau muaj kev sib sau tom ntej khaws cia hauv lub xov tooj no.",
    }
    Today { en: "Today", es: "Hoy", so: "Maanta", hmn: "Hnub no", }
    Tomorrow { en: "Tomorrow", es: "Mañana", so: "Berri", hmn: "Tag kis", }
    Cancelled { en: "Cancelled", es: "Cancelado", so: "La baajiyay", hmn: "Tsis ua lawm", }
    Postponed { en: "Postponed", es: "Aplazado", so: "Dib loo dhigay", hmn: "Ncua sij hawm lawm", }
    Until { en: "Until {time}", es: "Hasta {time}", so: "Ilaa {time}", hmn: "Mus txog {time}", }
    OrganisedBy { en: "Organised by {name}", es: "Organiza: {name}", so: "Waxaa qabanqaabiyay {name}", hmn: "Npaj los ntawm {name}", }
    Languages { en: "Languages", es: "Idiomas", so: "Luqadaha", hmn: "Cov hom lus", }
    Accessibility { en: "Accessibility", es: "Accesibilidad", so: "Helitaanka dadka naafada ah", hmn: "Kev pab rau neeg xiam oob qhab", }
    Links { en: "Links", es: "Enlaces", so: "Linkiyada", hmn: "Cov link", }
    Directions { en: "Directions", es: "Cómo llegar", so: "Tilmaamaha jidka", hmn: "Qhia kev", }
    AddToCalendar { en: "Add to calendar", es: "Agregar al calendario", so: "Ku dar kalandarka", hmn: "Ntxiv rau daim ntawv qhia hnub", }
    Share { en: "Share", es: "Compartir", so: "La wadaag", hmn: "Qhia rau lwm tus", }
    LinkCopied { en: "Link copied", es: "Enlace copiado", so: "Linkiga waa la koobiyeeyay", hmn: "Theej tau link lawm", }
    ResourcesTitle { en: "Resources", es: "Recursos", so: "Adeegyo", hmn: "Kev pab", }
    Search { en: "Search", es: "Buscar", so: "Raadi", hmn: "Nrhiav", }
    SearchHint { en: "Name, organisation, area…", es: "Nombre, organización, zona…", so: "Magac, hay'ad, deegaan…", hmn: "Npe, koom haum, cheeb tsam…", }
    Categories { en: "Categories", es: "Categorías", so: "Noocyada", hmn: "Cov pawg", }
    AllCategories { en: "All", es: "Todo", so: "Dhammaan", hmn: "Tag nrho", }
    AnyLanguage { en: "Any language", es: "Cualquier idioma", so: "Luqad kasta", hmn: "Txhua hom lus", }
    OpenNow { en: "Open now", es: "Abierto ahora", so: "Hadda furan", hmn: "Qhib tam sim no", }
    NearestFirst { en: "Nearest first", es: "Más cerca primero", so: "Kuwa ugu dhow marka hore", hmn: "Ze tshaj ua ntej", }
    PositionStays {
        en: "Your position is used on this phone only and never sent.",
        es: "Tu ubicación se usa solo en este teléfono y nunca se envía.",
        so: "Goobtaada taleefankan oo keliya ayaa lagu isticmaalaa, weligeedna lama diro.",
        hmn: "Koj qhov chaw tsuas siv hauv lub xov tooj no xwb, yeej tsis xa mus qhov twg li.",
    }
    NoPosition { en: "Your position is not available.", es: "Tu ubicación no está disponible.", so: "Goobtaada lama heli karo.", hmn: "Nrhiav tsis tau koj qhov chaw.", }
    Results { en: "{n} found", es: "{n} encontrados", so: "{n} la helay", hmn: "Nrhiav tau {n}", }
    ShowMore { en: "Show more", es: "Ver más", so: "Tus kuwo kale", hmn: "Saib ntxiv", }
    NoResources {
        en: "No resources saved on this phone yet.",
        es: "Todavía no hay recursos guardados en este teléfono.",
        so: "Weli ma jiraan adeegyo ku kaydsan taleefankan.",
        hmn: "Tseem tsis tau muaj kev pab khaws cia hauv lub xov tooj no.",
    }
    NoMatches {
        en: "Nothing matches. Try fewer words or clear the filters.",
        es: "No hay resultados. Prueba con menos palabras o quita los filtros.",
        so: "Waxba lama helin. Isku day erayo ka yar ama tirtir shaandhooyinka.",
        hmn: "Nrhiav tsis tau. Sim siv tsawg lo lus los yog tshem cov kev xaiv.",
    }
    ClearFilters { en: "Clear filters", es: "Quitar filtros", so: "Tirtir shaandhooyinka", hmn: "Tshem cov kev xaiv", }
    Distance { en: "{d} km away", es: "a {d} km", so: "{d} km u jira", hmn: "Deb {d} km", }
    Call { en: "Call {number}", es: "Llamar al {number}", so: "Wac {number}", hmn: "Hu {number}", }
    Website { en: "Website", es: "Sitio web", so: "Bogga internetka", hmn: "Vev xaib", }
    Hours { en: "Hours", es: "Horario", so: "Saacadaha shaqada", hmn: "Sij hawm qhib", }
    Closed { en: "Closed", es: "Cerrado", so: "Xiran", hmn: "Kaw", }
    Eligibility { en: "Who can use it", es: "Quién puede usarlo", so: "Yaa isticmaali kara", hmn: "Leej twg siv tau", }
    Cost { en: "Cost", es: "Costo", so: "Kharashka", hmn: "Tus nqi", }
    AreaServed { en: "Area served: {area}", es: "Zona que atiende: {area}", so: "Deegaanka loo adeego: {area}", hmn: "Cheeb tsam pab: {area}", }
    AreaOnly {
        en: "The exact address is not published, for safety. Call to arrange a visit.",
        es: "La dirección exacta no se publica, por seguridad. Llama para coordinar.",
        so: "Cinwaanka saxda ah lama soo bandhigin, badbaado darteed. Wac si aad u ballansato booqasho.",
        hmn: "Tsis qhia qhov chaw nyob tseeb, kom muaj kev nyab xeeb. Hu xov tooj los teem sij hawm tuaj.",
    }
    LastVerified { en: "Last verified {date}", es: "Verificado por última vez el {date}", so: "La hubiyay markii u dambaysay {date}", hmn: "Kuaj xyuas zaum kawg {date}", }
    RightsTitle { en: "Know your rights", es: "Conoce tus derechos", so: "Ogow xuquuqdaada", hmn: "Paub koj txoj cai", }
    RightsIntro {
        en: "Open a card and show it at the door. It works without a connection.",
        es: "Abre una tarjeta y muéstrala en la puerta. Funciona sin conexión.",
        so: "Fur kaar oo ku tus albaabka. Wuxuu shaqeeyaa internet la'aan.",
        hmn: "Qhib ib daim npav thiab qhia ntawm qhov rooj. Siv tau yam tsis muaj internet.",
    }
    NoCards {
        en: "No cards saved on this phone yet.",
        es: "Todavía no hay tarjetas guardadas en este teléfono.",
        so: "Weli ma jiraan kaarar ku kaydsan taleefankan.",
        hmn: "Tseem tsis tau muaj daim npav khaws cia hauv lub xov tooj no.",
    }
    OtherLanguages { en: "Other languages", es: "Otros idiomas", so: "Luqado kale", hmn: "Lwm hom lus", }
    Source { en: "Source: {org}", es: "Fuente: {org}", so: "Isha: {org}", hmn: "Los ntawm: {org}", }
    Reviewed { en: "Reviewed {date}", es: "Revisada el {date}", so: "Dib loo eegay {date}", hmn: "Tshuaj xyuas {date}", }
    Close { en: "Close", es: "Cerrar", so: "Xir", hmn: "Kaw", }
    KindRally { en: "Rally", es: "Manifestación", so: "Bannaanbax", hmn: "Kev tawm tsam", }
    KindVigil { en: "Vigil", es: "Vigilia", so: "Xus", hmn: "Kev taws tswm ciab", }
    KindTraining { en: "Training", es: "Capacitación", so: "Tababar", hmn: "Kev cob qhia", }
    KindCourtWatch { en: "Court watch", es: "Observación en la corte", so: "Daawashada maxkamadda", hmn: "Saib xyuas tsev hais plaub", }
    KindMeeting { en: "Meeting", es: "Reunión", so: "Kulan", hmn: "Rooj sib tham", }
    KindOther { en: "Event", es: "Evento", so: "Dhacdo", hmn: "Kev sib sau", }
    CatLegalAid { en: "Legal aid", es: "Ayuda legal", so: "Caawimaad sharci", hmn: "Kev pab txog kev cai lij choj", }
    CatHotline { en: "Hotline", es: "Línea de ayuda", so: "Khadka caawimaadda", hmn: "Xov tooj pab", }
    CatFood { en: "Food", es: "Comida", so: "Cunto", hmn: "Zaub mov", }
    CatRides { en: "Rides", es: "Transporte", so: "Gaadiid", hmn: "Kev caij tsheb", }
    CatHousing { en: "Housing", es: "Vivienda", so: "Hoy", hmn: "Chaw nyob", }
    CatMedical { en: "Medical", es: "Salud", so: "Caafimaad", hmn: "Kev kho mob", }
    CatChildcare { en: "Childcare", es: "Cuidado infantil", so: "Xannaanada carruurta", hmn: "Zov me nyuam", }
    CatSchools { en: "Schools", es: "Escuelas", so: "Iskuulada", hmn: "Tsev kawm ntawv", }
    CatTenantUnion { en: "Tenant union", es: "Sindicato de inquilinos", so: "Ururka kiraystayaasha", hmn: "Koom haum neeg xauj tsev", }
    CatBailFund { en: "Bail fund", es: "Fondo de fianzas", so: "Sanduuqa damiinta", hmn: "Nyiaj pab them bail", }
    CatKnowYourRights { en: "Know your rights", es: "Conoce tus derechos", so: "Ogow xuquuqdaada", hmn: "Paub koj txoj cai", }
    Monday { en: "Monday", es: "Lunes", so: "Isniin", hmn: "Hnub Ib", }
    Tuesday { en: "Tuesday", es: "Martes", so: "Talaado", hmn: "Hnub Ob", }
    Wednesday { en: "Wednesday", es: "Miércoles", so: "Arbaco", hmn: "Hnub Peb", }
    Thursday { en: "Thursday", es: "Jueves", so: "Khamiis", hmn: "Hnub Plaub", }
    Friday { en: "Friday", es: "Viernes", so: "Jimco", hmn: "Hnub Tsib", }
    Saturday { en: "Saturday", es: "Sábado", so: "Sabti", hmn: "Hnub Rau", }
    Sunday { en: "Sunday", es: "Domingo", so: "Axad", hmn: "Hnub Xya", }
    ReportTitle { en: "Report what you see", es: "Reporta lo que ves", so: "Soo sheeg waxaad aragtay", hmn: "Qhia txog yam koj pom", }
    ReportIntro {
        en: "Organisers check every report before anyone else sees it. It is saved on this phone first and sent when there is a connection.",
        es: "Quienes organizan revisan cada reporte antes de que nadie más lo vea. Se guarda primero en este teléfono y se envía cuando haya conexión.",
        so: "Abaabulayaashu way hubiyaan warbixin kasta ka hor inta aan qof kale arkin. Marka hore waxaa lagu kaydiyaa taleefankan, waxaana la diraa marka xiriir jiro.",
        hmn: "Cov neeg npaj kuaj txhua daim ntawv qhia ua ntej lwm tus pom. Nws khaws rau hauv lub xov tooj no ua ntej thiab xa thaum muaj kev sib txuas.",
    }
    WhatSeen { en: "What is happening?", es: "¿Qué está pasando?", so: "Maxaa dhacaya?", hmn: "Muaj dab tsi tshwm sim?", }
    ReportEnforcement { en: "Enforcement activity seen", es: "Se ve actividad de agentes", so: "Hawl fulin sharci oo la arkay", hmn: "Pom cov tub ceev xwm ua haujlwm", }
    ReportDetained { en: "Someone detained", es: "Detuvieron a alguien", so: "Qof la xiray", hmn: "Muaj neeg raug ntes", }
    ReportCheckpoint { en: "Checkpoint", es: "Retén", so: "Bar baaritaan", hmn: "Qhov chaw kuaj", }
    ReportHelpNeeded { en: "Help needed", es: "Se necesita ayuda", so: "Caawimaad ayaa loo baahan yahay", hmn: "Xav tau kev pab", }
    ReportHelpOffered { en: "Help offered", es: "Ofrezco ayuda", so: "Caawimaad la bixinayo", hmn: "Muab kev pab", }
    ReportCorrection { en: "Correction to a listing", es: "Corrección de un dato", so: "Sixid macluumaad", hmn: "Kho ib daim ntawv teev", }
    Describe { en: "Describe it briefly", es: "Descríbelo en pocas palabras", so: "Si kooban u sharax", hmn: "Piav luv luv", }
    When { en: "When?", es: "¿Cuándo?", so: "Goorma?", hmn: "Thaum twg?", }
    Now { en: "Now", es: "Ahora", so: "Hadda", hmn: "Tam sim no", }
    MinutesAgo { en: "{n} min ago", es: "Hace {n} min", so: "{n} daqiiqo kahor", hmn: "{n} feeb dhau los", }
    Where { en: "Where?", es: "¿Dónde?", so: "Xagee?", hmn: "Qhov twg?", }
    UseLocation { en: "Use my location", es: "Usar mi ubicación", so: "Isticmaal goobtayda", hmn: "Siv kuv qhov chaw", }
    AreaChosen {
        en: "Your position became an area about 150 m across ({area}). Only the area is saved and sent.",
        es: "Tu ubicación se convirtió en una zona de unos 150 m ({area}). Solo se guarda y se envía la zona.",
        so: "Goobtaadu waxay noqotay aag qiyaastii 150 m ah ({area}). Aagga oo keliya ayaa la kaydiyaa oo la diraa.",
        hmn: "Koj qhov chaw tau los ua ib cheeb tsam li 150 m ({area}). Tsuas yog cheeb tsam thiaj khaws thiab xa.",
    }
    PreciseWarning { en: "This looks like an exact position. A report only needs the area: give at most 3 decimals, or cross streets.", es: "Esto parece una ubicación exacta. Un reporte solo necesita la zona: usa como máximo 3 decimales, o calles que se cruzan.", so: "Tani waxay u egtahay goob sax ah. Warbixintu waxay u baahan tahay aagga oo keliya: isticmaal ugu badnaan 3 jajab tobanle, ama isgoysyada waddooyinka.", hmn: "Qhov no zoo li qhov chaw tseeb. Daim ntawv qhia tsuas xav tau cheeb tsam xwb: siv tsis pub tshaj 3 tus lej tom qab cim, lossis txoj kev sib tshuam.", }
    CrossStreets { en: "Or cross streets", es: "O calles que se cruzan", so: "Ama isgoysyada waddooyinka", hmn: "Los yog txoj kev sib tshuam", }
    WhatIsSent {
        en: "Sent: what you choose and write here, the time, and the area or cross streets. Never sent: your exact position, your name, your phone number, your address.",
        es: "Se envía: lo que eliges y escribes aquí, la hora y la zona o las calles. Nunca se envía: tu ubicación exacta, tu nombre, tu número de teléfono, tu dirección.",
        so: "Waxaa la diraa: waxaad halkan ku dooratid oo ku qortid, waqtiga, iyo aagga ama isgoysyada. Weligood lama diro: goobtaada saxda ah, magacaaga, lambarkaaga taleefanka, cinwaankaaga.",
        hmn: "Xa: yam koj xaiv thiab sau ntawm no, lub sijhawm, thiab cheeb tsam los yog txoj kev. Yeej tsis xa: koj qhov chaw tseeb, koj lub npe, koj tus xov tooj, koj qhov chaw nyob.",
    }
    SaveReport { en: "Save and send", es: "Guardar y enviar", so: "Kaydi oo dir", hmn: "Khaws thiab xa", }
    ReportIncomplete {
        en: "Choose what is happening, and say where: your location or cross streets.",
        es: "Elige qué está pasando y di dónde: tu ubicación o las calles.",
        so: "Dooro waxa dhacaya, oo sheeg meesha: goobtaada ama isgoysyada.",
        hmn: "Xaiv yam tshwm sim, thiab qhia qhov twg: koj qhov chaw los yog txoj kev.",
    }
    SavedWaiting {
        en: "Saved on this phone: it will be sent when you are online.",
        es: "Guardado en este teléfono: se enviará cuando tengas conexión.",
        so: "Waxaa lagu kaydiyay taleefankan: waa la diri doonaa marka aad xiriir leedahay.",
        hmn: "Khaws rau hauv lub xov tooj no lawm: yuav xa thaum koj muaj kev sib txuas.",
    }
    Preparing {
        en: "Getting it ready: the phone shows the server it is not a robot, without saying who you are.",
        es: "Preparándolo: el teléfono le demuestra al servidor que no es un robot, sin decir quién eres.",
        so: "Waa la diyaarinayaa: taleefanku wuxuu server-ka tusayaa inuusan robot ahayn, isagoon sheegin cidda aad tahay.",
        hmn: "Tab tom npaj: lub xov tooj qhia lub server tias nws tsis yog neeg hlau, tsis qhia tias koj yog leej twg.",
    }
    Sending { en: "Sending…", es: "Enviando…", so: "Waa la dirayaa…", hmn: "Tab tom xa…", }
    Sent { en: "Sent", es: "Enviado", so: "Waa la diray", hmn: "Xa lawm", }
    WaitingCount { en: "Waiting to be sent: {n}", es: "Por enviar: {n}", so: "Sugaya in la diro: {n}", hmn: "Tos xa: {n}", }
    SentCount { en: "Reports sent from this phone: {n}", es: "Reportes enviados desde este teléfono: {n}", so: "Warbixinnada laga diray taleefankan: {n}", hmn: "Cov ntawv qhia xa ntawm lub xov tooj no: {n}", }
    YourReports { en: "Your reports", es: "Tus reportes", so: "Warbixinnadaada", hmn: "Koj cov ntawv qhia", }
    YourReportsNote {
        en: "Only this phone can ask what became of them. Kept for 7 days; Exit forgets them.",
        es: "Solo este teléfono puede preguntar qué pasó con ellos. Se guardan 7 días; Salir los borra.",
        so: "Taleefankan oo keliya ayaa weydiin kara waxa ku dhacay. Waxaa la hayaa 7 maalmood; Ka bax ayaa tirtiraya.",
        hmn: "Tsuas yog lub xov tooj no thiaj nug tau tias lawv ua li cas lawm. Khaws 7 hnub; Tawm yuav tshem lawv.",
    }
    SentNow { en: "Sent just now", es: "Enviado hace un momento", so: "Hadda la diray", hmn: "Nyuam qhuav xa", }
    SentMinutes { en: "Sent {n} min ago", es: "Enviado hace {n} min", so: "La diray {n} daqiiqo ka hor", hmn: "Xa {n} feeb dhau los", }
    SentHours { en: "Sent {n} h ago", es: "Enviado hace {n} h", so: "La diray {n} saacadood ka hor", hmn: "Xa {n} teev dhau los", }
    SentDays { en: "Sent {n} days ago", es: "Enviado hace {n} días", so: "La diray {n} maalmood ka hor", hmn: "Xa {n} hnub dhau los", }
    FateReceived {
        en: "received, waiting for organisers",
        es: "recibido, esperando a los organizadores",
        so: "la helay, waxay sugaysaa qabanqaabiyayaasha",
        hmn: "tau txais lawm, tos cov neeg npaj",
    }
    FatePublished { en: "published as an alert", es: "publicado como alerta", so: "waxaa loo daabacay digniin ahaan", hmn: "tshaj tawm ua ceeb toom lawm", }
    FateNotPublished { en: "not published", es: "no publicado", so: "lama daabicin", hmn: "tsis tshaj tawm", }
    FateResolved { en: "resolved", es: "resuelto", so: "waa la xalliyay", hmn: "daws lawm", }
    FatesLastKnown {
        en: "Last known: the phone could not ask the server just now.",
        es: "Último estado conocido: el teléfono no pudo preguntar al servidor ahora.",
        so: "Xaaladdii ugu dambeysay ee la ogaa: taleefanku hadda ma weydiin karin server-ka.",
        hmn: "Qhov paub kawg: lub xov tooj nug tsis tau lub server tam sim no.",
    }
    Checking { en: "Asking the server…", es: "Consultando al servidor…", so: "Server-ka ayaa la weydiinayaa…", hmn: "Tab tom nug lub server…", }
    CheckAgain { en: "Check again", es: "Volver a consultar", so: "Mar kale hubi", hmn: "Kuaj dua", }
    CallHotline { en: "Call the hotline", es: "Llamar a la línea de ayuda", so: "Wac khadka gurmadka", hmn: "Hu rau tus xov tooj pab", }
    Copied {
        en: "Copied: paste it into your group chat.",
        es: "Copiado: pégalo en el chat de tu grupo.",
        so: "Waa la koobiyeeyay: ku dheji wada-sheekaysiga kooxdaada.",
        hmn: "Luam lawm: muab lo rau hauv koj pab pawg sib tham.",
    }
    CopyFailed { en: "Could not copy.", es: "No se pudo copiar.", so: "Lama koobiyeyn karin.", hmn: "Luam tsis tau.", }
    AlertsTitle { en: "Alerts", es: "Alertas", so: "Digniino", hmn: "Ceeb toom", }
    NoAlerts {
        en: "No alerts right now. Alerts appear here once organisers have checked a report, and leave when they expire.",
        es: "No hay alertas ahora. Aparecen aquí cuando quienes organizan verifican un reporte, y se van cuando vencen.",
        so: "Hadda digniino ma jiraan. Digniinuhu halkan ayay ka muuqdaan marka abaabulayaashu hubiyaan warbixin, wayna baxaan marka ay dhacaan.",
        hmn: "Tam sim no tsis muaj ceeb toom. Ceeb toom tshwm ntawm no thaum cov neeg npaj kuaj ib daim ntawv qhia lawm, thiab ploj thaum lawv tas sijhawm.",
    }
    CheckedNow { en: "Checked just now", es: "Verificada hace un momento", so: "Hadda la hubiyay", hmn: "Nyuam qhuav kuaj", }
    CheckedMinutes { en: "Checked {n} min ago", es: "Verificada hace {n} min", so: "La hubiyay {n} daqiiqo ka hor", hmn: "Kuaj {n} feeb dhau los", }
    CheckedHours { en: "Checked {n} h ago", es: "Verificada hace {n} h", so: "La hubiyay {n} saacadood ka hor", hmn: "Kuaj {n} teev dhau los", }
    CheckedDays { en: "Checked {n} days ago", es: "Verificada hace {n} días", so: "La hubiyay {n} maalmood ka hor", hmn: "Kuaj {n} hnub dhau los", }
    PlaceNear { en: "Near {name}", es: "Cerca de {name}", so: "Agagaarka {name}", hmn: "Ze ntawm {name}", }
    PlaceNearTwo { en: "Near {a} and {b}", es: "Cerca de {a} y {b}", so: "Agagaarka {a} iyo {b}", hmn: "Ze ntawm {a} thiab {b}", }
    PlaceCentre { en: "Near the centre", es: "Cerca del centro", so: "Agagaarka bartamaha", hmn: "Ze ntawm plawv nroog", }
    PlaceFromCentre {
        en: "About {km} km {direction} of the centre",
        es: "A unos {km} km al {direction} del centro",
        so: "Qiyaastii {km} km dhanka {direction} ee bartamaha",
        hmn: "Kwv yees li {km} km sab {direction} ntawm plawv nroog",
    }
    PlaceArea { en: "An area of about {size}", es: "Una zona de unos {size}", so: "Aag qiyaastii {size} ah", hmn: "Ib cheeb tsam kwv yees li {size}", }
    DirNorth { en: "north", es: "norte", so: "waqooyi", hmn: "qaum teb", }
    DirNorthEast { en: "north-east", es: "noreste", so: "waqooyi-bari", hmn: "qaum teb hnub tuaj", }
    DirEast { en: "east", es: "este", so: "bari", hmn: "hnub tuaj", }
    DirSouthEast { en: "south-east", es: "sureste", so: "koonfur-bari", hmn: "qab teb hnub tuaj", }
    DirSouth { en: "south", es: "sur", so: "koonfur", hmn: "qab teb", }
    DirSouthWest { en: "south-west", es: "suroeste", so: "koonfur-galbeed", hmn: "qab teb hnub poob", }
    DirWest { en: "west", es: "oeste", so: "galbeed", hmn: "hnub poob", }
    DirNorthWest { en: "north-west", es: "noroeste", so: "waqooyi-galbeed", hmn: "qaum teb hnub poob", }
    PushTitle { en: "Alerts when the app is closed", es: "Alertas con la app cerrada", so: "Digniino marka app-ku xiran yahay", hmn: "Ceeb toom thaum lub app kaw", }
    PushReportsTitle { en: "New reports on this phone", es: "Reportes nuevos en este teléfono", so: "Warbixinno cusub taleefankan", hmn: "Cov ntawv qhia tshiab ntawm lub xov tooj no", }
    PushNearMe { en: "Tell me about alerts near me", es: "Avísame de alertas cerca de mí", so: "Igu soo sheeg digniinaha agagaarkayga", hmn: "Qhia kuv txog ceeb toom ze kuv", }
    PushWholeArea { en: "Tell me about alerts in the whole area", es: "Avísame de alertas en toda la zona", so: "Igu soo sheeg digniinaha aagga oo dhan", hmn: "Qhia kuv txog ceeb toom thoob cheeb tsam", }
    PushOnNear {
        en: "On: verified alerts within about 5 km of where you turned this on show on this phone, also when the app is closed.",
        es: "Activado: las alertas verificadas a unos 5 km de donde lo activaste aparecen en este teléfono, también con la app cerrada.",
        so: "Shidan: digniinaha la hubiyay ee qiyaastii 5 km u jira meeshii aad ka shidday ayaa taleefankan ka muuqda, xitaa marka app-ku xiran yahay.",
        hmn: "Qhib lawm: ceeb toom uas kuaj lawm nyob li 5 km ntawm qhov chaw koj qhib qhov no yuav tshwm ntawm lub xov tooj no, txawm lub app kaw.",
    }
    PushOnArea {
        en: "On: verified alerts anywhere in the area show on this phone, also when the app is closed.",
        es: "Activado: las alertas verificadas de toda la zona aparecen en este teléfono, también con la app cerrada.",
        so: "Shidan: digniinaha la hubiyay ee aagga oo dhan ayaa taleefankan ka muuqda, xitaa marka app-ku xiran yahay.",
        hmn: "Qhib lawm: ceeb toom uas kuaj lawm thoob cheeb tsam yuav tshwm ntawm lub xov tooj no, txawm lub app kaw.",
    }
    PushReportsOn {
        en: "On: this phone is told when a new report arrives in its area. The notification never contains the report.",
        es: "Activado: este teléfono recibe un aviso cuando llega un reporte nuevo de su zona. El aviso nunca contiene el reporte.",
        so: "Shidan: taleefankan waa loo sheegaa marka warbixin cusub ka timaado aaggiisa. Ogeysiisku weligii kuma jiro warbixinta.",
        hmn: "Qhib lawm: lub xov tooj no yuav paub thaum muaj ntawv qhia tshiab hauv nws cheeb tsam. Daim ntawv ceeb toom yeej tsis muaj cov lus qhia.",
    }
    PushReportsNear { en: "Tell me of new reports near me", es: "Avísame de reportes nuevos cerca de mí", so: "Igu soo sheeg warbixinnada cusub ee agagaarkayga", hmn: "Qhia kuv txog ntawv qhia tshiab ze kuv", }
    PushReportsArea { en: "Tell me of new reports in the whole area", es: "Avísame de reportes nuevos en toda la zona", so: "Igu soo sheeg warbixinnada cusub ee aagga oo dhan", hmn: "Qhia kuv txog ntawv qhia tshiab thoob cheeb tsam", }
    PushTurnOff { en: "Turn off", es: "Desactivar", so: "Dami", hmn: "Kaw", }
    PushHonest {
        en: "Off unless you turn it on. Notifications pass through your phone maker's service (Google, Apple or Mozilla), which learns that one arrived and when, never what it says. Only coarse areas of about 5 km leave this phone.",
        es: "Apagado salvo que lo actives. Los avisos pasan por el servicio del fabricante de tu teléfono (Google, Apple o Mozilla), que sabe que llegó uno y cuándo, nunca lo que dice. Solo salen de este teléfono zonas aproximadas de unos 5 km.",
        so: "Way dansan tahay ilaa aad shiddo. Ogeysiisyadu waxay maraan adeegga shirkadda taleefankaaga (Google, Apple ama Mozilla), oo ogaada in mid yimid iyo goorta, weligeed ma oga waxa uu sheegayo. Kaliya aagag qiyaastii 5 km ah ayaa ka baxa taleefankan.",
        hmn: "Kaw tshwj tsis yog koj qhib. Cov ntawv ceeb toom hla dhau lub chaw pab ntawm lub tuam txhab ua koj lub xov tooj (Google, Apple los yog Mozilla), uas paub tias muaj ib qho tuaj thiab thaum twg, tsis paub tias nws hais li cas. Tsuas yog cheeb tsam li 5 km tawm ntawm lub xov tooj no.",
    }
    PushIphone {
        en: "On iPhone and iPad this works only once Vecinos is on the Home Screen (iOS 16.4 or later): tap Share, then Add to Home Screen, and turn it on from there.",
        es: "En iPhone y iPad solo funciona con Vecinos en la pantalla de inicio (iOS 16.4 o posterior): toca Compartir, luego Añadir a pantalla de inicio, y actívalo desde ahí.",
        so: "iPhone iyo iPad tani waxay shaqaysaa oo keliya marka Vecinos uu ku jiro Shaashadda Hore (iOS 16.4 ama ka dambe): taabo Share, kadib Add to Home Screen, kana shid halkaas.",
        hmn: "Ntawm iPhone thiab iPad qhov no ua haujlwm tsuas yog thaum Vecinos nyob ntawm Home Screen (iOS 16.4 los yog tshiab dua): nias Share, ces Add to Home Screen, thiab qhib nws ntawm qhov ntawd.",
    }
    PushUnsupported { en: "This browser cannot show alerts while the app is closed.", es: "Este navegador no puede mostrar alertas con la app cerrada.", so: "Browser-kan ma muujin karo digniino marka app-ku xiran yahay.", hmn: "Lub browser no tsis tuaj yeem qhia ceeb toom thaum lub app kaw.", }
    PushDenied { en: "Notifications are blocked for this site in the browser's settings.", es: "Los avisos están bloqueados para este sitio en los ajustes del navegador.", so: "Ogeysiisyada waa laga xannibay goobtan dejinta browser-ka.", hmn: "Cov ntawv ceeb toom raug thaiv rau lub vev xaib no hauv browser qhov chaw teeb.", }
    PushNotOffered { en: "This network does not send notifications.", es: "Esta red no envía avisos.", so: "Shabakaddan ma dirto ogeysiisyo.", hmn: "Lub network no tsis xa ntawv ceeb toom.", }
    PushFailed { en: "Notifications could not be turned on. Try again later.", es: "No se pudieron activar los avisos. Inténtalo más tarde.", so: "Ogeysiisyada lama shidi karin. Mar dambe isku day.", hmn: "Qhib tsis tau cov ntawv ceeb toom. Sim dua tom qab.", }
    TabOrganise { en: "Organise", es: "Organizar", so: "Abaabul", hmn: "Npaj", }
    OrganiserLink { en: "Organisers: sign in", es: "Organizadores: entrar", so: "Abaabulayaasha: gal", hmn: "Cov neeg npaj: nkag", }
    SignInTitle { en: "Sign in to organise", es: "Entrar para organizar", so: "Gal si aad u abaabusho", hmn: "Nkag mus npaj", }
    OrganiserName { en: "Name", es: "Nombre", so: "Magaca", hmn: "Npe", }
    Password { en: "Password", es: "Contraseña", so: "Furaha sirta", hmn: "Lo lus zais", }
    SignIn { en: "Sign in", es: "Entrar", so: "Gal", hmn: "Nkag", }
    OrganiseNote {
        en: "For organisers of this network. Organising needs a connection; reports are never saved on this phone.",
        es: "Para quienes organizan esta red. Organizar necesita conexión; los reportes nunca se guardan en este teléfono.",
        so: "Waxaa loogu talagalay abaabulayaasha shabakaddan. Abaabulku wuxuu u baahan yahay xiriir; warbixinnada weligood laguma kaydiyo taleefankan.",
        hmn: "Rau cov neeg npaj ntawm lub network no. Kev npaj yuav tsum muaj kev sib txuas; cov ntawv qhia yeej tsis khaws rau hauv lub xov tooj no.",
    }
    OrganiseTitle { en: "Reports to check", es: "Reportes por revisar", so: "Warbixinno la hubinayo", hmn: "Cov ntawv qhia yuav kuaj", }
    SignedInAs { en: "Signed in as {name}", es: "Sesión iniciada como {name}", so: "Waxaad ku gashay {name}", hmn: "Nkag ua {name}", }
    SignOut { en: "Sign out", es: "Cerrar sesión", so: "Xir fadhiga", hmn: "Kaw kev nkag", }
    ReportsNotKept {
        en: "Reports are shown only while this page is open. Nothing here is saved on this phone.",
        es: "Los reportes se muestran solo mientras esta página está abierta. Nada de esto se guarda en este teléfono.",
        so: "Warbixinnada waxaa la muujiyaa oo keliya inta boggan furan yahay. Waxba halkan lagama kaydiyo taleefankan.",
        hmn: "Cov ntawv qhia tsuas pom thaum nplooj no qhib xwb. Tsis muaj dab tsi ntawm no khaws rau hauv lub xov tooj no.",
    }
    TriageNew { en: "New", es: "Nuevos", so: "Cusub", hmn: "Tshiab", }
    TriageVerified { en: "Published", es: "Publicados", so: "La daabacay", hmn: "Tshaj tawm lawm", }
    Refresh { en: "Refresh", es: "Actualizar", so: "Cusboonaysii", hmn: "Rov thauj", }
    NoReports { en: "No reports here.", es: "No hay reportes aquí.", so: "Halkan warbixin ma jirto.", hmn: "Tsis muaj ntawv qhia ntawm no.", }
    NeedsConnection {
        en: "No connection: organising needs one.",
        es: "Sin conexión: organizar necesita conexión.",
        so: "Xiriir ma jiro: abaabulku wuxuu u baahan yahay xiriir.",
        hmn: "Tsis muaj kev sib txuas: kev npaj yuav tsum muaj.",
    }
    SessionEnded { en: "Your session has ended: sign in again.", es: "Tu sesión terminó: vuelve a entrar.", so: "Fadhigaagu wuu dhammaaday: mar kale gal.", hmn: "Koj lub sijhawm nkag tas lawm: rov nkag dua.", }
    BadSignIn { en: "That name and password do not match.", es: "Ese nombre y esa contraseña no coinciden.", so: "Magacaas iyo furahaas sirta ah isma waafaqsana.", hmn: "Lub npe thiab lo lus zais ntawd tsis sib haum.", }
    TooManyTries { en: "Too many tries: wait a few minutes, then try again.", es: "Demasiados intentos: espera unos minutos y vuelve a intentarlo.", so: "Isku day aad u badan: sug dhowr daqiiqo, kadibna isku day.", hmn: "Sim ntau dhau lawm: tos ob peb feeb, ces sim dua.", }
    ServerSaid { en: "The server said: {reason}", es: "El servidor respondió: {reason}", so: "Server-ku wuxuu yiri: {reason}", hmn: "Lub server hais tias: {reason}", }
    SignOutNeedsConnection {
        en: "No connection: signing out needs one, to end the session on the server. Quick exit clears this phone now.",
        es: "Sin conexión: para cerrar la sesión en el servidor hace falta conexión. La salida rápida borra ahora lo guardado en este teléfono.",
        so: "Xiriir ma jiro: ka bixiddu waxay u baahan tahay xiriir si fadhiga server-ka loo xiro. Bixitaanka degdegga ah hadda ayuu taleefankan nadiifiyaa.",
        hmn: "Tsis muaj kev sib txuas: kev tawm yuav tsum muaj, kom kaw lub sijhawm ntawm lub server. Tawm sai sai yuav tshem lub xov tooj no tam sim no.",
    }
    SeenNow { en: "Seen just now", es: "Visto hace un momento", so: "Hadda la arkay", hmn: "Nyuam qhuav pom", }
    SeenMinutes { en: "Seen {n} min ago", es: "Visto hace {n} min", so: "La arkay {n} daqiiqo ka hor", hmn: "Pom {n} feeb dhau los", }
    SeenHours { en: "Seen {n} h ago", es: "Visto hace {n} h", so: "La arkay {n} saacadood ka hor", hmn: "Pom {n} teev dhau los", }
    SeenDays { en: "Seen {n} days ago", es: "Visto hace {n} días", so: "La arkay {n} maalmood ka hor", hmn: "Pom {n} hnub dhau los", }
    Verify { en: "Publish as alert…", es: "Publicar como alerta…", so: "U daabac digniin ahaan…", hmn: "Tshaj tawm ua ceeb toom…", }
    Reject { en: "Reject", es: "Rechazar", so: "Diid", hmn: "Tsis lees", }
    Resolve { en: "Mark resolved", es: "Marcar como resuelto", so: "Calaamadee xalliyay", hmn: "Cim tias daws lawm", }
    RejectedDone { en: "Report rejected: it will not be published.", es: "Reporte rechazado: no se publicará.", so: "Warbixinta waa la diiday: lama daabici doono.", hmn: "Daim ntawv qhia raug tsis lees: yuav tsis tshaj tawm.", }
    ResolvedDone { en: "Report marked resolved.", es: "Reporte marcado como resuelto.", so: "Warbixinta waxaa lagu calaamadeeyay inay xallisantay.", hmn: "Daim ntawv qhia cim tias daws lawm.", }
    AlertText { en: "Alert text, as the public will see it", es: "Texto de la alerta, como lo verá el público", so: "Qoraalka digniinta, sida dadweynuhu u arki doonaan", hmn: "Cov lus ceeb toom, raws li pej xeem yuav pom", }
    PublicPlace { en: "Place, as the public will see it", es: "Lugar, como lo verá el público", so: "Goobta, sida dadweynuhu u arki doonaan", hmn: "Qhov chaw, raws li pej xeem yuav pom", }
    PublicPlaceNote { en: "Everyone can read this: no home addresses, no names.", es: "Todos pueden leer esto: sin direcciones de casas ni nombres.", so: "Qof walba wuu akhrin karaa: ha qorin cinwaanno guryo ama magacyo.", hmn: "Txhua tus nyeem tau: tsis txhob sau chaw nyob lossis npe.", }
    AreaShown { en: "Area on the map", es: "Zona en el mapa", so: "Aagga khariidadda", hmn: "Cheeb tsam ntawm daim ntawv qhia", }
    AreaAbout { en: "about {size}", es: "unos {size}", so: "qiyaastii {size}", hmn: "kwv yees li {size}", }
    NoArea { en: "No area", es: "Sin zona", so: "Aag la'aan", hmn: "Tsis muaj cheeb tsam", }
    FilterKind { en: "Kind", es: "Tipo", so: "Nooca", hmn: "Hom", }
    AnyKind { en: "Any kind", es: "Cualquier tipo", so: "Nooc kasta", hmn: "Txhua hom", }
    FilterWhen { en: "When", es: "Cuándo", so: "Goorma", hmn: "Thaum twg", }
    AnyTime { en: "Any time", es: "Cuando sea", so: "Wakhti kasta", hmn: "Txhua lub sijhawm", }
    LastHour { en: "Last hour", es: "Última hora", so: "Saacaddii u dambaysay", hmn: "Ib teev dhau los", }
    LastDay { en: "Last 24 hours", es: "Últimas 24 horas", so: "24-kii saacadood ee u dambeeyay", hmn: "24 teev dhau los", }
    LastWeek { en: "Last 7 days", es: "Últimos 7 días", so: "7-dii maalmood ee u dambeeyay", hmn: "7 hnub dhau los", }
    FilterWhere { en: "Where", es: "Dónde", so: "Halkee", hmn: "Qhov twg", }
    Everywhere { en: "Everywhere", es: "En todas partes", so: "Meel kasta", hmn: "Txhua qhov chaw", }
    SelectReport { en: "Select", es: "Seleccionar", so: "Dooro", hmn: "Xaiv", }
    SelectAllShown { en: "Select all shown", es: "Seleccionar todos los mostrados", so: "Dooro dhammaan kuwa la muujiyay", hmn: "Xaiv txhua yam uas qhia", }
    RejectSelected { en: "Reject selected ({n})", es: "Rechazar seleccionados ({n})", so: "Diid kuwa la doortay ({n})", hmn: "Tsis lees cov xaiv ({n})", }
    RejectWindow { en: "Reject all in this time…", es: "Rechazar todos en este periodo…", so: "Diid dhammaan waqtigan…", hmn: "Tsis lees txhua yam hauv lub sijhawm no…", }
    RejectWindowNote { en: "Every new report these filters select in this time is rejected, also those not loaded yet. None of them will be published.", es: "Se rechaza cada reporte nuevo que estos filtros seleccionan en este periodo, también los que aún no se cargaron. Ninguno se publicará.", so: "Warbixin kasta oo cusub oo shaandhooyinkani doortaan waqtigan waa la diidayaa, xitaa kuwa aan weli la soo rarin. Midna lama daabici doono.", hmn: "Txhua daim ntawv qhia tshiab uas cov lim no xaiv hauv lub sijhawm no raug tsis lees, txawm yog cov tseem tsis tau thauj. Tsis muaj ib daim yuav tshaj tawm.", }
    RejectAllOfThem { en: "reject all of them", es: "rechazarlos todos", so: "diid dhammaantood", hmn: "tsis lees tag nrho", }
    RejectedMany {
        en: "{n} reports rejected: they will not be published.",
        es: "{n} reportes rechazados: no se publicarán.",
        so: "{n} warbixin ayaa la diiday: lama daabici doono.",
        hmn: "{n} daim ntawv qhia raug tsis lees: yuav tsis tshaj tawm.",
    }
    TeamTitle { en: "Organisers", es: "Organizadores", so: "Abaabulayaasha", hmn: "Cov neeg npaj", }
    MakeInvite { en: "Make an invite link", es: "Crear un enlace de invitación", so: "Samee xiriir casuumaad", hmn: "Ua ib txoj kab caw", }
    InviteLink { en: "Invite link", es: "Enlace de invitación", so: "Xiriirka casuumaadda", hmn: "Txoj kab caw", }
    InviteNote {
        en: "It works once, for 24 hours. Send it privately to the one person joining.",
        es: "Funciona una vez, durante 24 horas. Envíalo en privado a la persona que se une.",
        so: "Hal mar ayuu shaqeeyaa, 24 saacadood gudahood. Si qarsoodi ah ugu dir qofka ku soo biiraya.",
        hmn: "Siv tau ib zaug xwb, hauv 24 teev. Xa ntiag rau tus neeg uas yuav koom.",
    }
    CopyLink { en: "Copy the link", es: "Copiar el enlace", so: "Koobi xiriirka", hmn: "Luam txoj kab", }
    AdminRole { en: "admin", es: "administrador", so: "maamule", hmn: "tus thawj", }
    RemoveOrganiser { en: "Remove", es: "Quitar", so: "Ka saar", hmn: "Tshem tawm", }
    ConfirmRemove {
        en: "Remove {name}? Their sessions end at once.",
        es: "¿Quitar a {name}? Sus sesiones terminan de inmediato.",
        so: "Ka saar {name}? Fadhiyadooda isla markiiba way dhammaanayaan.",
        hmn: "Tshem {name} tawm? Lawv lub sijhawm nkag yuav xaus tam sim ntawd.",
    }
    Cancel { en: "Cancel", es: "Cancelar", so: "Jooji", hmn: "Tso tseg", }
    OrganiserRemoved {
        en: "{name} removed: signed out everywhere.",
        es: "{name} quitado: su sesión terminó en todas partes.",
        so: "{name} waa la saaray: meel kasta waa laga saaray.",
        hmn: "Tshem {name} tawm lawm: tawm txhua qhov chaw.",
    }
    JoinTitle { en: "Join the organisers", es: "Únete a los organizadores", so: "Ku biir abaabulayaasha", hmn: "Koom nrog cov neeg npaj", }
    JoinNote {
        en: "Choose the name and password you will sign in with. Nothing else about you is asked or kept.",
        es: "Elige el nombre y la contraseña con los que entrarás. No se pide ni se guarda nada más de ti.",
        so: "Dooro magaca iyo furaha sirta ah ee aad ku gali doonto. Wax kale oo adiga kugu saabsan lama weydiinayo lamana kaydinayo.",
        hmn: "Xaiv lub npe thiab lo lus zais uas koj yuav siv nkag. Tsis nug thiab tsis khaws lwm yam txog koj.",
    }
    PasswordHint { en: "At least 12 characters", es: "Al menos 12 caracteres", so: "Ugu yaraan 12 xaraf", hmn: "Tsawg kawg 12 tus niam ntawv", }
    Join { en: "Join", es: "Unirme", so: "Ku biir", hmn: "Koom", }
    Joined {
        en: "You are an organiser now: sign in with your name and password.",
        es: "Ya eres organizador: entra con tu nombre y contraseña.",
        so: "Hadda waxaad tahay abaabule: ku gal magacaaga iyo furahaaga sirta ah.",
        hmn: "Koj yog ib tug neeg npaj lawm: nkag nrog koj lub npe thiab lo lus zais.",
    }
    InviteUsed {
        en: "This invite link has been used or is more than a day old: ask for a new one.",
        es: "Este enlace de invitación ya se usó o tiene más de un día: pide uno nuevo.",
        so: "Xiriirkan casuumaadda waa la isticmaalay ama wuu ka da' weyn yahay hal maalin: weydii mid cusub.",
        hmn: "Txoj kab caw no twb siv lawm los yog dhau ib hnub lawm: thov ib txoj tshiab.",
    }
    NameTaken { en: "Another organiser has this name: choose another.", es: "Otro organizador tiene este nombre: elige otro.", so: "Abaabule kale ayaa leh magacan: dooro mid kale.", hmn: "Muaj lwm tus neeg npaj siv lub npe no lawm: xaiv lwm lub.", }
    PasswordTooShort { en: "Use at least 12 characters.", es: "Usa al menos 12 caracteres.", so: "Isticmaal ugu yaraan 12 xaraf.", hmn: "Siv tsawg kawg 12 tus niam ntawv.", }
    JoinFailed { en: "That did not work: try again.", es: "No funcionó: vuelve a intentarlo.", so: "Taasi ma shaqayn: isku day mar kale.", hmn: "Qhov ntawd tsis ua haujlwm: sim dua.", }
    AuditTitle { en: "What organisers did", es: "Lo que hicieron los organizadores", so: "Waxa abaabulayaashu sameeyeen", hmn: "Tej yam cov neeg npaj tau ua", }
    AuditShow { en: "Show the latest 50", es: "Mostrar los últimos 50", so: "Muuji 50-kii u dambeeyay", hmn: "Qhia 50 zaj tshiab tshaj", }
    AuditCreated { en: "created", es: "creó", so: "abuuray", hmn: "tsim", }
    AuditChanged { en: "changed", es: "cambió", so: "beddelay", hmn: "hloov", }
    AuditDeleted { en: "deleted", es: "borró", so: "tirtiray", hmn: "rho tawm", }
    AuditImported { en: "imported", es: "importó", so: "soo geliyay", hmn: "muab tso rau", }
    AuditPublished { en: "published as an alert", es: "publicó como alerta", so: "u daabacay digniin ahaan", hmn: "tshaj tawm ua ceeb toom", }
    AuditRejected { en: "rejected", es: "rechazó", so: "diiday", hmn: "tsis lees", }
    AuditResolved { en: "marked resolved", es: "marcó como resuelto", so: "u calaamadeeyay xallisan", hmn: "cim tias daws lawm", }
    AuditFalseAlarm { en: "took down as a false alarm", es: "retiró como falsa alarma", so: "u degay digniin been ah", hmn: "muab tshem vim yog lus cuav", }
    AuditOver { en: "took down: it is over", es: "retiró: ya terminó", so: "la degay: wuu dhammaaday", hmn: "muab tshem: tas lawm", }
    AuditInvite { en: "made an invite link", es: "creó un enlace de invitación", so: "sameeyay xiriir casuumaad", hmn: "ua ib txoj kab caw", }
    AuditJoin { en: "brought in", es: "incorporó a", so: "soo biiriyay", hmn: "coj los koom", }
    AuditRemoved { en: "removed", es: "quitó a", so: "ka saaray", hmn: "tshem tawm", }
    ShowOlder { en: "Show older reports", es: "Mostrar reportes anteriores", so: "Muuji warbixinnada hore", hmn: "Qhia cov ntawv qhia qub", }
    UpdateAlert { en: "Update…", es: "Actualizar…", so: "Cusboonaysii…", hmn: "Hloov tshiab…", }
    TakeDown { en: "Take down…", es: "Retirar…", so: "Ka qaad…", hmn: "Muab tshem…", }
    FalseAlarm { en: "False alarm", es: "Falsa alarma", so: "Qaylo-dhaan been ah", hmn: "Tsis yog tiag", }
    ItIsOver { en: "It's over", es: "Ya terminó", so: "Way dhammaatay", hmn: "Dhau lawm", }
    AlertUpdated { en: "Alert updated. Phones get the new text at once when online.", es: "Alerta actualizada. Los teléfonos reciben el texto nuevo en cuanto tengan conexión.", so: "Digniinta waa la cusboonaysiiyay. Taleefannadu waxay helayaan qoraalka cusub isla markaba marka ay khadka ku jiraan.", hmn: "Hloov ceeb toom lawm. Cov xov tooj yuav tau cov lus tshiab tam sim thaum muaj internet.", }
    AlertTakenDown { en: "Alert taken down. Phones show \"All clear\" for an hour.", es: "Alerta retirada. Los teléfonos muestran \"Todo despejado\" durante una hora.", so: "Digniinta waa la qaaday. Taleefannadu waxay muujinayaan \"Wax khatar ah ma jiraan\" hal saac.", hmn: "Muab ceeb toom tshem lawm. Cov xov tooj qhia \"Tsis muaj teeb meem lawm\" ib teev.", }
    AlertLifetimeFromNow { en: "Keep it up from now", es: "Duración desde ahora", so: "Hay muddo laga bilaabo hadda", hmn: "Tso ntev npaum li cas txij no mus", }
    KeepLifetime { en: "as it is", es: "sin cambio", so: "sidii ay ahayd", hmn: "tsis hloov", }
    SaveAlert { en: "Save alert", es: "Guardar alerta", so: "Kaydi digniinta", hmn: "Khaws ceeb toom", }
    InOtherLanguages { en: "The text in other languages", es: "El texto en otros idiomas", so: "Qoraalka luqado kale", hmn: "Cov lus ua lwm yam lus", }
    AllClear { en: "All clear", es: "Todo despejado", so: "Wax khatar ah ma jiraan", hmn: "Tsis muaj teeb meem lawm", }
    WasFalseAlarm { en: "{kind}: it was a false alarm.", es: "{kind}: fue una falsa alarma.", so: "{kind}: waxay ahayd qaylo-dhaan been ah.", hmn: "{kind}: tsis yog tiag.", }
    WasOver { en: "{kind}: it's over.", es: "{kind}: ya terminó.", so: "{kind}: way dhammaatay.", hmn: "{kind}: dhau lawm.", }
    TakenDownAt { en: "Taken down at {time}", es: "Retirada a las {time}", so: "La qaaday {time}", hmn: "Muab tshem thaum {time}", }
    AlertLifetime { en: "Keep it up", es: "Duración de la alerta", so: "Hay muddo", hmn: "Tso ntev npaum li cas", }
    Publish { en: "Publish alert", es: "Publicar alerta", so: "Daabac digniinta", hmn: "Tshaj tawm ceeb toom", }
    Published { en: "Alert published until {time}.", es: "Alerta publicada hasta {time}.", so: "Digniinta waa la daabacay ilaa {time}.", hmn: "Ceeb toom tshaj tawm txog {time}.", }
    ForMinutes { en: "for {n} min", es: "durante {n} min", so: "{n} daqiiqo", hmn: "{n} feeb", }
    ForHours { en: "for {n} h", es: "durante {n} h", so: "{n} saacadood", hmn: "{n} teev", }
    Edit { en: "Edit", es: "Editar", so: "Wax ka beddel", hmn: "Kho", }
    EditTitle { en: "Edit listing", es: "Editar ficha", so: "Wax ka beddel liiska", hmn: "Kho daim ntawv", }
    Save { en: "Save", es: "Guardar", so: "Kaydi", hmn: "Khaws", }
    SavedEdit { en: "Saved. Phones get it at their next update.", es: "Guardado. Los teléfonos lo reciben en su próxima actualización.", so: "Waa la kaydiyay. Taleefannadu waxay helayaan cusboonaysiinta xigta.", hmn: "Khaws lawm. Cov xov tooj yuav tau txais thaum hloov tshiab tom ntej.", }
    ConflictTitle { en: "Someone changed this while you were editing. Choose which version to keep.", es: "Alguien cambió esto mientras editabas. Elige qué versión conservar.", so: "Qof ayaa beddelay tan intaad wax ka beddelaysay. Dooro nooca la hayo.", hmn: "Muaj ib tug hloov qhov no thaum koj tab tom kho. Xaiv seb yuav khaws qhov twg.", }
    DeletedMeanwhile { en: "Someone deleted this listing while you were editing.", es: "Alguien borró esta ficha mientras editabas.", so: "Qof ayaa tirtiray liiskan intaad wax ka beddelaysay.", hmn: "Muaj ib tug rho daim ntawv no tawm thaum koj tab tom kho.", }
    OtherChangesKept { en: "Other changes made on the server are kept either way.", es: "Los demás cambios hechos en el servidor se conservan en ambos casos.", so: "Isbeddelada kale ee server-ka lagu sameeyay waa la hayaa labada xaaladoodba.", hmn: "Lwm yam hloov ntawm lub server tseem khaws cia txawm xaiv qhov twg.", }
    Yours { en: "Your edit", es: "Tu cambio", so: "Beddelkaaga", hmn: "Koj qhov kho", }
    Theirs { en: "Now on the server", es: "Ahora en el servidor", so: "Hadda server-ka", hmn: "Tam sim no ntawm lub server", }
    KeepMine { en: "Keep my edit", es: "Conservar mi cambio", so: "Hay beddelkayga", hmn: "Khaws kuv qhov kho", }
    UseTheirs { en: "Use the server's", es: "Usar la del servidor", so: "Isticmaal kan server-ka", hmn: "Siv lub server li", }
    GoingAhead { en: "Going ahead", es: "Sigue en pie", so: "Wuu socdaa", hmn: "Tseem muaj", }
    FieldTitle { en: "Title", es: "Título", so: "Cinwaan", hmn: "Lub npe", }
    FieldStatus { en: "Status", es: "Estado", so: "Xaalad", hmn: "Xwm txheej", }
    FieldDescription { en: "Description", es: "Descripción", so: "Sharaxaad", hmn: "Piav qhia", }
    FieldPlace { en: "Place", es: "Lugar", so: "Goobta", hmn: "Qhov chaw", }
    FieldAddress { en: "Address", es: "Dirección", so: "Cinwaanka", hmn: "Chaw nyob", }
    OrganisedByField { en: "Organised by", es: "Organiza", so: "Waxaa abaabulay", hmn: "Npaj los ntawm", }
    FieldName { en: "Name", es: "Nombre", so: "Magac", hmn: "Npe", }
    FieldOrganisation { en: "Organisation", es: "Organización", so: "Ururka", hmn: "Koom haum", }
    FieldPhone { en: "Phone", es: "Teléfono", so: "Taleefan", hmn: "Xov tooj", }
    FieldServiceArea { en: "Area served (when no place is shown)", es: "Zona que atiende (cuando no se muestra un lugar)", so: "Deegaanka loo adeego (marka goob la muujin)", hmn: "Cheeb tsam pab (thaum tsis qhia qhov chaw)", }
    FieldLastVerified { en: "Last verified", es: "Verificado por última vez", so: "La hubiyay markii u dambaysay", hmn: "Kuaj zaum kawg", }
    FieldText { en: "Text", es: "Texto", so: "Qoraal", hmn: "Ntawv", }
    FieldSource { en: "Source organisation", es: "Organización de origen", so: "Ururka laga soo xigtay", hmn: "Koom haum qhov chaw", }
    FieldReviewed { en: "Reviewed on", es: "Revisado el", so: "Dib loo eegay", hmn: "Tshuaj xyuas hnub", }
    FieldKind { en: "Kind of event", es: "Tipo de evento", so: "Nooca dhacdada", hmn: "Hom kev tshwm sim", }
    FieldCategory { en: "Category", es: "Categoría", so: "Qaybta", hmn: "Pawg", }
    FieldStarts { en: "Starts", es: "Empieza", so: "Wuxuu bilaabmayaa", hmn: "Pib", }
    FieldEnds { en: "Ends (optional)", es: "Termina (opcional)", so: "Wuxuu dhammaanayaa (ikhtiyaari)", hmn: "Xaus (xaiv tau)", }
    FieldTimeZone { en: "Time zone (times above are in it)", es: "Zona horaria (de las horas de arriba)", so: "Waqtiga gobolka (saacadaha kore)", hmn: "Cheeb tsam sijhawm (rau cov sijhawm saum no)", }
    FieldLatitude { en: "Latitude (map point)", es: "Latitud (punto en el mapa)", so: "Loolka (barta khariidadda)", hmn: "Latitude (qhov chaw ntawm daim ntawv qhia)", }
    FieldLongitude { en: "Longitude (map point)", es: "Longitud (punto en el mapa)", so: "Dhigga (barta khariidadda)", hmn: "Longitude (qhov chaw ntawm daim ntawv qhia)", }
    FieldAccessibility { en: "Accessibility (optional)", es: "Accesibilidad (opcional)", so: "Helitaanka dadka naafada ah (ikhtiyaari)", hmn: "Kev nkag tau rau neeg xiam oob qhab (xaiv tau)", }
    FieldLanguages { en: "Languages spoken", es: "Idiomas que se hablan", so: "Luqadaha lagu hadlo", hmn: "Cov lus hais", }
    FieldLanguage { en: "Language of the card", es: "Idioma de la tarjeta", so: "Luqadda kaarka", hmn: "Hom lus ntawm daim npav", }
    FieldHours { en: "Opening hours", es: "Horario", so: "Saacadaha furitaanka", hmn: "Sijhawm qhib", }
    HoursOpen { en: "Opens", es: "Abre", so: "Furmaa", hmn: "Qhib", }
    HoursClose { en: "Closes", es: "Cierra", so: "Xirmaa", hmn: "Kaw", }
    HoursNextDay { en: "closes the next day", es: "cierra al día siguiente", so: "wuxuu xirmaa maalinta xigta", hmn: "kaw hnub tom qab", }
    AddHours { en: "Add opening hours", es: "Añadir horario", so: "Ku dar saacado furitaan", hmn: "Ntxiv sijhawm qhib", }
    RemoveHours { en: "Remove these hours", es: "Quitar este horario", so: "Ka saar saacadahan", hmn: "Tshem sijhawm no", }
    NoHours { en: "No opening hours: the listing says nothing about when it is open.", es: "Sin horario: la ficha no dice cuándo está abierto.", so: "Saacado furitaan ma jiraan: liisku ma sheegayo goorta uu furan yahay.", hmn: "Tsis muaj sijhawm qhib: daim ntawv tsis qhia thaum twg qhib.", }
    UsePosition { en: "Use this phone's position", es: "Usar la ubicación de este teléfono", so: "Isticmaal goobta taleefankan", hmn: "Siv qhov chaw ntawm lub xov tooj no", }
    PointNote { en: "Where the listing is shown on the map. Leave both empty for none.", es: "Dónde aparece la ficha en el mapa. Deje ambos vacíos para ninguno.", so: "Halka liiska laga muujinayo khariidadda. Labadaba madhan u daa haddii aanay jirin.", hmn: "Qhov chaw uas daim ntawv tshwm rau ntawm daim ntawv qhia. Tso ob qho khoob yog tsis muaj.", }
    OtherLanguageCodes { en: "Other languages (codes, such as ar, fr)", es: "Otros idiomas (códigos, como ar, fr)", so: "Luqado kale (koodh, sida ar, fr)", hmn: "Lwm hom lus (code, xws li ar, fr)", }
    FixFields { en: "Some fields need a change: see the notes under them.", es: "Algunos campos necesitan un cambio: vea las notas debajo de ellos.", so: "Meelaha qaar ayaa u baahan beddel: eeg qoraalada hoostooda.", hmn: "Qee cov teb yuav tsum hloov: saib cov lus hauv qab lawv.", }
    NewListings { en: "New listing", es: "Nueva ficha", so: "Liis cusub", hmn: "Daim ntawv tshiab", }
    NewEvent { en: "New event", es: "Nuevo evento", so: "Dhacdo cusub", hmn: "Kev tshwm sim tshiab", }
    NewResource { en: "New resource", es: "Nuevo recurso", so: "Kheyraad cusub", hmn: "Kev pab tshiab", }
    NewCard { en: "New rights card", es: "Nueva tarjeta de derechos", so: "Kaar xuquuq cusub", hmn: "Daim npav cai tshiab", }
    Duplicate { en: "Duplicate", es: "Duplicar", so: "Nuqul samee", hmn: "Theej", }
    DuplicateNote { en: "A copy: change what differs, then create it.", es: "Una copia: cambie lo que sea distinto y créela.", so: "Nuqul: beddel waxa ka duwan, kadibna samee.", hmn: "Ib daim theej: hloov qhov txawv, ces tsim.", }
    Create { en: "Create", es: "Crear", so: "Samee", hmn: "Tsim", }
    Created { en: "Created. Phones get it at their next update.", es: "Creado. Los teléfonos lo reciben en su próxima actualización.", so: "Waa la sameeyay. Taleefannadu waxay helayaan cusboonaysiinta xigta.", hmn: "Tsim lawm. Cov xov tooj yuav tau txais thaum hloov tshiab tom ntej.", }
    OpenListing { en: "Open its page", es: "Abrir su página", so: "Fur boggeeda", hmn: "Qhib nws nplooj", }
    KeptOnPhone { en: "Saved on this phone: it is sent when the phone is online.", es: "Guardado en este teléfono: se envía cuando el teléfono tenga conexión.", so: "Waxaa lagu kaydiyay taleefankan: waa la diri doonaa marka taleefanku khadka ku jiro.", hmn: "Khaws rau hauv lub xov tooj no lawm: yuav xa thaum lub xov tooj muaj internet.", }
    WaitingEdits { en: "Changes waiting on this phone", es: "Cambios en espera en este teléfono", so: "Isbeddellada ku sugaya taleefankan", hmn: "Tej yam hloov tos hauv lub xov tooj no", }
    EditWaiting { en: "Sent when online", es: "Se envía al tener conexión", so: "Waa la diri marka khadka la helo", hmn: "Yuav xa thaum muaj internet", }
    EditNeedsChoice { en: "Someone else changed it too: open it to choose", es: "Alguien más también lo cambió: ábralo para elegir", so: "Qof kale ayaa sidoo kale beddelay: fur si aad u doorato", hmn: "Lwm tus kuj hloov thiab: qhib los xaiv", }
    EditRefused { en: "Not accepted: open it to fix", es: "No aceptado: ábralo para corregirlo", so: "Lama aqbalin: fur si aad u saxdo", hmn: "Tsis txais: qhib los kho", }
    SessionsTitle { en: "Where you are signed in", es: "Dónde tiene la sesión abierta", so: "Halka aad ka gashay", hmn: "Qhov chaw koj nkag lawm", }
    SessionsNote { en: "Only when each was last used is shown: the server keeps no address or device of a session.", es: "Solo se muestra cuándo se usó cada una por última vez: el servidor no guarda ninguna dirección ni dispositivo de una sesión.", so: "Waxaa la muujiyaa oo keliya goorta mid walba la isticmaalay markii u dambaysay: server-ku ma hayo cinwaan ama qalab fadhiga.", hmn: "Tsuas qhia thaum twg siv zaum kawg xwb: lub server tsis khaws chaw nyob lossis khoom siv ntawm ib qho kev nkag.", }
    ThisPhone { en: "This phone", es: "Este teléfono", so: "Taleefankan", hmn: "Lub xov tooj no", }
    UsedNow { en: "Another phone, used just now", es: "Otro teléfono, usado ahora mismo", so: "Taleefan kale, hadda la isticmaalay", hmn: "Lwm lub xov tooj, siv tam sim no", }
    UsedMinutes { en: "Another phone, used {n} min ago", es: "Otro teléfono, usado hace {n} min", so: "Taleefan kale, la isticmaalay {n} daqiiqo ka hor", hmn: "Lwm lub xov tooj, siv {n} feeb dhau los", }
    UsedHours { en: "Another phone, used {n} h ago", es: "Otro teléfono, usado hace {n} h", so: "Taleefan kale, la isticmaalay {n} saacadood ka hor", hmn: "Lwm lub xov tooj, siv {n} teev dhau los", }
    UsedDays { en: "Another phone, used {n} days ago", es: "Otro teléfono, usado hace {n} días", so: "Taleefan kale, la isticmaalay {n} maalmood ka hor", hmn: "Lwm lub xov tooj, siv {n} hnub dhau los", }
    NotUsedYet { en: "Another phone, not used since signing in", es: "Otro teléfono, sin uso desde que inició sesión", so: "Taleefan kale, lama isticmaalin tan iyo markii la galay", hmn: "Lwm lub xov tooj, tsis tau siv txij thaum nkag", }
    EndSession { en: "Sign out there", es: "Cerrar la sesión allí", so: "Halkaas ka bax", hmn: "Tawm ntawm qhov ntawd", }
    SignedOutThere { en: "Signed out there: that phone must sign in again.", es: "Sesión cerrada allí: ese teléfono debe iniciar sesión de nuevo.", so: "Halkaas waa laga baxay: taleefankaas waa inuu mar kale galo.", hmn: "Tawm lawm: lub xov tooj ntawd yuav tsum nkag dua.", }
    ReportsMapShow { en: "The reports on a map", es: "Los reportes en un mapa", so: "Warbixinnada khariidad ku yaal", hmn: "Cov ntawv qhia ntawm daim ntawv qhia chaw", }
    ReportsMapLabel { en: "The areas of {n} reports listed, each about as precise as the reporter chose.", es: "Las zonas de {n} reportes de la lista, cada una tan precisa como eligió quien reportó.", so: "Aagagga {n} warbixin ee liiska ku jira, mid walba sida uu warbixiyuhu doortay.", hmn: "Cov cheeb tsam ntawm {n} daim ntawv qhia hauv daim ntawv teev, txhua daim raws li tus qhia xaiv.", }
    PointOnMap { en: "Set the point on a map", es: "Poner el punto en un mapa", so: "Barta dhig khariidad", hmn: "Teeb qhov chaw ntawm daim ntawv qhia", }
    PointOnMapLabel { en: "Map: drag the pin, or tap where the listing is", es: "Mapa: arrastre el marcador o toque donde está la ficha", so: "Khariidad: jiid calaamadda, ama taabo halka liisku yaal", hmn: "Daim ntawv qhia: rub tus pin, lossis nias qhov chaw uas nws nyob", }
    FieldLinks { en: "Links (one per line, optional)", es: "Enlaces (uno por línea, opcional)", so: "Xiriirro (mid sadar kasta, ikhtiyaari)", hmn: "Txuas (ib kab ib qho, xaiv tau)", }
    LetGoChange { en: "Forget this change", es: "Olvidar este cambio", so: "Iska ilow isbeddelkan", hmn: "Tsis nco qhov hloov no", }
    DeleteListing { en: "Delete…", es: "Borrar…", so: "Tirtir…", hmn: "Rho tawm…", }
    DeleteForEveryone { en: "Delete for everyone", es: "Borrar para todos", so: "U tirtir qof walba", hmn: "Rho tawm rau txhua tus", }
    DeleteNote { en: "Phones remove it at their next update. This cannot be undone.", es: "Los teléfonos la quitan en su próxima actualización. No se puede deshacer.", so: "Taleefannadu waxay ka saarayaan cusboonaysiinta xigta. Dib looma celin karo.", hmn: "Cov xov tooj yuav tshem thaum hloov tshiab tom ntej. Rov qab tsis tau.", }
    Refused {
        en: "The server did not accept a report: {reason}",
        es: "El servidor no aceptó un reporte: {reason}",
        so: "Server-ku ma aqbalin warbixin: {reason}",
        hmn: "Lub server tsis txais ib daim ntawv qhia: {reason}",
    }
    MapLabel {
        en: "Map of events, resources and alerts",
        es: "Mapa de eventos, recursos y alertas",
        so: "Khariidadda dhacdooyinka, adeegyada iyo digniinaha",
        hmn: "Daim qhia chaw ntawm kev sib sau, kev pab thiab ceeb toom",
    }
    MapLoading { en: "Loading the map…", es: "Cargando el mapa…", so: "Khariidadda ayaa soo degaysa…", hmn: "Tab tom qhib daim qhia chaw…", }
    MapFailed {
        en: "The map could not be loaded. The first time, it needs a connection; the lists work without one.",
        es: "No se pudo cargar el mapa. La primera vez necesita conexión; las listas funcionan sin ella.",
        so: "Khariidadda lama soo dejin karin. Markii ugu horreysay waxay u baahan tahay internet; liisaska way shaqeeyaan la'aantiis.",
        hmn: "Qhib tsis tau daim qhia chaw. Thawj zaug yuav tsum muaj internet; cov npe siv tau yam tsis muaj.",
    }
    MapNoTiles {
        en: "Map tiles are unavailable: places are shown on a plain background.",
        es: "El fondo del mapa no está disponible: los lugares se muestran sobre un fondo liso.",
        so: "Sawirrada khariidadda lama heli karo: goobaha waxaa lagu muujiyay asal cad.",
        hmn: "Tsis muaj duab daim qhia chaw: cov chaw tshwm rau ntawm ib daim tiaj tiaj.",
    }
    MapNotPlaced {
        en: "{n} not on the map: they give an area or cross streets, not a place.",
        es: "{n} no están en el mapa: indican una zona o un cruce de calles, no un lugar.",
        so: "{n} kuma jiraan khariidadda: waxay bixiyaan deegaan ama isgoys, ma aha goob.",
        hmn: "{n} tsis nyob rau daim qhia chaw: lawv qhia ib cheeb tsam los sis kev sib tshuam, tsis yog ib qho chaw.",
    }
    MapFiltered {
        en: "Resources are filtered as on the Resources list.",
        es: "Los recursos se filtran como en la lista de Recursos.",
        so: "Adeegyada waxaa loo shaandheeyay sida liiska Adeegyada.",
        hmn: "Kev pab raug lim ib yam li hauv daim npe Kev pab.",
    }
    ChangeFilters { en: "Change filters", es: "Cambiar filtros", so: "Beddel shaandhada", hmn: "Hloov cov lim", }
    MapLayers { en: "Show on the map", es: "Mostrar en el mapa", so: "Ku muuji khariidadda", hmn: "Qhia rau daim qhia chaw", }
    MapShow { en: "Show on the map", es: "Ver en el mapa", so: "Ku eeg khariidadda", hmn: "Saib rau daim qhia chaw", }
    NearMe { en: "Near me", es: "Cerca de mí", so: "Agagaarkayga", hmn: "Ze kuv", }
    MapDetails { en: "Details", es: "Detalles", so: "Faahfaahin", hmn: "Saib ntxiv", }
    MapZoomInButton { en: "Zoom in", es: "Acercar", so: "Soo dhawee", hmn: "Nthuav loj", }
    MapZoomOutButton { en: "Zoom out", es: "Alejar", so: "Ka fogee", hmn: "Ua me", }
    MapClose { en: "Close", es: "Cerrar", so: "Xir", hmn: "Kaw", }
    MapZoomIn { en: "{n} places: zoom in", es: "{n} lugares: acercar", so: "{n} goobood: soo dhawee", hmn: "{n} qhov chaw: nthuav loj", }
    MapHere { en: "{n} places here", es: "{n} lugares aquí", so: "{n} goobood halkan", hmn: "{n} qhov chaw ntawm no", }
    MapEvent { en: "Event:", es: "Evento:", so: "Dhacdo:", hmn: "Kev sib sau:", }
    MapResource { en: "Resource:", es: "Recurso:", so: "Adeeg:", hmn: "Kev pab:", }
    MapAlert { en: "Alert:", es: "Alerta:", so: "Digniin:", hmn: "Ceeb toom:", }
    MapLegend { en: "What the shapes mean", es: "Qué significan las formas", so: "Waxa qaababku ka dhigan yihiin", hmn: "Cov duab txhais li cas", }
    MapLegendGroup { en: "Several places", es: "Varios lugares", so: "Dhowr goobood", hmn: "Ob peb qhov chaw", }
    MapLegendAlert { en: "Alert: about where", es: "Alerta: más o menos dónde", so: "Digniin: qiyaastii halka", hmn: "Ceeb toom: kwv yees qhov twg", }
    MapAreaLabel { en: "Map of the report's area", es: "Mapa de la zona del reporte", so: "Khariidadda aagga warbixinta", hmn: "Daim qhia chaw ntawm cheeb tsam ntawv qhia", }
    MapAreaShow { en: "Area on a map", es: "Zona en un mapa", so: "Aagga khariidad ku yaal", hmn: "Cheeb tsam ntawm daim qhia chaw", }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_translation_has_the_placeholders_of_english() {
        for key in T::ALL {
            let english = placeholders(key.text(Lang::En));
            for lang in Lang::ALL {
                assert_eq!(placeholders(key.text(lang)), english, "{key:?} in {lang:?}");
            }
        }
    }

    /// Names, numbers and loanwords may read the same in two languages; whole untranslated
    /// sentences may not.
    #[test]
    fn drafts_are_translated_not_copied_from_english() {
        for lang in [Lang::Es, Lang::So, Lang::Hmn] {
            let copied: Vec<T> = T::ALL
                .iter()
                .copied()
                .filter(|key| {
                    key.text(lang) == key.text(Lang::En) && key.text(Lang::En).contains(' ')
                })
                .collect();
            assert!(copied.is_empty(), "{lang:?} copies English for {copied:?}");
        }
    }

    #[test]
    fn browser_tags_match_by_primary_subtag() {
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("HMN"), Some(Lang::Hmn));
        assert_eq!(Lang::from_tag("so_SO"), Some(Lang::So));
        assert_eq!(Lang::from_tag("fr-CA"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
