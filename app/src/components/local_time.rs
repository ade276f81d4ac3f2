//! Moments shown in the viewer's time zone. The browser tells the server its zone once, in
//! a cookie (`ZONE_COOKIE`, set by the page's first script); from then on the server renders
//! local times too and nothing changes at hydration. Until it knows, the server renders UTC,
//! labelled so, and the hydrated page shows local times.
use leptos::prelude::*;

use crate::model::time_text::{format_local, format_utc, iso_utc, relative};

/// The cookie naming the viewer's time zone (an IANA name such as `Europe/Paris`).
pub const ZONE_COOKIE: &str = "pigeon_tz";

/// The viewer's time zone as the server knows it (from `ZONE_COOKIE`).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ViewerZone(pub jiff::tz::TimeZone);

/// Reads the zone from the request's cookie and provides it to the page being rendered.
#[cfg(feature = "ssr")]
pub fn provide_viewer_zone() {
    let zone = use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(ZONE_COOKIE)?.strip_prefix('='))
            .map(|name| name.replace("%2F", "/").replace("%2f", "/"))
            .filter(|name| name.len() <= 64)
            .and_then(|name| jiff::tz::TimeZone::get(&name).ok())
    });
    if let Some(zone) = zone {
        provide_context(ViewerZone(zone));
    }
}

/// Minutes east of UTC for the viewer at `ms`: None on the server until it knows the zone.
fn offset_at(ms: i64) -> Option<i64> {
    #[cfg(feature = "ssr")]
    {
        let zone = use_context::<ViewerZone>()?;
        let at = jiff::Timestamp::from_millisecond(ms).ok()?;
        Some(i64::from(zone.0.to_offset(at).seconds()) / 60)
    }
    #[cfg(not(feature = "ssr"))]
    {
        Some(browser_offset(ms))
    }
}

#[cfg(not(feature = "ssr"))]
fn browser_offset(ms: i64) -> i64 {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        -(d.get_timezone_offset() as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        0
    }
}

/// The exact time, local when known, else UTC (labelled).
fn exact(ms: i64) -> String {
    match offset_at(ms) {
        Some(offset) => format_local(ms, offset),
        None => format_utc(ms),
    }
}

/// Now, in Unix milliseconds.
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A `<time>` element for Unix milliseconds. Its text is plain (no signal to render on the
/// server); once hydrated, the page puts the browser's own reading in if it differs.
#[component]
pub fn LocalTime(ms: i64) -> impl IntoView {
    let node = NodeRef::<leptos::html::Time>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let local = exact(ms);
            if el.text_content().as_deref() != Some(local.as_str()) {
                el.set_text_content(Some(&local));
            }
        }
    });
    view! {
        <time node_ref=node datetime=iso_utc(ms) title=format_utc(ms)>
            {exact(ms)}
        </time>
    }
}

/// "3 min", "yesterday": how long ago, with the exact time on hover and for screen readers.
/// Plain text on the server; once hydrated, the browser's reading replaces it if it differs.
#[component]
pub fn RelativeTime(ms: i64) -> impl IntoView {
    let shown = NodeRef::<leptos::html::Span>::new();
    let exact_text = exact(ms);
    let title = exact_text.clone();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = shown.get() {
            let now = relative(ms, now_ms(), browser_offset);
            if el.text_content().as_deref() != Some(now.as_str()) {
                el.set_text_content(Some(&now));
            }
        }
    });
    view! {
        <time datetime=iso_utc(ms) title=title>
            <span node_ref=shown aria-hidden="true">
                {relative(ms, now_ms(), |t| offset_at(t).unwrap_or(0))}
            </span>
            <span class="visually-hidden">{exact_text}</span>
        </time>
    }
}
