//! Organiser accounts: argon2id password hashes, random session and device tokens of which only a
//! SHA-256 hash is stored, and the HttpOnly SameSite=Strict cookies that carry them. The API's
//! `Organiser` extractor (api/organise.rs) and sign-in (api/session.rs) use them.
//!
//! Every argon2id computation of the server goes through one `Hasher`: each takes about 19 MiB
//! and a core for tens of milliseconds, so at most `Hasher::TURNS` run at once and the rest wait
//! their turn, for a bounded time (issue 14, finding 2).
//!
//! The device token (`DEVICE_COOKIE`) marks a browser that signed in as a user before: such a
//! browser's sign-ins ignore the name's failed attempts, so nobody can lock an organiser out by
//! typing wrong passwords for their name (finding 3). It is a random 256-bit token whose hash the
//! database keeps with the user's name, like a session, rather than an HMAC-signed one: as
//! unforgeable, and it can be revoked (a new password, `user sign-out`, too many failures) without
//! a key to keep or rotate.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::{
    Output, PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};
use sha2::{Digest, Sha256};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub const COOKIE: &str = "vecinos_session";
/// The longest user name, in characters (trimmed).
pub const MAX_NAME: usize = 64;
/// The longest password, in bytes: longer ones are refused before anything is hashed.
pub const MAX_PASSWORD: usize = 1024;
/// The trusted-browser cookie, sent only to the sign-in address.
pub const DEVICE_COOKIE: &str = "vecinos_device";
const DEVICE_PATH: &str = "/api/v1/session";

/// Neither error type implements `std::error::Error` without their `std` features, so they are
/// kept for their messages only.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no randomness: {0}")]
    Randomness(getrandom::Error),
    #[error("{0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing threads have stopped")]
    Stopped,
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

/// `verify_password` as the hashing threads compute it: in `memory`, which grows to what the hash
/// needs and is kept for the next check, so that no check allocates its 19 MiB. Without a stored
/// hash (no such user) it does the same work with a throwaway salt and answers false.
fn check_in(memory: &mut Vec<Block>, password: &str, stored: Option<&str>) -> bool {
    let Some(phc) = stored else {
        let mut out = [0u8; 32];
        let _ = hash_in(
            memory,
            &Argon2::default(),
            password,
            b"vecinos-no-user",
            &mut out,
        );
        return false;
    };
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) =
        (Params::try_from(&hash), Algorithm::try_from(hash.algorithm))
    else {
        return false;
    };
    let Ok(version) = hash.version.map(Version::try_from).transpose() else {
        return false;
    };
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version.unwrap_or_default(), params);
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = &mut out[..expected.len()];
    hash_in(memory, &argon2, password, salt, out).is_ok()
        // `Output` compares in constant time.
        && Output::new(out).is_ok_and(|computed| computed == expected)
}

fn hash_in(
    memory: &mut Vec<Block>,
    argon2: &Argon2,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let blocks = argon2.params().block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..])
}

/// A new session or device token (sent to the browser) and its hash (stored).
pub fn new_session_token() -> Result<(String, String), AuthError> {
    let token = hex::encode(random_bytes::<32>()?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session's id in its organiser's list: made from its token's hash, from which neither the
/// hash nor the token can be had back.
pub fn session_id(token_hash: &str) -> String {
    let digest = Sha256::digest(format!("vecinos session id {token_hash}").as_bytes());
    hex::encode(&digest[..12])
}

/// The `Set-Cookie` value that carries a session token to the browser (an empty token and a
/// `max_age_seconds` of 0 remove it).
pub fn session_cookie(token: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    set_cookie(COOKIE, "/api", token, max_age_seconds, secure)
}

/// The `Set-Cookie` value that carries a device token to the browser, for the sign-in address
/// only (an empty token and a `max_age_seconds` of 0 remove it).
pub fn device_cookie(token: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    set_cookie(DEVICE_COOKIE, DEVICE_PATH, token, max_age_seconds, secure)
}

fn set_cookie(
    name: &'static str,
    path: &'static str,
    token: &str,
    max_age_seconds: i64,
    secure: bool,
) -> HeaderValue {
    let cookie = Cookie::build((name, token))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .secure(secure)
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session token a request carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// The device token a request carries, if any.
pub fn device_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, DEVICE_COOKIE)
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name && !cookie.value().is_empty())
        .map(|cookie| cookie.value().to_owned())
}

