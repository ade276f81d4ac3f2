//! Rows packed into one value on SQLite.
//!
//! The SQLite driver runs each connection on a thread of its own and hands every row of a
//! result to the request's task separately: a wake-up of one thread by another per row.
//! For lists of many rows (a long conversation, a page of the inbox) those hand-offs are a
//! large part of the request's cost. Packed, the rows arrive as one JSON array of arrays.
//! PostgreSQL's rows arrive in one read from its socket and need none of this.
use serde::de::DeserializeOwned;
use sqlx::Any;

/// A statement that packs the rows of `inner` (a SELECT) into one JSON array, each row an
/// array of `columns` (names of `inner`'s result columns), in the order `order` of them.
pub fn statement(columns: &str, inner: &str, order: &str) -> String {
    format!("SELECT json_group_array(json_array({columns}) ORDER BY {order}) FROM ({inner})")
}

/// Runs a packed statement and reads its rows, each as `T` (a tuple of the columns).
pub async fn fetch<'q, T: DeserializeOwned>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    pool: &sqlx::AnyPool,
) -> Result<Vec<T>, sqlx::Error> {
    use sqlx::Row;
    let row = query.fetch_one(pool).await?;
    let packed: String = row.try_get(0)?;
    serde_json::from_str(&packed).map_err(|e| sqlx::Error::Decode(e.into()))
}
