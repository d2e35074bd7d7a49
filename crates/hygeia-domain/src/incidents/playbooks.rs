//! The response plan: for each incident category, a playbook of ordered tasks with the role
//! that owns each, and the contacts to call. Hygeia starts every organisation from these
//! defaults (our own wording, shaped by the DSPT's incident standard and NCSC incident
//! management guidance); each organisation edits its own.

use super::lifecycle::IncidentCategory;
use crate::roles::Role;
use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// One step of a playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookTask {
    pub title: String,
    /// Who does it; none for "whoever is handling the incident".
    pub role: Option<Role>,
}

/// Someone to call, in the organisation's words ("IT service desk: 0113 …").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub how: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playbook {
    pub category: IncidentCategory,
    pub tasks: Vec<PlaybookTask>,
    pub contacts: Vec<Contact>,
}

const MAX_TASKS: usize = 60;
const MAX_LINE: usize = 300;

fn t(role: Option<Role>, title: &str) -> PlaybookTask {
    PlaybookTask {
        title: title.to_owned(),
        role,
    }
}

/// Tasks every playbook starts with: record, judge reportability, start the clocks.
fn opening() -> Vec<PlaybookTask> {
    vec![
        t(
            None,
            "Record who found it, when, and what was seen; keep any evidence untouched",
        ),
        t(
            Some(Role::SecurityLead),
            "Confirm it is an incident and set the awareness time",
        ),
        t(
            Some(Role::IgLead),
            "Assess reportability: personal data (breach grid) and essential services",
        ),
        t(
            Some(Role::SeniorExecutive),
            "Brief the senior executive; agree who leads the response",
        ),
    ]
}

/// Tasks every playbook ends with.
fn closing() -> Vec<PlaybookTask> {
    vec![
        t(Some(Role::SecurityLead), "Find the root cause and record it"),
        t(
            Some(Role::SeniorExecutive),
            "Hold a lessons-learned review and raise improvement actions",
        ),
    ]
}

fn specific(category: IncidentCategory) -> Vec<PlaybookTask> {
    use IncidentCategory::*;
    use Role::*;
    match category {
        Ransomware => vec![
            t(
                Some(SecurityLead),
                "Isolate affected machines from the network; do not switch them off",
            ),
            t(
                Some(SecurityLead),
                "Disable accounts that may be compromised and reset privileged credentials",
            ),
            t(
                Some(SecurityLead),
                "Check that offline backups are intact before any restore",
            ),
            t(
                Some(SeniorExecutive),
                "Invoke business continuity plans for clinical services affected",
            ),
            t(
                Some(SecurityLead),
                "Report to the national cyber security operations centre and, for crime, the police",
            ),
            t(
                Some(SecurityLead),
                "Rebuild or restore from known-good backups; watch for reinfection",
            ),
        ],
        Phishing => vec![
            t(
                Some(SecurityLead),
                "Reset the passwords of accounts that entered credentials; revoke sessions and tokens",
            ),
            t(
                Some(SecurityLead),
                "Check mailbox rules and forwarding added by the attacker",
            ),
            t(
                Some(SecurityLead),
                "Block the sender and links; remove the message from other mailboxes",
            ),
            t(Some(IgLead), "Check what data the compromised accounts could reach"),
            t(Some(Owner), "Remind staff how to report suspicious mail"),
        ],
        DataBreach => vec![
            t(
                Some(IgLead),
                "Contain: recall or retrieve the data, ask recipients to delete it and confirm",
            ),
            t(
                Some(IgLead),
                "Establish whose data, how much, and what kinds (health, children, vulnerable people)",
            ),
            t(Some(IgLead), "Decide whether to tell the people affected, and how"),
            t(Some(IgLead), "Inform the Caldicott Guardian"),
        ],
        LossOfService => vec![
            t(
                Some(SeniorExecutive),
                "Invoke business continuity plans; move clinical services to downtime procedures",
            ),
            t(
                None,
                "Contact the supplier or utility and get an estimate for restoration",
            ),
            t(
                Some(SecurityLead),
                "Record when the disruption started and whom it affects, for the NIS test",
            ),
            t(
                None,
                "Restore service and check data integrity before returning to normal working",
            ),
        ],
        MedicalDevice => vec![
            t(
                None,
                "Take the device out of clinical use if patient safety may be affected; use alternatives",
            ),
            t(
                Some(SecurityLead),
                "Isolate the device from the network without losing its logs",
            ),
            t(None, "Contact the manufacturer"),
            t(
                Some(SeniorExecutive),
                "Report adverse incidents involving the device to the medical devices regulator",
            ),
        ],
        LostDevice => vec![
            t(
                Some(SecurityLead),
                "Confirm whether the device was encrypted; lock or wipe it remotely",
            ),
            t(Some(SecurityLead), "Revoke the device's access and the user's sessions"),
            t(Some(IgLead), "Establish what data was on it"),
            t(None, "Report a theft to the police and keep the crime reference"),
        ],
        Insider => vec![
            t(
                Some(SeniorExecutive),
                "Involve human resources before any action against a member of staff",
            ),
            t(Some(SecurityLead), "Preserve audit logs and access records"),
            t(Some(SecurityLead), "Remove or reduce the person's access as agreed"),
            t(
                Some(IgLead),
                "Establish what records were accessed without a legitimate reason",
            ),
        ],
        Ddos => vec![
            t(
                Some(SecurityLead),
                "Engage the network or hosting provider to filter the traffic",
            ),
            t(
                Some(SecurityLead),
                "Confirm which services are affected and for how long",
            ),
            t(
                Some(SeniorExecutive),
                "Invoke business continuity plans for services that depend on them",
            ),
        ],
        Other => Vec::new(),
    }
}

