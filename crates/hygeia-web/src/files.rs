//! Files in and out: multipart uploads streamed into the evidence library's staging, and
//! downloads streamed from its chunks with headers that keep a file from acting as a page.

use axum::body::Body;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hygeia_core::{CoreError, Hygeia, Scope, StagedUpload};
use hygeia_domain::evidence::ascii_file_name;
use hygeia_store::model::EvidenceVersion;
use std::sync::Arc;

/// A text field of a multipart form may be this long at most (a note is the longest).
const TEXT_FIELD_MAX: usize = 64 * 1024;

/// A multipart form read in full: its text fields, and its file (if one was chosen), staged.
pub struct UploadForm {
    pub fields: Vec<(String, String)>,
    pub file: Option<StagedUpload>,
}

impl UploadForm {
    pub fn val(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

fn unreadable(why: impl std::fmt::Display) -> CoreError {
    CoreError::field("file", &format!("the upload could not be read: {why}"))
}

/// Reads a multipart form. The part named `file_field` is streamed into the evidence staging
/// area (needing `EvidenceManage` in `scope`); an empty file input counts as no file.
pub async fn read_upload(
    core: &Hygeia,
    scope: &Scope,
    mut multipart: Multipart,
    file_field: &str,
) -> Result<UploadForm, CoreError> {
    let mut form = UploadForm {
        fields: Vec::new(),
        file: None,
    };
    while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
        let name = part.name().unwrap_or_default().to_owned();
        if name == file_field && part.file_name().is_some() {
            if form.file.is_some() {
                return Err(CoreError::field(file_field, "send one file at a time"));
            }
            let file_name = part.file_name().unwrap_or_default().to_owned();
            let mut upload = core.begin_upload(scope, &file_name).await?;
            let mut received = 0usize;
            while let Some(bytes) = part.chunk().await.map_err(unreadable)? {
                received += bytes.len();
                upload.push(&bytes).await?;
            }
            // A browser sends an empty, unnamed part when no file was chosen.
            if received > 0 || !file_name.is_empty() {
                form.file = Some(upload.finish().await?);
            }
            continue;
        }
        let mut text = Vec::new();
        while let Some(bytes) = part.chunk().await.map_err(unreadable)? {
            if text.len() + bytes.len() > TEXT_FIELD_MAX {
                return Err(CoreError::field(&name, "is too long"));
            }
            text.extend_from_slice(&bytes);
        }
        let text = String::from_utf8(text).map_err(|_| CoreError::field(&name, "is not UTF-8 text"))?;
        form.fields.push((name, text));
    }
    Ok(form)
}

/// The multipart body, or an error naming what was expected. Handlers take the extraction's
/// result and call this after resolving their scope, so a request about another
/// organisation is 404 whatever its body.
pub fn multipart(body: Result<Multipart, MultipartRejection>) -> Result<Multipart, CoreError> {
    body.map_err(|e| CoreError::field("body", &format!("send a multipart/form-data body ({e})")))
}

/// `filename*` of RFC 6266: UTF-8, percent-encoded except the characters RFC 8187 allows.
fn encoded_file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Streams a stored file version to the client, one chunk from the database at a time.
pub fn download(core: Arc<Hygeia>, scope: Scope, version: EvidenceVersion) -> Response {
    let Some(sha) = version.sha256.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let name = version.file_name.clone().unwrap_or_else(|| "file".into());
    let stream = futures_util::stream::unfold(Some(0i64), move |next| {
        let core = core.clone();
        let scope = scope.clone();
        let sha = sha.clone();
        async move {
            let seq = next?;
            match core.evidence_chunk(&scope, &sha, seq).await {
                Ok(Some(bytes)) => Some((Ok(bytes::Bytes::from(bytes)), Some(seq + 1))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!(error = %e, "reading a stored file failed part way");
                    Some((Err(std::io::Error::other("stored file unreadable")), None))
                }
            }
        }
    });
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    let media = version.media_type.as_deref().unwrap_or("application/octet-stream");
    let value = |s: String| HeaderValue::from_str(&s).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, value(media.to_owned()));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"{}\"; filename*=UTF-8''{}",
            ascii_file_name(&name),
            encoded_file_name(&name)
        ))
        .unwrap_or(HeaderValue::from_static("attachment")),
    );
    if let Some(size) = version.size_bytes {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    }
    if let Some(sha) = &version.sha256 {
        headers.insert(header::ETAG, value(format!("\"sha256-{sha}\"")));
        headers.insert("x-content-sha256", value(sha.clone()));
    }
    // Even opened directly, a file runs nothing: no script, no plugins, its own origin.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_encoded_for_the_header() {
        assert_eq!(encoded_file_name("plan v2.pdf"), "plan%20v2.pdf");
        assert_eq!(encoded_file_name("café.pdf"), "caf%C3%A9.pdf");
        assert_eq!(encoded_file_name("a'b\"c"), "a%27b%22c");
    }
}
