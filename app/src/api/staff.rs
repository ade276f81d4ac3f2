//! The staff conversation page's data and actions (SPEC §4 admin rows); the inbox's are in
//! `inbox`, presence in `presence`.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::inbox::DELETE_CONFIRM;
use crate::error::AppError;
use crate::model::staff::StaffThreadView;
#[cfg(feature = "ssr")]
use crate::routes::page;
use crate::routes::{path_of, Action, ShownOn::StaffThread};

/// One conversation for staff with `access`.
#[server(prefix = "/api/pigeon", endpoint = "admin/thread")]
pub async fn load_staff_thread(id: i64) -> Result<StaffThreadView, AppError> {
    use crate::backend::web::page_status;
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    let mut view = staff_threads::view(&state.db, &viewer, id)
        .await
        .map_err(page_status::reflect)?;
    if view.can_manage {
        let base = state.config.base_url.as_str();
        view.saved_replies =
            crate::backend::service::saved_replies::for_thread(&state.db, &viewer, id, base)
                .await?;
    }
    Ok(view)
}

/// A reply, or an internal note (`is_internal_note`), with an optional status afterwards.
/// `seen_up_to` is the newest visible message on the writer's page: if a colleague or the
/// customer wrote since, nothing is sent (409) and the page shows what is new.
#[server(prefix = "/actions/pigeon", endpoint = "admin/reply")]
pub async fn staff_reply(
    thread_id: i64,
    body: String,
    is_internal_note: Option<String>,
    status_after: Option<String>,
    submission_key: Option<String>,
    seen_up_to: Option<String>,
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
    let note = super::ticked("is_internal_note", is_internal_note.as_deref())?;
    let files = crate::backend::attachments::request_files();
    // The newest message the writer saw (absent from old forms and scripts: no check).
    let seen_up_to = match seen_up_to.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "seen_up_to",
                "The form was damaged. Please reload the page.",
            )
        })?),
    };
    let draft = crate::backend::service::messages::Draft {
        body: &body,
        files: &files,
        key: submission_key.as_deref(),
        seen_up_to,
    };
    let (_, mentions) =
        staff_threads::reply_and_mention(&state.db, &viewer, thread_id, draft, note, status_after)
            .await?;
    let notice = if !mentions.not_told.is_empty() {
        "mention-not-told"
    } else if !mentions.told.is_empty() {
        "mention-told"
    } else {
        "sent"
    };
    leptos_axum::redirect(&format!(
        "/admin/pigeon/threads/{thread_id}?notice={notice}"
    ));
    Ok(())
}
crate::declare_action!(
    /// The form action of `staff_reply`.
    STAFF_REPLY = Action::site(path_of::<StaffReply>(), StaffThread).with_files()
);

/// Sets a thread's status.
#[server(prefix = "/actions/pigeon", endpoint = "admin/status")]
pub async fn set_thread_status(thread_id: i64, status: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    use crate::model::thread::ThreadStatus;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let status = ThreadStatus::parse(&status)
        .ok_or_else(|| AppError::invalid("status", "Choose a status from the list."))?;
    let undo = crate::backend::service::undo::keep(&state.db, &viewer, &[thread_id]).await?;
    staff_threads::set_status(&state.db, &viewer, thread_id, status).await?;
    leptos_axum::redirect(&format!(
        "{}?notice=status-changed&undo={undo}",
        page::staff_thread(thread_id)
    ));
    Ok(())
}
crate::declare_action!(
    /// The form action of `set_thread_status`.
    SET_STATUS = Action::site(path_of::<SetThreadStatus>(), StaffThread)
);

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
    let undo = crate::backend::service::undo::keep(&state.db, &viewer, &[thread_id]).await?;
    staff_threads::assign(&state.db, &viewer, thread_id, assignee).await?;
    leptos_axum::redirect(&format!(
        "{}?notice=assigned&undo={undo}",
        page::staff_thread(thread_id)
    ));
    Ok(())
}
crate::declare_action!(
    /// The form action of `assign_thread`.
    ASSIGN = Action::site(path_of::<AssignThread>(), StaffThread)
);

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
crate::declare_action!(
    /// The form action of `revoke_guest_links`.
    REVOKE_LINKS = Action::site(path_of::<RevokeGuestLinks>(), StaffThread)
);

/// Moves one thread to the Trash.
#[server(prefix = "/actions/pigeon", endpoint = "admin/trash")]
pub async fn trash_thread(thread_id: i64) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let undo = crate::backend::service::undo::keep(&state.db, &viewer, &[thread_id]).await?;
    staff_threads::set_trashed(&state.db, &viewer, thread_id, true).await?;
    leptos_axum::redirect(&format!(
        "/admin/pigeon/threads/{thread_id}?notice=trashed&undo={undo}"
    ));
    Ok(())
}
crate::declare_action!(
    /// The form action of `trash_thread`.
    TRASH = Action::site(path_of::<TrashThread>(), StaffThread)
);

/// Brings one thread back from the Trash.
#[server(prefix = "/actions/pigeon", endpoint = "admin/restore")]
pub async fn restore_thread(thread_id: i64) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let undo = crate::backend::service::undo::keep(&state.db, &viewer, &[thread_id]).await?;
    staff_threads::set_trashed(&state.db, &viewer, thread_id, false).await?;
    leptos_axum::redirect(&format!(
        "/admin/pigeon/threads/{thread_id}?notice=restored&undo={undo}"
    ));
    Ok(())
}
crate::declare_action!(
    /// The form action of `restore_thread`.
    RESTORE = Action::site(path_of::<RestoreThread>(), StaffThread)
);

/// Deletes one thread in the Trash for good (`confirm=yes` required).
#[server(prefix = "/actions/pigeon", endpoint = "admin/delete")]
pub async fn delete_thread(thread_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    if !super::ticked("confirm", confirm.as_deref())? {
        return Err(AppError::invalid("confirm", DELETE_CONFIRM));
    }
    staff_threads::delete_forever(&state.db, &viewer, thread_id).await?;
    crate::backend::attachments::delete_released(&state).await;
    leptos_axum::redirect("/admin/pigeon/trash?notice=deleted");
    Ok(())
}
crate::declare_action!(
    /// The form action of `delete_thread`.
    DELETE = Action::site(path_of::<DeleteThread>(), StaffThread)
);

/// Follows a thread (`follow=true`: emailed about new messages) or stops following it.
#[server(prefix = "/actions/pigeon", endpoint = "admin/follow")]
pub async fn follow_thread(thread_id: i64, follow: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let follow = super::ticked("follow", Some(&follow))?;
    staff_threads::follow(&state.db, &viewer, thread_id, follow).await?;
    leptos_axum::redirect(&page::staff_thread(thread_id));
    Ok(())
}
crate::declare_action!(
    /// The form action of `follow_thread`.
    FOLLOW = Action::site(path_of::<FollowThread>(), StaffThread)
);

/// Makes a conversation unread again for the viewer, and goes back to the inbox.
#[server(prefix = "/actions/pigeon", endpoint = "admin/mark-unread")]
pub async fn mark_unread(thread_id: i64) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::staff_threads, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    staff_threads::mark_unread(&state.db, &viewer, thread_id).await?;
    leptos_axum::redirect(&format!("{}?notice=marked-unread", page::INBOX));
    Ok(())
}
crate::declare_action!(
    /// The form action of `mark_unread`.
    MARK_UNREAD = Action::site(path_of::<MarkUnread>(), StaffThread)
);
