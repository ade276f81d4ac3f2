//! Server functions: thin adapters from HTTP to services.
pub mod account;
pub mod admin;
pub mod guest;
pub mod inbox;
pub mod presence;
pub mod saved_replies;
pub mod session;
pub mod staff;
pub mod threads;
pub mod users;

/// A yes/no field: an absent box is "no"; any other value must be one of the usual
/// spellings (`crate::backend::validate::flag`), never a silent "no".
#[cfg(feature = "ssr")]
pub(crate) fn ticked(field: &str, value: Option<&str>) -> Result<bool, crate::error::AppError> {
    match value {
        None => Ok(false),
        Some(v) => crate::backend::validate::flag(field, v),
    }
}
