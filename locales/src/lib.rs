//! The interface text, as translators keep it: one Fluent file per language (`en.ftl`,
//! `es.ftl`, `so.ftl`, `hmn.ftl` beside this crate), compiled by the client's `build.rs` into the
//! compile-time table of `src/i18n.rs`.
//!
//! Only the plain part of Fluent is used: a message is text with `{ $name }` placeholders, one
//! message per interface string. The app fills placeholders itself (`T::fill`), so it needs no
//! Fluent runtime and its size stays that of the strings. Anything more (terms, selectors,
//! attributes, functions) is refused with the file and message it is in, rather than half
//! understood.
//!
//! The build fails, naming file and message, when a file cannot be parsed, a language lacks a
//! message English has or has one English lacks, or a translation's placeholders differ from
//! English's. So no language can fall back to English for one string unnoticed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};

/// The interface languages, in the order the table lists them. English is the reference.
pub const LANGUAGES: [&str; 4] = ["en", "es", "so", "hmn"];

/// One message: its Fluent id and its text in each of [`LANGUAGES`], placeholders written
/// `{name}` as the app fills them.
#[derive(Debug, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub texts: Vec<String>,
}

/// Reads `<lang>.ftl` from `dir` for every language and checks them together.
pub fn load(dir: &Path) -> Result<Vec<Message>, Vec<String>> {
    let mut sources = Vec::new();
    for lang in LANGUAGES {
        let path = dir.join(format!("{lang}.ftl"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
        sources.push((lang, text));
    }
    let borrowed: Vec<(&str, &str)> = sources.iter().map(|(l, t)| (*l, t.as_str())).collect();
    compile(&borrowed)
}

/// Checks the files (`(language, source)`, English first) and returns the messages in English's
/// order, or every problem found.
pub fn compile(sources: &[(&str, &str)]) -> Result<Vec<Message>, Vec<String>> {
    let mut problems = Vec::new();
    let parsed: Vec<(&str, BTreeMap<String, String>, Vec<String>)> = sources
        .iter()
        .map(|(lang, source)| {
            let (messages, order) = parse(lang, source, &mut problems);
            (*lang, messages, order)
        })
        .collect();
    let Some((english, reference, order)) = parsed.first() else {
        return Err(vec!["no language files".to_owned()]);
    };
    for (lang, messages, _) in &parsed[1..] {
        for id in order {
            match messages.get(id) {
                None => problems.push(format!(
                    "{lang}.ftl lacks `{id}`: every message of {english}.ftl needs a translation"
                )),
                Some(text) if placeholders(text) != placeholders(&reference[id]) => {
                    problems.push(format!(
                        "{lang}.ftl: `{id}` has the placeholders {:?}, {english}.ftl has {:?}",
                        placeholders(text),
                        placeholders(&reference[id])
                    ));
                }
                Some(_) => {}
            }
        }
        for id in messages.keys().filter(|id| !reference.contains_key(*id)) {
            problems.push(format!(
                "{lang}.ftl has `{id}`, which {english}.ftl does not: remove it or add it there"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(order
        .iter()
        .map(|id| Message {
            id: id.clone(),
            texts: parsed.iter().map(|(_, m, _)| m[id].clone()).collect(),
        })
        .collect())
}

/// The messages of one file by id, and the ids in file order.
fn parse(
    lang: &str,
    source: &str,
    problems: &mut Vec<String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            for error in errors {
                let line = source[..error.pos.start.min(source.len())]
                    .lines()
                    .count()
                    .max(1);
                problems.push(format!("{lang}.ftl, line {line}: {}", error.kind));
            }
            resource
        }
    };
    let mut messages = BTreeMap::new();
    let mut order = Vec::new();
    for entry in resource.body {
        let message = match entry {
            Entry::Message(message) => message,
            Entry::Term(term) => {
                problems.push(format!(
                    "{lang}.ftl: term `-{}`: terms are not supported",
                    term.id.name
                ));
                continue;
            }
            _ => continue,
        };
        let id = message.id.name.to_owned();
        if !message.attributes.is_empty() {
            problems.push(format!("{lang}.ftl: `{id}`: attributes are not supported"));
        }
        let mut text = String::new();
        for element in message.value.map(|p| p.elements).unwrap_or_default() {
            match element {
                PatternElement::TextElement { value } => text.push_str(value),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::VariableReference { id: var }),
                } => {
                    let _ = write!(text, "{{{}}}", var.name);
                }
                PatternElement::Placeable { .. } => problems.push(format!(
                    "{lang}.ftl: `{id}`: only text and {{ $name }} placeholders are supported"
                )),
            }
        }
        if text.trim().is_empty() {
            problems.push(format!("{lang}.ftl: `{id}` has no text"));
        }
        if messages.insert(id.clone(), text).is_some() {
            problems.push(format!("{lang}.ftl: `{id}` is defined twice"));
        } else {
            order.push(id);
        }
    }
    (messages, order)
}

/// The languages listings are offered in that the app names in every interface language; others
/// are named by the browser's Intl where it can, else shown as their code.
pub const LISTING_LANGUAGES: [&str; 24] = [
    "en", "es", "so", "hmn", "om", "am", "ti", "ar", "vi", "kar", "lo", "th", "my", "zh", "fr",
    "ht", "pt", "ru", "uk", "sw", "ne", "fa", "ps", "ku",
];

/// Every [`LISTING_LANGUAGES`] name in every interface language, as `(interface, code, name)`:
/// from CLDR (ICU4X's compiled data) where it has the interface language, and from
/// `languages/<interface>.ftl` beside this crate for what CLDR lacks (all of Hmong, and Karen),
/// the file winning. A language left without a name fails, naming the file to add it to.
pub fn language_names(
    dir: &Path,
) -> Result<Vec<(&'static str, &'static str, String)>, Vec<String>> {
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for lang in LANGUAGES {
        let file = dir.join("languages").join(format!("{lang}.ftl"));
        let source = std::fs::read_to_string(&file).unwrap_or_default();
        let (own, _) = parse(&format!("languages/{lang}"), &source, &mut problems);
        for code in own
            .keys()
            .filter(|c| !LISTING_LANGUAGES.contains(&c.as_str()))
        {
            problems.push(format!(
                "languages/{lang}.ftl names `{code}`, which is not in LISTING_LANGUAGES"
            ));
        }
        let cldr = cldr_names(lang);
        for code in LISTING_LANGUAGES {
            match own.get(code).cloned().or_else(|| cldr.as_ref()?(code)) {
                Some(name) => names.push((lang, code, name)),
                None => problems.push(format!(
                    "no name for `{code}` in {lang}: add `{code} = …` to locales/languages/{lang}.ftl"
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(names)
    } else {
        Err(problems)
    }
}

/// CLDR's names of languages in `lang`, if CLDR has that language.
fn cldr_names(lang: &str) -> Option<impl Fn(&str) -> Option<String>> {
    use icu_displaynames::{DisplayNamesOptions, LanguageDisplayNames};
    let locale: icu_locid::Locale = lang.parse().ok()?;
    let names =
        LanguageDisplayNames::try_new(&locale.into(), DisplayNamesOptions::default()).ok()?;
    Some(move |code: &str| names.of(code.parse().ok()?).map(str::to_owned))
}

/// The generated `language_name(lang, code)` `src/i18n.rs` includes: two tables and a lookup,
/// far smaller in the WASM than a `match` on string pairs.
pub fn language_names_to_rust(names: &[(&str, &str, String)]) -> String {
    let mut out = format!(
        "const LISTING_LANGUAGES: [&str; {}] = {LISTING_LANGUAGES:?};\n\
         const LANGUAGE_NAMES: [[&str; {}]; {}] = [\n",
        LISTING_LANGUAGES.len(),
        LISTING_LANGUAGES.len(),
        LANGUAGES.len()
    );
    for lang in LANGUAGES {
        let row: Vec<&str> = LISTING_LANGUAGES
            .iter()
            .map(|code| {
                names
                    .iter()
                    .find(|(l, c, _)| *l == lang && c == code)
                    .map_or("", |(_, _, n)| n.as_str())
            })
            .collect();
        let _ = writeln!(out, "    {row:?},");
    }
    out.push_str(
        "];\n\n\
         /// A listing language's name in the interface language (CLDR and locales/languages/).\n\
         pub fn language_name(lang: Lang, code: &str) -> Option<&'static str> {\n    \
         let i = LISTING_LANGUAGES.iter().position(|c| *c == code)?;\n    \
         let row = Lang::ALL.iter().position(|l| *l == lang)?;\n    \
         Some(LANGUAGE_NAMES[row][i])\n\
         }\n",
    );
    out
}

/// The placeholder names of a compiled text, sorted.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The Rust name of a message: `tab-events` is `TabEvents`.
pub fn variant(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The `texts!` invocation `src/i18n.rs` includes: one entry per message, every language.
pub fn to_rust(messages: &[Message]) -> String {
    let mut out = String::from("texts! {\n");
    for message in messages {
        let _ = write!(out, "    {} {{", variant(&message.id));
        for (lang, text) in LANGUAGES.iter().zip(&message.texts) {
            let _ = write!(out, " {lang}: {text:?},");
        }
        out.push_str(" }\n");
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "tab-events = Events\nupdated = Updated { $n } min ago\n";
    const ES: &str = "tab-events = Eventos\nupdated = Actualizado hace { $n } min\n";

    fn problems(es: &str) -> Vec<String> {
        compile(&[("en", EN), ("es", es)]).expect_err("the files should be refused")
    }

    #[test]
    fn the_projects_files_compile_and_every_language_has_every_message() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let messages = load(dir).unwrap_or_else(|problems| panic!("{problems:#?}"));
        assert!(messages.len() > 300, "{} messages", messages.len());
        assert!(messages.iter().all(|m| m.texts.len() == LANGUAGES.len()));
    }

    /// Names, numbers and loanwords may read the same in two languages; whole untranslated
    /// sentences may not.
    #[test]
    fn drafts_are_translated_not_copied_from_english() {
        let messages = load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the files compile");
        for (i, lang) in LANGUAGES.iter().enumerate().skip(1) {
            let copied: Vec<&str> = messages
                .iter()
                .filter(|m| m.texts[i] == m.texts[0] && words(&m.texts[0]).contains(' '))
                .map(|m| m.id.as_str())
                .collect();
            assert!(copied.is_empty(), "{lang} copies English for {copied:?}");
        }
    }

    /// A text without its placeholders and punctuation: "{weekday}, {month} {day}" has no words
    /// to translate.
    fn words(text: &str) -> String {
        let mut rest = text.to_owned();
        while let Some((before, after)) = rest.split_once('{') {
            rest = format!("{before}{}", after.split_once('}').map_or("", |(_, a)| a));
        }
        rest.chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect::<String>()
            .trim()
            .to_owned()
    }

    #[test]
    fn a_changed_text_is_what_the_table_holds() {
        let messages = compile(&[("en", EN), ("es", &ES.replace("Eventos", "Actos"))])
            .expect("the files compile");
        let rust = to_rust(&messages);
        assert!(
            rust.contains(r#"TabEvents { en: "Events", es: "Actos", }"#),
            "{rust}"
        );
        assert!(
            rust.contains(r#"es: "Actualizado hace {n} min","#),
            "{rust}"
        );
    }

    #[test]
    fn a_missing_message_is_refused_by_file_and_id() {
        let found = problems("tab-events = Eventos\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("es.ftl lacks `updated`"), "{found:?}");
    }

    #[test]
    fn a_message_english_lacks_is_refused() {
        let found = problems(&format!("{ES}extra = Sobra\n"));
        assert!(found[0].contains("es.ftl has `extra`"), "{found:?}");
    }

    #[test]
    fn different_placeholders_are_refused() {
        let found = problems("tab-events = Eventos\nupdated = Actualizado hace { $m } min\n");
        assert!(
            found[0].contains("`updated` has the placeholders"),
            "{found:?}"
        );
    }

    #[test]
    fn syntax_errors_and_unsupported_fluent_name_the_line_or_message() {
        let found = problems(&format!("{ES}broken {{ = x\n"));
        assert!(
            found.iter().any(|p| p.starts_with("es.ftl, line 3:")),
            "{found:?}"
        );

        let select = "tab-events = { $n ->\n    [one] Evento\n   *[other] Eventos\n}\n";
        let found = problems(&format!(
            "{select}updated = Actualizado hace {{ $n }} min\n"
        ));
        assert!(
            found.iter().any(|p| p.contains("`tab-events`: only text")),
            "{found:?}"
        );
    }

    #[test]
    fn a_message_defined_twice_is_refused() {
        let found = problems(&format!("{ES}tab-events = Otra vez\n"));
        assert!(
            found.iter().any(|p| p.contains("defined twice")),
            "{found:?}"
        );
    }

    #[test]
    fn language_names_come_from_cldr_and_the_files_for_what_cldr_lacks() {
        let names = language_names(Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap_or_else(|problems| panic!("{problems:#?}"));
        let name = |lang: &str, code: &str| {
            names
                .iter()
                .find(|(l, c, _)| *l == lang && *c == code)
                .map(|(_, _, n)| n.as_str())
        };
        assert_eq!(name("en", "es"), Some("Spanish"));
        assert_eq!(name("es", "so"), Some("somalí"));
        assert_eq!(name("so", "en"), Some("Ingiriisi"));
        assert_eq!(
            name("so", "kar"),
            Some("Kaaren"),
            "from the file: CLDR has no Karen"
        );
        assert_eq!(
            name("hmn", "es"),
            Some("lus Mev"),
            "from the file: CLDR has no Hmong"
        );
        assert_eq!(names.len(), LANGUAGES.len() * LISTING_LANGUAGES.len());
        let rust = language_names_to_rust(&names);
        assert!(
            rust.contains(r#"["lus Askiv", "lus Mev", "lus Somali""#),
            "{rust}"
        );
    }

    #[test]
    fn a_language_without_a_name_is_refused_by_file() {
        let dir = std::env::temp_dir().join(format!("vecinos-locales-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("languages")).expect("a temporary folder");
        let problems = language_names(&dir).expect_err("Hmong names are missing");
        std::fs::remove_dir_all(&dir).expect("removed");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("no name for `es` in hmn")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("no name for `kar` in en"))
        );
    }

    #[test]
    fn ids_become_rust_names() {
        assert_eq!(variant("tab-events"), "TabEvents");
        assert_eq!(variant("exit"), "Exit");
        assert_eq!(variant("cat-legal-aid"), "CatLegalAid");
    }
}
