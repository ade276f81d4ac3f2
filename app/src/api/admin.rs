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
    Ok(DashboardInfo {
        viewer,
        permissions,
    })
}
