//! `/admin/pigeon` and `/admin/pigeon/trash`: the staff inbox. Its source, search, order and
//! page live in the URL, so every view can be bookmarked and works without JavaScript. Once
//! hydrated it refreshes itself every 30 seconds (not while threads are being chosen).
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use super::inbox_rows::{BulkBar, InboxTable};
use crate::api::inbox::{load_inbox, BulkThreads};
use crate::components::form::form_error::{action_error, FormError};
use crate::components::layout::refused::Refused;
use crate::components::live::Live;
use crate::model::staff::{InboxPage, InboxSort, InboxSource};
use crate::routes::page;

const BULK: &str = crate::api::inbox::BULK.path;

/// The inbox; `trash` shows the Trash whatever the URL's source says.
#[component]
pub fn InboxPage(trash: bool) -> impl IntoView {
    let query = use_query_map();
    let bulk = ServerAction::<BulkThreads>::new();
    let tick = RwSignal::new(0u32);
    let chosen = RwSignal::new(0usize);
    let undone = expect_context::<crate::components::layout::session::SessionContext>().undo;
    let inbox = Resource::new(
        move || {
            let q = query.read();
            let source = if trash {
                Some("trash".to_string())
            } else {
                q.get("source")
            };
            (
                source,
                q.get("q"),
                q.get("sort"),
                q.get("cursor"),
                bulk.version().get(),
                tick.get(),
                undone.version().get(),
            )
        },
        |(source, q, sort, cursor, ..)| load_inbox(source, q, sort, cursor),
    );
    // Live: any change reloads the list, unless rows are chosen (a bulk action is being
    // The change the data on screen was read at.
    let shown = RwSignal::new(0i64);
    // prepared); then once none are.
    let changes = Live::get()
        .map(|l| l.ticks_for(Signal::derive(|| None), shown.into()))
        .unwrap_or_else(|| RwSignal::new(0));
    let presence = Live::get()
        .map(|l| l.presence)
        .unwrap_or_else(|| RwSignal::new(0));
    let heard = RwSignal::new(0u64);
    Effect::new(move |_| {
        let latest = changes.get() + presence.get();
        if latest != heard.get_untracked() && chosen.get() == 0 && !bulk.pending().get_untracked() {
            heard.set(latest);
            tick.update(|t| *t = t.wrapping_add(1));
        }
    });
    // A new view of the list is loading (the address moved on from the rows shown): the
    // rows shown so far say so at once.
    let asked = move || query.read().to_query_string();
    let loaded = RwSignal::new(asked());
    let loading = move || loaded.get() != asked();
    view! {
        <crate::components::shortcuts::StaffShortcuts />
        <div class="inbox-page" class:loading=loading aria-busy=move || loading().then_some("true")>
            <Transition>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(page) => {
                            loaded.set(query.read_untracked().to_query_string());
                            chosen.set(0);
                            shown.set(page.live_since);
                            view! { <Inbox page bulk chosen /> }.into_any()
                        }
                        Err(error) => {
                            view! {
                                <Refused
                                    error
                                    purpose="open the staff inbox"
                                    heading="Staff inbox"
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Inbox(
    page: InboxPage,
    bulk: ServerAction<BulkThreads>,
    chosen: RwSignal<usize>,
) -> impl IntoView {
    let query = page.query.clone();
    let in_trash = query.source == InboxSource::Trash;
    let title = if in_trash { "Trash" } else { "Inbox" };
    let location = use_location();
    let return_to = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    let sources = page
        .sources
        .iter()
        .map(|s| {
            let mut q = query.clone();
            q.source = *s;
            let href = if *s == InboxSource::Trash {
                page::TRASH.to_string()
            } else {
                q.href(None)
            };
            let current = (*s == query.source).then_some("page");
            view! {
                <li>
                    <a href=href aria-current=current>
                        {s.label()}
                    </a>
                </li>
            }
        })
        .collect_view();
    let empty = if query.q.is_empty() {
        "No threads here."
    } else {
        "No threads match your search."
    };
    let next = page.next_cursor.clone().map(|c| {
        view! {
            <a class="button" href=query.href(Some(&c)) rel="next">
                "Next page"
            </a>
        }
    });
    let previous = page.prev_cursor.clone().map(|c| {
        let href = if c.is_empty() {
            query.href(None)
        } else {
            query.href(Some(&c))
        };
        view! {
            <a class="button" href=href rel="prev">
                "Previous page"
            </a>
        }
    });
    let range = (!page.items.is_empty()).then(|| page.range_text());
    let has_items = !page.items.is_empty();
    view! {
        <div class="inbox-head">
            <h1>{title}</h1>
            <a href=page::SAVED_REPLIES>"Saved replies"</a>
        </div>
        <nav aria-label="Inbox views" class="sources">
            <ul>{sources}</ul>
        </nav>
        <SearchForm page=page.clone() />
        <FormError action=BULK live=action_error(bulk) />
        <ActionForm action=bulk attr:class="inbox-form">
            <input type="hidden" name="return_to" value=return_to />
            {(has_items && (page.can_manage || page.can_assign))
                .then(|| view! { <BulkBar page=page.clone() chosen /> })}
            {if has_items {
                view! { <InboxTable page=page.clone() chosen /> }.into_any()
            } else {
                view! { <p class="empty">{empty}</p> }.into_any()
            }}
        </ActionForm>
        <nav class="pager" aria-label="Pages">
            <p class="range">{range}</p>
            {previous}
            {next}
        </nav>
    }
}

#[component]
fn SearchForm(page: InboxPage) -> impl IntoView {
    let query = page.query;
    let action = if query.source == InboxSource::Trash {
        page::TRASH
    } else {
        page::INBOX
    };
    view! {
        <form method="get" action=action class="inbox-search" role="search">
            <input type="hidden" name="source" value=query.source.as_str() />
            <div class="field">
                <label for="inbox-q">"Search"</label>
                <input
                    id="inbox-q"
                    type="search"
                    name="q"
                    value=query.q.clone()
                    maxlength="200"
                    placeholder="Subject, message, name or email"
                />
            </div>
            <div class="field">
                <label for="inbox-sort">"Sort by"</label>
                <select id="inbox-sort" name="sort">
                    {InboxSort::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.as_str() selected=s == query.sort>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">
                "Search"
            </button>
        </form>
    }
}
