//! Permission checks used by every server function, never only in the UI.
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::viewer::{Permission, Viewer};

/// The viewer of the current request, from Leptos context.
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let state = AppState::from_context()?;
    let parts = leptos::prelude::use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    super::request_memo::viewer(&state, &parts.headers, &parts.extensions).await
}

/// The viewer, or `Unauthorized` when nobody is logged in.
pub async fn require_login() -> Result<Viewer, AppError> {
    current_viewer().await?.ok_or(AppError::Unauthorized)
}

/// The viewer, when they are staff.
pub async fn require_staff() -> Result<Viewer, AppError> {
    let viewer = require_login().await?;
    if viewer.is_staff() {
        Ok(viewer)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The viewer, when they hold `permission`.
pub async fn require(permission: Permission) -> Result<Viewer, AppError> {
    let viewer = require_login().await?;
    if viewer.can(permission) {
        Ok(viewer)
    } else {
        Err(AppError::Forbidden)
    }
}
