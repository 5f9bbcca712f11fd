//! What the app hands the map chunk (`map/`), a WASM module of its own: the kind of each place
//! and the words the map shows. Both sides name them here, so neither reads the other's values by
//! position.

/// What a place on the map is. It crosses to the chunk as one byte per place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum PlaceKind {
    Event = 0,
    Resource = 1,
    Alert = 2,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 3] = [Self::Event, Self::Resource, Self::Alert];

    pub fn byte(self) -> u8 {
        self as u8
    }

    pub fn from_byte(byte: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.byte() == byte)
    }
}

/// The words the map shows, in the person's language; `{n}` is a count (see `text::fill`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapWords {
    /// A place's popup link.
    pub details: String,
    /// A cluster's label: "{n} places: zoom in".
    pub zoom_in: String,
    /// Places that stay together at the closest zoom: "{n} places here".
    pub here: String,
    /// Label prefixes of a place by kind: "Event:", "Resource:", "Alert:".
    pub event: String,
    pub resource: String,
    pub alert: String,
    /// The legend of the layer switches, and the switches by kind.
    pub layers: String,
    pub events: String,
    pub resources: String,
    pub alerts: String,
    /// Shown while tiles cannot be had.
    pub no_tiles: String,
    /// The legend of the shapes: its name, and the words for a group of places and an alert's
    /// area (events, resources and alerts are named by their switches).
    pub legend: String,
    pub group: String,
    pub alert_area: String,
    /// Leaflet's own controls: the zoom buttons and a popup's close button.
    pub zoom_in_button: String,
    pub zoom_out_button: String,
    pub close: String,
}

impl MapWords {
    /// Each word with its name, the way the app hands them to the chunk (a JS object).
    pub fn named(&self) -> [(&'static str, &str); 17] {
        [
            ("details", &self.details),
            ("zoom_in", &self.zoom_in),
            ("here", &self.here),
            ("event", &self.event),
            ("resource", &self.resource),
            ("alert", &self.alert),
            ("layers", &self.layers),
            ("events", &self.events),
            ("resources", &self.resources),
            ("alerts", &self.alerts),
            ("no_tiles", &self.no_tiles),
            ("legend", &self.legend),
            ("group", &self.group),
            ("alert_area", &self.alert_area),
            ("zoom_in_button", &self.zoom_in_button),
            ("zoom_out_button", &self.zoom_out_button),
            ("close", &self.close),
        ]
    }

    /// The words read back by name, the way the chunk takes them; a missing one is empty.
    pub fn from_named(word: impl Fn(&str) -> Option<String>) -> Self {
        let word = |name: &str| word(name).unwrap_or_default();
        MapWords {
            details: word("details"),
            zoom_in: word("zoom_in"),
            here: word("here"),
            event: word("event"),
            resource: word("resource"),
            alert: word("alert"),
            layers: word("layers"),
            events: word("events"),
            resources: word("resources"),
            alerts: word("alerts"),
            no_tiles: word("no_tiles"),
            legend: word("legend"),
            group: word("group"),
            alert_area: word("alert_area"),
            zoom_in_button: word("zoom_in_button"),
            zoom_out_button: word("zoom_out_button"),
            close: word("close"),
        }
    }

    /// The label prefix of a kind of place.
    pub fn kind(&self, kind: PlaceKind) -> &str {
        match kind {
            PlaceKind::Event => &self.event,
            PlaceKind::Resource => &self.resource,
            PlaceKind::Alert => &self.alert,
        }
    }

    /// The layer switch of a kind of place.
    pub fn layer(&self, kind: PlaceKind) -> &str {
        match kind {
            PlaceKind::Event => &self.events,
            PlaceKind::Resource => &self.resources,
            PlaceKind::Alert => &self.alerts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_kinds_survive_the_byte() {
        for kind in PlaceKind::ALL {
            assert_eq!(PlaceKind::from_byte(kind.byte()), Some(kind));
        }
        assert_eq!(PlaceKind::from_byte(3), None);
    }

    #[test]
    fn words_survive_the_crossing_by_name() {
        let words = MapWords::from_named(|name| Some(format!("<{name}>")));
        let named = words.named();
        let back = MapWords::from_named(|name| {
            named
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, w)| (*w).to_owned())
        });
        assert_eq!(back, words);
        // Every name is read back into its own field.
        for (name, word) in named {
            assert_eq!(word, format!("<{name}>"));
        }
        assert_eq!(words.kind(PlaceKind::Alert), "<alert>");
        assert_eq!(words.layer(PlaceKind::Resource), "<resources>");
        assert_eq!(MapWords::from_named(|_| None), MapWords::default());
    }
}
