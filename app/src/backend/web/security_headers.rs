//! Security headers on every response.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::HeaderValue;

/// The policy for responses that are not pages (pages add a script nonce, see `app::shell`).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The page policy: scripts only from us or with this response's nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Pages whose address carries a secret token.
const PRIVATE_LINK_PAGES: &[&str] = &["/password/reset/", "/verify/", GUEST_LINK_PAGES];
/// Guests' conversation pages: their address is the key, so it is never sent on as a referrer.
const GUEST_LINK_PAGES: &str = "/pigeon/t/";

/// Middleware: adds the headers a page has not set itself.
pub async fn add(req: Request, next: Next) -> Response {
    let private = PRIVATE_LINK_PAGES
        .iter()
        .any(|p| req.uri().path().starts_with(p));
    let guest_page = req.uri().path().starts_with(GUEST_LINK_PAGES);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if private {
        // Pages reached through a secret link are never kept by caches.
        h.insert(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
    if guest_page {
        h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    }
    h.entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    res
}
