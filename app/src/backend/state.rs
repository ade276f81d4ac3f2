//! The state every request handler and server function reaches through context.
use std::sync::Arc;

use super::attachments::store::Store;
use super::config::Config;
use super::db::Db;

/// Shared server state: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Where attachment files are kept.
    pub files: Store,
    pub leptos: leptos::config::LeptosOptions,
}

impl AppState {
    /// The state of the current request, from Leptos context.
    pub fn from_context() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from context");
            crate::error::AppError::Internal
        })
    }
}
