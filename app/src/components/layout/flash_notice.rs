//! A one-time notice after an action; after an action that can be undone, with its "Undo".
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::session::SessionContext;
use crate::components::form::form_error::{action_error, FormError};

const UNDO: &str = crate::api::inbox::UNDO.path;

/// How long the page offers "Undo" once hydrated (without JavaScript, until the next page).
#[cfg(feature = "hydrate")]
const UNDO_OFFERED: std::time::Duration = std::time::Duration::from_secs(10);

/// Shows the notice, if any, as a polite live region; `undo` names the action it reports
/// when that can be undone.
#[component]
pub fn FlashNotice(message: Option<String>, undo: Option<i64>) -> impl IntoView {
    let session = expect_context::<SessionContext>();
    let location = use_location();
    let offered = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    if undo.is_some() {
        Effect::new(move |_| set_timeout(move || offered.set(false), UNDO_OFFERED));
    }
    // Back to this page without its notice.
    let return_to = move || {
        let search: Vec<String> = location
            .search
            .get()
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("notice=") && !p.starts_with("undo="))
            .map(str::to_string)
            .collect();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search.join("&"))
        }
    };
    message.map(|m| {
        let undo = undo.map(|id| {
            view! {
                <Show when=move || {
                    offered.get()
                }>
                    " " <ActionForm action=session.undo attr:class="inline-form undo-form">
                        <input type="hidden" name="undo_id" value=id.to_string() />
                        <input type="hidden" name="return_to" value=return_to />
                        <button type="submit" class="link-button">
                            "Undo"
                        </button>
                    </ActionForm>
                </Show>
            }
        });
        view! {
            <div class="flash" role="status">
                {m}
                {undo}
            </div>
            <FormError action=UNDO live=action_error(session.undo) />
        }
    })
}
