//! `/logout`: a confirmation, since a link must never log anyone out.
use leptos::prelude::*;

use crate::components::layout::session::SessionContext;

/// Asks before ending the session.
#[component]
pub fn LogoutPage() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <section class="card narrow">
            <h1>"Log out"</h1>
            <p>"End your session on this device?"</p>
            <ActionForm action=session.logout>
                <button type="submit" class="button primary">
                    "Log out"
                </button>
            </ActionForm>
        </section>
    }
}
