//! Governance records that other capabilities point at: improvement actions (what an
//! organisation will change, from an incident's lessons or an assessment's gaps) and the risk
//! register (what could go wrong, how likely, how bad, and what is done about it).

pub mod actions;
pub mod risks;

use crate::validation::Invalid;

/// A date as typed (`YYYY-MM-DD`); empty for none.
pub fn check_date(input: &str, field: &str) -> Result<Option<String>, Invalid> {
    crate::evidence::check_review_by(input, field)
}

/// Required one-line text of at most `max` characters.
pub fn check_line(input: &str, field: &str, max: usize) -> Result<String, Invalid> {
    let t = input.trim();
    if t.is_empty() {
        return Err(Invalid::one(field, "is required"));
    }
    if t.chars().count() > max || t.contains(['\n', '\r']) {
        return Err(Invalid::one(
            field,
            format!("must be one line of at most {max} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// Optional text of at most `max` characters.
pub fn check_text(input: &str, field: &str, max: usize) -> Result<String, Invalid> {
    let t = input.trim();
    if t.chars().count() > max {
        return Err(Invalid::one(field, format!("must be at most {max} characters")));
    }
    Ok(t.to_owned())
}
