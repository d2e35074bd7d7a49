//! API tokens: created from a signed-in browser session, shown once, hashed at rest.

use crate::access::Actor;
use crate::secrets::{new_token, token_hash};
use crate::{CoreError, Hygeia};
use hygeia_domain::ids::{OrgId, TokenId};
use hygeia_domain::org::parse_name;
use hygeia_domain::validation::Collector;
use hygeia_store::model::ApiToken;
use serde_json::json;

#[derive(Debug, Clone, Default)]
pub struct NewToken {
    pub name: String,
    pub read_only: bool,
    /// Limit the token to one of the caller's organisations.
    pub org_id: Option<OrgId>,
    /// Days until it stops working; none for no expiry.
    pub expires_in_days: Option<u32>,
}

/// A token just made: the secret is here and nowhere else, ever.
#[derive(Debug)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

const MAX_EXPIRY_DAYS: u32 = 366;

impl Hygeia {
    pub async fn create_token(&self, actor: &Actor, input: NewToken) -> Result<CreatedToken, CoreError> {
        // A token cannot mint tokens: that would let a narrow token escape its limits.
        if matches!(actor.credential, crate::Credential::Token(_)) {
            return Err(CoreError::Forbidden("API tokens are created from a signed-in session"));
        }
        let mut errors = Collector::new();
        let name = errors.check(parse_name(&input.name, "name"));
        if let Some(days) = input.expires_in_days
            && (days == 0 || days > MAX_EXPIRY_DAYS)
        {
            errors.push(hygeia_domain::FieldError::new(
                "expires_in_days",
                format!("must be from 1 to {MAX_EXPIRY_DAYS}"),
            ));
        }
        if let Some(org) = input.org_id
            && self.store.role_in(actor.user.id, org).await?.is_none()
        {
            errors.push(hygeia_domain::FieldError::new(
                "org_id",
                "you are not a member of that organisation",
            ));
        }
        errors.finish()?;
        let now = self.now_ms();
        let token = ApiToken {
            id: TokenId(self.new_uuid()),
            user_id: actor.user.id,
            name: name.unwrap_or_default(),
            read_only: input.read_only,
            org_id: input.org_id,
            created_at: now,
            expires_at: input.expires_in_days.map(|d| now + i64::from(d) * 86_400_000),
            last_used_at: None,
            revoked_at: None,
        };
        let secret = new_token("hyt_");
        let audit = self.audit(
            Some(actor),
            None,
            "token.create",
            "api_token",
            token.id,
            json!({"name": token.name, "read_only": token.read_only, "org_id": token.org_id, "expires_at": token.expires_at}),
        );
        self.store.create_token(&token, &token_hash(&secret), &audit).await?;
        Ok(CreatedToken { token, secret })
    }

    pub async fn my_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, CoreError> {
        Ok(self.store.list_tokens(actor.user.id).await?)
    }

    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<(), CoreError> {
        if actor.read_only() {
            return Err(CoreError::Forbidden("a read-only token cannot revoke tokens"));
        }
        let audit = self.audit(Some(actor), None, "token.revoke", "api_token", id, json!({}));
        Ok(self
            .store
            .revoke_token(actor.user.id, id, self.now_ms(), &audit)
            .await?)
    }
}
