//! What a guest sees through a private link.
use serde::{Deserialize, Serialize};

use super::thread::{MessageView, ThreadStatus};

/// A support thread as its guest sees it: messages only, never notes or events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestThreadView {
    pub subject: String,
    pub status: ThreadStatus,
    pub guest_name: String,
    pub site_name: String,
    pub messages: Vec<MessageView>,
    /// The newest change when this was read: live updates start after it.
    #[serde(default)]
    pub live_since: i64,
}

/// The contact form's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContactFormInfo {
    pub open: bool,
    /// Name of the hidden honeypot field, when the honeypot is on.
    pub honeypot_field: Option<String>,
    pub site_name: String,
}
