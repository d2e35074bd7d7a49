//! Helpers for the core tests.

use hygeia_core::{Actor, Credential, Hygeia, Scope, SignedIn};

pub const PASSWORD: &str = hygeia_core::demo::DEMO_PASSWORD;

/// An actor for a demo account as if signed in on the command line (no MFA checks).
pub async fn cli(app: &Hygeia, email: &str) -> Actor {
    let user = app.user_by_email(email).await.expect("demo user");
    Actor {
        user,
        credential: Credential::Cli,
    }
}

/// A fully signed-in session actor for a demo account that needs no MFA.
pub async fn session(app: &Hygeia, email: &str) -> Actor {
    let signed = app.sign_in(email, PASSWORD, "192.0.2.1").await.expect("sign in");
    app.session_actor(&signed.token)
        .await
        .expect("lookup")
        .expect("session")
}

pub async fn scope_of(app: &Hygeia, actor: &Actor, ods: &str) -> Scope {
    let org = app.org_by_ods(ods).await.expect("org");
    app.scope(actor, org.id).await.expect("scope")
}

pub fn token_of(signed: &SignedIn) -> &str {
    &signed.token
}

/// The fields a validation error names; panics on any other error.
pub fn fields(e: hygeia_core::CoreError) -> Vec<String> {
    match e {
        hygeia_core::CoreError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;
