//! A push-service stand-in for tests and the bench: it accepts RFC 8030 push requests the way a
//! push service would (aes128gcm body, TTL, a VAPID token that verifies against its `k=` key for
//! this origin) and records them, decrypting the ones whose subscription keys it was given.
//!
//! Usage: `cargo run -p vecinos-server --example push_standin -- [PORT]` (0 or nothing: any free
//! port). It prints `push stand-in at http://127.0.0.1:PORT` on stdout and serves:
//! - `POST /push/{name}`: a push (a subscription's endpoint is `http://127.0.0.1:PORT/push/NAME`;
//!   the server must run with `--allow-loopback-push`). 201 when accepted; 400 for a bad request,
//!   401 for a bad VAPID token.
//! - `PUT /keys/{name}` `{"private_key": "<base64url P-256 scalar>", "auth": "<base64url 16
//!   bytes>"}`: the subscription's private half, so its pushes are decrypted.
//! - `PUT /answer/{name}` `{"status": 410, "times": 1}`: answer that status instead of accepting
//!   (`times` absent or 0: always).
//! - `PUT /hold/{count}`: once `count` pushes were accepted, leave further requests unanswered.
//! - `GET /received`: `[{"name", "payload" (decrypted text or null), "ttl", "urgency", "topic",
//!   "vapid_key", "subject"}]` in the order accepted. `GET /count`: how many.

mod standin;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let base = standin::start(listener).await?;
    println!("push stand-in at {base}");
    std::future::pending::<std::io::Result<()>>().await
}
