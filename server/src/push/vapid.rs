//! The server's VAPID identity (RFC 8292): a P-256 key pair that signs every push request, and
//! a contact address the push services may write to. The private key is made on first start and
//! kept in the database (`push_vapid`), so every server of a PostgreSQL deployment uses the same
//! one; `VECINOS_VAPID_PRIVATE_KEY` overrides it. `vecinos-server vapid rotate` replaces it.

use std::sync::Arc;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};

use crate::store::Store;

#[derive(Clone)]
pub struct Vapid {
    key: Arc<ES256KeyPair>,
    contact: String,
}

impl Vapid {
    /// From a private key as base64url of its 32 bytes, and a `mailto:` or `https:` contact.
    pub fn new(private_key: &str, contact: &str) -> anyhow::Result<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(private_key.trim().trim_end_matches('='))
            .context("the VAPID private key is not base64url")?;
        let key = ES256KeyPair::from_bytes(&bytes)
            .map_err(|e| anyhow::anyhow!("the VAPID private key is not a P-256 key: {e}"))?;
        Ok(Self {
            key: Arc::new(key),
            contact: contact.to_owned(),
        })
    }

    /// A new private key, as base64url of its 32 bytes.
    pub fn generate_key() -> String {
        URL_SAFE_NO_PAD.encode(ES256KeyPair::generate().to_bytes())
    }

    /// The key kept in `store` (made now if there is none), or `configured` when given.
    pub async fn load(
        store: &dyn Store,
        configured: Option<&str>,
        contact: &str,
    ) -> anyhow::Result<Self> {
        match configured {
            Some(key) => Self::new(key, contact),
            None => {
                let key = store.push().vapid_key(&Self::generate_key()).await?;
                Self::new(&key, contact)
            }
        }
    }

    /// The public key phones subscribe with (`applicationServerKey`): base64url of the 65-byte
    /// uncompressed point.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.public_key().public_key().to_bytes_uncompressed())
    }

    pub(super) fn key_pair(&self) -> &ES256KeyPair {
        &self.key
    }

    pub(super) fn contact(&self) -> &str {
        &self.contact
    }
}

/// Shows the public half only.
impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid")
            .field("public_key", &self.public_key())
            .field("contact", &self.contact)
            .finish()
    }
}
