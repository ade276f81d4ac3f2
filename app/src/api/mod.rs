//! Server functions: thin adapters from HTTP to services.
pub mod account;
pub mod admin;
pub mod guest;
pub mod session;
pub mod staff;
pub mod threads;

/// Whether a form's checkbox was ticked (browsers send "on" unless the box has a value; ours
/// send "true"). An absent box is not ticked.
#[cfg(feature = "ssr")]
pub(crate) fn ticked(value: Option<&str>) -> bool {
    matches!(value, Some("true") | Some("on"))
}
