//! Who is on a staff conversation: the open page says so every few seconds and asks who else is.
use leptos::prelude::*;

use crate::error::AppError;

/// The viewer is on a conversation: `viewing`, `replying`, `noting`, or `left` (staff with
/// access to it). Sent every few seconds by the open page.
#[server(prefix = "/api/pigeon", endpoint = "admin/presence")]
pub async fn presence(thread_id: i64, state: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::presence, state::AppState};
    let state_ = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    presence::renew(&state_.db, &viewer, thread_id, &state).await
}

/// Who else has a conversation open, and whether they are writing (staff with access to it).
#[server(prefix = "/api/pigeon", endpoint = "admin/presence/list")]
pub async fn thread_presence(
    thread_id: i64,
) -> Result<Vec<crate::model::staff::Presence>, AppError> {
    use crate::backend::{auth::permissions, service::presence, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    presence::others_on_thread(&state.db, &viewer, thread_id).await
}
