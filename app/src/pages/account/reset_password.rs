//! `/password/reset/<token>`: chooses a new password through an emailed link.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::account::{reset_link_valid, ResetPassword};
use crate::components::form::field::Field;
use crate::components::form::form_error::{action_error, FormError};
use crate::model::form_echo::FormEcho;
use crate::routes::page;

const ACTION: &str = crate::api::account::RESET_PASSWORD.path;

/// The new-password form, or a way to ask for a new link when this one is dead.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, reset_link_valid);
    // A failed post that reports the link dead shows the "ask again" page at once.
    let dead_on_post = use_context::<FormEcho>()
        .filter(|e| e.is_for(ACTION))
        .and_then(|e| e.error)
        .is_some_and(|e| e.field() == Some("token"));
    view! {
        <section class="card narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    let ok = valid.await.unwrap_or(false) && !dead_on_post;
                    if ok {
                        view! { <ResetForm token=token() /> }.into_any()
                    } else {
                        view! { <DeadLink /> }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    view! {
        <h1>"Choose a new password"</h1>
        <FormError action=ACTION live=action_error(reset) />
        <ActionForm action=reset>
            <input type="hidden" name="token" value=token />
            <Field
                label="New password"
                name="password"
                kind="password"
                autocomplete="new-password"
                action=ACTION
                required=true
                hint="At least 8 characters. Saving it logs out every other session."
            />
            <button type="submit" class="button primary">
                "Save the new password"
            </button>
        </ActionForm>
    }
}

#[component]
fn DeadLink() -> impl IntoView {
    view! {
        <h1>"This link no longer works"</h1>
        <p>
            "Password reset links work once, for one hour. Ask for a new one and use the newest email."
        </p>
        <p>
            <a class="button primary" href=page::FORGOT_PASSWORD>
                "Email me a new link"
            </a>
        </p>
    }
}
