//! The catalogues that ship with Hygeia: the files in `frameworks/`, compiled in so that a
//! fresh installation has them without a network or a data folder. Each file carries its own
//! source, version and licence.

use super::framework::Framework;
use super::library_format;
use super::mapping::{self, Mapping};
use super::oscal::ImportError;

/// File name and content of every built-in catalogue.
pub const FILES: &[(&str, &str)] = &[
    (
        "dspt-caf-2025-26.json",
        include_str!("../../../../frameworks/dspt-caf-2025-26.json"),
    ),
    (
        "dspt-ndg-2025-26.json",
        include_str!("../../../../frameworks/dspt-ndg-2025-26.json"),
    ),
    (
        "ncsc-caf-3.2.json",
        include_str!("../../../../frameworks/ncsc-caf-3.2.json"),
    ),
    (
        "ncsc-caf-4.0.json",
        include_str!("../../../../frameworks/ncsc-caf-4.0.json"),
    ),
    (
        "cyber-essentials-3.1.json",
        include_str!("../../../../frameworks/cyber-essentials-3.1.json"),
    ),
    (
        "cyber-essentials-3.3.json",
        include_str!("../../../../frameworks/cyber-essentials-3.3.json"),
    ),
    ("dtac-2.0.json", include_str!("../../../../frameworks/dtac-2.0.json")),
    (
        "nis2-article-21.json",
        include_str!("../../../../frameworks/nis2-article-21.json"),
    ),
];

/// File name and content of every built-in mapping between catalogues.
pub const MAPPING_FILES: &[(&str, &str)] = &[
    (
        "cyber-essentials--ncsc-caf.json",
        include_str!("../../../../frameworks/mappings/cyber-essentials--ncsc-caf.json"),
    ),
    (
        "cyber-essentials--ncsc-caf-4.json",
        include_str!("../../../../frameworks/mappings/cyber-essentials--ncsc-caf-4.json"),
    ),
    (
        "dspt-ndg--cyber-essentials.json",
        include_str!("../../../../frameworks/mappings/dspt-ndg--cyber-essentials.json"),
    ),
    (
        "dspt-ndg--dspt-caf.json",
        include_str!("../../../../frameworks/mappings/dspt-ndg--dspt-caf.json"),
    ),
    (
        "dspt-ndg--ncsc-caf.json",
        include_str!("../../../../frameworks/mappings/dspt-ndg--ncsc-caf.json"),
    ),
    (
        "dspt-ndg--ncsc-caf-4.json",
        include_str!("../../../../frameworks/mappings/dspt-ndg--ncsc-caf-4.json"),
    ),
    (
        "dtac--cyber-essentials.json",
        include_str!("../../../../frameworks/mappings/dtac--cyber-essentials.json"),
    ),
    (
        "dtac--dspt-ndg.json",
        include_str!("../../../../frameworks/mappings/dtac--dspt-ndg.json"),
    ),
    (
        "dtac--ncsc-caf.json",
        include_str!("../../../../frameworks/mappings/dtac--ncsc-caf.json"),
    ),
    (
        "dtac--ncsc-caf-4.json",
        include_str!("../../../../frameworks/mappings/dtac--ncsc-caf-4.json"),
    ),
    (
        "eu-nis2-art21--ncsc-caf.json",
        include_str!("../../../../frameworks/mappings/eu-nis2-art21--ncsc-caf.json"),
    ),
    (
        "eu-nis2-art21--ncsc-caf-4.json",
        include_str!("../../../../frameworks/mappings/eu-nis2-art21--ncsc-caf-4.json"),
    ),
    (
        "ncsc-caf--dspt-caf.json",
        include_str!("../../../../frameworks/mappings/ncsc-caf--dspt-caf.json"),
    ),
    (
        "ncsc-caf--ncsc-caf-4.json",
        include_str!("../../../../frameworks/mappings/ncsc-caf--ncsc-caf-4.json"),
    ),
    (
        "ncsc-caf-4--dspt-caf.json",
        include_str!("../../../../frameworks/mappings/ncsc-caf-4--dspt-caf.json"),
    ),
];

