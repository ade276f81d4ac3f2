//! Threads and messages as pages and the JSON API see them.
use serde::{Deserialize, Serialize};

/// Support (guest or member with staff) or direct (member with member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThreadKind {
    Support,
    Direct,
}

impl ThreadKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadKind::Support => "support",
            ThreadKind::Direct => "direct",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "support" => Some(ThreadKind::Support),
            "direct" => Some(ThreadKind::Direct),
            _ => None,
        }
    }
}

/// Where a thread stands (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThreadStatus {
    Open,
    /// Awaiting a staff reply ("needs reply").
    Pending,
    Closed,
}

impl ThreadStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadStatus::Open => "open",
            ThreadStatus::Pending => "pending",
            ThreadStatus::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ThreadStatus::Open),
            "pending" => Some(ThreadStatus::Pending),
            "closed" => Some(ThreadStatus::Closed),
            _ => None,
        }
    }

    /// The label people read.
    pub fn label(self) -> &'static str {
        match self {
            ThreadStatus::Open => "Open",
            ThreadStatus::Pending => "Needs reply",
            ThreadStatus::Closed => "Closed",
        }
    }

    /// The label the customer reads on their support conversation: their words, not the
    /// team's ("Needs reply" is the team's to-do).
    pub fn customer_label(self) -> &'static str {
        match self {
            ThreadStatus::Pending => "We\u{2019}ll reply soon",
            ThreadStatus::Open => "Answered",
            ThreadStatus::Closed => "Closed",
        }
    }
}

/// A normal message, a staff-only internal note, or a system event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    Message,
    Note,
    Event,
}

impl MessageKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Message => "message",
            MessageKind::Note => "note",
            MessageKind::Event => "event",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "message" => Some(MessageKind::Message),
            "note" => Some(MessageKind::Note),
            "event" => Some(MessageKind::Event),
            _ => None,
        }
    }
}

/// One row of a thread list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub kind: ThreadKind,
    pub subject: String,
    pub status: ThreadStatus,
    pub started_by_name: String,
    pub last_message_at: i64,
    pub last_author_name: String,
    pub unread: bool,
}

/// A page of a thread list, with the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadList {
    pub threads: Vec<ThreadSummary>,
    pub next_cursor: Option<String>,
    /// The newest change when this was read: live updates start after it.
    #[serde(default)]
    pub live_since: i64,
}

/// One message as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub kind: MessageKind,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
    pub mine: bool,
    /// Names of the other participants whose read mark stops at this message.
    pub seen_by: Vec<String>,
    /// Files on the message.
    pub attachments: Vec<AttachmentView>,
    /// For staff: the incoming email it was posted from (its original is at
    /// `/admin/pigeon/inbound/<id>/original`).
    #[serde(default)]
    pub by_email: Option<i64>,
}

/// A file on a message as shown: its download address is `/pigeon/attachments/<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size: i64,
    /// A PNG, JPEG, GIF or WebP image, shown as a thumbnail.
    pub image: bool,
}

/// What a form with a file field may send (SPEC §9), from the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UploadRules {
    pub enabled: bool,
    pub max_files: i64,
    pub max_mb: i64,
    /// Allowed extensions, lower case, without dots.
    pub extensions: Vec<String>,
}

/// A thread with what the viewer may see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub summary: ThreadSummary,
    pub messages: Vec<MessageView>,
    pub participants: Vec<String>,
    pub muted: bool,
    /// The newest change when this was read: live updates start after it.
    #[serde(default)]
    pub live_since: i64,
}
