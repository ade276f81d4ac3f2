//! What staff see of a conversation.
use serde::{Deserialize, Serialize};

pub use super::row_text::{
    avatar_colour, first_line, highlight_runs, initials, thousands, AVATAR_COLOURS,
};
use super::thread::{MessageView, ThreadKind, ThreadStatus, ThreadSummary};

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
    /// The viewer takes part and is emailed about new messages.
    pub following: bool,
    /// In the Trash.
    pub trashed: bool,
    /// The team's saved replies, filled for this conversation.
    #[serde(default)]
    pub saved_replies: Vec<crate::model::saved_reply::SavedReply>,
    /// Colleagues a note can mention (who may read conversations), by name.
    #[serde(default)]
    pub mentionable: Vec<String>,
    /// The newest change when this was read: live updates start after it.
    #[serde(default)]
    pub live_since: i64,
}

/// A view of the staff inbox (SPEC §3), named in the URL as `source=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboxSource {
    All,
    NeedsReply,
    Open,
    Closed,
    Mine,
    Unassigned,
    Support,
    /// Members' direct threads: admins only.
    Direct,
    Trash,
}

impl InboxSource {
    /// Every source, in the order the inbox lists them.
    pub const ALL: [InboxSource; 9] = [
        InboxSource::All,
        InboxSource::NeedsReply,
        InboxSource::Open,
        InboxSource::Closed,
        InboxSource::Mine,
        InboxSource::Unassigned,
        InboxSource::Support,
        InboxSource::Direct,
        InboxSource::Trash,
    ];

    /// The name in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            InboxSource::All => "all",
            InboxSource::NeedsReply => "needs-reply",
            InboxSource::Open => "open",
            InboxSource::Closed => "closed",
            InboxSource::Mine => "mine",
            InboxSource::Unassigned => "unassigned",
            InboxSource::Support => "support",
            InboxSource::Direct => "direct",
            InboxSource::Trash => "trash",
        }
    }

    /// Parses the name in the URL.
    pub fn parse(s: &str) -> Option<Self> {
        InboxSource::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The label people read.
    pub fn label(self) -> &'static str {
        match self {
            InboxSource::All => "All",
            InboxSource::NeedsReply => "Needs reply",
            InboxSource::Open => "Open",
            InboxSource::Closed => "Closed",
            InboxSource::Mine => "Assigned to me",
            InboxSource::Unassigned => "Unassigned",
            InboxSource::Support => "Support",
            InboxSource::Direct => "Direct",
            InboxSource::Trash => "Trash",
        }
    }
}

/// The inbox's order, named in the URL as `sort=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboxSort {
    /// Last activity, newest first.
    Activity,
    /// Created, newest first.
    Created,
    /// Subject, A to Z.
    Subject,
}

impl InboxSort {
    /// Every order, as the inbox offers them.
    pub const ALL: [InboxSort; 3] = [InboxSort::Activity, InboxSort::Created, InboxSort::Subject];

    /// The name in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            InboxSort::Activity => "activity",
            InboxSort::Created => "created",
            InboxSort::Subject => "subject",
        }
    }

    /// Parses the name in the URL.
    pub fn parse(s: &str) -> Option<Self> {
        InboxSort::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The label people read.
    pub fn label(self) -> &'static str {
        match self {
            InboxSort::Activity => "Last activity",
            InboxSort::Created => "Created",
            InboxSort::Subject => "Subject",
        }
    }
}

/// One row of the staff inbox (the columns of SPEC §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub subject: String,
    pub status: ThreadStatus,
    pub kind: ThreadKind,
    pub started_by_name: String,
    /// The guest's address when a guest started the thread.
    pub started_by_email: Option<String>,
    pub assignee_name: Option<String>,
    pub last_message_at: i64,
    pub last_author_name: String,
    pub created_at: i64,
    /// Colleagues who have it open now.
    #[serde(default)]
    pub present: Vec<Presence>,
    /// The first line of its newest visible message.
    #[serde(default)]
    pub preview: String,
    /// The viewer has not seen its newest visible message.
    #[serde(default)]
    pub unread: bool,
}