/// Every built-in mapping, parsed.
pub fn mappings() -> Result<Vec<Mapping>, (String, ImportError)> {
    MAPPING_FILES
        .iter()
        .map(|(name, text)| mapping::parse(text).map_err(|e| ((*name).to_owned(), e)))
        .collect()
}

/// Every built-in catalogue, parsed and validated.
pub fn all() -> Result<Vec<Framework>, (String, ImportError)> {
    FILES
        .iter()
        .map(|(name, text)| library_format::parse(text).map_err(|e| ((*name).to_owned(), e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::caf::Grade;
    use crate::assessments::framework::{AnswerKind, NodeKind};
    use crate::assessments::mapping::Relation;

    fn count(f: &Framework, kind: NodeKind) -> usize {
        f.nodes.iter().filter(|n| n.kind == kind).count()
    }

    #[test]
    fn every_built_in_catalogue_is_valid() {
        let all = all().unwrap();
        assert_eq!(all.len(), FILES.len());
    }

    fn find(key: &str, version: &str) -> Framework {
        all()
            .unwrap()
            .into_iter()
            .find(|f| f.key == key && f.version == version)
            .unwrap()
    }

    /// Article 21(2) lists ten measure areas, (a) to (j).
    #[test]
    fn nis2_article_21_has_points_a_to_j() {
        let f = find("eu-nis2-art21", "2022/2555");
        let points: Vec<&str> = f
            .nodes
            .iter()
            .filter(|n| n.answer == AnswerKind::MetNotMet)
            .map(|n| n.ref_id.as_str())
            .collect();
        assert_eq!(points.len(), 10);
        assert_eq!((points[0], points[9]), ("21(2)(a)", "21(2)(j)"));
    }

    /// v3.3 makes cloud MFA and the 14-day patching rule automatic fails; v3.1 has none.
    #[test]
    fn cyber_essentials_marks_its_automatic_fails() {
        use crate::assessments::scorecard::AUTOMATIC_FAIL;
        let auto = |f: &Framework| -> Vec<String> {
            f.nodes
                .iter()
                .filter(|n| n.mandatory_for.iter().any(|m| m == AUTOMATIC_FAIL))
                .map(|n| n.ref_id.clone())
                .collect()
        };
        assert!(auto(&find("cyber-essentials", "3.1")).is_empty());
        assert_eq!(auto(&find("cyber-essentials", "3.3")), ["3.4", "4.4"]);
        let themes = find("cyber-essentials", "3.1")
            .nodes
            .iter()
            .filter(|n| n.parent.is_none())
            .count();
        assert_eq!(
            themes, 5,
            "firewalls, secure configuration, updates, access control, malware"
        );
    }

    /// DTAC v2.0: C1 to C4 pass or fail; D1 is scored, not passed.
    #[test]
    fn dtac_passes_sections_c1_to_c4() {
        let f = find("dtac", "2.0");
        let sections: Vec<&str> = f
            .nodes
            .iter()
            .filter(|n| n.answer == AnswerKind::PassFail)
            .map(|n| n.ref_id.as_str())
            .collect();
        assert_eq!(sections, ["C1", "C2", "C3", "C4"]);
        assert!(
            f.nodes
                .iter()
                .any(|n| n.ref_id == "D1.4.1" && n.answer == AnswerKind::MetNotMet)
        );
    }

    /// The CAF-aligned DSPT: CAF 3.2's 39 outcomes plus objective E's 8, 47 in all
    /// (shared/reference/dspt-structure.md §8.1), with its status rule and E4.a without PA.
    #[test]
    fn the_caf_aligned_dspt_has_47_outcomes() {
        let f = find("dspt-caf", "2025-26");
        assert_eq!(count(&f, NodeKind::Outcome), 47);
        assert_eq!(count(&f, NodeKind::Objective), 5);
        assert_eq!(f.status_rule, Some(crate::assessments::framework::StatusRule::DsptCaf));
        assert!(f.graded_directly("E4.a") && !f.allows_partial("E4.a") && f.allows_partial("E1.a"));
        assert!(!f.graded_directly("A1.a"));
        let nhs = f.profile("nhs-england-2025-26").unwrap();
        assert_eq!(nhs.minima["E3.a"], Some(Grade::Achieved));
    }

    /// Every pair of every built-in mapping names a node that a built-in version of its
    /// framework has, and the CAF-aligned DSPT maps to all 39 of CAF 3.2's outcomes.
    #[test]
    fn built_in_mappings_name_real_requirements() {
        let catalogues = all().unwrap();
        let has = |key: &str, r: &str| {
            catalogues
                .iter()
                .any(|f| f.key == key && f.nodes.iter().any(|n| n.ref_id == r && n.assessable()))
        };
        let maps = mappings().unwrap();
        assert_eq!(maps.len(), MAPPING_FILES.len());
        for m in &maps {
            for p in &m.pairs {
                assert!(has(&m.from, &p.from), "{} has no {}", m.from, p.from);
                assert!(has(&m.to, &p.to), "{} has no {}", m.to, p.to);
            }
        }
        let caf = maps
            .iter()
            .find(|m| m.from == "ncsc-caf" && m.to == "dspt-caf")
            .unwrap();
        assert_eq!(caf.pairs.len(), 39);
        let linked: std::collections::HashSet<&str> =
            maps.iter().flat_map(|m| [m.from.as_str(), m.to.as_str()]).collect();
        for key in [
            "ncsc-caf",
            "ncsc-caf-4",
            "dspt-caf",
            "dspt-ndg",
            "cyber-essentials",
            "eu-nis2-art21",
            "dtac",
        ] {
            assert!(linked.contains(key), "{key} is mapped to something");
        }
    }

    /// The NDG-standard DSPT v8 for GP practices: 10 standards, 28 assertions, 45 evidence
    /// items, 29 of them mandatory for Standards Met and 19 for Approaching Standards
    /// (shared/reference/dspt-structure.md §6.1–6.3).
    #[test]
    fn the_ndg_standard_dspt_has_the_category_4_set() {
        use crate::assessments::framework::StatusRule;
        let f = find("dspt-ndg", "2025-26");
        assert_eq!(count(&f, NodeKind::Standard), 10);
        assert_eq!(count(&f, NodeKind::Assertion), 28);
        assert_eq!(count(&f, NodeKind::EvidenceItem), 45);
        let items = || f.nodes.iter().filter(|n| n.kind == NodeKind::EvidenceItem);
        assert_eq!(items().filter(|n| n.mandatory_in("category-4")).count(), 29);
        assert_eq!(items().filter(|n| n.approaching_in("category-4")).count(), 19);
        assert!(items().all(|n| n.applies(Some("category-4")) && !n.applies(Some("category-3"))));
        assert_eq!(f.status_rule, Some(StatusRule::DsptNdg));
        assert!(f.profile("category-4").is_some());
        assert!(
            f.nodes.iter().all(|n| n.source.is_some()),
            "every node names its source"
        );
    }

    /// The shape recorded in shared/reference/regulatory-facts.md §1.2–1.3.
    #[test]
    fn caf_3_2_has_the_published_shape() {
        let caf = all()
            .unwrap()
            .into_iter()
            .find(|f| f.key == "ncsc-caf" && f.version == "3.2")
            .unwrap();
        assert_eq!(count(&caf, NodeKind::Objective), 4);
        assert_eq!(count(&caf, NodeKind::Principle), 14);
        assert_eq!(count(&caf, NodeKind::Outcome), 39);
        let outcomes: Vec<&str> = caf
            .nodes
            .iter()
            .filter(|n| n.answer == AnswerKind::CafGrade)
            .map(|n| n.ref_id.as_str())
            .collect();
        let without_partial: Vec<&str> = outcomes.iter().copied().filter(|o| !caf.allows_partial(o)).collect();
        assert_eq!(
            without_partial,
            [
                "A1.a", "A1.b", "A1.c", "A2.b", "A3.a", "C2.a", "C2.b", "D1.b", "D1.c", "D2.a", "D2.b"
            ]
        );
        for o in &outcomes {
            assert!(
                caf.nodes
                    .iter()
                    .any(|n| n.parent.as_deref() == Some(o) && n.level.as_deref() == Some("A")),
                "{o}"
            );
            assert!(
                caf.nodes
                    .iter()
                    .any(|n| n.parent.as_deref() == Some(o) && n.level.as_deref() == Some("NA")),
                "{o}"
            );
        }
        let baseline = caf.profile("govassure-baseline").unwrap();
        let enhanced = caf.profile("govassure-enhanced").unwrap();
        assert_eq!(baseline.minima.len(), 39);
        assert_eq!(baseline.minima["A2.a"], Some(Grade::PartiallyAchieved));
        assert_eq!(enhanced.minima["A2.a"], Some(Grade::Achieved));
        assert_eq!(enhanced.minima["C2.b"], None);
        assert!(caf.nodes.iter().all(|n| !n.summary.is_empty()));
    }

    /// The shape recorded in shared/reference/regulatory-facts.md §1.4: 41 outcomes, the
    /// statement count of every column, and the nine outcomes without a Partially achieved one.
    #[test]
    fn caf_4_0_has_the_published_shape() {
        let caf = find("ncsc-caf-4", "4.0");
        assert_eq!(count(&caf, NodeKind::Objective), 4);
        assert_eq!(count(&caf, NodeKind::Principle), 14);
        assert_eq!(count(&caf, NodeKind::Outcome), 41);
        let columns = |o: &str, level: &str| {
            caf.nodes
                .iter()
                .filter(|n| n.parent.as_deref() == Some(o) && n.level.as_deref() == Some(level))
                .count()
        };
        for (o, na, pa, a) in [
            ("A2.b", 4, 5, 8),
            ("A4.b", 4, 10, 5),
            ("C1.a", 9, 7, 9),
            ("C1.f", 7, 4, 8),
            ("C2.a", 3, 4, 8),
            ("D2.b", 4, 0, 7),
        ] {
            assert_eq!(
                (columns(o, "NA"), columns(o, "PA"), columns(o, "A")),
                (na, pa, a),
                "{o}"
            );
        }
        assert_eq!(count(&caf, NodeKind::Indicator), 555);
        let without_partial: Vec<&str> = caf
            .nodes
            .iter()
            .filter(|n| n.answer == AnswerKind::CafGrade && !caf.allows_partial(&n.ref_id))
            .map(|n| n.ref_id.as_str())
            .collect();
        assert_eq!(
            without_partial,
            ["A1.a", "A1.b", "A1.c", "A2.c", "A3.a", "D1.b", "D1.c", "D2.a", "D2.b"]
        );
        let title = |r: &str| caf.nodes.iter().find(|n| n.ref_id == r).map(|n| n.title.as_str());
        assert_eq!(title("A2.b"), Some("Understanding Threat"));
        assert_eq!(title("C2"), Some("Threat Hunting"));
        assert_eq!(title("D2.a"), Some("Post Incident Analysis"));
        assert!(caf.nodes.iter().all(|n| !n.summary.is_empty()));
    }

    /// 3.2's Assurance (A2.b) is 4.0's A2.c; 4.0's new outcomes have no 3.2 counterpart.
    #[test]
    fn the_caf_crosswalk_follows_moved_outcomes() {
        let maps = mappings().unwrap();
        let cross = maps
            .iter()
            .find(|m| m.from == "ncsc-caf" && m.to == "ncsc-caf-4")
            .unwrap();
        let to = |from: &str| -> Vec<(&str, Relation)> {
            cross
                .pairs
                .iter()
                .filter(|p| p.from == from)
                .map(|p| (p.to.as_str(), p.relation))
                .collect()
        };
        assert_eq!(to("A2.b"), [("A2.c", Relation::Equal)]);
        assert_eq!(to("B2.a.A.4"), [("B2.a.A.4", Relation::Equal)]);
        assert_eq!(to("A1.a"), [("A1.a", Relation::Subset)]);
        assert!(!cross.pairs.iter().any(|p| p.to == "A2.b" || p.to == "A4.b"));
    }
}
