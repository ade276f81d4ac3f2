//! The staff composer: a reply to the customer or an internal note (two modes, the note
//! visibly different), files, the status afterwards, saved replies (a searchable picker with
//! JavaScript; without it, a list and an "Insert" button that reloads the page with the text
//! added), and in a note, `@` suggests the colleagues it can mention.
use leptos::html::Textarea;
use leptos::prelude::*;

use super::composer_pickers::{typed_mention, Mentions, SavedReplyPicker};
use crate::api::staff::StaffReply;
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::{Draft, TextArea};
use crate::components::form::upload_form::{empty_when_sent, UploadForm};
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::model::saved_reply::SavedReply;

const REPLY: &str = crate::api::staff::STAFF_REPLY.path;

/// What the page's address asks the composer to start with (the no-JavaScript "Insert").
#[derive(Debug, Clone, Default)]
pub(super) struct Start {
    pub text: String,
    pub note: bool,
}

impl Start {
    /// The text of the address's `body` with the saved reply `saved_reply` added.
    pub fn from_query(
        body: Option<String>,
        saved: Option<String>,
        note: Option<String>,
        replies: &[SavedReply],
    ) -> Start {
        let mut text = body.unwrap_or_default().trim_end().to_string();
        let chosen = saved
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|id| replies.iter().find(|r| r.id == id));
        if let Some(r) = chosen {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&r.body);
        }
        Start {
            text,
            note: note.as_deref() == Some("true"),
        }
    }
}

/// The reply and note form. `seen_up_to` is the newest visible message shown above it:
/// when someone else wrote since, the server sends nothing and says so (409), the page
/// shows what is new, and the kept text can be sent anyway.
#[component]
pub(super) fn Composer(
    thread_id: i64,
    seen_up_to: i64,
    action: ServerAction<StaffReply>,
    /// Reports to `action`; made beside it (`report_to`), not here.
    reported: Callback<Result<(), AppError>>,
    draft: Draft,
    /// Whether the text is to be an internal note (for colleagues' "writing a note…").
    noting: RwSignal<bool>,
    saved_replies: Vec<SavedReply>,
    mentionable: Vec<String>,
    start: Start,
) -> impl IntoView {
    let body_ref = NodeRef::<Textarea>::new();
    empty_when_sent(action, draft, body_ref);
    let echo = use_context::<FormEcho>().filter(|e| e.is_for(REPLY));
    let note_checked = match echo.as_ref() {
        Some(e) => matches!(
            e.value("is_internal_note").as_str(),
            "true" | "on" | "1" | "yes"
        ),
        None => start.note || noting.get_untracked(),
    };
    if note_checked {
        noting.set(true);
    }
    let newer_in_echo = echo
        .as_ref()
        .is_some_and(|e| matches!(e.error, Some(AppError::NewerMessages { .. })));
    let newer = move || {
        newer_in_echo
            || matches!(
                action.value().get(),
                Some(Err(AppError::NewerMessages { .. }))
            )
    };
    let initial = (!start.text.is_empty()).then_some(start.text);
    let typed = RwSignal::new(None::<String>);
    let body_label = move || {
        if noting.get() {
            "Note for colleagues (never shown to the customer)"
        } else {
            "Reply to the customer"
        }
    };
    view! {
        <section
            class="card composer"
            class:noting=move || noting.get()
            id="composer"
            aria-labelledby="composer-heading"
        >
            <h2 id="composer-heading">"Reply or add a note"</h2>
            <FormError action=REPLY live=action_error(action) />
            <UploadForm action=REPLY on_result=reported>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <input type="hidden" name="seen_up_to" value=seen_up_to.to_string() />
                <fieldset class="composer-modes">
                    <legend class="visually-hidden">"Write"</legend>
                    <label>
                        <input
                            type="radio"
                            name="is_internal_note"
                            value="false"
                            checked=!note_checked
                            on:change=move |_| noting.set(false)
                        />
                        " Reply to the customer"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="is_internal_note"
                            value="true"
                            checked=note_checked
                            on:change=move |_| noting.set(true)
                        />
                        " Internal note"
                    </label>
                </fieldset>
                <p class="hint note-hint">
                    "Staff only: never shown or emailed to the customer. Type @ to mention a colleague."
                </p>
                <div
                    class="body-field"
                    on:input=move |_| typed.set(typed_mention(body_ref))
                    on:keyup=move |_| typed.set(typed_mention(body_ref))
                    on:click=move |_| typed.set(typed_mention(body_ref))
                >
                    <TextArea
                        label="Message"
                        name="body"
                        action=REPLY
                        required=true
                        node_ref=body_ref
                        id_prefix="staff-"
                        kept=draft
                        initial=initial.unwrap_or_default()
                    />
                    <Mentions names=mentionable body_ref draft noting typed />
                </div>
                <p class="hint body-label" aria-live="polite">
                    {body_label}
                </p>
                {(!saved_replies.is_empty())
                    .then(|| {
                        view! {
                            <SavedReplyPicker thread_id replies=saved_replies body_ref draft />
                        }
                    })}
                <FileField id_prefix="staff-" />
                <div class="field">
                    <label for="status-after">"Status after sending"</label>
                    <select id="status-after" name="status_after">
                        <option value="">"As the rules decide"</option>
                        <option value="open">"Open"</option>
                        <option value="pending">"Needs reply"</option>
                        <option value="closed">"Closed"</option>
                    </select>
                </div>
                <button type="submit" class="button primary">
                    {move || if newer() { "Send anyway" } else { "Send" }}
                </button>
            </UploadForm>
        </section>
    }
}
