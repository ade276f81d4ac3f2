//! `/setup?code=…`: the first run. While no administrator exists, `pigeon serve` prints
//! this link; the page creates the first administrator and logs them in.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::account::{setup_code_valid, CompleteSetup};
use crate::components::form::account_fields::NewAccountFields;
use crate::components::form::form_error::{action_error, FormError};
use crate::model::form_echo::FormEcho;

const ACTION: &str = crate::api::account::COMPLETE_SETUP.path;

/// The form, or why the link does not work.
#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    // A refused post without JavaScript shows this page again with what was sent.
    let (echoed, _) = FormEcho::field_state(ACTION, "code");
    let echoed = StoredValue::new(echoed);
    let code = move || {
        query
            .read()
            .get("code")
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| echoed.get_value())
    };
    let valid = Resource::new(code, setup_code_valid);
    // A post refused for its code shows the "no longer works" page at once.
    let dead_on_post = use_context::<FormEcho>()
        .filter(|e| e.is_for(ACTION))
        .and_then(|e| e.error)
        .is_some_and(|e| e.field() == Some("code"));
    view! {
        <section class="card narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    if valid.await.unwrap_or(false) && !dead_on_post {
                        view! { <SetupForm code=code() /> }.into_any()
                    } else {
                        view! { <Gone /> }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetupForm(code: String) -> impl IntoView {
    let setup = ServerAction::<CompleteSetup>::new();
    view! {
        <h1>"Set up Pigeon"</h1>
        <p>
            "Create the first administrator. This link works once; after it, administrators add everyone else from the Users page."
        </p>
        <FormError action=ACTION live=action_error(setup) />
        <ActionForm action=setup>
            <input type="hidden" name="code" value=code />
            <NewAccountFields action=ACTION />
            <button type="submit" class="button primary">
                "Create the administrator"
            </button>
        </ActionForm>
    }
}

#[component]
fn Gone() -> impl IntoView {
    view! {
        <h1>"This setup link no longer works"</h1>
        <p>
            "Pigeon already has an administrator, or it was restarted and printed a new link. Log in, or use the newest link Pigeon printed."
        </p>
        <p>
            <a class="button primary" href=crate::routes::page::LOGIN>
                "Log in"
            </a>
        </p>
    }
}
