//! Turns a queued notification into an email: plain text and HTML, every value escaped,
//! threading headers so mail clients group a thread's emails. In steps: who it goes to
//! (`recipient`), what it says (`variables`, minting the links it carries), and the email
//! itself (`build`).
mod build;
mod kind;
mod recipient;
mod variables;

use lettre::Message;

pub use kind::MailKind;

use crate::backend::config::Config;
use crate::backend::db::{self, mail_queue::QueuedMail, Db};
use crate::backend::settings::Settings;

/// A queued row that cannot become an email (recipient or thread gone): parked with this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undeliverable(pub String);

impl Undeliverable {
    fn because(why: impl Into<String>) -> Undeliverable {
        Undeliverable(why.into())
    }
}

/// A step's result: the database failed (try again later), or the row cannot be sent.
type Step<T> = Result<Result<T, Undeliverable>, db::DbError>;

/// The id all emails of one thread refer to.
pub fn thread_ref(thread_id: i64, host: &str) -> String {
    format!("<pigeon.thread.{thread_id}@{host}>")
}

/// Where links in an email point.
struct Site<'a> {
    /// The base URL without its trailing slash.
    base: &'a str,
    host: String,
}

/// Builds the email for a queued row.
pub async fn compose(
    db: &Db,
    config: &Config,
    settings: &Settings,
    row: &QueuedMail,
) -> Result<Result<Message, Undeliverable>, db::DbError> {
    let Some(kind) = MailKind::parse(&row.kind) else {
        return Ok(Err(Undeliverable(format!(
            "unknown email kind {}",
            row.kind
        ))));
    };
    let site = Site {
        base: config.base_url.as_str().trim_end_matches('/'),
        host: config
            .base_url
            .host_str()
            .unwrap_or("localhost")
            .to_string(),
    };
    let recipient = match recipient::of(db, settings, row, &site).await? {
        Ok(r) => r,
        Err(u) => return Ok(Err(u)),
    };
    let content = match variables::of(db, config, settings, row, kind, &recipient, &site).await? {
        Ok(c) => c,
        Err(u) => return Ok(Err(u)),
    };
    Ok(build::email(
        config, settings, row, kind, &recipient, content, &site,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_have_one_reference() {
        assert_eq!(
            thread_ref(7, "pigeon.test"),
            "<pigeon.thread.7@pigeon.test>"
        );
    }
}
