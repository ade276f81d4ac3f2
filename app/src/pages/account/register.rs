//! `/register`.
use leptos::prelude::*;

use crate::components::form::account_fields::NewAccountFields;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::layout::session::SessionContext;
use crate::routes::page;

const ACTION: &str = crate::api::account::REGISTER.path;

/// The registration form (or a notice when registration is closed).
#[component]
pub fn RegisterPage() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <section class="card narrow">
            <h1>"Create an account"</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let open = session.info.await.map(|i| i.registration_open).unwrap_or(false);
                    if open {
                        view! { <RegisterForm /> }.into_any()
                    } else {
                        view! { <p>"Registration is closed on this site."</p> }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RegisterForm() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <FormError action=ACTION live=action_error(session.register) />
        <ActionForm action=session.register>
            <NewAccountFields action=ACTION />
            <button type="submit" class="button primary">
                "Create account"
            </button>
        </ActionForm>
        <p class="aside">"Already registered? " <a href=page::LOGIN>"Log in"</a></p>
    }
}
