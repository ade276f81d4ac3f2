//! One-time submission keys of message forms (SPEC §13): a repeat of a key with the same
//! text answers with the first post's result and stores nothing. Taken and settled inside
//! the post's own transaction (`db::submissions`).
use super::messages::Author;
use crate::backend::db::{self, now_ms, WriteTx};
use crate::error::AppError;

/// A form's submission key as sent (absent or empty is none; otherwise 8 to 64 letters,
/// digits, `-` or `_`), bound to the text it came with: a repeat is the same key with the
/// same text. The same key with other text (a page restored by the back button, its key
/// already used) is another message, never dropped as a repeat.
pub fn submission_key(raw: Option<&str>, body: &str) -> Result<Option<String>, AppError> {
    use sha2::{Digest, Sha256};
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(k)
            if (8..=64).contains(&k.len())
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            let text = hex::encode(&Sha256::digest(body.trim().as_bytes())[..8]);
            Ok(Some(format!("{k}:{text}")))
        }
        Some(_) => Err(AppError::invalid(
            "submission_key",
            "This form is out of date. Please reload the page and send it again.",
        )),
    }
}

/// Whose submission keys these are.
fn owner(author: Author<'_>) -> String {
    match author {
        Author::User { id, .. } => format!("user:{id}"),
        Author::Guest { email, .. } => format!("guest:{}", email.to_lowercase()),
    }
}

/// Takes a draft's submission key inside the post's transaction: `Some` with what the
/// first post with this key made (thread id, message id) when this is a repeat.
pub async fn take(
    tx: &mut WriteTx,
    author: Author<'_>,
    key: Option<&str>,
) -> Result<Option<(Option<i64>, Option<i64>)>, AppError> {
    match key {
        Some(key) => Ok(db::submissions::take(tx, &owner(author), key, now_ms()).await?),
        None => Ok(None),
    }
}

/// Records what the post that took the draft's key made.
pub async fn settle(
    tx: &mut WriteTx,
    author: Author<'_>,
    key: Option<&str>,
    thread_id: i64,
    message_id: i64,
) -> Result<(), AppError> {
    if let Some(key) = key {
        db::submissions::settle(tx, &owner(author), key, thread_id, message_id).await?;
    }
    Ok(())
}
