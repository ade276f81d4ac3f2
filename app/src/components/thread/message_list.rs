//! The messages of a thread with "Seen by" receipts.
use leptos::prelude::*;

use super::attachment_list::AttachmentList;
use super::message_body::MessageBody;
use crate::model::thread::{MessageKind, MessageView};
use crate::model::time_text::{format_utc, iso_utc};

/// Every message, oldest first. `token`: a guest's link token, for their file links.
#[component]
pub fn MessageList(
    messages: Vec<MessageView>,
    #[prop(optional)] token: Option<String>,
) -> impl IntoView {
    view! {
        <ol class="messages" aria-label="Messages">
            {messages
                .into_iter()
                .map(|m| view! { <MessageItem message=m token=token.clone() /> })
                .collect_view()}
        </ol>
    }
}

#[component]
fn MessageItem(message: MessageView, token: Option<String>) -> impl IntoView {
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
            <div class="message-meta">
                <span class="author">{message.author_name}</span>
                {(message.kind == MessageKind::Note)
                    .then(|| view! { <span class="note-label">"Internal note"</span> })}
                <time datetime=iso_utc(message.created_at)>{format_utc(message.created_at)}</time>
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
