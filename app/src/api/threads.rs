//! The member area: thread list, one thread, and the member actions.
use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::thread::{ThreadList, ThreadView};
use crate::routes::page;
use crate::routes::{
    path_of, Action,
    ShownOn::{MemberThread, Page},
};

/// A page of the viewer's threads (`kind`: support, direct or empty for both).
#[server(prefix = "/api/pigeon", endpoint = "threads/list")]
pub async fn list_threads(
    kind: Option<String>,
    cursor: Option<String>,
) -> Result<ThreadList, AppError> {
    use crate::backend::{
        auth::permissions, service::member_threads, state::AppState, web::page_status,
    };
    use crate::model::thread::ThreadKind;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    let kind = kind.as_deref().and_then(ThreadKind::parse);
    member_threads::list(
        &state.db,
        &viewer,
        kind,
        cursor.as_deref().filter(|c| !c.is_empty()),
    )
    .await
}

/// One thread the viewer takes part in. Loading it from the app marks it read.
#[server(prefix = "/api/pigeon", endpoint = "threads/view")]
pub async fn load_thread(id: i64) -> Result<ThreadView, AppError> {
    use crate::backend::{
        auth::permissions,
        service::{member_threads, read_state},
        state::AppState,
        web::page_status,
    };
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    let view = member_threads::view(&state.db, &viewer, id)
        .await
        .map_err(page_status::reflect)?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    if parts.method == http::Method::POST {
        read_state::mark_read(&state.db, viewer.id, id).await?;
    }
    Ok(view)
}

/// Starts a support thread, or a direct thread with the checked recipients.
#[server(prefix = "/actions/pigeon", endpoint = "threads/start")]
pub async fn start_thread(
    kind: String,
    subject: Option<String>,
    body: String,
    recipients: Option<BTreeMap<String, String>>,
    submission_key: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{attachments::request_files, service::messages::Draft};
    use crate::backend::{auth::permissions, service::member_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let files = request_files();
    let draft = Draft {
        body: &body,
        files: &files,
        key: submission_key.as_deref(),
        seen_up_to: None,
    };
    let ids: Vec<i64> = recipients
        .unwrap_or_default()
        .values()
        .filter_map(|v| v.parse().ok())
        .collect();
    let subject = subject.unwrap_or_default();
    let id = member_threads::start(&state.db, &viewer, &kind, &subject, &ids, draft).await?;
    leptos_axum::redirect(&page::member_thread(id));
    Ok(())
}
crate::declare_action!(
    /// The form action of `start_thread`.
    START_THREAD = Action::site(path_of::<StartThread>(), Page(page::MEMBER_THREADS))
        .with_files()
        .with_lists(&["recipients"])
);

/// Replies to a thread the viewer takes part in.
#[server(prefix = "/actions/pigeon", endpoint = "messages/reply")]
pub async fn reply(
    thread_id: i64,
    body: String,
    submission_key: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{attachments::request_files, service::messages::Draft};
    use crate::backend::{auth::permissions, service::member_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let files = request_files();
    let draft = Draft {
        body: &body,
        files: &files,
        key: submission_key.as_deref(),
        seen_up_to: None,
    };
    let message_id = member_threads::reply(&state.db, &viewer, thread_id, draft).await?;
    leptos_axum::redirect(&format!("{}#m{message_id}", page::member_thread(thread_id)));
    Ok(())
}
crate::declare_action!(
    /// The form action of `reply`.
    MEMBER_REPLY = Action::site(path_of::<Reply>(), MemberThread).with_files()
);

/// Marks a thread read.
#[server(prefix = "/actions/pigeon", endpoint = "threads/mark-read")]
pub async fn mark_read(thread_id: i64) -> Result<bool, AppError> {
    use crate::backend::{
        auth::permissions,
        service::{member_threads, read_state},
        state::AppState,
    };
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    member_threads::ensure_participant(&state.db, &viewer, thread_id).await?;
    read_state::mark_read(&state.db, viewer.id, thread_id).await
}
crate::declare_action!(
    /// The form action of `mark_read`.
    MARK_READ = Action::site(path_of::<MarkRead>(), MemberThread)
);

/// Turns email notifications for one thread off (`muted` = "true") or on.
#[server(prefix = "/actions/pigeon", endpoint = "threads/mute")]
pub async fn mute(thread_id: i64, muted: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let muted = super::ticked("muted", Some(&muted))?;
    threads::set_muted(&state.db, viewer.id, thread_id, muted).await?;
    leptos_axum::redirect(&page::member_thread(thread_id));
    Ok(())
}
crate::declare_action!(
    /// The form action of `mute`.
    MUTE = Action::site(path_of::<Mute>(), MemberThread)
);

/// Leaves a thread.
#[server(prefix = "/actions/pigeon", endpoint = "threads/leave")]
pub async fn leave(thread_id: i64) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    threads::leave(&state.db, &viewer, thread_id).await?;
    leptos_axum::redirect(page::MEMBER_THREADS);
    Ok(())
}
crate::declare_action!(
    /// The form action of `leave`.
    LEAVE = Action::site(path_of::<Leave>(), MemberThread)
);

/// Other active members to start a direct thread with, by name (never by email).
#[server(prefix = "/api/pigeon", endpoint = "members/find")]
pub async fn find_members(query: String) -> Result<Vec<(i64, String)>, AppError> {
    use crate::backend::{auth::permissions, service::member_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    member_threads::find_members(&state.db, &viewer, &query).await
}
