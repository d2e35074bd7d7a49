//! Printable documents as PDF, made here without a PDF library: Hygeia's documents are text
//! (headings, paragraphs, labelled values), and the PDF needed for that is small. Text is set
//! in the standard Helvetica faces every PDF reader has, so nothing is embedded, and wrapped
//! with their published widths.

mod encode;
mod layout;
mod metrics;

pub use layout::Document;
