//! The contact form: a guest's new support conversation, its first message and files,
//! the staff alerts and the guest's receipt with a private link, in one transaction.
use crate::backend::attachments::upload::Uploaded;
use crate::backend::db::{self, now_ms, threads::NewThread, Db};
use crate::backend::service::messages::{post_in, Author, Draft};
use crate::backend::service::rate_limit::Limit;
use crate::backend::service::submission_keys;
use crate::backend::validate;
use crate::error::AppError;
use crate::model::thread::{MessageKind, ThreadKind, ThreadStatus};

/// What a guest typed into the contact form.
#[derive(Debug, Clone, Default)]
pub struct ContactForm {
    pub name: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    /// The form's one-time submission key (`submission_keys::submission_key`), or empty.
    pub submission_key: String,
}

/// A checked contact form.
#[derive(Debug, Clone)]
pub struct CheckedContact {
    pub name: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    pub submission_key: Option<String>,
}

/// Checks a contact form: a clear error for the first bad field.
pub fn check_contact(form: &ContactForm) -> Result<CheckedContact, AppError> {
    let email = validate::email("email", &form.email)?;
    let name = if form.name.trim().is_empty() {
        email.split('@').next().unwrap_or("Guest").to_string()
    } else {
        validate::name("name", &form.name)?
    };
    let subject = validate::subject(
        "subject",
        &form.subject,
        crate::backend::service::threads::SUPPORT_SUBJECT,
    )?;
    let body = validate::message_body("body", &form.body)?;
    let submission_key = submission_keys::submission_key(Some(&form.submission_key), &body)?;
    Ok(CheckedContact {
        name,
        email,
        subject,
        body,
        submission_key,
    })
}

/// Starts a pending support thread for a guest. In one transaction: the rate-limit counts
/// (`limits`: bucket and limit), the thread, the guest as participant, the first message,
/// the staff alerts and the guest's email with the link. Returns the thread id (never shown
/// to the guest).
pub async fn start(
    db: &Db,
    form: &CheckedContact,
    limits: &[(String, Limit)],
) -> Result<i64, AppError> {
    start_with_files(db, form, limits, &[]).await
}

/// As `start`, with the files stored for the first message. The transaction runs on the
/// writer thread (`Db::on_writer`).
pub async fn start_with_files(
    db: &Db,
    form: &CheckedContact,
    limits: &[(String, Limit)],
    files: &[Uploaded],
) -> Result<i64, AppError> {
    let (form, limits, files) = (form.clone(), limits.to_vec(), files.to_vec());
    let thread_id = db
        .on_writer(|db| async move { create(&db, &form, &limits, &files).await })
        .await??;
    tracing::info!(thread_id, "guest started a support thread");
    Ok(thread_id)
}

/// The new thread, its first message and the guest's receipt, in one transaction.
async fn create(
    db: &Db,
    form: &CheckedContact,
    limits: &[(String, Limit)],
    files: &[Uploaded],
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let author = Author::Guest {
        email: &form.email,
        name: &form.name,
    };
    let key = form.submission_key.as_deref();
    if let Some((first, _)) = submission_keys::take(&mut tx, author, key).await? {
        return Ok(first.unwrap_or(0));
    }
    for (bucket, limit) in limits {
        super::rate_limit::check_in(&mut tx, bucket, *limit).await?;
    }
    let now = now_ms();
    let new = NewThread {
        kind: ThreadKind::Support,
        subject: &form.subject,
        status: ThreadStatus::Pending,
        started_by_user_id: None,
        started_by_guest_email: Some(&form.email),
        started_by_name: &form.name,
        now,
    };
    let thread_id = db::threads::insert(&mut tx, &new).await?;
    let posted = post_in(
        &mut tx,
        thread_id,
        author,
        MessageKind::Message,
        Draft {
            body: &form.body,
            files,
            key,
            seen_up_to: None,
        },
        None,
    )
    .await?;
    submission_keys::settle(&mut tx, author, key, thread_id, posted.message_id).await?;
    // The message is kept either way; an address that had its share of confirmations
    // today gets no more (staff answers still reach it, with a link).
    if super::rate_limit::mail_allowed_in(&mut tx, &form.email).await? {
        db::outbox::enqueue_for_participant(
            &mut tx,
            "received",
            thread_id,
            Some(posted.message_id),
            posted.author_participant_id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(thread_id)
}
