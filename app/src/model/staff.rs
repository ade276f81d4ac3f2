//! What staff see of a conversation.
use serde::{Deserialize, Serialize};

use super::thread::{MessageView, ThreadSummary};

/// One participant as staff see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    pub name: String,
    pub email: String,
    pub is_guest: bool,
    /// Has read up to the newest message.
    pub caught_up: bool,
    pub muted: bool,
}

/// A conversation for staff: every message, notes and system events included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffThreadView {
    pub summary: ThreadSummary,
    pub messages: Vec<MessageView>,
    pub participants: Vec<ParticipantView>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// Everyone a thread can be assigned to.
    pub staff: Vec<(i64, String)>,
    pub can_manage: bool,
    pub can_assign: bool,
}
