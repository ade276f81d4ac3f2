//! The messages of a thread with "Seen by" receipts.
use leptos::prelude::*;

use super::attachment_list::AttachmentList;
use super::message_body::MessageBody;
use crate::components::local_time::LocalTime;
use crate::model::thread::{MessageKind, MessageView};

/// Messages shown at once in a long conversation; the earlier ones wait behind a link.
pub const SHOWN_AT_ONCE: usize = 30;

/// The messages, oldest first. A long conversation shows its newest `SHOWN_AT_ONCE` and a
/// "Show N earlier messages" link (`?all=1`, a plain link that works without JavaScript).
/// `token`: a guest's link token, for their file links.
#[component]
pub fn MessageList(
    messages: Vec<MessageView>,
    #[prop(optional)] token: Option<String>,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let location = leptos_router::hooks::use_location();
    let messages = StoredValue::new(messages);
    let token = StoredValue::new(token);
    move || {
        let all = query.read().get("all").is_some_and(|v| v == "1");
        let messages = messages.get_value();
        let hidden = if all {
            0
        } else {
            messages.len().saturating_sub(SHOWN_AT_ONCE)
        };
        let earlier = (hidden > 0).then(|| {
            let mut params = query.read_untracked().clone();
            params.replace("all", "1".to_string());
            let path = location.pathname.get_untracked();
            let href = format!("{path}{}", params.to_query_string());
            let label = match hidden {
                1 => "Show 1 earlier message".to_string(),
                n => format!("Show {n} earlier messages"),
            };
            view! {
                <p class="earlier">
                    <a href=href>{label}</a>
                </p>
            }
        });
        let token = token.get_value();
        view! {
            {earlier}
            <ol class="messages" aria-label="Messages">
                {
                    let last = messages.len().saturating_sub(1);
                    messages
                        .into_iter()
                        .enumerate()
                        .skip(hidden)
                        .map(|(i, m)| {
                            view! { <MessageItem message=m token=token.clone() latest=i == last /> }
                        })
                        .collect_view()
                }
            </ol>
        }
    }
}

#[component]
fn MessageItem(message: MessageView, token: Option<String>, latest: bool) -> impl IntoView {
    let class = match (message.kind, message.mine) {
        (MessageKind::Note, _) => "message note",
        (MessageKind::Event, _) => "message event",
        (_, true) => "message mine",
        _ => "message",
    };
    let seen =
        (!message.seen_by.is_empty()).then(|| format!("Seen by {}", message.seen_by.join(", ")));
    view! {
        <li class=class id=format!("m{}", message.id)>
            // Links to a conversation end in `#latest`: it opens here, the reply box below.
            {latest.then(|| view! { <span id="latest" class="anchor"></span> })}
            <div class="message-meta">
                <span class="author">{message.author_name}</span>
                {(message.kind == MessageKind::Note)
                    .then(|| view! { <span class="note-label">"Internal note"</span> })}
                <LocalTime ms=message.created_at />
                {message
                    .by_email
                    .map(|id| {
                        view! {
                            <span class="via-email">
                                "by email · "
                                <a href=format!(
                                    "/admin/pigeon/inbound/{id}/original",
                                )>"original"</a>
                            </span>
                        }
                    })}
            </div>
            <MessageBody text=message.body />
            <AttachmentList files=message.attachments token=token />
            {seen.map(|s| view! { <p class="receipt">{s}</p> })}
        </li>
    }
}
