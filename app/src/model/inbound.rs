//! The admin's view of incoming mail (the Inbound page).
use serde::{Deserialize, Serialize};

/// One incoming message and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundItem {
    pub id: i64,
    pub received_at: i64,
    /// `smtp` or `imap`.
    pub via: String,
    /// The `From` address (empty until read), else the envelope sender.
    pub from: String,
    pub subject: String,
    /// `new`, `posted`, `started`, `held`, `dropped`, `failed` or `discarded`.
    pub state: String,
    pub reason: String,
    pub thread_id: Option<i64>,
    pub size: i64,
}

impl InboundItem {
    /// The state, in words.
    pub fn state_label(&self) -> &'static str {
        match self.state.as_str() {
            "new" => "Waiting",
            "posted" => "Posted",
            "started" => "Started a conversation",
            "held" => "Held for review",
            "dropped" => "Dropped",
            "failed" => "Failed",
            "discarded" => "Discarded",
            _ => "Other",
        }
    }

    /// An admin may still decide about it.
    pub fn undecided(&self) -> bool {
        matches!(self.state.as_str(), "held" | "failed")
    }
}

/// An address mail to which bounced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BouncingAddress {
    pub email: String,
    pub bounced_at: i64,
    pub reason: String,
}

/// Recent incoming mail, the counts per state, and the addresses that bounce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InboundOverview {
    pub counts: Vec<(String, i64)>,
    pub items: Vec<InboundItem>,
    pub bouncing: Vec<BouncingAddress>,
    /// Where replies and new conversations arrive, for the page's explanation.
    pub reply_domain: Option<String>,
    pub support_address: Option<String>,
}
