//! Saved replies: the list for staff, and changes for those with `manage_threads`.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::saved_reply::SavedReply;
use crate::routes::page;
use crate::routes::{path_of, Action, ShownOn::Page};

/// Every saved reply, and whether the viewer may change them.
#[server(prefix = "/api/pigeon", endpoint = "admin/saved-replies")]
pub async fn load_saved_replies() -> Result<(Vec<SavedReply>, bool), AppError> {
    use crate::backend::web::page_status;
    use crate::backend::{auth::permissions, service::saved_replies, state::AppState};
    use crate::model::viewer::Permission;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    let all = saved_replies::list(&state.db, &viewer)
        .await
        .map_err(page_status::reflect)?;
    Ok((all, viewer.can(Permission::ManageThreads)))
}

/// Adds a saved reply.
#[server(prefix = "/actions/pigeon", endpoint = "admin/saved-replies/create")]
pub async fn create_saved_reply(title: String, body: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::saved_replies, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    saved_replies::create(&state.db, &viewer, &title, &body).await?;
    leptos_axum::redirect(&format!("{}?notice=saved-reply-saved", page::SAVED_REPLIES));
    Ok(())
}
crate::declare_action!(
    /// The form action of `create_saved_reply`.
    CREATE_SAVED_REPLY = Action::site(path_of::<CreateSavedReply>(), Page(page::SAVED_REPLIES))
);

/// Changes a saved reply.
#[server(prefix = "/actions/pigeon", endpoint = "admin/saved-replies/update")]
pub async fn update_saved_reply(id: i64, title: String, body: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::saved_replies, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    saved_replies::update(&state.db, &viewer, id, &title, &body).await?;
    leptos_axum::redirect(&format!("{}?notice=saved-reply-saved", page::SAVED_REPLIES));
    Ok(())
}
crate::declare_action!(
    /// The form action of `update_saved_reply`.
    UPDATE_SAVED_REPLY = Action::site(path_of::<UpdateSavedReply>(), Page(page::SAVED_REPLIES))
);

/// Deletes a saved reply.
#[server(prefix = "/actions/pigeon", endpoint = "admin/saved-replies/delete")]
pub async fn delete_saved_reply(id: i64) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::saved_replies, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    saved_replies::delete(&state.db, &viewer, id).await?;
    leptos_axum::redirect(&format!(
        "{}?notice=saved-reply-deleted",
        page::SAVED_REPLIES
    ));
    Ok(())
}
crate::declare_action!(
    /// The form action of `delete_saved_reply`.
    DELETE_SAVED_REPLY = Action::site(path_of::<DeleteSavedReply>(), Page(page::SAVED_REPLIES))
);
