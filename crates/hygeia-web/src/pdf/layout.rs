//! A document as blocks of text, set on A4 pages and written as a PDF.

use super::encode::literal;
use super::metrics::width;
use std::fmt::Write as _;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
const FOOTER_Y: f32 = 30.0;

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    /// Space above the block.
    before: f32,
}

const TITLE: Style = Style {
    size: 18.0,
    bold: true,
    before: 0.0,
};
const HEADING: Style = Style {
    size: 13.0,
    bold: true,
    before: 14.0,
};
const LABEL: Style = Style {
    size: 10.0,
    bold: true,
    before: 6.0,
};
const BODY: Style = Style {
    size: 10.5,
    bold: false,
    before: 4.0,
};
const SMALL: Style = Style {
    size: 8.5,
    bold: false,
    before: 4.0,
};

/// One line placed on a page.
struct Line {
    y: f32,
    style: Style,
    text: String,
}

/// A document being written: add blocks in reading order, then `render`.
pub struct Document {
    title: String,
    footer: String,
    blocks: Vec<(Style, String)>,
}

impl Document {
    /// `footer` is printed at the foot of every page, with the page number.
    pub fn new(title: &str, footer: &str) -> Self {
        let mut d = Self {
            title: title.to_owned(),
            footer: footer.to_owned(),
            blocks: Vec::new(),
        };
        d.blocks.push((TITLE, title.to_owned()));
        d
    }

    pub fn heading(&mut self, text: &str) -> &mut Self {
        self.blocks.push((HEADING, text.to_owned()));
        self
    }

    pub fn para(&mut self, text: &str) -> &mut Self {
        self.blocks.push((BODY, text.to_owned()));
        self
    }

    pub fn small(&mut self, text: &str) -> &mut Self {
        self.blocks.push((SMALL, text.to_owned()));
        self
    }

    /// A label in bold with its value beneath (an empty value shows as a dash).
    pub fn field(&mut self, label: &str, value: &str) -> &mut Self {
        self.blocks.push((LABEL, label.to_owned()));
        let value = if value.trim().is_empty() { "-" } else { value };
        self.blocks.push((Style { before: 1.0, ..BODY }, value.to_owned()));
        self
    }

    /// Sets the blocks on pages: each a list of lines, top to bottom.
    fn pages(&self) -> Vec<Vec<Line>> {
        let mut pages = vec![Vec::new()];
        let mut y = PAGE_H - MARGIN;
        for (style, text) in &self.blocks {
            let leading = style.size * 1.35;
            let lines = wrap(text, style.bold, style.size, TEXT_W);
            // Keep a heading or label with the first line after it.
            let keep = if matches!(style.size, s if s == HEADING.size || s == LABEL.size) {
                2.0
            } else {
                1.0
            };
            if y - style.before - leading * keep < MARGIN && !pages.last().is_some_and(Vec::is_empty) {
                pages.push(Vec::new());
                y = PAGE_H - MARGIN;
            } else {
                y -= style.before;
            }
            for text in lines {
                if y - leading < MARGIN {
                    pages.push(Vec::new());
                    y = PAGE_H - MARGIN;
                }
                y -= leading;
                if let Some(page) = pages.last_mut() {
                    page.push(Line { y, style: *style, text });
                }
            }
        }
        pages
    }

    /// The PDF file.
    pub fn render(&self) -> Vec<u8> {
        let pages = self.pages();
        let count = pages.len();
        // Objects: 1 catalog, 2 page tree, 3 and 4 fonts, 5 info, then a page and its content
        // for each page.
        let mut objects: Vec<Vec<u8>> = Vec::new();
        let kids: Vec<String> = (0..count).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {count} >>", kids.join(" ")).into_bytes());
        objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
        objects
            .push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_vec());
        let mut info = b"<< /Producer (Hygeia) /Title ".to_vec();
        info.extend(literal(&self.title));
        info.extend(b" >>");
        objects.push(info);
        for (i, lines) in pages.iter().enumerate() {
            let mut content = Vec::new();
            for line in lines {
                content.extend(
                    format!(
                        "BT /{} {} Tf {MARGIN:.2} {:.2} Td ",
                        if line.style.bold { "F2" } else { "F1" },
                        line.style.size,
                        line.y
                    )
                    .bytes(),
                );
                content.extend(literal(&line.text));
                content.extend(b" Tj ET\n");
            }
            let footer = format!("{}  |  Page {} of {count}", self.footer, i + 1);
            content.extend(format!("BT /F1 {} Tf {MARGIN:.2} {FOOTER_Y:.2} Td ", SMALL.size).bytes());
            content.extend(literal(&footer));
            content.extend(b" Tj ET\n");
            let mut page = String::new();
            let _ = write!(
                page,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            );
            objects.push(page.into_bytes());
            let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            stream.extend(content);
            stream.extend(b"endstream");
            objects.push(stream);
        }
        write_file(&objects)
    }
}

/// Objects numbered from 1, with the cross-reference table that lets a reader find them.
fn write_file(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// Breaks text into lines no wider than `max`: at spaces where it can, inside a word only
/// when the word alone is too wide. Line breaks in the text are kept.
fn wrap(text: &str, bold: bool, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, bold, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width(&piece, bold, size) > max {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_and_keep_every_word() {
        let text = "The imaging servers were encrypted overnight and restored from offline backups by noon.";
        let lines = wrap(text, false, 10.5, 150.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| width(l, false, 10.5) <= 150.0));
        assert_eq!(lines.join(" "), text);
        let long = "x".repeat(400);
        let cut = wrap(&long, true, 10.0, 100.0);
        assert!(cut.iter().all(|l| width(l, true, 10.0) <= 100.0));
        assert_eq!(cut.concat(), long);
        assert_eq!(wrap("a\nb", false, 10.0, 100.0), ["a", "b"]);
    }

    #[test]
    fn the_file_is_well_formed_and_pages_break() {
        let mut d = Document::new("Incident notification (v1)", "Hygeia");
        for i in 0..120 {
            d.field(&format!("Field {i}"), "A value (with brackets) and £ signs");
        }
        let pdf = d.render();
        let text = String::from_utf8_lossy(&pdf);
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(text.ends_with("%%EOF\n"));
        let pages = d.pages().len();
        assert!(pages > 2, "{pages}");
        assert!(text.contains(&format!("/Count {pages}")));
        assert!(text.contains(&format!("Page {pages} of {pages}")));
        assert!(text.contains("(A value \\(with brackets\\) and \\243 signs)"));
        // Every cross-reference entry points at the start of its object (byte offsets, so
        // read the bytes: the header's binary marker is not UTF-8).
        let tail = String::from_utf8_lossy(&pdf[pdf.len() - 40..]).into_owned();
        let xref_at: usize = tail
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[xref_at..].starts_with(b"xref\n"));
        let table = String::from_utf8_lossy(&pdf[xref_at..]).into_owned();
        let entries: Vec<&str> = table.lines().skip(3).take_while(|l| l.ends_with(" n ")).collect();
        assert_eq!(entries.len(), 5 + 2 * pages);
        for (n, entry) in entries.iter().enumerate() {
            let offset: usize = entry[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()),
                "object {}",
                n + 1
            );
        }
    }
}
