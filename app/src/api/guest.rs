//! What the guest pages load. The guest actions themselves are plain form endpoints
//! (`backend::web::guest_forms`), so that the contact form also works from other sites.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::guest::{ContactFormInfo, GuestThreadView};

/// Whether the contact form is open, and the honeypot's field name.
#[server(prefix = "/api/pigeon", endpoint = "guest/contact-info")]
pub async fn contact_info() -> Result<ContactFormInfo, AppError> {
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let s = crate::backend::auth::request_memo::settings(&state.db).await?;
    Ok(ContactFormInfo {
        open: s.allow_guest_threads,
        honeypot_field: s.honeypot_enabled.then_some(s.honeypot_field),
        site_name: s.site_name,
    })
}

/// The conversation a private link opens; `None` when the link is unknown or expired.
#[server(prefix = "/api/pigeon", endpoint = "guest/thread")]
pub async fn load_guest_thread(token: String) -> Result<Option<GuestThreadView>, AppError> {
    use crate::backend::service::guest;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let settings = crate::backend::auth::request_memo::settings(&state.db).await?;
    match guest::view(&state.db, &settings, &token).await {
        Ok(view) => Ok(Some(view)),
        // The page explains and offers a fresh link, with the status a dead link deserves.
        Err(AppError::NotFound) => {
            crate::backend::web::page_status::reflect(AppError::NotFound);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The guest's browser showed the conversation: their read mark moves (staff see "Seen").
/// Sent by the loaded page, never by opening the link, so link scanners mark nothing.
#[server(prefix = "/api/pigeon", endpoint = "guest/seen")]
pub async fn guest_seen(token: String) -> Result<(), AppError> {
    use crate::backend::service::guest;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let settings = crate::backend::auth::request_memo::settings(&state.db).await?;
    guest::mark_seen(&state.db, &settings, &token).await
}
