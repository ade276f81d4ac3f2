//! `/pigeon/request-link`: a fresh private link to each of an address's conversations.
use leptos::prelude::*;

use super::honeypot::Honeypot;
use crate::api::guest::contact_info;
use crate::components::form::field::Field;
use crate::components::form::form_error::FormError;

/// Where the request-link form posts.
pub const ACTION: &str = crate::routes::GUEST_REQUEST_LINK.path;

/// The page around the form.
#[component]
pub fn RequestLinkPage() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Get a new link"</h1>
            <RequestLinkForm />
        </section>
    }
}

/// The form: an email address, and the honeypot.
#[component]
pub fn RequestLinkForm() -> impl IntoView {
    let info = Resource::new(|| (), |_| contact_info());
    view! {
        <p>
            "Enter the email address you wrote from. We will email you a fresh private link to each of your conversations with us."
        </p>
        <FormError action=ACTION live=Signal::derive(|| None) />
        <form method="post" action=ACTION>
            <Field
                label="Email address"
                name="email"
                kind="email"
                autocomplete="email"
                action=ACTION
                required=true
            />
            <Suspense>
                {move || Suspend::new(async move {
                    view! { <Honeypot field=info.await.ok().and_then(|i| i.honeypot_field) /> }
                })}
            </Suspense>
            <button type="submit" class="button primary">
                "Email me a link"
            </button>
        </form>
    }
}
