//! Login, logout and registration actions.
use leptos::prelude::*;

use crate::error::AppError;

/// Logs in with email and password; starts a fresh session.
#[server(prefix = "/actions/pigeon", endpoint = "account/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use crate::backend::auth::session;
    use crate::backend::service::accounts;
    use crate::backend::state::AppState;
    use crate::backend::web::client_ip;
    let state = AppState::from_context()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let user = accounts::login(&state.db, &email, &password, &client_ip::current()).await?;
    let cookie = session::start(&state, session::token_from(&parts.headers), user.id).await?;
    session::set_cookie(cookie);
    let home = if user.to_viewer().is_staff() {
        "/admin"
    } else {
        "/"
    };
    leptos_axum::redirect(&format!("{home}?notice=welcome"));
    Ok(())
}

/// Ends the current session.
#[server(prefix = "/actions/pigeon", endpoint = "account/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::auth::session;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let cookie = session::end(&state, &parts.headers).await?;
    session::set_cookie(cookie);
    leptos_axum::redirect("/?notice=logged-out");
    Ok(())
}

/// Creates a member account. The answer never tells whether the address was taken.
#[server(prefix = "/actions/pigeon", endpoint = "account/register")]
pub async fn register(name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::backend::service::accounts;
    use crate::backend::state::AppState;
    use crate::backend::web::client_ip;
    let state = AppState::from_context()?;
    accounts::register(&state.db, &name, &email, &password, &client_ip::current()).await?;
    leptos_axum::redirect("/login?notice=registered");
    Ok(())
}
