//! Participants: who takes part in a thread, their read mark, mute and leave.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::flag;

/// A participant as stored.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub guest_email: Option<String>,
    pub display_name: String,
    pub last_read_message_id: i64,
    pub notify: bool,
    pub left_at: Option<i64>,
    /// Named by a guest's reply addresses; moved on when the guest's links are revoked.
    pub reply_epoch: i64,
}

const COLUMNS: &str =
    "id, user_id, guest_email, display_name, last_read_message_id, notify, left_at, reply_epoch";

fn from_row(row: &AnyRow) -> Result<ParticipantRow, sqlx::Error> {
    Ok(ParticipantRow {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        guest_email: row.try_get("guest_email")?,
        display_name: row.try_get("display_name")?,
        last_read_message_id: row.try_get("last_read_message_id")?,
        notify: flag(row, "notify")?,
        left_at: row.try_get("left_at")?,
        reply_epoch: row.try_get("reply_epoch")?,
    })
}

/// Adds a user to a thread, or brings them back if they had left; returns the participant id.
pub async fn add_user(
    tx: &mut WriteTx,
    thread_id: i64,
    user_id: i64,
    name: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants (thread_id, user_id, display_name, joined_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (thread_id, user_id) WHERE user_id IS NOT NULL \
         DO UPDATE SET left_at = NULL RETURNING id",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(name)
    .bind(now)
    .fetch_one(tx.conn())
    .await
}

/// A user's participation in a thread.
pub async fn find_user<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
    user_id: i64,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM participants WHERE thread_id = $1 AND user_id = $2");
    let row = sqlx::query(&sql)
        .bind(thread_id)
        .bind(user_id)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every participant of a thread, in joining order.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM participants WHERE thread_id = $1 ORDER BY id");
    let rows = sqlx::query(&sql).bind(thread_id).fetch_all(ex).await?;
    rows.iter().map(from_row).collect()
}

/// Every participant of a thread, in joining order, each with the email address of their
/// account (members; None for guests, whose address is on the row). For staff only.
pub async fn list_with_emails<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
) -> Result<Vec<(ParticipantRow, Option<String>)>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, \
           (SELECT u.email FROM users u WHERE u.id = participants.user_id) AS account_email \
         FROM participants WHERE thread_id = $1 ORDER BY id"
    );
    let rows = sqlx::query(&sql).bind(thread_id).fetch_all(ex).await?;
    rows.iter()
        .map(|row| Ok((from_row(row)?, row.try_get("account_email")?)))
        .collect()
}

/// Adds the author of message `message_id` to its thread, or brings them back, with their
/// read mark moved up to it (never backwards): what a post needs of its author's row, in
/// one statement. Returns the participant id.
pub async fn add_author(
    tx: &mut WriteTx,
    thread_id: i64,
    user_id: i64,
    name: &str,
    message_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants (thread_id, user_id, display_name, joined_at, \
         last_read_message_id, last_read_at) VALUES ($1, $2, $3, $4, $5, $4) \
         ON CONFLICT (thread_id, user_id) WHERE user_id IS NOT NULL DO UPDATE SET left_at = NULL, \
         last_read_at = CASE WHEN participants.last_read_message_id < $5 \
           THEN $4 ELSE participants.last_read_at END, \
         last_read_message_id = CASE WHEN participants.last_read_message_id < $5 \
           THEN $5 ELSE participants.last_read_message_id END \
         RETURNING id",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(name)
    .bind(now)
    .bind(message_id)
    .fetch_one(tx.conn())
    .await
}

/// Turns a user's notifications for a thread on or off; false when not a participant.
pub async fn set_notify(
    tx: &mut WriteTx,
    thread_id: i64,
    user_id: i64,
    notify: bool,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE participants SET notify = $1 WHERE thread_id = $2 AND user_id = $3")
            .bind(notify as i64)
            .bind(thread_id)
            .bind(user_id)
            .execute(tx.conn())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that a user left a thread; false when they were not in it.
pub async fn set_left(
    tx: &mut WriteTx,
    thread_id: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participants SET left_at = $1 \
         WHERE thread_id = $2 AND user_id = $3 AND left_at IS NULL",
    )
    .bind(now)
    .bind(thread_id)
    .bind(user_id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a user's read mark to the thread's last visible message; false when nothing moved.
pub async fn mark_read(
    tx: &mut WriteTx,
    thread_id: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE participants SET \
           last_read_message_id = (SELECT last_message_id FROM threads WHERE id = $1), \
           last_read_at = $3 \
         WHERE thread_id = $1 AND user_id = $2 \
           AND last_read_message_id < (SELECT last_message_id FROM threads WHERE id = $1)",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds a guest (by email) to a thread as the author of `message_id`, which their read mark
/// then covers (writing is reading); returns the participant id.
pub async fn add_guest(
    tx: &mut WriteTx,
    thread_id: i64,
    email: &str,
    name: &str,
    message_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants (thread_id, guest_email, guest_email_lower, display_name, \
         joined_at, last_read_message_id, last_read_at) VALUES ($1, $2, $3, $4, $5, $6, $5) \
         ON CONFLICT (thread_id, guest_email_lower) WHERE guest_email_lower IS NOT NULL \
         DO UPDATE SET left_at = NULL, \
         last_read_at = CASE WHEN participants.last_read_message_id < $6 \
           THEN $5 ELSE participants.last_read_at END, \
         last_read_message_id = CASE WHEN participants.last_read_message_id < $6 \
           THEN $6 ELSE participants.last_read_message_id END \
         RETURNING id",
    )
    .bind(thread_id)
    .bind(email)
    .bind(email.to_lowercase())
    .bind(name)
    .bind(now)
    .bind(message_id)
    .fetch_one(tx.conn())
    .await
}

/// Turns notifications off for one participant row; false when there is no such row.
pub async fn mute_by_id(tx: &mut WriteTx, participant_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE participants SET notify = 0 WHERE id = $1")
        .bind(participant_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One participant row by id.
pub async fn find_by_id<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM participants WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(ex).await?;
    row.as_ref().map(from_row).transpose()
}

/// Moves one participant's read mark to the thread's newest message.
pub async fn mark_read_by_id(
    tx: &mut WriteTx,
    participant_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE participants SET \
           last_read_message_id = (SELECT last_message_id FROM threads t \
                                   WHERE t.id = participants.thread_id), \
           last_read_at = $2 \
         WHERE id = $1 AND last_read_message_id < (SELECT last_message_id FROM threads t \
                                                   WHERE t.id = participants.thread_id)",
    )
    .bind(participant_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}
