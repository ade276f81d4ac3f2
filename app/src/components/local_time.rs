//! A moment shown in the viewer's time zone: UTC in the server-rendered page, the browser's
//! own zone once the page is hydrated.
use leptos::prelude::*;

use crate::model::time_text::{format_utc, iso_utc};

/// A `<time>` element for Unix milliseconds.
#[component]
pub fn LocalTime(ms: i64) -> impl IntoView {
    let text = RwSignal::new(format_utc(ms));
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| text.set(local_text(ms)));
    view! {
        <time datetime=iso_utc(ms) title=format_utc(ms)>
            {text}
        </time>
    }
}

#[cfg(feature = "hydrate")]
fn local_text(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}
