//! The regulator's side: the inbox of notifications received, one notification, its review, and
//! the record of each sender.

use super::*;

impl Hygeia {
    /// A regulator's inbox: notifications received from the organisations in its remit.
    pub async fn inbox(&self, scope: &Scope, page: PageRequest) -> Result<Page<ReceivedNotification>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.inbox(scope.org_id(), page).await?)
    }

    /// One received notification, with its reviews.
    pub async fn received_notification(
        &self,
        scope: &Scope,
        id: NotificationId,
    ) -> Result<NotificationView, CoreError> {
        scope.require(Permission::OversightView)?;
        let r = self.store.received_notification(scope.org_id(), id).await?;
        let mut view = self
            .notification_view(r.notification, r.sender_name, r.incident_reference, r.incident_title)
            .await?;
        view.awareness_changes = self.store.awareness_changes_since(scope.org_id(), id).await?;
        Ok(view)
    }

    /// Records the regulator's review: received, accepted, or a revision requested (which
    /// needs a message saying what to change).
    pub async fn review_notification(
        &self,
        scope: &Scope,
        id: NotificationId,
        status: &str,
        message: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::NotificationsReview)?;
        let status = ReviewStatus::parse(status.trim(), "status")?;
        let message = message.trim();
        let mut errors = Vec::new();
        if status == ReviewStatus::Submitted {
            errors.push(FieldError::new(
                "status",
                "choose received, accepted or revision requested",
            ));
        }
        if status == ReviewStatus::RevisionRequested && message.is_empty() {
            errors.push(FieldError::new(
                "message",
                "is required: say what the organisation should change",
            ));
        }
        if message.chars().count() > 20_000 {
            errors.push(FieldError::new("message", "must be at most 20000 characters"));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let review = Review {
            id: ReviewId(self.new_uuid()),
            notification_id: id,
            status,
            message: message.to_owned(),
            reviewed_by: scope.actor.label(),
            at: self.now_ms(),
        };
        let audit = self.scope_audit(
            scope,
            "notification.review",
            "notification",
            id,
            json!({"status": status.code(), "message": message}),
        );
        Ok(self.store.review_notification(scope.org_id(), &review, &audit).await?)
    }

    /// First submissions on time and late, per organisation in the remit.
    pub async fn sender_records(&self, scope: &Scope) -> Result<Vec<SenderRecord>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.sender_records(scope.org_id()).await?)
    }
}
