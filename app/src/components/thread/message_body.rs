//! A message body: escaped text, line breaks kept, web addresses linked.
use leptos::prelude::*;

use crate::model::message_text::{pieces, Piece};

/// Renders plain text safely.
#[component]
pub fn MessageBody(text: String) -> impl IntoView {
    let parts = pieces(&text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.into_any(),
            Piece::LineBreak => view! { <br /> }.into_any(),
            Piece::Link(href) => {
                let text = href.clone();
                view! {
                    <a href=href rel="nofollow noopener noreferrer" target="_blank">
                        {text}
                    </a>
                }
                .into_any()
            }
        })
        .collect_view();
    view! { <div class="message-body">{parts}</div> }
}
