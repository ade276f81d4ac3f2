//! `/login`.
use leptos::prelude::*;

use crate::components::form::field::Field;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::layout::session::SessionContext;
use crate::routes::page;

const ACTION: &str = crate::api::account::LOGIN.path;

/// The login form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <section class="card narrow">
            <h1>"Log in"</h1>
            <FormError action=ACTION live=action_error(session.login) />
            <ActionForm action=session.login>
                <input type="hidden" name="next" value=next />
                <Field
                    label="Email address"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    action=ACTION
                    required=true
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    action=ACTION
                    required=true
                />
                <button type="submit" class="button primary">
                    "Log in"
                </button>
            </ActionForm>
            <p class="aside">
                <a href=page::FORGOT_PASSWORD>"Forgot your password?"</a>
            </p>
            <p class="aside">"No account yet? " <a href=page::REGISTER>"Register"</a></p>
        </section>
    }
}