/// A colleague on a conversation: viewing it, or writing a reply or a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub name: String,
    /// `viewing`, `replying` or `noting`.
    pub state: String,
}

impl Presence {
    /// "Sam is replying…", "Sam is writing a note…", "Sam is viewing".
    pub fn label(&self) -> String {
        match self.state.as_str() {
            "replying" => format!("{} is replying…", self.name),
            "noting" => format!("{} is writing a note…", self.name),
            _ => format!("{} is viewing", self.name),
        }
    }
}

/// What the inbox URL asks for, read back as the server understood it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxQuery {
    pub source: InboxSource,
    pub sort: InboxSort,
    /// The search text as typed (empty: no search).
    pub q: String,
}

impl InboxQuery {
    /// The inbox URL for this query, optionally at a page cursor.
    pub fn href(&self, cursor: Option<&str>) -> String {
        let mut pairs = vec![("source", self.source.as_str().to_string())];
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if self.sort != InboxSort::Activity {
            pairs.push(("sort", self.sort.as_str().to_string()));
        }
        if let Some(c) = cursor {
            pairs.push(("cursor", c.to_string()));
        }
        let query: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect();
        format!("/admin/pigeon?{}", query.join("&"))
    }
}

/// Percent-encodes a query-string value.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One page of the staff inbox, with what the viewer may do to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub query: InboxQuery,
    pub items: Vec<InboxItem>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
    /// The sources this viewer may open.
    pub sources: Vec<InboxSource>,
    /// Everyone a thread can be assigned to (for bulk assignment).
    pub staff: Vec<(i64, String)>,
    pub can_manage: bool,
    pub can_assign: bool,
    /// The newest change when this was read: live updates start after it.
    #[serde(default)]
    pub live_since: i64,
    /// The cursor of the previous page: Some("") for the first page.
    #[serde(default)]
    pub prev_cursor: Option<String>,
    /// The position of the page's first row (1 for the first page).
    #[serde(default)]
    pub start: i64,
    /// How many threads the view holds, counted up to a cap.
    #[serde(default)]
    pub total: i64,
    /// The count stopped at its cap: there are at least `total`.
    #[serde(default)]
    pub total_capped: bool,
    /// The search's words, to highlight in the rows.
    #[serde(default)]
    pub words: Vec<String>,
}

/// The most threads an inbox view counts exactly; beyond, it says "10,000+".
pub const TOTAL_CAP: i64 = 10_000;
/// The most matches a search counts exactly; beyond, it says "1,000+".
pub const SEARCH_TOTAL_CAP: i64 = 1_000;

impl InboxPage {
    /// "1–50 of 1,234", or "51–100 of 10,000+".
    pub fn range_text(&self) -> String {
        let last = self.start + self.items.len() as i64 - 1;
        let total = if self.total_capped {
            format!("{}+", thousands(self.total))
        } else {
            thousands(self.total.max(last))
        };
        format!(
            "{}\u{2013}{} of {total}",
            thousands(self.start),
            thousands(last)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_names_round_trip_and_urls_are_encoded() {
        for s in InboxSource::ALL {
            assert_eq!(InboxSource::parse(s.as_str()), Some(s));
        }
        for s in InboxSort::ALL {
            assert_eq!(InboxSort::parse(s.as_str()), Some(s));
        }
        let q = InboxQuery {
            source: InboxSource::NeedsReply,
            sort: InboxSort::Subject,
            q: "a&b é".into(),
        };
        assert_eq!(
            q.href(Some("42")),
            "/admin/pigeon?source=needs-reply&q=a%26b%20%C3%A9&sort=subject&cursor=42"
        );
    }
}
