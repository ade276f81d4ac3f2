//! Fixed-window counters shared by every server process through the database.
use super::WriteTx;
use sqlx::{Any, Executor};

/// Counts one hit in `bucket` for the window starting at `window_start`; returns the
/// hits in that window including this one. One atomic statement on both engines.
pub async fn hit(tx: &mut WriteTx, bucket: &str, window_start: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start = excluded.window_start \
                       THEN rate_limits.hits + 1 ELSE 1 END, \
           window_start = excluded.window_start \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .fetch_one(tx.conn())
    .await
}

/// The hits already counted in `bucket` for the window starting at `window_start`.
pub async fn peek<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    bucket: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    let hits: Option<i64> =
        sqlx::query_scalar("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
            .bind(bucket)
            .bind(window_start)
            .fetch_optional(ex)
            .await?;
    Ok(hits.unwrap_or(0))
}

/// Forgets counters whose window ended before `before`.
pub async fn purge(tx: &mut WriteTx, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(before)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

/// Adds `amount` (which may be negative, to give back) to `bucket` for the window starting
/// at `window_start`; returns the window's total after it. One atomic statement.
pub async fn add(
    tx: &mut WriteTx,
    bucket: &str,
    window_start: i64,
    amount: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, $3) \
         ON CONFLICT (bucket) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start = excluded.window_start \
                       THEN rate_limits.hits + excluded.hits ELSE excluded.hits END, \
           window_start = excluded.window_start \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .bind(amount)
    .fetch_one(tx.conn())
    .await
}
