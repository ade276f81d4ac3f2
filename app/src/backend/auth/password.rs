//! Argon2id password hashing, off the async runtime, a few at a time: each hash takes
//! ~19 MiB and a core for a moment, so concurrent logins queue here instead of exhausting
//! memory or starving other requests. Passwords longer than `MAX_BYTES` are never hashed.
use std::sync::OnceLock;

use tokio::sync::Semaphore;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};

use crate::error::AppError;

/// Longest password accepted, in bytes (checked before any hashing).
pub const MAX_BYTES: usize = crate::backend::validate::PASSWORD_MAX;

/// Hashes a password with argon2id and a random salt.
pub async fn hash(password: &str) -> Result<String, AppError> {
    if password.len() > MAX_BYTES {
        return Err(AppError::invalid("password", too_long()));
    }
    let password = password.to_owned();
    let _slot = slots().acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| AppError::Internal)?
}

fn too_long() -> String {
    format!("Passwords can be at most {MAX_BYTES} bytes.")
}

/// The hashing slots: one per core.
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores)
    })
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AppError::Internal)
}

/// Checks a password against a stored hash. With no hash (unknown account) a dummy hash
/// is checked instead so that both cases take the same time.
pub async fn verify(stored: Option<String>, password: &str) -> bool {
    // Nobody's password is this long: no hash is worth computing.
    if password.len() > MAX_BYTES {
        return false;
    }
    let password = password.to_owned();
    let Ok(_slot) = slots().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && ok
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("pigeon-timing-equaliser").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(Some(h.clone()), "correct horse").await);
        assert!(!verify(Some(h), "wrong horse").await);
    }

    #[tokio::test]
    async fn a_password_over_the_cap_is_refused_before_hashing() {
        let long = "x".repeat(MAX_BYTES + 1);
        assert!(matches!(
            hash(&long).await,
            Err(AppError::Validation { .. })
        ));
        let h = hash(&"x".repeat(MAX_BYTES)).await.unwrap();
        assert!(!verify(Some(h), &long).await);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify(None, "pigeon-timing-equaliser").await);
    }
}
