//! What the settings and users pages show.
use serde::{Deserialize, Serialize};

use super::viewer::Viewer;

/// Every setting as (name, value text), in the settings page's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub values: Vec<(String, String)>,
}

impl SettingsView {
    /// The value text of a setting, or "".
    pub fn get(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// One account on the users page: the user as pages see them, and their account state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListItem {
    pub user: Viewer,
    pub disabled: bool,
    pub created_at: i64,
}

/// One page of accounts, by id, with the viewer's own id (they cannot lock themselves out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<UserListItem>,
    pub next_cursor: Option<String>,
    pub q: String,
    pub viewer_id: i64,
}
