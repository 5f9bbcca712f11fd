//! Interface text: placeholders, shared by the app's translations and the map chunk.

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
    use super::fill;

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
