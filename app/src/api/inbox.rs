//! The staff inbox's data and its actions on many threads at once, and undo.
use leptos::prelude::*;

use crate::error::AppError;
use crate::routes::page;
use crate::routes::{path_of, Action, ShownOn::Page};

/// One page of the staff inbox; the URL's `source`, `q`, `sort` and `cursor`.
#[server(prefix = "/api/pigeon", endpoint = "admin/inbox")]
pub async fn load_inbox(
    source: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<crate::model::staff::InboxPage, AppError> {
    use crate::backend::web::page_status;
    use crate::backend::{auth::permissions, service::staff_inbox, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    staff_inbox::page(
        &state.db,
        &viewer,
        source.as_deref().unwrap_or(""),
        q.as_deref().unwrap_or(""),
        sort.as_deref().unwrap_or(""),
        cursor.as_deref().unwrap_or(""),
    )
    .await
    .map_err(page_status::reflect)
}

/// Where to go back to after an inbox action: an inbox address of ours, else the inbox.
#[cfg(feature = "ssr")]
fn inbox_return(return_to: Option<&str>) -> String {
    match return_to {
        Some(p) if p.starts_with(page::INBOX) && !p.contains("//") && !p.contains('\\') => {
            p.to_string()
        }
        _ => page::INBOX.to_string(),
    }
}

/// Adds a notice to an address of ours.
#[cfg(feature = "ssr")]
fn with_notice(path: &str, notice: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}notice={notice}")
}

/// One action on the checked threads: `op` is open, pending, closed, assign (with
/// `assignee_id`; empty unassigns), trash, restore or delete (with `confirm`).
#[server(prefix = "/actions/pigeon", endpoint = "admin/bulk")]
pub async fn bulk_threads(
    op: String,
    thread_ids: Option<Vec<i64>>,
    assignee_id: Option<String>,
    confirm: Option<String>,
    return_to: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::service::staff_inbox::{self, BulkOp};
    use crate::backend::{auth::permissions, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let op = BulkOp::parse(&op, assignee_id.as_deref())?;
    if op == BulkOp::Delete && !super::ticked("confirm", confirm.as_deref())? {
        return Err(AppError::invalid("confirm", DELETE_CONFIRM));
    }
    let ids = thread_ids.unwrap_or_default();
    // Checked first, so a refused action keeps nothing to undo.
    staff_inbox::check_bulk(&state.db, &viewer, &ids, op).await?;
    let undo = if op == BulkOp::Delete {
        None
    } else {
        Some(crate::backend::service::undo::keep(&state.db, &viewer, &ids).await?)
    };
    staff_inbox::bulk(&state.db, &viewer, &ids, op).await?;
    if op == BulkOp::Delete {
        crate::backend::attachments::delete_released(&state).await;
    }
    let notice = match undo {
        Some(id) => format!("updated&undo={id}"),
        None => "updated".to_string(),
    };
    leptos_axum::redirect(&with_notice(&inbox_return(return_to.as_deref()), &notice));
    Ok(())
}
crate::declare_action!(
    /// The form action of `bulk_threads`.
    BULK = Action::site(path_of::<BulkThreads>(), Page(page::INBOX))
);

/// Puts back what one of the viewer's recent actions changed (`undo_id` from its notice),
/// then returns to `return_to` (an inbox or conversation address).
#[server(prefix = "/actions/pigeon", endpoint = "admin/undo")]
pub async fn undo_change(undo_id: i64, return_to: Option<String>) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::undo, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    undo::undo(&state.db, &viewer, undo_id).await?;
    leptos_axum::redirect(&with_notice(&inbox_return(return_to.as_deref()), "undone"));
    Ok(())
}
crate::declare_action!(
    /// The form action of `undo_change`.
    UNDO = Action::site(path_of::<UndoChange>(), Page(page::INBOX))
);

/// What a delete without its confirmation box says.
pub const DELETE_CONFIRM: &str =
    "Tick \u{201c}Delete for good\u{201d} to confirm: deleted threads cannot be restored.";
