//! What a database error means for the request that met it.
/// The error of every database function.
pub use sqlx::Error as DbError;

/// What kind of failure a database error is, for the answer a request gets.
pub enum DbFault {
    /// Locked or timed out: try again later.
    Busy,
    /// Text the engine cannot store.
    BadText,
    /// Anything else: a bug.
    Other,
}

pub fn fault(err: &DbError) -> DbFault {
    match err {
        sqlx::Error::PoolTimedOut => DbFault::Busy,
        sqlx::Error::Database(db) => {
            let code = db.code();
            match code.as_deref() {
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
                Some(c)
                    if c.parse::<i64>()
                        .is_ok_and(|n| n & 0xff == 5 || n & 0xff == 6) =>
                {
                    DbFault::Busy
                }
                // PostgreSQL: lock_not_available, query_canceled (statement timeout),
                // deadlock_detected, serialization_failure.
                Some("55P03" | "57014" | "40P01" | "40001") => DbFault::Busy,
                // PostgreSQL: character_not_in_repertoire, untranslatable_character.
                Some("22021" | "22P05") => DbFault::BadText,
                _ if db.message().contains("database is locked") => DbFault::Busy,
                _ => DbFault::Other,
            }
        }
        _ => DbFault::Other,
    }
}
