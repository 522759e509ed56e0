//! Credentials as stored: access tokens, refresh tokens (PKCE grant), unredeemed PKCE authorization
//! codes and the secrets behind them; login sessions are a plain map in the world.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use uuid::Uuid;

use super::World;
use crate::clock::{Ts, now, td};

/// An issued access token.
#[derive(Debug, Clone)]
pub struct Token {
    /// Owner.
    pub user_id: Uuid,
    /// OAuth client it was issued to.
    pub client_id: String,
    /// Expiry.
    pub expires: Ts,
    /// Revoked via `DELETE /api/v2/tokens/me`.
    pub revoked: bool,
}

impl Token {
    /// Not revoked and not expired.
    pub fn is_valid(&self) -> bool {
        !self.revoked && now() < self.expires
    }
}

/// A refresh token issued with a PKCE-grant access token; single-use (refreshing rotates it).
#[derive(Debug, Clone)]
pub struct RefreshToken {
    /// Owner.
    pub user_id: Uuid,
    /// OAuth client it was issued to; only that client may redeem it.
    pub client_id: String,
    /// Expiry (wall clock).
    pub expires: Ts,
}

/// Why a refresh token was not redeemed (all answer `invalid_grant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRefusal {
    /// Never issued, already used (rotated away) or discarded.
    Unknown,
    /// Past its expiry.
    Expired,
    /// Issued to another OAuth client.
    WrongClient,
}

/// An unredeemed authorization code (PKCE flow).
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// The user who signed in.
    pub user_id: Uuid,
    /// The client that asked.
    pub client_id: String,
    /// Must match on redemption.
    pub redirect_uri: String,
    /// The S256 code challenge.
    pub challenge: String,
    /// Codes are short-lived.
    pub expires: Ts,
}

impl AuthCode {
    /// Not yet expired at `t`.
    pub fn is_live(&self, t: Ts) -> bool {
        self.expires > t
    }
}

/// A random URL-safe string with `bytes` bytes of entropy (tokens, codes, sessions).
pub fn random_secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill(&mut buf[..]);
    URL_SAFE_NO_PAD.encode(buf)
}

impl World {
    /// Issues an access token for `user_id` / `client_id` living `lifetime`; returns it and
    /// its `expires_in` seconds.
    pub fn issue_token(
        &mut self,
        user_id: Uuid,
        client_id: &str,
        lifetime: std::time::Duration,
    ) -> (String, u64) {
        let token = random_secret(32);
        let issued = now();
        self.tokens.insert(
            token.clone(),
            Token {
                user_id,
                client_id: client_id.to_string(),
                expires: issued + td(lifetime),
                revoked: false,
            },
        );
        (token, lifetime.as_secs().max(1))
    }

    /// Issues a refresh token for `user_id` / `client_id` living `lifetime`.
    pub fn issue_refresh_token(
        &mut self,
        user_id: Uuid,
        client_id: &str,
        lifetime: std::time::Duration,
    ) -> String {
        let token = random_secret(32);
        self.refresh_tokens.insert(
            token.clone(),
            RefreshToken {
                user_id,
                client_id: client_id.to_string(),
                expires: now() + td(lifetime),
            },
        );
        token
    }

    /// Takes a refresh token for `client_id` out of the store: single-use, so even a refused
    /// attempt burns it (as authorization codes are burnt).
    pub fn redeem_refresh_token(
        &mut self,
        token: &str,
        client_id: &str,
    ) -> Result<RefreshToken, RefreshRefusal> {
        let stored = self
            .refresh_tokens
            .remove(token)
            .ok_or(RefreshRefusal::Unknown)?;
        if stored.expires <= now() {
            Err(RefreshRefusal::Expired)
        } else if stored.client_id != client_id {
            Err(RefreshRefusal::WrongClient)
        } else {
            Ok(stored)
        }
    }
}
