//! Session cookies: random tokens, stored hashed, rotated at login.
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::backend::db::{self, now_ms};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::viewer::Viewer;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "pigeon_session";
const LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;

/// A fresh random token (256 bits, URL-safe) and its stored hash.
pub fn new_token() -> (String, String) {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// SHA-256 of a token, hex-encoded.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token a request carries, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The logged-in user of a request, if the session is valid and the account active.
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Option<Viewer>, AppError> {
    let Some(token) = token_from(headers) else {
        return Ok(None);
    };
    let user = db::sessions::find_user(state.db.reader(), &token_hash(&token), now_ms()).await?;
    Ok(user.map(|u| u.to_viewer()))
}

/// Starts a new session for a user (ending the one the request carried) and returns the
/// `Set-Cookie` value.
pub async fn start(
    state: &AppState,
    old: Option<String>,
    user_id: i64,
) -> Result<HeaderValue, AppError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let mut tx = state.db.write().await?;
    if let Some(old) = old {
        db::sessions::delete(&mut tx, &token_hash(&old)).await?;
    }
    db::sessions::insert(&mut tx, &hash, user_id, now, now + LIFETIME_MS).await?;
    tx.commit().await?;
    Ok(cookie(state, &token, LIFETIME_MS / 1000))
}

/// Ends the request's session and returns the `Set-Cookie` value that clears the cookie.
pub async fn end(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, AppError> {
    if let Some(token) = token_from(headers) {
        db::sessions::delete(&mut state.db.write_single().await?, &token_hash(&token)).await?;
    }
    Ok(cookie(state, "", 0))
}

fn cookie(state: &AppState, value: &str, max_age_s: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let text = format!(
        "{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Adds a `Set-Cookie` header to the response of the current server function.
pub fn set_cookie(value: HeaderValue) {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_url_safe() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert!(a.len() >= 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(ha, token_hash(&a));
        assert_ne!(ha, a);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; pigeon_session=tok; b=2"),
        );
        assert_eq!(token_from(&h).as_deref(), Some("tok"));
        h.insert(COOKIE, HeaderValue::from_static("pigeon_session="));
        assert_eq!(token_from(&h), None);
    }
}