/// The gate every password check of the server passes: at most `TURNS` argon2id computations at
/// once, the others waiting for a turn in arrival order for at most `wait`.
///
/// The computations run on `TURNS` threads of the hasher's own, started with it and kept for its
/// life, each in one buffer of argon2 memory that it keeps (`check_in`). Allocating 19 MiB per
/// check, as `verify_password` does, the allocator kept freed buffers in each thread's arena and
/// grew them: 60 concurrent sign-ins held 604 MB on tokio's blocking pool with only the turns,
/// 319 MB on two threads of their own, and hold 53 MB with the kept buffers (`cargo xtask bench
/// server`; 992 MB without the turns). A turn is held until its
/// computation ends, even if the request that asked for it has gone, so an abandoned sign-in
/// never lets one more start.
pub struct Hasher {
    turns: Arc<Semaphore>,
    wait: Duration,
    jobs: std::sync::mpsc::Sender<Job>,
    counts: Arc<HashCounts>,
}

/// One password check for the hasher's threads.
struct Job {
    turn: Turn,
    password: String,
    stored: Option<String>,
    answer: tokio::sync::oneshot::Sender<bool>,
}

/// What the gate has seen: for tests and the benchmark.
#[derive(Default)]
struct HashCounts {
    running: AtomicUsize,
    most: AtomicUsize,
    done: AtomicU64,
}

/// The right to run one argon2id computation (`Hasher::turn`), given back when dropped.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// No turn came within the hasher's wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl Hasher {
    /// Computations at once: about 40 MiB between them.
    pub const TURNS: usize = 2;
    /// How long a sign-in waits for a turn before it is answered 503 `busy`.
    pub const WAIT: Duration = Duration::from_secs(10);

    /// Starts `turns` hashing threads; they end when the hasher is dropped.
    pub fn new(turns: usize, wait: Duration) -> Self {
        let turns = turns.max(1);
        let counts = Arc::<HashCounts>::default();
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..turns {
            let (queue, counts) = (queue.clone(), counts.clone());
            let started = std::thread::Builder::new()
                .name(format!("vecinos-hash-{i}"))
                .spawn(move || hash_jobs(&queue, &counts));
            if let Err(e) = started {
                tracing::error!("could not start a hashing thread: {e}");
            }
        }
        Self {
            turns: Arc::new(Semaphore::new(turns)),
            wait,
            jobs,
            counts,
        }
    }

    /// Waits for a turn, at most the hasher's wait.
    pub async fn turn(&self) -> Result<Turn, Busy> {
        match tokio::time::timeout(self.wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn { _permit: permit }),
            _ => Err(Busy),
        }
    }

    /// Checks `password` against the PHC string `stored` on one of the hasher's threads, which
    /// holds `turn` until it is done. Without a stored hash (no such user) it does the same work
    /// anyway and answers false: both answers take as long, and cost the same.
    pub async fn verify(
        &self,
        turn: Turn,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, AuthError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job = Job {
            turn,
            password,
            stored,
            answer,
        };
        self.jobs.send(job).map_err(|_| AuthError::Stopped)?;
        answered.await.map_err(|_| AuthError::Stopped)
    }

    /// The most computations that ever ran at once.
    pub fn most_at_once(&self) -> usize {
        self.counts.most.load(Ordering::SeqCst)
    }

    /// Computations finished so far.
    pub fn hashed(&self) -> u64 {
        self.counts.done.load(Ordering::SeqCst)
    }
}

