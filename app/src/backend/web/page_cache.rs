//! Pages are asked for again on every visit (`Cache-Control: no-cache`) but carry an ETag:
//! a page that has not changed since the browser's copy is answered `304 Not Modified`,
//! a few hundred bytes instead of the page. The tag leaves out the page's script nonce,
//! which differs on every answer; a 304 carries no policy, so the browser keeps the one
//! that came with its copy (and matches its nonce).
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use http::{HeaderValue, Method, StatusCode};
use sha2::{Digest, Sha256};

/// Middleware for every response.
pub async fn handle(req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET;
    let if_none_match = req.headers().get(IF_NONE_MATCH).cloned();
    let res = next.run(req).await;
    let is_page = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // Pages with their own rule (`no-store` on private links) keep it.
    if !is_get
        || !is_page
        || res.status() != StatusCode::OK
        || res.headers().contains_key(CACHE_CONTROL)
    {
        return res;
    }
    // A page is rendered whole before it is sent (every route renders asynchronously), so
    // reading it here holds nothing in memory that was not there already.
    let (mut head, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        // The render itself failed part-way: there is no page to send.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let nonce = head
        .headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of);
    let tag = etag(&bytes, nonce.as_deref());
    head.headers
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        head.headers.insert(ETAG, value);
    }
    let unchanged = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if unchanged {
        head.status = StatusCode::NOT_MODIFIED;
        head.headers.remove(CONTENT_SECURITY_POLICY);
        head.headers.remove(http::header::CONTENT_LENGTH);
        return Response::from_parts(head, Body::empty());
    }
    Response::from_parts(head, Body::from(bytes))
}

/// The nonce of a page policy (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<String> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(policy[start..start + len].to_string())
}

/// A weak tag of the page's bytes, the nonce left out.
fn etag(page: &[u8], nonce: Option<&str>) -> String {
    let mut hash = Sha256::new();
    match nonce.filter(|n| !n.is_empty()) {
        Some(n) => {
            let n = n.as_bytes();
            let mut rest = page;
            while let Some(at) = rest.windows(n.len()).position(|w| w == n) {
                hash.update(&rest[..at]);
                rest = &rest[at + n.len()..];
            }
            hash.update(rest);
        }
        None => hash.update(page),
    }
    format!("W/\"{}\"", hex::encode(&hash.finalize()[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_ignores_the_nonce_and_nothing_else() {
        let a = etag(b"<script nonce=\"abc\">x</script>", Some("abc"));
        let b = etag(b"<script nonce=\"xyz\">x</script>", Some("xyz"));
        let c = etag(b"<script nonce=\"xyz\">y</script>", Some("xyz"));
        assert_eq!(a, b);
        assert_ne!(b, c);
        assert_eq!(
            nonce_of("script-src 'self' 'nonce-Zm9v' 'wasm-unsafe-eval'"),
            Some("Zm9v".into())
        );
    }
}
