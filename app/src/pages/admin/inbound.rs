//! `/admin/pigeon/inbound`: incoming mail for admins — what arrived, what became of each
//! message and why, the addresses that bounce, and the decisions about held messages.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{inbound_overview, DecideInbound};
use crate::components::layout::refused::AdminsOnly;
use crate::model::file_size::format_size;
use crate::model::inbound::{InboundItem, InboundOverview};
use crate::model::time_text::format_utc;
use crate::routes::page;

/// The page.
#[component]
pub fn InboundPage() -> impl IntoView {
    let decide = ServerAction::<DecideInbound>::new();
    let query = use_query_map();
    let only = move || query.read().get("state");
    let data = Resource::new(
        move || (decide.version().get(), only()),
        |(_, only)| inbound_overview(only),
    );
    view! {
        <h1>"Inbound mail"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Overview o decide /> }.into_any(),
                    Err(error) => view! { <AdminsOnly error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: InboundOverview, decide: ServerAction<DecideInbound>) -> impl IntoView {
    let where_from = match (&o.reply_domain, &o.support_address) {
        (None, None) => "This site takes no mail in: emails say that replies are not read. \
             See the README (replies by email) to set it up."
            .to_string(),
        (reply, support) => {
            let mut parts = Vec::new();
            if let Some(d) = reply {
                parts.push(format!("replies to reply+…@{d}"));
            }
            if let Some(s) = support {
                parts.push(format!("new conversations from mail to {s}"));
            }
            format!("This site takes {}.", parts.join(" and "))
        }
    };
    let filters = std::iter::once(("All".to_string(), page::INBOUND.to_string()))
        .chain(o.counts.iter().map(|(state, n)| {
            (
                format!("{} ({n})", label(state)),
                format!("{}?state={state}", page::INBOUND),
            )
        }))
        .map(|(text, href)| {
            view! {
                <li>
                    <a href=href>{text}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="lead">{where_from}</p>
        <nav aria-label="Filter by what happened">
            <ul class="nav-list">{filters}</ul>
        </nav>
        <section class="card" aria-labelledby="recent-heading">
            <h2 id="recent-heading">"Recent messages"</h2>
            <Items items=o.items decide />
        </section>
        <section class="card" aria-labelledby="bouncing-heading">
            <h2 id="bouncing-heading">"Addresses that bounce"</h2>
            {if o.bouncing.is_empty() {
                view! { <p class="empty">"None."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {o
                            .bouncing
                            .into_iter()
                            .map(|b| {
                                view! {
                                    <li>
                                        <strong>{b.email}</strong>
                                        {format!(
                                            " · {} · {}",
                                            format_utc(b.bounced_at),
                                            b.reason,
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

fn label(state: &str) -> &'static str {
    InboundItem {
        id: 0,
        received_at: 0,
        via: String::new(),
        from: String::new(),
        subject: String::new(),
        state: state.to_string(),
        reason: String::new(),
        thread_id: None,
        size: 0,
    }
    .state_label()
}

#[component]
fn Items(items: Vec<InboundItem>, decide: ServerAction<DecideInbound>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"No mail has come in."</p> }.into_any();
    }
    view! {
        <ol class="inbound-list">
            {items.into_iter().map(|i| view! { <Item item=i decide /> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Item(item: InboundItem, decide: ServerAction<DecideInbound>) -> impl IntoView {
    let thread = item.thread_id.map(|t| {
        view! {
            " · "
            <a href=page::staff_thread(t)>{format!("conversation #{t}")}</a>
        }
    });
    let subject = if item.subject.is_empty() {
        "(no subject)".to_string()
    } else {
        item.subject.clone()
    };
    let id = item.id.to_string();
    let choices = item.undecided().then(|| {
        let id1 = id.clone();
        view! {
            <div class="inbound-choices">
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=id1 />
                    <input type="hidden" name="choice" value="attach" />
                    <label>
                        "Conversation #"
                        <input type="text" name="thread_id" inputmode="numeric" size="6" required />
                    </label>
                    <button type="submit" class="button">
                        "Attach"
                    </button>
                </ActionForm>
                <Choice
                    decide
                    id=id.clone()
                    choice="start"
                    label="Start a conversation"
                    class="button"
                />
                <Choice decide id=id.clone() choice="discard" label="Discard" class="link-button" />
            </div>
        }
    });
    view! {
        <li class="inbound-item" id=format!("inbound-{}", item.id)>
            <p>
                <strong>{subject}</strong>
                {format!(" · from {} · {} · ", item.from, format_utc(item.received_at))}
                <span class=format!("chip state-{}", item.state)>{item.state_label()}</span>
                {thread}
            </p>
            <p class="muted">
                {item.reason.clone()} " · "
                {format!("by {}, {}", item.via.to_uppercase(), format_size(item.size))} " · "
                <a href=format!("/admin/pigeon/inbound/{}/original", item.id)>"original"</a>
            </p>
            {choices}
        </li>
    }
}

/// A decision about a held message that needs nothing more than its button.
#[component]
fn Choice(
    decide: ServerAction<DecideInbound>,
    id: String,
    choice: &'static str,
    label: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=decide attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="choice" value=choice />
            <button type="submit" class=class>
                {label}
            </button>
        </ActionForm>
    }
}
