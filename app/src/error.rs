//! The one error type every server function and service returns.
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// An error with the HTTP status it maps to and a message a person understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("That page or item does not exist.")]
    NotFound,
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    /// A staff reply or note written before someone else's newer message (`count` of them).
    #[error("Someone else wrote while you were writing: read the newest messages above. Your text is kept; send it anyway, or change it first.")]
    NewerMessages { count: i64 },
    #[error("Too many attempts. Please wait {retry_after} seconds and try again.")]
    RateLimited { retry_after: u64 },
    #[error("That request is too large.")]
    PayloadTooLarge,
    #[error("We are busy for a moment. Please try again in {retry_after} seconds; nothing you typed was lost.")]
    Unavailable { retry_after: u64 },
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    /// A validation error attached to one form field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The HTTP status code of this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) | AppError::NewerMessages { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::PayloadTooLarge => 413,
            AppError::Unavailable { .. } => 503,
            AppError::Internal => 500,
        }
    }

    /// Seconds a client should wait before trying again, for the errors that say so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after } | AppError::Unavailable { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// The form field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } if !field.is_empty() => Some(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::invalid(
                "",
                "The form was incomplete. Please fill it in and try again.",
            ),
            _ => AppError::Internal,
        }
    }
}

/// How long a client is asked to wait when the database is busy.
pub const BUSY_RETRY_AFTER: u64 = 5;

#[cfg(feature = "ssr")]
impl From<crate::backend::db::DbError> for AppError {
    /// A busy database (SQLite's lock, PostgreSQL's lock or statement timeout, a pool with
    /// no free connection) is a 503 to try again; text the engine cannot store is the
    /// input's fault (422). Anything else is a bug, logged and hidden.
    fn from(err: crate::backend::db::DbError) -> Self {
        use crate::backend::db::{fault, DbFault};
        match fault(&err) {
            DbFault::Busy => {
                tracing::warn!(error = %err, "database busy");
                AppError::Unavailable {
                    retry_after: BUSY_RETRY_AFTER,
                }
            }
            DbFault::BadText => {
                tracing::warn!(error = %err, "text the database cannot store");
                AppError::invalid("", CONTROL_CHARACTERS)
            }
            DbFault::Other => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}

/// What the text fields' rule says when it is broken.
pub const CONTROL_CHARACTERS: &str =
    "Please remove the invisible control characters from this text (shown as \u{fffd}).";

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        tracing::error!(error = %err, "internal error");
        AppError::Internal
    }
}
