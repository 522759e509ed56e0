//! The signed-in fact: the bearer token the platform issued to this tab, kept in memory only.

use std::fmt;
use std::rc::Rc;

/// A bearer token. Cloning shares it; `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Rc<str>);

impl AccessToken {
    /// Wrap the token the platform issued.
    pub fn new(secret: impl Into<Rc<str>>) -> Self {
        Self(secret.into())
    }

    /// The token itself, for the `Authorization` header and nothing else.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = AccessToken::new("s3cret-bearer");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert_eq!(token.secret(), "s3cret-bearer");
    }
}
