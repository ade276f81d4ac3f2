//! `/password/forgot`: asks for a password-reset link.
use leptos::prelude::*;

use crate::api::account::ForgotPassword;
use crate::components::form::field::Field;
use crate::components::form::form_error::{action_error, FormError};
use crate::routes::page;

const ACTION: &str = crate::api::account::FORGOT_PASSWORD.path;

/// The "forgot your password?" form.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    view! {
        <section class="card narrow">
            <h1>"Forgot your password?"</h1>
            <p>
                "Enter the email address of your account and we will email you a link to choose a new password."
            </p>
            <FormError action=ACTION live=action_error(forgot) />
            <ActionForm action=forgot>
                <Field
                    label="Email address"
                    name="email"
                    kind="email"
                    autocomplete="email"
                    action=ACTION
                    required=true
                />
                <button type="submit" class="button primary">
                    "Email me a link"
                </button>
            </ActionForm>
            <p class="aside">
                <a href=page::LOGIN>"Back to log in"</a>
            </p>
        </section>
    }
}
