//! Messages: append-only.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use crate::model::thread::MessageKind;

/// A message as stored.
#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub kind: MessageKind,
    pub author_user_id: Option<i64>,
    pub author_guest_email: Option<String>,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
}

fn from_row(row: &AnyRow) -> Result<MessageRow, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(MessageRow {
        id: row.try_get("id")?,
        kind: MessageKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode("bad value in messages.kind".into()))?,
        author_user_id: row.try_get("author_user_id")?,
        author_guest_email: row.try_get("author_guest_email")?,
        author_name: row.try_get("author_name")?,
        body: row.try_get("body")?,
        created_at: row.try_get("created_at")?,
    })
}

/// What a new message holds.
pub struct NewMessage<'a> {
    pub thread_id: i64,
    pub kind: MessageKind,
    pub author_user_id: Option<i64>,
    pub author_guest_email: Option<&'a str>,
    pub author_name: &'a str,
    pub body: &'a str,
    pub now: i64,
}

/// Appends a message; returns its id.
pub async fn insert(tx: &mut WriteTx, m: &NewMessage<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO messages (thread_id, kind, author_user_id, author_guest_email, author_name, \
         body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(m.thread_id)
    .bind(m.kind.as_str())
    .bind(m.author_user_id)
    .bind(m.author_guest_email)
    .bind(m.author_name)
    .bind(m.body)
    .bind(m.now)
    .fetch_one(tx.conn())
    .await
}

/// The messages of a thread in order; `visible_only` leaves out notes and events. On
/// SQLite the rows come packed (a long conversation has hundreds).
pub async fn list(
    db: &super::Db,
    thread_id: i64,
    visible_only: bool,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let filter = if visible_only {
        " AND kind = 'message'"
    } else {
        ""
    };
    let sql = format!("SELECT {COLUMNS} FROM messages WHERE thread_id = $1{filter}");
    if db.backend == super::Backend::Sqlite {
        let sql = super::packed::statement(COLUMNS, &sql, "id");
        let rows: Vec<Packed> =
            super::packed::fetch(sqlx::query(&sql).bind(thread_id), &db.pool).await?;
        return rows.into_iter().map(unpack).collect();
    }
    let sql = format!("{sql} ORDER BY id");
    let rows = sqlx::query(&sql)
        .bind(thread_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}

const COLUMNS: &str = "id, kind, author_user_id, author_guest_email, author_name, body, created_at";

/// A packed row of `COLUMNS`.
type Packed = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
    i64,
);

fn unpack(row: Packed) -> Result<MessageRow, sqlx::Error> {
    let (id, kind, author_user_id, author_guest_email, author_name, body, created_at) = row;
    Ok(MessageRow {
        id,
        kind: MessageKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode("bad value in messages.kind".into()))?,
        author_user_id,
        author_guest_email,
        author_name,
        body,
        created_at,
    })
}

/// One message by id.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<MessageRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM messages WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(ex).await?;
    row.as_ref().map(from_row).transpose()
}

/// How many visible messages of a thread came after message `after` from anyone but user
/// `except_user` (internal notes and system events do not count).
pub async fn visible_after<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
    after: i64,
    except_user: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE thread_id = $1 AND id > $2 AND kind = 'message' \
         AND (author_user_id IS NULL OR author_user_id <> $3)",
    )
    .bind(thread_id)
    .bind(after)
    .bind(except_user)
    .fetch_one(ex)
    .await
}

/// The opening of each of these messages (its first 200 characters), by message id. On
/// SQLite the rows come packed (see `packed`).
pub async fn openings(
    db: &super::Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, sqlx::Error> {
    use sqlx::Row;
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT id, substr(body, 1, 200) AS head FROM messages WHERE id IN ({})",
        super::id_list(ids)
    );
    if db.backend == super::Backend::Sqlite {
        let packed = super::packed::statement("id, head", &sql, "id");
        let rows: Vec<(i64, String)> =
            super::packed::fetch(sqlx::query(&packed), db.reader()).await?;
        return Ok(rows.into_iter().collect());
    }
    let rows = sqlx::query(&sql).fetch_all(db.reader()).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("head")?)))
        .collect()
}
