//! The built browser files under `/pkg/` and the icon: sent compressed when the build
//! stored a compressed copy (`.br`, `.gz`) and the browser takes it; a file named after its
//! content (`pigeon.<16 hex digits>.js`) never changes, so browsers keep it for a year.
use std::path::Path;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use http::header::CACHE_CONTROL;
use http::HeaderValue;
use tower_http::services::{ServeDir, ServeFile};

use crate::backend::state::AppState;

/// Where the built files are served, under the site root.
pub const PKG: &str = "/pkg";

/// The routes of the built files in `site_root`.
pub fn routes(site_root: &Path) -> Router<AppState> {
    let pkg = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let icon = ServeFile::new(site_root.join("pkg/favicon.ico"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(PKG, pkg)
        .route_service("/favicon.ico", icon)
        .layer(middleware::from_fn(cache_policy))
}

async fn cache_policy(req: Request, next: Next) -> Response {
    let forever = is_content_named(req.uri().path());
    let icon = req.uri().path() == "/favicon.ico";
    let mut res = next.run(req).await;
    let policy = if forever && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if icon && res.status().is_success() {
        // Browsers ask for the icon on every page: once a day is enough.
        "public, max-age=86400"
    } else {
        // Asked again each time (answered 304 while unchanged).
        "no-cache"
    };
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

/// Whether a path names a file after its content: `…/pigeon.<16 hex>.<ext>`.
pub fn is_content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("pigeon"), Some(hash), Some(_), None)
            if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit())
    )
}

/// The names the build gave the files (`site/hash.txt`: `js: …`, `wasm: …`, `css: …`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuiltNames {
    pub css: Option<String>,
}

impl BuiltNames {
    /// Reads `hash.txt`; `None` when the build named nothing after content.
    pub fn read(hash_file: &Path) -> Option<BuiltNames> {
        let text = std::fs::read_to_string(hash_file).ok()?;
        let css = text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == "css").then(|| v.trim().to_string())
        });
        Some(BuiltNames { css })
    }

    /// The stylesheet's address.
    pub fn stylesheet(&self) -> String {
        match &self.css {
            Some(hash) => format!("{PKG}/pigeon.{hash}.css"),
            None => format!("{PKG}/pigeon.css"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_content_named;

    #[test]
    fn only_files_named_after_their_content_are_kept_for_a_year() {
        assert!(is_content_named("/pkg/pigeon.0123456789abcdef.wasm"));
        assert!(is_content_named("/pkg/pigeon.0123456789abcdef.js"));
        assert!(!is_content_named("/pkg/pigeon.js"));
        assert!(!is_content_named("/pkg/pigeon_bg.wasm"));
        assert!(!is_content_named("/pkg/pigeon.0123456789abcdeg.js"));
        assert!(!is_content_named("/pkg/pigeon.0123456789abcdef.js.br"));
        assert!(!is_content_named("/favicon.ico"));
    }
}
