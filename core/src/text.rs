//! Text: interface placeholders (shared by the app's translations and the map chunk), and the
//! checks that keep people's text honest: no hidden formatting that reorders or hides what is
//! shown, and no precise positions typed into a report.

/// Characters that change how text displays without showing themselves, and that no one needs in
/// a listing or a report: the bidirectional embeddings, overrides and isolates (which can make
/// "gro.elpmaxe" read as "example.org"), zero-width spaces and joiners of words, invisible
/// operators, the byte-order mark and interlinear annotations. (Zero-width joiners and non-joiners,
/// left-to-right and right-to-left marks and soft hyphens have real uses in writing and emoji, and
/// are allowed, but never count as saying something: see [`is_blank`].)
pub fn is_hidden_formatting(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{180E}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// True when `text` shows nothing: only white space and characters that display nothing.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || is_hidden_formatting(c)
            || matches!(c, '\u{200C}'..='\u{200F}' | '\u{00AD}')
    })
}

/// The most decimals a coordinate in a report's text may have: three is about 100 m.
pub const MAX_COORDINATE_DECIMALS: usize = 3;

/// True when `text` holds what looks like a precise coordinate: a number of at most three digits
/// before the point (so up to 180) and more than [`MAX_COORDINATE_DECIMALS`] after it, like the
/// `44.9630512` a map app copies. Reports give an area, never a point.
pub fn has_precise_coordinate(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        if b != b'.' {
            return false;
        }
        let whole = bytes[..i]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let starts_number = i == whole
            || !bytes[i - whole - 1].is_ascii_alphanumeric() && bytes[i - whole - 1] != b'.';
        let decimals = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (1..=3).contains(&whole) && starts_number && decimals > MAX_COORDINATE_DECIMALS
    })
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_formatting_is_found_and_blank_text_is_blank() {
        for c in ['\u{202E}', '\u{2067}', '\u{200B}', '\u{2060}', '\u{FEFF}'] {
            assert!(is_hidden_formatting(c), "{c:?}");
        }
        for c in ['a', ' ', '\u{200D}', '\u{200F}', 'é', 'ñ'] {
            assert!(!is_hidden_formatting(c), "{c:?}");
        }
        assert!(is_blank(" \u{200b} "));
        assert!(is_blank("\u{200d}\u{200e}\n\t"));
        assert!(is_blank(""));
        assert!(!is_blank(" Lake St \u{200b}"));
        assert!(!is_blank("👩\u{200d}👧"));
    }

    #[test]
    fn precise_coordinates_are_found_and_everything_else_is_not() {
        for text in [
            "44.9630512,-93.2650871",
            "at 44.96305, -93.26508 by the store",
            "(-93.2651)",
            "lat 4.12345",
        ] {
            assert!(has_precise_coordinate(text), "{text}");
        }
        for text in [
            "44.963, -93.265",
            "Lake St & 5th Ave",
            "about 3.5 km north",
            "version 1.2.34567",
            "call 555-0100 at 10.30",
            "order 1234.56789",
            "x1.23456",
            "",
            ".12345",
        ] {
            assert!(!has_precise_coordinate(text), "{text}");
        }
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("{n} places: zoom in", &[("n", "12")]),
            "12 places: zoom in"
        );
        assert_eq!(
            fill("{a} then {b}, {a}", &[("b", "2"), ("a", "1")]),
            "1 then 2, 1"
        );
        assert_eq!(fill("no {gap}", &[]), "no {gap}");
    }
}
