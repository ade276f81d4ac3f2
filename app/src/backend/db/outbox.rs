//! The outbox: one row per email that a message or an assignment makes due, written in the
//! same transaction as its cause.
use super::WriteTx;
use sqlx::{Any, Executor};

/// Queues a notification of `message_id` for every participant who should hear of it: not
/// the author, not muted, not left; for an internal note only participants who are staff
/// with `access` right now. Returns how many rows were queued.
pub async fn enqueue_message(
    tx: &mut WriteTx,
    thread_id: i64,
    message_id: i64,
    author_participant_id: Option<i64>,
    staff_only: bool,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let kind = if staff_only { "note" } else { "message" };
    let staff_filter = if staff_only {
        " AND u.id IS NOT NULL AND u.disabled = 0 AND (u.is_admin = 1 OR u.perm_access = 1)"
    } else {
        " AND (u.id IS NULL OR u.disabled = 0)"
    };
    let sql = format!(
        "INSERT INTO outbox (kind, thread_id, message_id, participant_id, recipient_user_id, \
         created_at) \
         SELECT $1, p.thread_id, $2, p.id, p.user_id, $3 FROM participants p \
         LEFT JOIN users u ON u.id = p.user_id \
         WHERE p.thread_id = $4 AND p.notify = 1 AND p.left_at IS NULL \
         AND p.id IS DISTINCT FROM $5{staff_filter}"
    );
    let done = sqlx::query(&sql)
        .bind(kind)
        .bind(message_id)
        .bind(now)
        .bind(thread_id)
        .bind(author_participant_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

/// Queues one email for one user: about a thread (e.g. "you were assigned") or, with no
/// thread, about the account (address verification, password reset).
pub async fn enqueue_for_user(
    tx: &mut WriteTx,
    kind: &str,
    thread_id: Option<i64>,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (kind, thread_id, recipient_user_id, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(kind)
    .bind(thread_id)
    .bind(user_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Who a support alert goes to: a user, or a configured address without an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertRecipient {
    User(i64),
    Address(String),
}

/// Queues a "new message" alert about `message_id` for each recipient, in multi-row
/// statements (one for up to `ALERTS_PER_STATEMENT` recipients): the write lock is held
/// meanwhile, and each statement is a round trip.
pub async fn enqueue_alerts(
    tx: &mut super::WriteTx,
    thread_id: i64,
    message_id: i64,
    recipients: &[AlertRecipient],
    now: i64,
) -> Result<u64, sqlx::Error> {
    for chunk in recipients.chunks(ALERTS_PER_STATEMENT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("('alert', $1, $2, ${}, ${}, $3)", 4 + 2 * i, 5 + 2 * i))
            .collect();
        let sql = format!(
            "INSERT INTO outbox (kind, thread_id, message_id, recipient_user_id, \
             recipient_email, created_at) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(thread_id).bind(message_id).bind(now);
        for r in chunk {
            query = match r {
                AlertRecipient::User(id) => query.bind(Some(*id)).bind(None::<String>),
                AlertRecipient::Address(a) => query.bind(None::<i64>).bind(Some(a.clone())),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(recipients.len() as u64)
}

/// Queues a "new message" alert about `message_id` for every active staff user who may
/// manage threads (admins and `manage_threads`), by name, except those taking part in the
/// thread; returns how many. One statement, which reads the staff from their partial index.
pub async fn enqueue_manager_alerts(
    tx: &mut WriteTx,
    thread_id: i64,
    message_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let sql = format!(
        "INSERT INTO outbox (kind, thread_id, message_id, recipient_user_id, created_at) \
         SELECT 'alert', $1, $2, id, $3 FROM users \
         WHERE {} AND (is_admin = 1 OR perm_manage_threads = 1) \
           AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.thread_id = $1 \
                           AND p.user_id = users.id AND p.left_at IS NULL) \
         ORDER BY name, id",
        super::users::ACTIVE_STAFF
    );
    let done = sqlx::query(&sql)
        .bind(thread_id)
        .bind(message_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

/// Two parameters a row, well under both engines' limits on parameters per statement.
const ALERTS_PER_STATEMENT: usize = 200;

/// Rows waiting for the mail queue: (kind, thread id, recipient user id).
pub async fn pending<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
) -> Result<Vec<(String, Option<i64>, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, thread_id, recipient_user_id FROM outbox \
         WHERE thread_id = $1 AND status = 'pending' ORDER BY id",
    )
    .bind(thread_id)
    .fetch_all(ex)
    .await
}

/// Queues one email to one participant (a guest's link, a confirmation of receipt).
pub async fn enqueue_for_participant(
    tx: &mut WriteTx,
    kind: &str,
    thread_id: i64,
    message_id: Option<i64>,
    participant_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (kind, thread_id, message_id, participant_id, recipient_user_id, \
         created_at) SELECT $1, $2, $3, p.id, p.user_id, $5 FROM participants p WHERE p.id = $4",
    )
    .bind(kind)
    .bind(thread_id)
    .bind(message_id)
    .bind(participant_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The thread an outbox row was about, and the user it went to (if an account).
pub async fn thread_and_recipient<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    row_id: i64,
) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    let row: Option<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT thread_id, recipient_user_id FROM outbox WHERE id = $1")
            .bind(row_id)
            .fetch_optional(ex)
            .await?;
    Ok(row.and_then(|(thread, user)| thread.map(|t| (t, user))))
}
