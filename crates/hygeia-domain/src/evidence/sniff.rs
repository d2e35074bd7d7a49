//! A file's type from its first bytes. The client's `Content-Type` is not trusted: a page
//! that says it is a PDF may be HTML with a script in it. What cannot be recognised is served
//! as `application/octet-stream`, and every download is an attachment (see the web layer).

/// A sniffed type, with whether a browser may show it inline without risk. None may today:
/// inline display is left for a later, sandboxed viewer, so `inline_safe` is informational.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaType {
    pub mime: &'static str,
    /// A short name for people ("PDF", "Word document").
    pub label: &'static str,
}

const fn t(mime: &'static str, label: &'static str) -> MediaType {
    MediaType { mime, label }
}

pub const PDF: MediaType = t("application/pdf", "PDF");
pub const PNG: MediaType = t("image/png", "PNG image");
pub const JPEG: MediaType = t("image/jpeg", "JPEG image");
pub const GIF: MediaType = t("image/gif", "GIF image");
pub const WEBP: MediaType = t("image/webp", "WebP image");
pub const ZIP: MediaType = t("application/zip", "ZIP archive");
pub const DOCX: MediaType = t(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
);
pub const XLSX: MediaType = t(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel workbook",
);
pub const PPTX: MediaType = t(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint presentation",
);
pub const ODF: MediaType = t("application/vnd.oasis.opendocument", "OpenDocument file");
pub const OLE: MediaType = t("application/x-ole-storage", "Legacy Office document");
pub const GZIP: MediaType = t("application/gzip", "gzip archive");
pub const TEXT: MediaType = t("text/plain", "Text");
/// Markup is kept as plain text: served as HTML or SVG it could run script on our origin.
pub const MARKUP: MediaType = t("text/plain", "Markup (kept as text)");
pub const UNKNOWN: MediaType = t("application/octet-stream", "Unrecognised file");

/// Every type `sniff` answers, for showing a stored type's label.
pub const ALL: &[MediaType] = &[
    PDF, PNG, JPEG, GIF, WEBP, ZIP, DOCX, XLSX, PPTX, ODF, OLE, GZIP, TEXT, UNKNOWN,
];

/// How many leading bytes `sniff` needs to see.
pub const SNIFF_BYTES: usize = 4096;

/// The type of a file from its first bytes (up to `SNIFF_BYTES`) and, only to tell apart
/// formats that share a container (a .docx is a ZIP), its name.
pub fn sniff(head: &[u8], file_name: &str) -> MediaType {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if head.starts_with(b"%PDF-") {
        return PDF;
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return PNG;
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return JPEG;
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return GIF;
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return WEBP;
    }
    if head.starts_with(&[0x1F, 0x8B]) {
        return GZIP;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return OLE;
    }
    if head.starts_with(b"PK\x03\x04") {
        return zip_kind(head, &ext);
    }
    if looks_like_text(head) {
        return if looks_like_markup(head) { MARKUP } else { TEXT };
    }
    UNKNOWN
}

/// Office Open XML names its parts in plain text near the start of the archive; the
/// extension only chooses among those that the bytes allow.
fn zip_kind(head: &[u8], ext: &str) -> MediaType {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"mimetypeapplication/vnd.oasis.opendocument") {
        return ODF;
    }
    let ooxml = has(b"[Content_Types].xml") || has(b"_rels/") || has(b"word/") || has(b"xl/") || has(b"ppt/");
    match (ooxml, ext) {
        (true, "docx") => DOCX,
        (true, "xlsx") => XLSX,
        (true, "pptx") => PPTX,
        (true, _) if has(b"word/") => DOCX,
        (true, _) if has(b"xl/") => XLSX,
        (true, _) if has(b"ppt/") => PPTX,
        _ => ZIP,
    }
}

/// UTF-8 (allowing a character cut at the end of the sample) with no control bytes other
/// than whitespace.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return true;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    };
    valid
        && !head
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

fn looks_like_markup(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches('\u{feff}').trim_start();
    [
        "<!doctype",
        "<html",
        "<svg",
        "<?xml",
        "<script",
        "<body",
        "<head",
        "<iframe",
    ]
    .iter()
    .any(|m| start.starts_with(m))
        || text.contains("<script")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_formats_by_their_bytes_whatever_the_name_says() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "report.docx"), PDF);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0", "x.pdf"), PNG);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "photo"), JPEG);
        assert_eq!(sniff(b"GIF89a..", "a.gif"), GIF);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", "a"), WEBP);
        assert_eq!(sniff(&[0x1F, 0x8B, 8, 0], "logs.tgz"), GZIP);
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "old.doc"), OLE);
        assert_eq!(sniff(&[0, 1, 2, 3, 0xFE], "data.txt"), UNKNOWN);
    }

    #[test]
    fn office_files_are_zips_told_apart_by_their_parts() {
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert_eq!(sniff(docx, "policy.docx"), DOCX);
        assert_eq!(sniff(docx, "policy.bin"), DOCX);
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml";
        assert_eq!(sniff(xlsx, "assets.xlsx"), XLSX);
        assert_eq!(
            sniff(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text", "a.odt"),
            ODF
        );
        // A plain archive named like a document stays an archive.
        assert_eq!(sniff(b"PK\x03\x04....evil.exe", "policy.docx"), ZIP);
    }

    #[test]
    fn markup_is_never_served_as_markup() {
        assert_eq!(sniff(b"<!DOCTYPE html><p>hi", "a.pdf"), MARKUP);
        assert_eq!(sniff(b"  <svg xmlns=...><script>", "logo.svg"), MARKUP);
        assert_eq!(sniff(b"notes\n<script>alert(1)</script>", "notes.txt"), MARKUP);
        assert_eq!(MARKUP.mime, "text/plain");
    }

    #[test]
    fn text_allows_a_character_cut_at_the_end_of_the_sample() {
        assert_eq!(sniff("café".as_bytes(), "a.txt"), TEXT);
        let cut = &"caf\u{e9}".as_bytes()[..4];
        assert_eq!(sniff(cut, "a.csv"), TEXT);
        assert_eq!(sniff(b"", "empty.txt"), TEXT);
        assert_eq!(sniff(b"a\0b", "a.txt"), UNKNOWN);
    }
}
