//! The demo's worked examples: an incident with its notification, a CAF assessment part
//! done, and an asset register with a published alert the trust is likely affected by.

use super::*;

impl Hygeia {
    /// A worked example for the demo: at the trust, a ransomware incident found reportable
    /// under UK NIS and UK GDPR, its NIS notification sent and waiting in the regulator's
    /// inbox, and its GDPR notification still to send. Run after `seed_demo` on a fresh
    /// database (the demo server does; the tests do not, so their numbering is their own).
    pub async fn seed_demo_incident(&self) -> Result<(), CoreError> {
        let user = self.user_by_email("security@riverside.example").await?;
        let actor = self.cli_actor(user);
        let trust = self.org_by_ods("RVX").await?;
        let scope = self.scope(&actor, trust.id).await?;
        let now = self.now_ms();
        const HOUR: i64 = 3_600_000;
        let incident = self
            .report_incident(
                &scope,
                crate::IncidentInput {
                    title: "Ransomware on the imaging servers".into(),
                    category: "ransomware".into(),
                    severity: "critical".into(),
                    description: "Three PACS servers were encrypted overnight; images cannot be viewed.".into(),
                    occurred_at: Some(now - 30 * HOUR),
                    detected_at: Some(now - 26 * HOUR),
                    aware_at: Some(now - 25 * HOUR),
                    aware_note: "The on-call engineer confirmed the ransom note at 07:00.".into(),
                    essential_services: "Diagnostic imaging for emergency and planned care".into(),
                    systems_affected: "PACS servers 1 to 3".into(),
                    disruption_start: Some(now - 26 * HOUR),
                    patients_affected: Some(900),
                    data_subjects: Some(48_000),
                    data_categories: vec!["health".into()],
                    suspected_malicious: true,
                    ..crate::IncidentInput::default()
                },
            )
            .await?;
        self.assess_incident(
            &scope,
            incident.id,
            crate::FactsInput {
                personal_data: true,
                likelihood: Some("likely".into()),
                harm: Some("serious".into()),
                essential_service_disrupted: true,
                users_affected: Some(900),
                significant_impact: Some("yes".into()),
                rationale: "Imaging unavailable at both sites; patient images may have been copied.".into(),
                ..crate::FactsInput::default()
            },
        )
        .await?;
        let draft = self
            .notification_draft(&scope, incident.id, "uk_nis", "notification")
            .await?;
        let values: Vec<(String, String)> = draft
            .entries
            .iter()
            .map(|e| {
                let value = if e.value.is_empty() {
                    "None known at the time of this report.".to_owned()
                } else {
                    e.value.clone()
                };
                (e.field.code().to_owned(), value)
            })
            .collect();
        self.submit_notification(&scope, incident.id, "uk_nis", "notification", &values, "")
            .await?;
        Ok(())
    }

    /// A CAF assessment of the trust's clinical systems, a few outcomes in, for the SIRO to
    /// see the sign-off step. Needs the built-in library (the demo server installs it first).
    pub async fn seed_demo_assessment(&self) -> Result<(), CoreError> {
        use crate::assessments::{OutcomeInput, StartInput};
        let user = self.user_by_email("security@riverside.example").await?;
        let actor = self.cli_actor(user);
        let trust = self.org_by_ods("RVX").await?;
        let scope = self.scope(&actor, trust.id).await?;
        let Some(caf) = self
            .frameworks()
            .await?
            .into_iter()
            .find(|f| f.key == "ncsc-caf" && f.version == "3.2")
        else {
            return Ok(());
        };
        let id = self
            .start_assessment(
                &scope,
                StartInput {
                    framework_id: caf.id.to_string(),
                    title: "CAF 2025-26: clinical systems".into(),
                    period: "2025-26".into(),
                    due_on: "2026-06-30".into(),
                    scope: "Electronic patient record, PACS and the integration engine".into(),
                    profile: "govassure-baseline".into(),
                    copy_from: String::new(),
                },
            )
            .await?;
        let answers: [(&str, &[&str], &str); 3] = [
            (
                "A1.a",
                &["A1.a.A.1", "A1.a.A.2", "A1.a.A.3", "A1.a.A.4"],
                "The board receives a quarterly cyber report; the SIRO owns the strategy.",
            ),
            (
                "A2.a",
                &["A2.a.PA.1", "A2.a.PA.2", "A2.a.PA.3", "A2.a.PA.4", "A2.a.PA.5"],
                "Risk process in place; threat assumptions for the imaging network still to write.",
            ),
            (
                "B5.c",
                &["B5.c.PA.1", "B5.c.PA.2"],
                "Immutable backups of the EPR; restore tested in October after the PACS incident.",
            ),
        ];
        for (outcome, ticked, narrative) in answers {
            let version = self.assessment(&scope, id).await?.assessment.row_version;
            self.save_outcome(
                &scope,
                id,
                version,
                &OutcomeInput {
                    ref_id: outcome.into(),
                    ticked: ticked.iter().map(|t| (*t).to_owned()).collect(),
                    narrative: narrative.into(),
                    owner: "Head of cyber security".into(),
                    ..OutcomeInput::default()
                },
            )
            .await?;
        }
        Ok(())
    }
}

