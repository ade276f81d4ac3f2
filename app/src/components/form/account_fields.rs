//! The fields of a new account (name, email address, password), as registration and the
//! first-run setup ask for them.
use leptos::prelude::*;

use super::field::Field;

/// Name, email address and a new password, for the form posting to `action`.
#[component]
pub fn NewAccountFields(action: &'static str) -> impl IntoView {
    view! {
        <Field label="Your name" name="name" autocomplete="name" action=action required=true />
        <Field
            label="Email address"
            name="email"
            kind="email"
            autocomplete="email"
            action=action
            required=true
        />
        <Field
            label="Password"
            name="password"
            kind="password"
            autocomplete="new-password"
            action=action
            required=true
            hint="At least 8 characters."
        />
    }
}
