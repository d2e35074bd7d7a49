//! Mapping use-case errors to responses: problem+json (RFC 9457) for the API, an error page
//! or a redirect for the browser. The one place that decides status codes.

use crate::html::render_error_page;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::CoreError;
use hygeia_domain::FieldError;
use serde::Serialize;

/// Status, stable code and title for each kind of error.
pub fn classify(e: &CoreError) -> (StatusCode, &'static str, &'static str) {
    match e {
        CoreError::Validation(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The input is not valid",
        ),
        CoreError::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found"),
        CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
        CoreError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated", "Sign-in needed"),
        CoreError::MfaRequired => (
            StatusCode::FORBIDDEN,
            "mfa_required",
            "Multi-factor authentication must be set up",
        ),
        CoreError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", "Too many attempts"),
        CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
        CoreError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", "Too large"),
        CoreError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Service unavailable"),
        CoreError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Something went wrong"),
    }
}

/// What a person may be told. Internal and database detail is logged, never shown.
pub fn public_detail(e: &CoreError) -> String {
    match e {
        CoreError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        CoreError::Forbidden(what) => format!("You do not have permission to: {}", what.to_lowercase()),
        CoreError::Conflict(why) => why.clone(),
        CoreError::TooLarge { limit_bytes } => format!(
            "The file is larger than this service accepts ({} at most).",
            hygeia_domain::evidence::human_size(*limit_bytes)
        ),
        CoreError::TooManyAttempts { retry_after_secs } => {
            format!(
                "Too many failed attempts. Try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            )
        }
        CoreError::Unavailable(_) => "The database cannot be reached just now. Try again shortly.".into(),
        CoreError::Internal(_) => "Something went wrong on our side. It has been logged.".into(),
        CoreError::NotFound => "There is nothing here, or you do not have access to it.".into(),
        CoreError::Unauthenticated => "Sign in to continue.".into(),
        CoreError::MfaRequired => "Set up multi-factor authentication to continue.".into(),
    }
}

fn log(e: &CoreError) {
    match e {
        CoreError::Internal(why) => tracing::error!(error = %why, "internal error"),
        CoreError::Unavailable(why) => tracing::warn!(error = %why, "database unavailable"),
        _ => {}
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// JSON pointer of the offending input in the body (`/regimes/1`), or `?name` for a query
    /// parameter.
    pub pointer: String,
    pub detail: String,
}

/// RFC 9457 problem details, with Hygeia's stable `code`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// An error answered as problem+json: a use case's error, or an answer already made (a
/// body that could not be read).
#[derive(Debug)]
pub enum ApiError {
    Core(CoreError),
    Answer(Response),
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        ApiError::Core(e)
    }
}

fn pointer(field: &str) -> String {
    if field.starts_with('/') || field.starts_with('?') || field.contains(' ') {
        field.to_owned()
    } else {
        format!("/{}", field.replace('.', "/"))
    }
}

/// The same error with each invalid field marked as a JSON pointer to one key of the body,
/// taken as it is. For use cases whose field names may hold dots that are not path steps (a
/// requirement's `A1.a`, a profile's minima), which `pointer` would otherwise split.
pub fn pointed(e: CoreError) -> CoreError {
    match e {
        CoreError::Validation(errors) => CoreError::Validation(
            errors
                .into_iter()
                .map(|e| {
                    let field = if e.field.starts_with('/') {
                        e.field
                    } else {
                        format!("/{}", e.field)
                    };
                    FieldError::new(field, e.message)
                })
                .collect(),
        ),
        other => other,
    }
}

pub fn problem_response(
    status: StatusCode,
    code: &str,
    title: &str,
    detail: String,
    errors: &[FieldError],
) -> Response {
    let body = Problem {
        kind: format!("https://hygeia.invalid/problems/{code}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors: errors
            .iter()
            .map(|e| ProblemField {
                pointer: pointer(&e.field),
                detail: e.message.clone(),
            })
            .collect(),
    };
    let mut response = (status, serde_json::to_string(&body).unwrap_or_default()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = match self {
            ApiError::Core(e) => e,
            ApiError::Answer(response) => return response,
        };
        log(&e);
        let (status, code, title) = classify(&e);
        let errors = match &e {
            CoreError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let mut response = problem_response(status, code, title, public_detail(&e), &errors);
        if let CoreError::Unauthenticated = e {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"hygeia\""),
            );
        }
        if let CoreError::TooManyAttempts { retry_after_secs } = e
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// An error answered with a page (or a redirect to where the person can fix it).
#[derive(Debug)]
pub struct PageError(pub CoreError);

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log(&self.0);
        match self.0 {
            CoreError::Unauthenticated => Redirect::to("/sign-in").into_response(),
            CoreError::MfaRequired => Redirect::to("/account/mfa").into_response(),
            e => {
                let (status, _, title) = classify(&e);
                render_error_page(status, title, &public_detail(&e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: CoreError) -> Vec<String> {
        match e {
            CoreError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn pointed_fields_keep_their_dots_and_gain_one_slash() {
        let e = CoreError::Validation(vec![
            FieldError::new("answers/A1.a", "x"),
            FieldError::new("/answers/0/value", "y"),
            FieldError::new("title", "z"),
        ]);
        assert_eq!(fields(pointed(e)), ["/answers/A1.a", "/answers/0/value", "/title"]);
        // The default pointer would have read the dot as a step.
        assert_eq!(pointer("answers/A1.a"), "/answers/A1/a");
        assert!(matches!(pointed(CoreError::NotFound), CoreError::NotFound));
    }
}
