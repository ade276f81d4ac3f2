//! The admin's view of the mail queue.
use serde::{Deserialize, Serialize};

/// One email in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: String,
    /// None for account emails (address verification, password reset).
    pub thread_id: Option<i64>,
    pub subject: String,
    pub recipient: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// Why the recipient's address is known to bounce, if it is.
    #[serde(default)]
    pub bouncing: Option<String>,
}

impl OutboxItem {
    /// What kind of email this is, in words.
    pub fn kind_label(&self) -> &'static str {
        match self.kind.as_str() {
            "message" => "New message",
            "note" => "Internal note",
            "assigned" => "Assignment",
            "alert" => "Support alert",
            "verify" => "Address confirmation",
            "reset" => "Password reset",
            _ => "Other",
        }
    }
}

/// Pending, failed and recently sent emails, with the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxOverview {
    pub pending_total: i64,
    pub failed_total: i64,
    pub sent_total: i64,
    pub pending: Vec<OutboxItem>,
    pub failed: Vec<OutboxItem>,
    pub sent: Vec<OutboxItem>,
}
