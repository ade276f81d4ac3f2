//! Site settings (SPEC §10) with their defaults, read from the database.
use crate::backend::db::{self, Db};
use crate::error::AppError;

/// The settings this build knows about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub site_name: String,
    pub allow_registration: bool,
    pub allow_user_threads: bool,
    /// Whether members may choose staff accounts as direct-message recipients.
    pub staff_as_recipients: bool,
    pub from_name: String,
    pub from_email: String,
    /// Who is alerted of new guest and member messages on unassigned support threads;
    /// empty means every active staff user who may manage threads.
    pub support_recipients: Vec<String>,
    pub allow_guest_threads: bool,
    /// How long a guest's emailed link works, in days (1–365).
    pub guest_token_lifetime_days: i64,
    /// Guest posts per client address and per email address in one window.
    pub rate_limit_max: i64,
    pub rate_limit_window_s: i64,
    pub honeypot_enabled: bool,
    /// Name of the hidden field that only robots fill in.
    pub honeypot_field: String,
    /// Posts per 300 s from one logged-in member.
    pub member_rate_limit_max: i64,
    /// Whether messages may carry files (SPEC §9).
    pub attachments_enabled: bool,
    /// Most files on one message (1–20).
    pub attachments_max_files: i64,
    /// Largest file, in MB of 1,000,000 bytes (1–100).
    pub attachments_max_mb: i64,
    /// Allowed extensions, lower case, from the kinds Pigeon can check.
    pub attachments_extensions: Vec<String>,
    /// Files one sender (an account, or a client address for guests) may store per day,
    /// in MB (1–100,000).
    pub upload_quota_sender_mb: i64,
    /// Files one conversation may receive per day, in MB (1–100,000).
    pub upload_quota_thread_mb: i64,
}

/// The extensions Pigeon can check by content, which the allowed list is chosen from.
pub const KNOWN_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "pdf", "txt", "csv", "doc", "docx", "xls", "xlsx", "zip",
];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            site_name: "Pigeon".to_string(),
            allow_registration: true,
            allow_user_threads: true,
            staff_as_recipients: false,
            from_name: "Pigeon".to_string(),
            from_email: "pigeon@localhost".to_string(),
            support_recipients: Vec::new(),
            allow_guest_threads: true,
            guest_token_lifetime_days: 30,
            rate_limit_max: 10,
            rate_limit_window_s: 300,
            honeypot_enabled: true,
            honeypot_field: "pigeon_hp".to_string(),
            member_rate_limit_max: 60,
            attachments_enabled: true,
            attachments_max_files: 5,
            attachments_max_mb: 10,
            attachments_extensions: KNOWN_EXTENSIONS.iter().map(|e| e.to_string()).collect(),
            upload_quota_sender_mb: 50,
            upload_quota_thread_mb: 100,
        }
    }
}

impl Settings {
    /// Every setting as (name, value text), in a stable order.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        vec![
            ("site_name", self.site_name.clone()),
            ("allow_registration", self.allow_registration.to_string()),
            ("allow_user_threads", self.allow_user_threads.to_string()),
            ("staff_as_recipients", self.staff_as_recipients.to_string()),
            ("from_name", self.from_name.clone()),
            ("from_email", self.from_email.clone()),
            ("support_recipients", self.support_recipients.join(", ")),
            ("allow_guest_threads", self.allow_guest_threads.to_string()),
            (
                "guest_token_lifetime_days",
                self.guest_token_lifetime_days.to_string(),
            ),
            ("rate_limit_max", self.rate_limit_max.to_string()),
            ("rate_limit_window_s", self.rate_limit_window_s.to_string()),
            ("honeypot_enabled", self.honeypot_enabled.to_string()),
            ("honeypot_field", self.honeypot_field.clone()),
            (
                "member_rate_limit_max",
                self.member_rate_limit_max.to_string(),
            ),
            ("attachments_enabled", self.attachments_enabled.to_string()),
            (
                "attachments_max_files",
                self.attachments_max_files.to_string(),
            ),
            ("attachments_max_mb", self.attachments_max_mb.to_string()),
            (
                "attachments_extensions",
                self.attachments_extensions.join(", "),
            ),
            (
                "upload_quota_sender_mb",
                self.upload_quota_sender_mb.to_string(),
            ),
            (
                "upload_quota_thread_mb",
                self.upload_quota_thread_mb.to_string(),
            ),
        ]
    }

    /// The largest file allowed, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.attachments_max_mb.max(0) as u64 * 1_000_000
    }

    /// What forms with a file field may send.
    pub fn upload_rules(&self) -> crate::model::thread::UploadRules {
        crate::model::thread::UploadRules {
            enabled: self.attachments_enabled,
            max_files: self.attachments_max_files,
            max_mb: self.attachments_max_mb,
            extensions: self.attachments_extensions.clone(),
        }
    }
}

/// Current settings; stored values override the defaults. Read fresh so that every
/// instance sees a change at once.
pub async fn load(db: &Db) -> Result<Settings, AppError> {
    Ok(from_stored(db::settings::all(db.reader()).await?))
}

/// Settings from stored (name, value) pairs over the defaults.
pub fn from_stored(stored: Vec<(String, String)>) -> Settings {
    let mut s = Settings::default();
    for (key, value) in stored {
        match key.as_str() {
            "site_name" => s.site_name = value,
            "allow_registration" => s.allow_registration = value == "true",
            "allow_user_threads" => s.allow_user_threads = value == "true",
            "staff_as_recipients" => s.staff_as_recipients = value == "true",
            "from_name" => s.from_name = value,
            "from_email" => s.from_email = value,
            "support_recipients" => {
                s.support_recipients = value
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "allow_guest_threads" => s.allow_guest_threads = value == "true",
            "honeypot_enabled" => s.honeypot_enabled = value == "true",
            "honeypot_field" => s.honeypot_field = value,
            "member_rate_limit_max" => {
                s.member_rate_limit_max = value.parse().unwrap_or(s.member_rate_limit_max)
            }
            "attachments_enabled" => s.attachments_enabled = value == "true",
            "attachments_max_files" => {
                s.attachments_max_files = value.parse().unwrap_or(s.attachments_max_files)
            }
            "attachments_max_mb" => {
                s.attachments_max_mb = value.parse().unwrap_or(s.attachments_max_mb)
            }
            "attachments_extensions" => {
                s.attachments_extensions = value
                    .split(',')
                    .filter(|e| !e.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "guest_token_lifetime_days" => {
                s.guest_token_lifetime_days = value.parse().unwrap_or(s.guest_token_lifetime_days)
            }
            "upload_quota_sender_mb" => {
                s.upload_quota_sender_mb = value.parse().unwrap_or(s.upload_quota_sender_mb)
            }
            "upload_quota_thread_mb" => {
                s.upload_quota_thread_mb = value.parse().unwrap_or(s.upload_quota_thread_mb)
            }
            "rate_limit_max" => s.rate_limit_max = value.parse().unwrap_or(s.rate_limit_max),
            "rate_limit_window_s" => {
                s.rate_limit_window_s = value.parse().unwrap_or(s.rate_limit_window_s)
            }
            _ => {}
        }
    }
    s
}

mod edit;
pub use edit::*;
