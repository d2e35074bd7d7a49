//! Improvement actions and the risk register. Both are numbered per organisation inside the
//! write (`ACT-0001`, `RSK-0001`); every change carries its audit record.
//!
//! `actions` holds the improvement plan's SQL, `risks` the register's and its links to
//! incidents; each decodes its own rows.

mod actions;
mod risks;
