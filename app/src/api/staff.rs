//! The staff conversation page's data and actions (SPEC §4 admin rows).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::staff::StaffThreadView;

/// One conversation for staff with `access`.
#[server(prefix = "/api/pigeon", endpoint = "admin/thread")]
pub async fn load_staff_thread(id: i64) -> Result<StaffThreadView, AppError> {
    use crate::backend::web::page_status;
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    staff_threads::view(&state.db, &viewer, id)
        .await
        .map_err(page_status::reflect)
}

/// A reply, or an internal note (`is_internal_note`), with an optional status afterwards.
#[server(prefix = "/actions/pigeon", endpoint = "admin/reply")]
pub async fn staff_reply(
    thread_id: i64,
    body: String,
    is_internal_note: Option<String>,
    status_after: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    use crate::model::thread::ThreadStatus;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let status_after =
        match status_after.as_deref().unwrap_or("") {
            "" => None,
            s => Some(ThreadStatus::parse(s).ok_or_else(|| {
                AppError::invalid("status_after", "Choose a status from the list.")
            })?),
        };
    let note = is_internal_note.is_some_and(|v| v == "true" || v == "on");
    staff_threads::reply(&state.db, &viewer, thread_id, &body, note, status_after).await?;
    leptos_axum::redirect(&format!("/admin/pigeon/threads/{thread_id}?notice=sent"));
    Ok(())
}

/// Sets a thread's status.
#[server(prefix = "/actions/pigeon", endpoint = "admin/status")]
pub async fn set_thread_status(thread_id: i64, status: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    use crate::model::thread::ThreadStatus;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let status = ThreadStatus::parse(&status)
        .ok_or_else(|| AppError::invalid("status", "Choose a status from the list."))?;
    staff_threads::set_status(&state.db, &viewer, thread_id, status).await?;
    leptos_axum::redirect(&format!("/admin/pigeon/threads/{thread_id}"));
    Ok(())
}

/// Assigns a support thread; an empty `assignee_id` unassigns it.
#[server(prefix = "/actions/pigeon", endpoint = "admin/assign")]
pub async fn assign_thread(thread_id: i64, assignee_id: Option<String>) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let assignee = match assignee_id.as_deref().unwrap_or("").trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("assignee_id", "Choose a member of staff."))?,
        ),
    };
    staff_threads::assign(&state.db, &viewer, thread_id, assignee).await?;
    leptos_axum::redirect(&format!("/admin/pigeon/threads/{thread_id}"));
    Ok(())
}

/// Ends every guest link of a thread.
#[server(prefix = "/actions/pigeon", endpoint = "admin/revoke-links")]
pub async fn revoke_guest_links(thread_id: i64) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    staff_threads::revoke_guest_links(&state.db, &viewer, thread_id).await?;
    leptos_axum::redirect(&format!(
        "/admin/pigeon/threads/{thread_id}?notice=links-revoked"
    ));
    Ok(())
}
