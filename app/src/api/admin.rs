//! Staff pages' data.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::session::DashboardInfo;

/// The staff dashboard: staff only.
#[server(prefix = "/api/pigeon", endpoint = "admin/dashboard")]
pub async fn dashboard() -> Result<DashboardInfo, AppError> {
    use crate::backend::{auth::permissions, web::page_status};
    use crate::model::viewer::Permission;
    let viewer = permissions::require_staff()
        .await
        .map_err(page_status::reflect)?;
    let permissions = Permission::ALL
        .into_iter()
        .filter(|p| viewer.can(*p))
        .map(|p| p.as_str().to_string())
        .collect();
    let awaiting = if viewer.can(Permission::Access) {
        use crate::backend::{service::staff_threads, state::AppState};
        let state = AppState::from_context()?;
        Some(staff_threads::awaiting(&state.db, &viewer, 8).await?)
    } else {
        None
    };
    Ok(DashboardInfo {
        viewer,
        permissions,
        awaiting,
    })
}

/// The mail queue: admins only.
#[server(prefix = "/api/pigeon", endpoint = "admin/outbox")]
pub async fn outbox_overview() -> Result<crate::model::outbox::OutboxOverview, AppError> {
    use crate::backend::db::mail_queue;
    use crate::backend::{auth::permissions, state::AppState, web::page_status};
    use crate::model::outbox::OutboxOverview;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    if !viewer.is_admin {
        return Err(page_status::reflect(AppError::Forbidden));
    }
    let pool = &state.db.pool;
    let (pending_total, failed_total, sent_total) = mail_queue::counts(pool).await?;
    Ok(OutboxOverview {
        pending_total,
        failed_total,
        sent_total,
        pending: mail_queue::list(pool, "pending", 100).await?,
        failed: mail_queue::list(pool, "failed", 100).await?,
        sent: mail_queue::list(pool, "sent", 50).await?,
    })
}

/// Puts one failed email (or all, without an id) back in the queue: admins only.
#[server(prefix = "/actions/pigeon", endpoint = "admin/outbox/retry")]
pub async fn retry_outbox(id: Option<i64>) -> Result<(), AppError> {
    use crate::backend::db::{mail_queue, now_ms};
    use crate::backend::{auth::permissions, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    mail_queue::retry_failed(&state.db.pool, id, now_ms()).await?;
    leptos_axum::redirect("/admin/pigeon/outbox");
    Ok(())
}
