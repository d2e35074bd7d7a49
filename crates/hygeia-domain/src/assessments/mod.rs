//! Assessment rules: how answers become grades and statuses. Frameworks themselves are data;
//! these are the rules that interpret them.

pub mod answer;
pub mod builtin;
pub mod caf;
pub mod ciso_assistant;
pub mod dspt;
pub mod export;
pub mod framework;
pub mod library_format;
pub mod mapping;
pub mod oscal;
pub mod oscal_profile;
pub mod record;
pub mod scorecard;