/// A hashing thread: takes jobs until the hasher is dropped, all in the same memory.
fn hash_jobs(queue: &std::sync::Mutex<std::sync::mpsc::Receiver<Job>>, counts: &HashCounts) {
    let mut memory = Vec::new();
    loop {
        let job = queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok(job) = job else { return };
        let running = counts.running.fetch_add(1, Ordering::SeqCst) + 1;
        counts.most.fetch_max(running, Ordering::SeqCst);
        let ok = check_in(&mut memory, &job.password, job.stored.as_deref());
        counts.running.fetch_sub(1, Ordering::SeqCst);
        counts.done.fetch_add(1, Ordering::SeqCst);
        drop(job.turn);
        // The sign-in may have gone meanwhile; nobody is left to tell.
        let _ = job.answer.send(ok);
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new(Self::TURNS, Self::WAIT)
    }
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
    fn the_hashing_threads_check_as_verify_password_does_in_one_buffer() -> Result<(), AuthError> {
        let phc = hash_password("correct horse battery staple")?;
        let mut memory = Vec::new();
        assert!(check_in(
            &mut memory,
            "correct horse battery staple",
            Some(&phc)
        ));
        let kept = (memory.len(), memory.as_ptr());
        assert_eq!(kept.0, Params::default().block_count(), "19 MiB");
        assert!(!check_in(&mut memory, "wrong", Some(&phc)));
        assert!(!check_in(&mut memory, "anything", Some("not a hash")));
        assert!(!check_in(&mut memory, "anything", None));
        assert_eq!(
            (memory.len(), memory.as_ptr()),
            kept,
            "the same memory every time"
        );
        // A hash with other parameters is checked with them.
        let params = Params::new(1024, 1, 1, None).map_err(|e| AuthError::Hash(e.into()))?;
        let small = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::encode_b64(b"sixteen byte salt").map_err(AuthError::Hash)?;
        let phc = small
            .hash_password(b"other", &salt)
            .map_err(AuthError::Hash)?
            .to_string();
        assert!(check_in(&mut memory, "other", Some(&phc)));
        assert!(!check_in(&mut memory, "others", Some(&phc)));
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
    fn the_device_cookie_goes_to_the_sign_in_address_only() {
        let cookie = device_cookie("abc", 60, false);
        let mut attributes: Vec<&str> = cookie.to_str().unwrap_or_default().split("; ").collect();
        attributes.sort_unstable();
        assert_eq!(
            attributes,
            [
                "HttpOnly",
                "Max-Age=60",
                "Path=/api/v1/session",
                "SameSite=Strict",
                "vecinos_device=abc"
            ]
        );
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("vecinos_session=s; vecinos_device=d"),
        );
        assert_eq!(device_token(&headers).as_deref(), Some("d"));
        assert_eq!(session_token(&headers).as_deref(), Some("s"));
        let mut emptied = HeaderMap::new();
        emptied.append(header::COOKIE, HeaderValue::from_static("vecinos_device="));
        assert_eq!(device_token(&emptied), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_hasher_runs_two_at_once_and_the_rest_wait_or_give_up() {
        let hasher = Arc::new(Hasher::new(2, Duration::from_secs(60)));
        let phc = hash_password("right").expect("hash");
        let checks: Vec<_> = (0..8)
            .map(|i| {
                let (hasher, phc) = (hasher.clone(), phc.clone());
                tokio::spawn(async move {
                    let turn = hasher.turn().await.expect("a turn within a minute");
                    let stored = (i % 2 == 0).then_some(phc);
                    hasher.verify(turn, "right".into(), stored).await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for check in checks {
            answers.push(check.await.expect("joins").expect("checks"));
        }
        assert_eq!(
            answers,
            [true, false, true, false, true, false, true, false]
        );
        assert_eq!(hasher.hashed(), 8);
        assert_eq!(hasher.most_at_once(), 2, "two at once, never more");

        // With both turns taken, a third waits its time and is told the hasher is busy.
        let impatient = Hasher::new(2, Duration::from_millis(50));
        let (_a, _b) = (impatient.turn().await, impatient.turn().await);
        assert!(matches!(impatient.turn().await, Err(Busy)));
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
