//! Organiser accounts: argon2id password hashes, random session tokens of which only a SHA-256
//! hash is stored, and the HttpOnly SameSite=Strict cookie that carries them. Plain functions: the
//! API's `Organiser` extractor (api/organise.rs) uses them.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "vecinos_session";

/// Neither error type implements `std::error::Error` without their `std` features, so they are
/// kept for their messages only.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no randomness: {0}")]
    Randomness(getrandom::Error),
    #[error("{0}")]
    Hash(argon2::password_hash::Error),
}

fn random_bytes<const N: usize>() -> Result<[u8; N], AuthError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(AuthError::Randomness)?;
    Ok(bytes)
}

/// An argon2id PHC string for a new password.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(AuthError::Hash)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AuthError::Hash)
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A new session token (sent to the browser) and its hash (stored).
pub fn new_session_token() -> Result<(String, String), AuthError> {
    let token = hex::encode(random_bytes::<32>()?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that carries a session token to the browser (an empty token and a
/// `max_age_seconds` of 0 remove it).
pub fn session_cookie(token: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((COOKIE, token))
        .path("/api")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .secure(secure)
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session token a request carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == COOKIE)
        .map(|cookie| cookie.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() -> Result<(), AuthError> {
        let phc = hash_password("correct horse battery staple")?;
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &phc));
        assert!(!verify_password("wrong", &phc));
        assert!(!verify_password("anything", "not a hash"));
        Ok(())
    }

    #[test]
    fn the_session_cookie_is_http_only_and_strict() {
        let cookie = session_cookie("abc", 60, true);
        let cookie = cookie.to_str().unwrap_or_default();
        let mut attributes: Vec<&str> = cookie.split("; ").collect();
        attributes.sort_unstable();
        assert_eq!(
            attributes,
            [
                "HttpOnly",
                "Max-Age=60",
                "Path=/api",
                "SameSite=Strict",
                "Secure",
                "vecinos_session=abc"
            ]
        );
        assert!(
            !session_cookie("abc", 60, false)
                .to_str()
                .unwrap_or_default()
                .contains("Secure")
        );
        assert!(
            session_cookie("", 0, false)
                .to_str()
                .unwrap_or_default()
                .starts_with("vecinos_session=;")
        );
    }

    #[test]
    fn the_session_token_is_read_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("theme=dark"));
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; vecinos_session=abc; b=2"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        assert_eq!(session_token(&HeaderMap::new()), None);
    }
}
