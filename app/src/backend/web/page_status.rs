//! Makes a page's HTTP answer match an access error found while loading its data.
use http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

/// Sends anonymous visitors of a page to the login page (`/login?next=<page>`, so that
/// they come back after logging in) and gives other refusals their status code. Calls
/// from the hydrated app (`/api/…`) get the status only.
pub fn reflect(error: AppError) -> AppError {
    let page = use_context::<http::request::Parts>()
        .map(|p| p.uri)
        .filter(|uri| !uri.path().starts_with("/api/") && !uri.path().starts_with("/actions/"));
    match (&error, page) {
        (AppError::Unauthorized, Some(uri)) => {
            let here = uri.path_and_query().map_or("/", |p| p.as_str());
            leptos_axum::redirect(&login_url(here));
            // `redirect` sets the status only for requests that accept HTML by name; a page
            // is a page whatever its `Accept` says.
            if let Some(res) = use_context::<ResponseOptions>() {
                res.set_status(StatusCode::FOUND);
            }
        }
        (other, Some(_)) => {
            if let Some(res) = use_context::<ResponseOptions>() {
                if let Ok(code) = StatusCode::from_u16(other.status()) {
                    res.set_status(code);
                }
            }
        }
        // The server function's own answer carries the status (`web::input_guard`).
        (_, None) => {}
    }
    error
}

/// The login page, coming back to `next` afterwards.
pub fn login_url(next: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    format!("/login?{query}")
}

/// Where to go after logging in: `next` when it is a path on this site, else `fallback`.
pub fn after_login(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.starts_with("/login")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => fallback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed_after_login() {
        assert_eq!(
            after_login(Some("/admin/pigeon?q=a"), "/"),
            "/admin/pigeon?q=a"
        );
        for bad in [
            "//evil.test/x",
            "https://evil.test",
            "/\\evil.test",
            "admin",
            "/a\nb",
        ] {
            assert_eq!(after_login(Some(bad), "/"), "/", "{bad:?}");
        }
        assert_eq!(after_login(None, "/admin"), "/admin");
        assert_eq!(
            login_url("/admin?a=1&b=2"),
            "/login?next=%2Fadmin%3Fa%3D1%26b%3D2"
        );
    }
}
