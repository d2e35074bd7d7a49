//! Hygeia's printable documents as PDF: a notification as sent (with its digest, so a printed
//! copy can be checked against the record) and the incident response plan for the board and
//! the DSPT. The same words as the pages, set by `pdf`.

use crate::html::when;
use crate::pdf::Document;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hygeia_core::{NotificationView, PlanEntry};
use hygeia_domain::evidence::ascii_file_name;

/// A PDF as a download.
pub fn pdf_response(bytes: Vec<u8>, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", ascii_file_name(file_name))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A notification as submitted, with the regulator's reviews.
pub fn notification_pdf(v: &NotificationView, zone: &str) -> Vec<u8> {
    let n = &v.notification;
    let title = format!("{}: {} (version {})", n.regime.label(), v.stage_title, n.version);
    let mut d = Document::new(&title, &format!("{} {}", v.incident_reference, v.stage_title));
    d.para(&format!(
        "From {} about incident {} ({}).",
        v.sender_name, v.incident_reference, v.incident_title
    ));
    d.heading("Submission");
    d.field(
        "Submitted",
        &format!("{} by {}", when(n.submitted_at, zone), n.submitted_by),
    );
    d.field(
        "Due",
        &n.due_at.map_or_else(|| "When asked".to_owned(), |t| when(t, zone)),
    );
    d.field(
        "Timeliness",
        &if n.on_time {
            "On time".to_owned()
        } else {
            format!("Late. Reason given: {}", n.late_reason)
        },
    );
    d.field("Review status", n.review_status.label());
    d.heading("Contents");
    for e in &n.entries {
        d.field(e.field.label(), &e.value);
    }
    if !v.reviews.is_empty() {
        d.heading("Reviews by the regulator");
        for r in &v.reviews {
            let message = if r.message.is_empty() {
                String::new()
            } else {
                format!(": {}", r.message)
            };
            d.para(&format!(
                "{}, {} ({}){message}",
                when(r.at, zone),
                r.status.label(),
                r.reviewed_by
            ));
        }
    }
    d.heading("Integrity");
    d.small(&format!(
        "SHA-256 of the contents ({}): {}",
        hygeia_domain::incidents::notification::EXPORT_SCHEMA,
        n.digest
    ));
    d.small("Recompute it from the JSON export to check this copy against the record.");
    d.render()
}

/// The whole response plan: every category's playbook with its tasks and contacts.
pub fn response_plan_pdf(org_name: &str, entries: &[PlanEntry], zone: &str) -> Vec<u8> {
    let mut d = Document::new("Incident response plan", &format!("{org_name}: incident response plan"));
    d.para(&format!(
        "{org_name}. What to do for each kind of incident, and who does it. Reporting an incident \
         in Hygeia gives it the tasks of its category's playbook."
    ));
    for e in entries {
        d.heading(e.playbook.category.label());
        d.small(&match &e.customised {
            Some((by, at)) => format!("Edited by {by}, {}", when(*at, zone)),
            None => "Hygeia's default playbook".to_owned(),
        });
        for (i, t) in e.playbook.tasks.iter().enumerate() {
            let who = t.role.map_or("Incident lead", |r| r.label());
            d.para(&format!("{}. {} ({who})", i + 1, t.title));
        }
        for c in &e.playbook.contacts {
            d.field(&c.name, &c.how);
        }
    }
    d.render()
}

/// The OSCAL assessment-results document of an assessment (pages and the API share it).
pub fn assessment_results_json(org_name: &str, view: &hygeia_core::assessments::AssessmentView) -> String {
    let a = &view.assessment;
    let rfc = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let id = a.id.to_string();
    let doc = hygeia_domain::assessments::export::oscal_assessment_results(
        &view.framework,
        &view.answers,
        &view.scorecard,
        &hygeia_domain::assessments::export::ResultsMeta {
            assessment_id: &id,
            title: &a.title,
            organisation: org_name,
            period: &a.period,
            started: &rfc(a.created_at),
            last_modified: &rfc(a.published_at.unwrap_or(a.updated_at)),
            status: a.status.code(),
            digest: a.digest.as_deref(),
        },
    );
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
