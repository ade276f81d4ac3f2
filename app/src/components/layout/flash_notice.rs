//! A one-time notice after an action.
use leptos::prelude::*;

/// Shows the notice, if any, as a polite live region.
#[component]
pub fn FlashNotice(message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <div class="flash" role="status">
                {m}
            </div>
        }
    })
}
