//! What every page needs to know about the visitor and the site.
use serde::{Deserialize, Serialize};

use super::viewer::Viewer;

/// The header's data: who is logged in and the site name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub viewer: Option<Viewer>,
    pub site_name: String,
    pub registration_open: bool,
    /// Threads with a message the viewer has not read.
    pub unread: i64,
    /// For staff with `access`: support threads awaiting a reply (the nav badge).
    pub awaiting: Option<i64>,
    /// What forms may attach (SPEC §9).
    pub uploads: super::thread::UploadRules,
    /// The newest change when this was read: live updates start after it.
    #[serde(default)]
    pub live_since: i64,
}

/// The staff dashboard's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardInfo {
    pub viewer: Viewer,
    pub permissions: Vec<String>,
    /// The inbox widget, for staff with `access`: the count and the newest of the same set.
    pub awaiting: Option<(i64, Vec<super::thread::ThreadSummary>)>,
}
