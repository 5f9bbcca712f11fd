//! Know-your-rights cards: the list (the person's language first) and one card full screen, in
//! large, high-contrast type, to show at the door.

use leptos::prelude::*;
use uuid::Uuid;
use vecinos_core::Card;
use vecinos_core::order::sort_by;

use super::ExitButton;
use super::{EditLink, Gone, Loaded, shown};
use crate::format;
use crate::i18n::{self, T, t};
use crate::route::{Link, Listing, Route};
use crate::state::Listings;

#[component]
pub fn RightsPage() -> impl IntoView {
    let listings = expect_context::<Listings>();
    let code = i18n::lang().code();
    let split = move || {
        let mut cards = listings.cards.get();
        // Other languages by their names, then each language's cards by title, as the
        // interface language sorts them.
        sort_by(&mut cards, |a, b| {
            format::collate(
                &format::language_name(&a.language),
                &format::language_name(&b.language),
            )
            .then_with(|| format::collate(&a.title, &b.title))
        });
        cards.into_iter().partition::<Vec<Card>, _>(|c| {
            c.language == code
                || c.translations
                    .get(code)
                    .is_some_and(|t| t.contains_key("title"))
        })
    };
    view! {
        <h1>{t(T::RightsTitle)}</h1>
        <p>{t(T::RightsIntro)}</p>
        <Loaded>
            {move || {
                let (mine, others) = split();
                if mine.is_empty() && others.is_empty() {
                    return view! { <p class="empty">{t(T::NoCards)}</p> }.into_any();
                }
                // Each group has a heading, so the card titles (h3) follow an h2.
                view! {
                    {(!mine.is_empty()).then(|| view! { <h2>{format::language_name(code)}</h2> })}
                    <ul class="cards">{mine.into_iter().map(|card| view! { <CardLink card /> }).collect_view()}</ul>
                    {(!others.is_empty()).then(|| view! {
                        <h2>{t(T::OtherLanguages)}</h2>
                        <ul class="cards">{others.into_iter().map(|card| view! { <CardLink card /> }).collect_view()}</ul>
                    })}
                }.into_any()
            }}
        </Loaded>
    }
}

#[component]
fn CardLink(card: Card) -> impl IntoView {
    let (title, lang) = shown(&card.translations, "title", &card.title, &card.language);
    let language = format::language_name(&lang);
    view! {
        <li class="card" lang=lang>
            <Link to=Route::Card(card.id)>
                <p class="kind">{language}</p>
                <h3>{title}</h3>
                <p class="org">{card.source_organisation}</p>
            </Link>
        </li>
    }
}

#[component]
pub fn CardPage(id: Uuid) -> impl IntoView {
    let listings = expect_context::<Listings>();
    let card = move || {
        listings
            .cards
            .with(|cards| cards.iter().find(|c| c.id == id).cloned())
    };
    view! {
        <Loaded>
            {move || match card() {
                Some(card) => {
                    let (title, title_lang) =
                        shown(&card.translations, "title", &card.title, &card.language);
                    let (body, lang) = shown(&card.translations, "body", &card.body, &card.language);
                    view! {
                    <article class="rights-card" lang=lang>
                        <div class="bar">
                            <Link to=Route::Rights class="close">{t(T::Close)}</Link>
                            <ExitButton />
                        </div>
                        <h1 lang=title_lang>{title}</h1>
                        <EditLink listing=Listing::Card id=card.id />
                        <p class="body">{body}</p>
                        <p class="source">{T::Source.fill(&[("org", &card.source_organisation)])}</p>
                        <p class="source">{T::Reviewed.fill(&[("date", &format::date(card.reviewed))])}</p>
                    </article>
                    }.into_any()
                }
                None => view! { <Gone to=Route::Rights /> }.into_any(),
            }}
        </Loaded>
    }
}
