//! Makes a page's HTTP answer match an access error found while loading its data.
use http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

/// Sends anonymous visitors to the login page and gives other refusals their status code.
pub fn reflect(error: AppError) -> AppError {
    match &error {
        AppError::Unauthorized => leptos_axum::redirect("/login"),
        other => {
            if let Some(res) = use_context::<ResponseOptions>() {
                if let Ok(code) = StatusCode::from_u16(other.status()) {
                    res.set_status(code);
                }
            }
        }
    }
    error
}
