//! Signed one-click unsubscribe links (RFC 8058): they mute one thread for one participant
//! and work without logging in.
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], participant_id: i64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(format!("pigeon-unsubscribe:{participant_id}").as_bytes());
    mac
}

/// The signature of an unsubscribe link, hex-encoded.
pub fn sign(secret: &[u8], participant_id: i64) -> String {
    hex::encode(mac(secret, participant_id).finalize().into_bytes())
}

/// Checks a signature in constant time.
pub fn verify(secret: &[u8], participant_id: i64, signature: &str) -> bool {
    match hex::decode(signature) {
        Ok(bytes) => mac(secret, participant_id).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

/// The absolute unsubscribe URL of a participant.
pub fn url(base: &str, secret: &[u8], participant_id: i64) -> String {
    format!(
        "{}/pigeon/unsubscribe/{participant_id}/{}",
        base.trim_end_matches('/'),
        sign(secret, participant_id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_fits_only_its_participant_and_secret() {
        let sig = sign(b"secret-one", 7);
        assert!(verify(b"secret-one", 7, &sig));
        assert!(!verify(b"secret-one", 8, &sig));
        assert!(!verify(b"secret-two", 7, &sig));
        assert!(!verify(b"secret-one", 7, "not-hex"));
        assert_eq!(
            url("http://x.test/", b"k", 3),
            format!("http://x.test/pigeon/unsubscribe/3/{}", sign(b"k", 3))
        );
    }
}