/// The demo trust's register: what a typical acute trust still runs, old Windows included.
const DEMO_REGISTER: &str = "key,name,kind,criticality,essential_services,internet_facing,esu,manufacturer,model,os,os_version,software,location\n\
RVX-SRV-001,pacs-01,server,critical,Imaging,no,yes,,,Microsoft Windows Server 2012 R2 Standard,,SQL Server 2016,Data centre A\n\
RVX-SRV-002,ehr-db-01,server,critical,Electronic patient record,no,no,,,Red Hat Enterprise Linux,8.10,PostgreSQL==13.16,Data centre A\n\
RVX-SRV-003,web-01,server,high,Patient portal,yes,no,,,Windows Server 2019,,pkg:npm/lodash@4.17.20,Data centre B\n\
RVX-EUD-0101,ward7-pc-01,end_user_device,medium,,no,yes,,,Windows 10 Enterprise,10.0.19045.5011,Google Chrome==120.0.6099.71,Ward 7\n\
RVX-EUD-0102,ward7-pc-02,end_user_device,medium,,no,no,,,Windows 11 Enterprise,10.0.26100.4349,,Ward 7\n\
RVX-EUD-0103,mri-console,medical_device,high,Imaging,no,no,Example Medical,MR Console 3,Windows 7 Professional SP1,,,Radiology\n\
RVX-MED-0201,infusion-07,medical_device,critical,Critical care,no,no,BD,Alaris 8015,,,BD Alaris Point-of-Care Unit (PCU) Model 8015==12.1.2,ICU\n";

impl Hygeia {
    /// The demo trust's asset register and a published high-severity alert it is affected
    /// by, so the asset, unsupported systems and alert pages have something to show. Run
    /// after `seed_demo` on a fresh database.
    pub async fn seed_demo_assets_and_alert(&self) -> Result<(), CoreError> {
        let lead = self.cli_actor(self.user_by_email("security@riverside.example").await?);
        let trust = self.scope(&lead, self.org_by_ods("RVX").await?.id).await?;
        self.import_assets(
            &trust,
            "demo-register.csv",
            DEMO_REGISTER,
            &crate::assets::ImportOptions::default(),
            None,
        )
        .await?;
        let publisher = self.cli_actor(self.user_by_email("publisher@ncoc.example").await?);
        let team = self.scope(&publisher, self.org_by_ods("X26NC").await?.id).await?;
        let draft = self
            .create_alert(
                &team,
                &crate::alerts::AlertInput {
                    reference: "CC-DEMO-1".into(),
                    title: "Remote code execution in Windows Server 2012 R2 remote desktop (demo)".into(),
                    severity: "high".into(),
                    summary: "A demonstration alert: an unauthenticated attacker can run code on servers that expose remote desktop.".into(),
                    cves: vec!["CVE-2026-00001".into()],
                    products: vec![crate::alerts::ProductLineInput {
                        identity: "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*".into(),
                        versions: None,
                        status: None,
                    }],
                    actions: vec![
                        "Block remote desktop at the perimeter.".into(),
                        "Move the service to a supported Windows Server release.".into(),
                    ],
                    ..crate::alerts::AlertInput::default()
                },
            )
            .await?;
        self.publish_alert(&team, draft.alert.id).await?;
        Ok(())
    }
}
