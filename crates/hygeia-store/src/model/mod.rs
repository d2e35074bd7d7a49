//! The records the store reads and writes. Times are Unix epoch milliseconds (UTC).
//! One module per area; every record is named from here (`model::Org`, `model::AssetRecord`).

mod accounts;
mod assessments;
mod assets;
mod audit;
mod delivery;
mod evidence;
mod governance;
mod incidents;

pub use accounts::*;
pub use assessments::*;
pub use assets::*;
pub use audit::*;
pub use delivery::*;
pub use evidence::*;
pub use governance::*;
pub use incidents::*;
