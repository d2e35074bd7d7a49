//! A regulator's reporting thresholds: the NIS significance thresholds no one publishes, and
//! the breach grid's thresholds per recipient where the sources disagree. Decisions across
//! the remit are made under them, and record that they were.

use crate::access::Scope;
use crate::{CoreError, Hygeia};
use hygeia_domain::incidents::grid::{GridThreshold, Harm, Likelihood};
use hygeia_domain::incidents::regimes::{GridOverride, RegimeSettings, SignificanceThresholds, Test, pack_for};
use hygeia_domain::org::Regime;
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::{Collector, FieldError};
use serde_json::json;

/// What the settings form sends: counts as text (blank for no threshold), and the grid
/// thresholds as (recipient, likelihood code, harm code).
#[derive(Debug, Clone, Default)]
pub struct ThresholdsInput {
    pub users_affected_at_least: String,
    pub disruption_minutes_at_least: String,
    pub regions_affected_at_least: String,
    pub grid: Vec<(String, String, String)>,
}

/// The thresholds in force for a regulator's remit.
#[derive(Debug, Clone)]
pub struct ThresholdsView {
    pub significance: SignificanceThresholds,
    /// The UK GDPR grid's recipients with their thresholds.
    pub grid: Vec<(String, GridThreshold)>,
    pub label: Option<String>,
}

fn count<T: std::str::FromStr>(raw: &str, field: &str, errors: &mut Collector) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = raw.parse::<T>().ok();
    if parsed.is_none() {
        errors.push(FieldError::new(
            field,
            "must be a whole number, 0 or more, or blank for none",
        ));
    }
    parsed
}

impl Hygeia {
    /// The thresholds in force in this regulator's remit (its own, or the packs' defaults).
    pub async fn thresholds(&self, scope: &Scope) -> Result<ThresholdsView, CoreError> {
        scope.require(Permission::OversightView)?;
        let settings = self.store.regime_settings(scope.org_id()).await?;
        let nis = settings
            .iter()
            .find(|(r, _)| *r == Regime::UkNis)
            .map(|(_, s)| s.clone());
        let gdpr = settings
            .iter()
            .find(|(r, _)| *r == Regime::UkGdpr)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let significance = nis.as_ref().and_then(|s| s.significance).unwrap_or_default();
        let pack = pack_for(Regime::UkGdpr).map_err(CoreError::Internal)?;
        let grid = match &pack.test {
            Test::BreachGrid { recipients } => recipients
                .iter()
                .map(|r| {
                    let own = gdpr
                        .grid
                        .iter()
                        .find(|o| o.recipient == r.recipient)
                        .map(|o| o.threshold);
                    (r.recipient.clone(), own.unwrap_or(r.threshold))
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(ThresholdsView {
            significance,
            grid,
            label: nis.map(|s| s.label).filter(|l| !l.is_empty()),
        })
    }

    /// Sets the remit's thresholds. Every later decision in the remit is made under them.
    pub async fn save_thresholds(&self, scope: &Scope, input: ThresholdsInput) -> Result<(), CoreError> {
        scope.require(Permission::ThresholdsEdit)?;
        let mut errors = Collector::new();
        let significance = SignificanceThresholds {
            users_affected_at_least: count(&input.users_affected_at_least, "users_affected_at_least", &mut errors),
            disruption_minutes_at_least: count(
                &input.disruption_minutes_at_least,
                "disruption_minutes_at_least",
                &mut errors,
            ),
            regions_affected_at_least: count(
                &input.regions_affected_at_least,
                "regions_affected_at_least",
                &mut errors,
            ),
        };
        let pack = pack_for(Regime::UkGdpr).map_err(CoreError::Internal)?;
        let known: Vec<&str> = match &pack.test {
            Test::BreachGrid { recipients } => recipients.iter().map(|r| r.recipient.as_str()).collect(),
            _ => Vec::new(),
        };
        let mut grid = Vec::new();
        for (i, (recipient, likelihood, harm)) in input.grid.iter().enumerate() {
            if !known.contains(&recipient.as_str()) {
                errors.push(FieldError::new(
                    format!("grid_recipient_{i}"),
                    format!("'{recipient}' is not one of: {}", known.join(", ")),
                ));
            }
            let l = errors.check(Likelihood::parse(likelihood, &format!("grid_likelihood_{i}")));
            let h = errors.check(Harm::parse(harm, &format!("grid_harm_{i}")));
            if let (Some(l), Some(h)) = (l, h) {
                grid.push(GridOverride {
                    recipient: recipient.clone(),
                    threshold: GridThreshold {
                        likelihood_at_least: l,
                        harm_at_least: h,
                    },
                });
            }
        }
        errors.finish()?;
        let now = self.now_ms();
        let label = format!(
            "{} {}",
            scope.org.ods_code.as_str(),
            jiff::Timestamp::from_millisecond(now)
                .map(|t| t.to_string())
                .unwrap_or_default()
        );
        let by = scope.actor.label();
        let entries = [
            (
                Regime::UkNis,
                RegimeSettings {
                    significance: Some(significance),
                    grid: Vec::new(),
                    label: label.clone(),
                },
            ),
            (
                Regime::UkGdpr,
                RegimeSettings {
                    significance: None,
                    grid,
                    label,
                },
            ),
        ];
        let audit = self.scope_audit(
            scope,
            "thresholds.update",
            "regime_settings",
            scope.org_id(),
            json!(
                entries
                    .iter()
                    .map(|(r, s)| json!({"regime": r.code(), "settings": s}))
                    .collect::<Vec<_>>()
            ),
        );
        self.store
            .save_regime_settings(scope.org_id(), &entries, &by, now, &audit)
            .await?;
        Ok(())
    }
}
