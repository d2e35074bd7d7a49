//! Text into PDF literal strings in WinAnsiEncoding (Windows-1252), which the standard fonts
//! use: Latin-1 letters and the common typographic marks come through; anything else becomes
//! `?` rather than a wrong glyph.

/// The Windows-1252 byte for a character, if it has one.
fn win_ansi(c: char) -> Option<u8> {
    match c {
        ' '..='~' => Some(c as u8),
        '\u{a0}'..='\u{ff}' => Some(c as u32 as u8),
        '€' => Some(0x80),
        '‚' => Some(0x82),
        '„' => Some(0x84),
        '…' => Some(0x85),
        '‘' => Some(0x91),
        '’' => Some(0x92),
        '“' => Some(0x93),
        '”' => Some(0x94),
        '•' => Some(0x95),
        '–' => Some(0x96),
        '—' => Some(0x97),
        '™' => Some(0x99),
        '\t' => Some(b' '),
        _ => None,
    }
}

/// `text` as a PDF literal string, parentheses included.
pub fn literal(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'(');
    for c in text.chars() {
        match win_ansi(c).unwrap_or(b'?') {
            b @ (b'(' | b')' | b'\\') => out.extend([b'\\', b]),
            b if b >= 0x80 => out.extend(format!("\\{b:03o}").bytes()),
            b => out.push(b),
        }
    }
    out.push(b')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_encoded() {
        assert_eq!(literal("a(b)\\c"), b"(a\\(b\\)\\\\c)");
        assert_eq!(literal("£17m — café"), b"(\\24317m \\227 caf\\351)".to_vec());
        assert_eq!(literal("Ω\n"), b"(??)");
    }
}
