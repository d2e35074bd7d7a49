//! The evidence library's rules: what an item is, what a file really is (sniffed from its
//! bytes, never taken from the client), and what may be linked to what.

mod item;
pub mod sniff;

pub use item::*;
pub use sniff::{MediaType, SNIFF_BYTES, sniff};
