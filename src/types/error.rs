//! The one error type every service returns, worded for the person looking at the widget:
//! what happened, what it means, what to do next.

use std::fmt;
use std::time::Duration;

/// Why a call to the platform did not give us what we asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the token is missing, expired or revoked. Implicit grants cannot refresh.
    Unauthorized,
    /// 403: signed in, but this user or OAuth client lacks a permission.
    Forbidden { message: String },
    /// 404: the thing asked for does not exist (or is not visible to this user).
    NotFound { message: String },
    /// 429 still returned after waiting as told; `retry_after` is the platform's last `Retry-After`.
    RateLimited { retry_after: Option<Duration> },
    /// 502/503/504 still returned after retries.
    Unavailable { status: u16 },
    /// Any other HTTP failure.
    Http { status: u16, message: String },
    /// The request never completed (offline, DNS, CORS, connection reset).
    Network(String),
    /// The response was not the JSON we expected.
    Decode(String),
    /// A URL handed to us pointed outside the platform's known hosts; refused unsent.
    ForeignHost(String),
}

impl ApiError {
    /// Whether signing in again is the fix.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, Self::Unauthorized)
    }

    /// Whether the same request may work later (429, 502/503/504, network), so it is worth retrying.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Unavailable { .. } | Self::Network(_)
        )
    }

    /// How long the platform asked us to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthorized => f.write_str("Your sign-in has expired or was revoked. Sign in again to continue; nothing already shown is lost."),
            Self::Forbidden { message } => write!(
                f,
                "Genesys Cloud refused this request for lack of a permission ({message}). Ask an administrator to grant it to your role."
            ),
            Self::NotFound { message } => write!(f, "Not found: {message}"),
            Self::RateLimited { retry_after: Some(wait) } => write!(
                f,
                "Genesys Cloud is rate-limiting this user (429). Waiting {} s before trying again.",
                wait.as_secs_f64().ceil()
            ),
            Self::RateLimited { retry_after: None } => f.write_str("Genesys Cloud is rate-limiting this user (429). Try again in a minute."),
            Self::Unavailable { status } => write!(
                f,
                "Genesys Cloud is temporarily unavailable ({status}). The widget retried; it will keep trying."
            ),
            Self::Http { status, message } => write!(f, "The request failed with HTTP {status}: {message}"),
            Self::Network(detail) => write!(f, "Could not reach the service ({detail}). Check the network connection."),
            Self::Decode(detail) => write!(f, "The service answered with data the widget does not understand ({detail})."),
            Self::ForeignHost(host) => write!(
                f,
                "Refused to contact {host}: it is not a host of the Genesys environment in use."
            ),
        }
    }
}

impl std::error::Error for ApiError {}
