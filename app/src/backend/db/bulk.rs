//! Bulk loading for the benchmark's seeder: rows written with their ids, many to a
//! statement, and the engine brought up to date afterwards.
use sqlx::Executor;

use super::{now_ms, Backend, Db, WriteTx};

/// A value of a row to insert.
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

/// Rows per INSERT statement (at most 13 columns: well under every engine's bind limit).
const ROWS_PER_STATEMENT: usize = 200;

/// The next id `table` would give (its largest id plus one).
pub async fn next_id(db: &Db, table: &'static str) -> Result<i64, sqlx::Error> {
    let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
        .fetch_one(db.reader())
        .await?;
    Ok(max + 1)
}

/// Inserts `rows` (values in the order of `columns`) into `table`, a few hundred a statement.
pub async fn insert_rows(
    tx: &mut WriteTx,
    table: &'static str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in chunk {
            for value in row {
                query = match value {
                    Value::Int(v) => query.bind(*v),
                    Value::Text(v) => query.bind(v.clone()),
                };
            }
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// After rows were written with their ids: PostgreSQL's id sequences move past them, and
/// both engines get fresh statistics, so that the query planner knows the new sizes at once
/// (PostgreSQL chose nested loops over 9,000 × 5,000 rows for a search before its
/// autovacuum ran).
pub async fn settle(db: &Db) -> Result<(), sqlx::Error> {
    if db.backend == Backend::Postgres {
        for table in ["threads", "participants", "messages"] {
            db.reader()
                .execute(
                    format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                    )
                    .as_str(),
                )
                .await?;
        }
    }
    super::search_index::optimize(db).await?;
    db.reader().execute("ANALYZE").await?;
    Ok(())
}

/// Queues up to `n` notification emails about the newest message of the threads, one per
/// participant with an account, as posting would.
pub async fn queue_emails(db: &Db, n: usize) -> Result<u64, sqlx::Error> {
    let mut tx = db.write_single().await?;
    let done = sqlx::query(
        "INSERT INTO outbox (kind, thread_id, message_id, participant_id, recipient_user_id, \
         created_at) \
         SELECT 'message', p.thread_id, t.last_message_id, p.id, p.user_id, $1 \
         FROM participants p JOIN threads t ON t.id = p.thread_id \
         WHERE p.user_id IS NOT NULL ORDER BY p.id LIMIT $2",
    )
    .bind(now_ms())
    .bind(n as i64)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}
