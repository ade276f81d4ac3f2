//! `/pigeon/unsubscribe/<participant>/<signature>`: confirms before muting (a link scanner's
//! `GET` changes nothing); the button posts to the same address.
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// Asks, or confirms that emails about the conversation have stopped.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let done = move || query.read().get("done").is_some();
    let action = move || location.pathname.get();
    view! {
        <section class="card narrow">
            <h1>"Email notifications"</h1>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <p>"Stop getting emails about this conversation?"</p>
                        <form method="post" action=action>
                            <button type="submit" class="button primary">
                                "Stop emails"
                            </button>
                        </form>
                    }
                }
            >
                <p role="status">"Done: you will no longer get emails about this conversation."</p>
            </Show>
        </section>
    }
}
