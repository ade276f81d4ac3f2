//! `/pigeon/threads`: the member's conversations and a form to start one.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::start_form::StartForm;
use crate::api::threads::list_threads;
use crate::components::layout::refused::Refused;
use crate::components::live::Live;
use crate::model::thread::{ThreadKind, ThreadList, ThreadSummary};
use crate::model::time_text::{format_utc, iso_utc};
use crate::routes::page;

/// The list, newest activity first, unread ones marked, one page at a time.
#[component]
pub fn ThreadsPage() -> impl IntoView {
    // The change the data on screen was read at.
    let shown = RwSignal::new(0i64);
    let query = use_query_map();
    let changes = Live::get()
        .map(|l| l.ticks_for(Signal::derive(|| None), shown.into()))
        .unwrap_or_else(|| RwSignal::new(0));
    let list = Resource::new(
        move || (query.read().get("cursor"), changes.get()),
        |(cursor, _)| list_threads(None, cursor),
    );
    view! {
        <h1>"Your conversations"</h1>
        <Transition>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => {
                        shown.set(page.live_since);
                        view! { <ThreadTable page /> }.into_any()
                    }
                    Err(error) => {
                        view! { <Refused error purpose="see your conversations" /> }.into_any()
                    }
                }
            })}
        </Transition>
        <StartForm />
    }
}

#[component]
fn ThreadTable(page: ThreadList) -> impl IntoView {
    if page.threads.is_empty() {
        return view! { <p class="empty">"No conversations yet. Start one below."</p> }.into_any();
    }
    let next = page.next_cursor.map(|c| {
        view! {
            <a class="button" href=format!("/pigeon/threads?cursor={c}")>
                "Older conversations"
            </a>
        }
    });
    view! {
        <ul class="thread-list" aria-label="Conversations">
            {page.threads.into_iter().map(|t| view! { <ThreadRow thread=t /> }).collect_view()}
        </ul>
        {next}
    }
    .into_any()
}

#[component]
fn ThreadRow(thread: ThreadSummary) -> impl IntoView {
    let kind = match thread.kind {
        ThreadKind::Support => "Support",
        ThreadKind::Direct => "Direct",
    };
    let class = if thread.unread {
        "thread-row unread"
    } else {
        "thread-row"
    };
    view! {
        <li class=class>
            <a href=page::member_thread(thread.id)>
                <span class="subject">{thread.subject}</span>
                {thread.unread.then(|| view! { <span class="badge">"Unread"</span> })}
            </a>
            <span class="meta">
                {kind} " · " {thread.last_author_name} " · "
                <time datetime=iso_utc(
                    thread.last_message_at,
                )>{format_utc(thread.last_message_at)}</time>
            </span>
        </li>
    }
}
