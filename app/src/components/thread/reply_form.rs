//! The member's reply form.
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::api::threads::Reply;
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::{Draft, TextArea};
use crate::components::form::upload_form::{empty_when_sent, UploadForm};
use crate::error::AppError;

const ACTION: &str = crate::api::threads::MEMBER_REPLY.path;

/// Posts a reply; once hydrated, without a page load, and it empties the box on success.
#[component]
pub fn ReplyForm(
    thread_id: i64,
    action: ServerAction<Reply>,
    /// Reports to `action`; made beside it (`report_to`), so that a form redrawn while
    /// sending still reports.
    reported: Callback<Result<(), AppError>>,
    /// The reply being written, kept while the page is redrawn around it.
    draft: Draft,
) -> impl IntoView {
    let body_ref = NodeRef::<Textarea>::new();
    empty_when_sent(action, draft, body_ref);
    view! {
        <section class="card" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply"</h2>
            <FormError action=ACTION live=action_error(action) />
            <UploadForm action=ACTION on_result=reported>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <TextArea
                    label="Your message"
                    name="body"
                    action=ACTION
                    required=true
                    node_ref=body_ref
                    kept=draft
                />
                <FileField />
                <button type="submit" class="button primary">
                    "Send reply"
                </button>
            </UploadForm>
        </section>
    }
}
