//! The member's reply form.
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::api::threads::Reply;
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::TextArea;
use crate::components::form::upload_form::{report_to, UploadForm};

const ACTION: &str = crate::api::threads::MEMBER_REPLY.path;

/// Posts a reply; once hydrated, without a page load, and it empties the box on success.
#[component]
pub fn ReplyForm(thread_id: i64, action: ServerAction<Reply>) -> impl IntoView {
    let body_ref = NodeRef::<Textarea>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            if let Some(area) = body_ref.get() {
                area.set_value("");
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply"</h2>
            <FormError action=ACTION live=action_error(action) />
            <UploadForm action=ACTION on_result=report_to(action)>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <TextArea
                    label="Your message"
                    name="body"
                    action=ACTION
                    required=true
                    node_ref=body_ref
                />
                <FileField />
                <button type="submit" class="button primary">
                    "Send reply"
                </button>
            </UploadForm>
        </section>
    }
}
