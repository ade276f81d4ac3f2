//! `/contact`: the public contact form, and `/contact/sent` after it.
use leptos::prelude::*;

use super::honeypot::Honeypot;
use crate::api::guest::contact_info;
use crate::components::form::field::Field;
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::FormError;
use crate::components::form::text_area::TextArea;
use crate::components::form::upload_form::UploadForm;
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::routes::page;

const ACTION: &str = crate::routes::GUEST_START.path;

/// The contact form: a plain form post that works without JavaScript.
#[component]
pub fn ContactPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| contact_info());
    view! {
        <section class="card narrow-wide">
            <h1>"Contact us"</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let info = info.await.unwrap_or_default();
                    let refused_post = use_context::<FormEcho>().is_some_and(|e| e.is_for(ACTION));
                    if !info.open && !refused_post {
                        return // A refused post keeps its text on screen, even when the form has closed.
                        view! {
                            <p role="status">
                                "The contact form is closed on this site at the moment. Please try again later."
                            </p>
                        }
                            .into_any();
                    }
                    let error = RwSignal::new(None::<AppError>);
                    let on_result = move |r: Result<(), AppError>| error.set(r.err());
                    view! {
                        <p>
                            "Ask us anything. We answer by email with a private link to the conversation; no account needed."
                        </p>
                        <FormError action=ACTION live=error.into() />
                        <UploadForm action=ACTION on_result=on_result reload=true>
                            <Field
                                label="Your name"
                                name="name"
                                autocomplete="name"
                                action=ACTION
                                hint="Optional."
                            />
                            <Field
                                label="Email address"
                                name="email"
                                kind="email"
                                autocomplete="email"
                                action=ACTION
                                required=true
                                hint="We send our answers here."
                            />
                            <Field label="Subject" name="subject" action=ACTION hint="Optional." />
                            <TextArea label="Message" name="body" action=ACTION required=true />
                            <FileField />
                            <Honeypot field=info.honeypot_field />
                            <button type="submit" class="button primary">
                                "Send message"
                            </button>
                        </UploadForm>
                        <p class="aside">
                            "Already wrote to us? "
                            <a href=page::REQUEST_LINK>"Get a new link to your conversations"</a>
                        </p>
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}

/// The answer after the contact form: the link goes to the email address only.
#[component]
pub fn ContactSentPage() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Message received"</h1>
            <p role="status">
                "Thank you: we received your message. A private link to the conversation is on its way to the email address you gave; use it to read our answer and to reply."
            </p>
            <p class="aside">
                "No email within a few minutes? Check your spam folder, or "
                <a href=page::REQUEST_LINK>"ask for a new link"</a>"."
            </p>
        </section>
    }
}
