//! The token endpoint (`login.{env}/oauth/token`; gc-sim's own origin): trading a PKCE code or a
//! refresh token for a bearer token, form-encoded and without a secret.

use gloo_net::http::Request;
use wrapup_core::oauth::pkce;
use wrapup_core::platform::Launch;

use crate::types::sign_in::{AccessToken, CodeExchange, RefreshToken, SignInError, TokenGrant};

/// Exchange a verified authorization code for a token.
pub async fn exchange(launch: &Launch, exchange: &CodeExchange) -> Result<TokenGrant, SignInError> {
    let body = pkce::token_request_body(
        &exchange.code,
        &exchange.redirect_uri,
        &launch.client_id,
        &exchange.verifier,
    );
    post(launch, body).await
}

/// Trade a refresh token for a new access token, without a redirect.
pub async fn refresh(
    launch: &Launch,
    refresh_token: &RefreshToken,
) -> Result<TokenGrant, SignInError> {
    post(
        launch,
        pkce::refresh_request_body(refresh_token.secret(), &launch.client_id),
    )
    .await
}

async fn post(launch: &Launch, body: String) -> Result<TokenGrant, SignInError> {
    let url = pkce::token_url(&launch.platform);
    let request = Request::post(url.as_str())
        .header("Content-Type", pkce::FORM_CONTENT_TYPE)
        .body(body)
        .map_err(|e| SignInError::Network(e.to_string()))?;
    let unreachable = |e: gloo_net::Error| {
        SignInError::Network(format!(
            "{} did not answer: {e}",
            url.origin().ascii_serialization()
        ))
    };
    let response = request.send().await.map_err(unreachable)?;
    let status = response.status();
    let text = response.text().await.map_err(unreachable)?;
    let answer = pkce::parse_token_response(status, &text).map_err(SignInError::Token)?;
    Ok(TokenGrant::received(
        AccessToken::new(answer.access_token),
        answer.expires_in,
        answer.refresh_token.map(RefreshToken::new),
        js_sys::Date::now(),
    ))
}