/// The default playbook of a category.
pub fn default_playbook(category: IncidentCategory) -> Playbook {
    let mut tasks = opening();
    tasks.extend(specific(category));
    tasks.extend(closing());
    Playbook {
        category,
        tasks,
        contacts: vec![
            Contact {
                name: "IT service desk".into(),
                how: "Set your own number here".into(),
            },
            Contact {
                name: "Information Governance lead / Data Protection Officer".into(),
                how: "Set your own details here".into(),
            },
            Contact {
                name: "Caldicott Guardian".into(),
                how: "Set your own details here".into(),
            },
        ],
    }
}

/// Reads a playbook edited as text: one task a line, optionally starting with a role code and
/// a colon (`security_lead: Isolate the machines`); contacts as `name: how to reach them`.
/// Errors name the field and line.
pub fn parse_playbook(category: IncidentCategory, tasks: &str, contacts: &str) -> Result<Playbook, Invalid> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (n, line) in tasks.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = line.trim();
        let (role, title) = match line.split_once(':') {
            Some((code, rest)) if Role::parse(code.trim(), "role").is_ok() => {
                (Role::parse(code.trim(), "role").ok(), rest.trim())
            }
            _ => (None, line),
        };
        if title.is_empty() {
            errors.push(FieldError::new(
                "tasks",
                format!("line {}: the task has no title", n + 1),
            ));
        } else if title.chars().count() > MAX_LINE {
            errors.push(FieldError::new(
                "tasks",
                format!("line {}: longer than {MAX_LINE} characters", n + 1),
            ));
        }
        parsed.push(t(role, title));
    }
    if parsed.is_empty() {
        errors.push(FieldError::new("tasks", "a playbook needs at least one task"));
    }
    if parsed.len() > MAX_TASKS {
        errors.push(FieldError::new("tasks", format!("at most {MAX_TASKS} tasks")));
    }
    let mut people = Vec::new();
    for (n, line) in contacts.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match line.split_once(':') {
            Some((name, how)) if !name.trim().is_empty() && !how.trim().is_empty() => people.push(Contact {
                name: name.trim().to_owned(),
                how: how.trim().to_owned(),
            }),
            _ => errors.push(FieldError::new(
                "contacts",
                format!("line {}: write it as name: how to reach them", n + 1),
            )),
        }
    }
    if errors.is_empty() {
        Ok(Playbook {
            category,
            tasks: parsed,
            contacts: people,
        })
    } else {
        Err(Invalid(errors))
    }
}

/// The playbook as the edit form shows it (the inverse of `parse_playbook`).
pub fn playbook_text(p: &Playbook) -> (String, String) {
    let tasks = p
        .tasks
        .iter()
        .map(|t| match t.role {
            Some(r) => format!("{}: {}", r.code(), t.title),
            None => t.title.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let contacts = p
        .contacts
        .iter()
        .map(|c| format!("{}: {}", c.name, c.how))
        .collect::<Vec<_>>()
        .join("\n");
    (tasks, contacts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_playbook_that_opens_with_reportability_and_ends_with_lessons() {
        for c in IncidentCategory::ALL {
            let p = default_playbook(*c);
            assert!(p.tasks.iter().any(|t| t.title.contains("reportability")), "{c}");
            assert!(p.tasks.last().is_some_and(|t| t.title.contains("lessons")), "{c}");
        }
        assert!(
            default_playbook(IncidentCategory::Ransomware)
                .tasks
                .iter()
                .any(|t| t.title.contains("backups"))
        );
    }

    #[test]
    fn the_text_form_round_trips() {
        for c in IncidentCategory::ALL {
            let p = default_playbook(*c);
            let (tasks, contacts) = playbook_text(&p);
            assert_eq!(parse_playbook(*c, &tasks, &contacts), Ok(p));
        }
    }

    #[test]
    fn bad_lines_are_named() {
        let err = parse_playbook(
            IncidentCategory::Other,
            "security_lead:\n\nCall the vendor",
            "Desk 0113",
        )
        .unwrap_err();
        let lines: Vec<String> = err.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        assert_eq!(
            lines,
            [
                "tasks: line 1: the task has no title",
                "contacts: line 1: write it as name: how to reach them"
            ]
        );
        assert!(parse_playbook(IncidentCategory::Other, " \n", "").is_err());
        // A colon that does not follow a role code is part of the title.
        let p = parse_playbook(IncidentCategory::Other, "Call 111: ask for the duty manager", "").unwrap();
        assert_eq!(
            (p.tasks[0].role, p.tasks[0].title.as_str()),
            (None, "Call 111: ask for the duty manager")
        );
    }
}
