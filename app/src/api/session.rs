//! The visitor's session as pages see it.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::session::SessionInfo;

/// Who is logged in and the site name.
#[server(prefix = "/api/pigeon", endpoint = "session")]
pub async fn load_session() -> Result<SessionInfo, AppError> {
    use crate::backend::{auth::permissions, service::read_state, state::AppState};
    let state = AppState::from_context()?;
    let live_since = crate::backend::service::live::mark(&state.db).await?;
    let settings = crate::backend::auth::request_memo::settings(&state.db).await?;
    let viewer = permissions::current_viewer().await?;
    let (unread, awaiting) = match &viewer {
        Some(v) => read_state::header_counts(&state.db, v).await?,
        None => (0, None),
    };
    Ok(SessionInfo {
        live_since,
        viewer,
        unread,
        awaiting,
        uploads: settings.upload_rules(),
        site_name: settings.site_name,
        registration_open: settings.allow_registration,
    })
}
