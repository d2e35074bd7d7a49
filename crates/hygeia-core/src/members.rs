//! Members of an organisation and their roles.

use crate::access::Scope;
use crate::{CoreError, Hygeia};
use hygeia_domain::ids::UserId;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::roles::Role;
use hygeia_store::model::Member;
use serde_json::json;

impl Hygeia {
    pub async fn members(&self, scope: &Scope, page: PageRequest) -> Result<Page<Member>, CoreError> {
        scope.require(Permission::MembersView)?;
        Ok(self.store.list_members(scope.org_id(), page).await?)
    }

    async fn current_role(&self, scope: &Scope, user: UserId) -> Result<Role, CoreError> {
        self.store
            .role_in(user, scope.org_id())
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// An organisation must always keep an owner, or nobody could manage it.
    async fn ensure_not_last_owner(&self, scope: &Scope, user: UserId) -> Result<(), CoreError> {
        if self.current_role(scope, user).await? == Role::Owner
            && self.store.count_members_with_role(scope.org_id(), Role::Owner).await? <= 1
        {
            return Err(CoreError::Conflict(
                "the organisation must keep at least one owner".into(),
            ));
        }
        Ok(())
    }

    pub async fn change_role(&self, scope: &Scope, user: UserId, role_code: &str) -> Result<(), CoreError> {
        scope.require(Permission::MembersManage)?;
        let role = Role::parse_for(role_code.trim(), scope.org.org_type, "role")?;
        let before = self.current_role(scope, user).await?;
        if before == role {
            return Ok(());
        }
        if role != Role::Owner {
            self.ensure_not_last_owner(scope, user).await?;
        }
        let audit = self.scope_audit(
            scope,
            "member.role_change",
            "membership",
            user,
            json!({"role": [before.code(), role.code()]}),
        );
        Ok(self.store.change_role(scope.org_id(), user, role, &audit).await?)
    }

    pub async fn remove_member(&self, scope: &Scope, user: UserId) -> Result<(), CoreError> {
        scope.require(Permission::MembersManage)?;
        self.ensure_not_last_owner(scope, user).await?;
        let role = self.current_role(scope, user).await?;
        let audit = self.scope_audit(
            scope,
            "member.remove",
            "membership",
            user,
            json!({"role": [role.code(), null]}),
        );
        Ok(self.store.remove_member(scope.org_id(), user, &audit).await?)
    }
}
