//! `/admin/pigeon/saved-replies`: the team's saved replies. Staff read them here and insert
//! them from the composer; those who may manage conversations add, change and delete them.
use leptos::prelude::*;

use crate::api::saved_replies::{
    load_saved_replies, CreateSavedReply, DeleteSavedReply, UpdateSavedReply,
};
use crate::components::form::field::Field;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::TextArea;
use crate::components::layout::refused::Refused;
use crate::model::saved_reply::{SavedReply, VARIABLES};
use crate::routes::page;

const CREATE: &str = crate::api::saved_replies::CREATE_SAVED_REPLY.path;
const UPDATE: &str = crate::api::saved_replies::UPDATE_SAVED_REPLY.path;
const DELETE: &str = crate::api::saved_replies::DELETE_SAVED_REPLY.path;

/// The page.
#[component]
pub fn SavedRepliesPage() -> impl IntoView {
    let create = ServerAction::<CreateSavedReply>::new();
    let update = ServerAction::<UpdateSavedReply>::new();
    let delete = ServerAction::<DeleteSavedReply>::new();
    let data = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                delete.version().get(),
            )
        },
        |_| load_saved_replies(),
    );
    view! {
        <p class="back">
            <a href=page::INBOX>"← Inbox"</a>
        </p>
        <h1>"Saved replies"</h1>
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((replies, may_edit)) => {
                        view! { <Replies replies may_edit create update delete /> }.into_any()
                    }
                    Err(error) => {
                        view! { <Refused error purpose="see the saved replies" /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Replies(
    replies: Vec<SavedReply>,
    may_edit: bool,
    create: ServerAction<CreateSavedReply>,
    update: ServerAction<UpdateSavedReply>,
    delete: ServerAction<DeleteSavedReply>,
) -> impl IntoView {
    let variables = VARIABLES
        .iter()
        .map(|(name, meaning)| {
            view! {
                <li>
                    <code>{format!("{{{{{name}}}}}")}</code>
                    " — "
                    {*meaning}
                </li>
            }
        })
        .collect_view();
    let new_form = may_edit.then(|| {
        view! {
            <section class="card" aria-labelledby="new-reply-heading">
                <h2 id="new-reply-heading">"New saved reply"</h2>
                <FormError action=CREATE live=action_error(create) />
                <ActionForm action=create>
                    <Field label="Title" name="title" action=CREATE required=true />
                    <TextArea
                        label="Text"
                        name="body"
                        action=CREATE
                        required=true
                        id_prefix="new-"
                    />
                    <button type="submit" class="button primary">
                        "Save"
                    </button>
                </ActionForm>
            </section>
        }
    });
    let empty = replies.is_empty();
    view! {
        <p class="lead">
            "Insert one from the reply box of any conversation. Variables are filled in for \
             that conversation; one without a value there stays as written, and the reply \
             cannot be sent until you replace it."
        </p>
        <details class="card variables">
            <summary>"Variables"</summary>
            <ul>{variables}</ul>
        </details>
        {new_form}
        <section class="card" aria-labelledby="replies-heading">
            <h2 id="replies-heading">"All saved replies"</h2>
            <FormError action=UPDATE live=action_error(update) />
            <FormError action=DELETE live=action_error(delete) />
            {empty.then(|| view! { <p class="empty">"No saved replies yet."</p> })}
            <ul class="saved-replies">
                {replies
                    .into_iter()
                    .map(|r| view! { <ReplyItem r may_edit update delete /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ReplyItem(
    r: SavedReply,
    may_edit: bool,
    update: ServerAction<UpdateSavedReply>,
    delete: ServerAction<DeleteSavedReply>,
) -> impl IntoView {
    let id = r.id.to_string();
    let title_id = format!("title-{}", r.id);
    let body_id = format!("body-{}", r.id);
    let (title, body) = (r.title.clone(), r.body.clone());
    let edit = may_edit.then(move || {
        let (id2, id3) = (id.clone(), id.clone());
        let edit_label = format!("Edit “{}”", r.title);
        let delete_label = format!("Delete “{}”", r.title);
        let (old_title, old_body) = (r.title.clone(), r.body.clone());
        view! {
            <details class="edit-reply">
                <summary>{edit_label}</summary>
                <ActionForm action=update>
                    <input type="hidden" name="id" value=id2 />
                    <div class="field">
                        <label for=title_id.clone()>"Title"</label>
                        <input id=title_id name="title" required maxlength="120" value=old_title />
                    </div>
                    <div class="field">
                        <label for=body_id.clone()>"Text"</label>
                        <textarea id=body_id name="body" rows="6" required>
                            {old_body}
                        </textarea>
                    </div>
                    <button type="submit" class="button">
                        "Save changes"
                    </button>
                </ActionForm>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id3 />
                    <button type="submit" class="button danger">
                        {delete_label}
                    </button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <li class="saved-reply">
            <h3>{title}</h3>
            <p class="saved-body">{body}</p>
            {edit}
        </li>
    }
}
