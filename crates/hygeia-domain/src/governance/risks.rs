//! The risk register: likelihood and impact on 1–5 scales, their product as the score, a
//! rating band from it, and how the risk is treated (the "four Ts" of UK public-sector risk
//! management: treat, tolerate, transfer, terminate).

use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    Treat,
    Tolerate,
    Transfer,
    Terminate,
}

impl Treatment {
    pub const ALL: &'static [Treatment] = &[
        Treatment::Treat,
        Treatment::Tolerate,
        Treatment::Transfer,
        Treatment::Terminate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Treatment::Treat => "treat",
            Treatment::Tolerate => "tolerate",
            Treatment::Transfer => "transfer",
            Treatment::Terminate => "terminate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Treatment::Treat => "Treat (reduce it)",
            Treatment::Tolerate => "Tolerate (accept it)",
            Treatment::Transfer => "Transfer (insure or contract it out)",
            Treatment::Terminate => "Terminate (stop the activity)",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.code() == s)
            .ok_or_else(|| Invalid::one(field, "must be one of: treat, tolerate, transfer, terminate"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    Closed,
}

impl RiskStatus {
    pub fn code(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        match s {
            "open" => Ok(RiskStatus::Open),
            "closed" => Ok(RiskStatus::Closed),
            _ => Err(Invalid::one(field, "must be open or closed")),
        }
    }
}

/// A 1–5 scale value (likelihood or impact).
pub fn check_scale(input: &str, field: &str) -> Result<u8, Invalid> {
    match input.trim().parse::<u8>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        _ => Err(Invalid::one(field, "must be a whole number from 1 to 5")),
    }
}

/// The band of a score (likelihood × impact, 1–25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Rating::Low => "Low",
            Rating::Medium => "Medium",
            Rating::High => "High",
            Rating::VeryHigh => "Very high",
        }
    }
}

/// Bands of the 5 × 5 matrix as commonly drawn in NHS risk registers: 1–3 low, 4–6
/// medium, 8–12 high, 15–25 very high (no product of two 1–5 values falls between).
pub fn rating(likelihood: u8, impact: u8) -> Rating {
    match u16::from(likelihood) * u16::from(impact) {
        0..=3 => Rating::Low,
        4..=6 => Rating::Medium,
        7..=12 => Rating::High,
        _ => Rating::VeryHigh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_has_a_band_that_grows_with_either_scale() {
        for l in 1..=5u8 {
            for i in 1..=5u8 {
                let r = rating(l, i);
                if l < 5 {
                    assert!(rating(l + 1, i) >= r);
                }
                if i < 5 {
                    assert!(rating(l, i + 1) >= r);
                }
                assert_eq!(r, rating(i, l), "symmetric");
            }
        }
        assert_eq!(rating(1, 3), Rating::Low);
        assert_eq!(rating(2, 2), Rating::Medium);
        assert_eq!(rating(2, 4), Rating::High);
        assert_eq!(rating(3, 5), Rating::VeryHigh);
        assert!(check_scale("0", "likelihood").is_err());
        assert!(check_scale("6", "likelihood").is_err());
        assert_eq!(check_scale(" 4 ", "impact"), Ok(4));
    }
}
