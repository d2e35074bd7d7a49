//! Tests of `version`.

use super::*;
use proptest::prelude::*;

fn lt(scheme: Scheme, a: &str, b: &str) {
    assert_eq!(compare(scheme, a, b), Ordering::Less, "{a} < {b} under {scheme:?}");
    assert_eq!(compare(scheme, b, a), Ordering::Greater, "{b} > {a} under {scheme:?}");
}

#[test]
fn each_scheme_orders_as_its_ecosystem_does() {
    lt(Scheme::Dotted, "9.2", "10.0");
    lt(Scheme::Dotted, "1.2", "1.2.1");
    lt(Scheme::WindowsBuild, "10.0.19045.2965", "10.0.19045.10000");
    lt(Scheme::WindowsBuild, "6.3.9600", "10.0.14393");
    lt(Scheme::Semver, "1.0.0-alpha", "1.0.0-alpha.1");
    lt(Scheme::Semver, "1.0.0-alpha.beta", "1.0.0-beta");
    lt(Scheme::Semver, "1.0.0-rc.1", "1.0.0");
    lt(Scheme::Semver, "1.9.0", "1.10.0");
    assert_eq!(compare(Scheme::Semver, "1.0.0+build.5", "1.0.0"), Ordering::Equal);
    lt(Scheme::Debian, "1.0~rc1", "1.0");
    lt(Scheme::Debian, "1.0-1", "1:0.9-1");
    lt(Scheme::Debian, "2.30-1", "2.30-1+deb12u1");
    lt(Scheme::Debian, "1.0a", "1.0+");
    lt(Scheme::Rpm, "3.0.7-18.el9_2", "3.0.7-24.el9");
    lt(Scheme::Rpm, "1.0~rc1", "1.0");
    lt(Scheme::Rpm, "1.0", "1.0^git1");
    lt(Scheme::Rpm, "1.0^git1", "1.0.1");
    lt(Scheme::Rpm, "2.0a", "2.0.1");
    lt(Scheme::Rpm, "0:9.0.87-1.el8", "1:9.0.80-1.el8");
    assert_eq!(compare(Scheme::Rpm, "3.0.7", "3.0.7-18.el9_2"), Ordering::Equal);
    lt(Scheme::Generic, "12.1.2", "12.1.3");
    lt(Scheme::Generic, "1.0 beta", "1.0");
}

#[test]
fn ranges_read_every_form_advisories_use() {
    let r = Range::parse("<=12.1.3").unwrap_or(Range::All);
    assert!(r.contains(Scheme::Generic, "12.1.3"));
    assert!(r.contains(Scheme::Generic, "9.19"));
    assert!(!r.contains(Scheme::Generic, "12.1.4"));
    let r = Range::parse(">= 2.0, < 2.4.1").unwrap_or(Range::All);
    assert!(r.contains(Scheme::Semver, "2.4.0"));
    assert!(!r.contains(Scheme::Semver, "2.4.1"));
    assert!(!r.contains(Scheme::Semver, "1.9.9"));
    let r = Range::parse("vers:rpm/>=1.0|<2.0|>=3.0|<3.5").unwrap_or(Range::All);
    assert!(r.contains(Scheme::Rpm, "1.5"));
    assert!(!r.contains(Scheme::Rpm, "2.5"));
    assert!(r.contains(Scheme::Rpm, "3.1"));
    assert!(!r.contains(Scheme::Rpm, "3.5"));
    let r = Range::parse("vers:generic/1.2.3|>=2.0").unwrap_or(Range::All);
    assert!(r.contains(Scheme::Generic, "1.2.3"));
    assert!(!r.contains(Scheme::Generic, "1.2.4"));
    assert!(r.contains(Scheme::Generic, "7"));
    assert_eq!(Range::parse("4.2").ok(), Some(Range::Exactly { version: "4.2".into() }));
    assert!(Range::parse("").is_err());
    assert!(Range::parse(">=").is_err());
    assert!(Range::parse("1.0, 2.0").is_err());
    assert!(Range::parse("vers:nothing").is_err());
}

fn version() -> impl Strategy<Value = String> {
    prop::collection::vec(0u32..30, 1..5).prop_map(|p| p.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
}

fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![
        Just(Scheme::Semver),
        Just(Scheme::Dotted),
        Just(Scheme::Debian),
        Just(Scheme::Rpm),
        Just(Scheme::WindowsBuild),
        Just(Scheme::Generic),
    ]
}

proptest! {
    #[test]
    fn comparison_is_a_consistent_order(s in scheme(), a in "[0-9a-z.~^+:-]{0,12}", b in "[0-9a-z.~^+:-]{0,12}") {
        prop_assert_eq!(compare(s, &a, &b), compare(s, &b, &a).reverse());
        prop_assert_eq!(compare(s, &a, &a), Ordering::Equal);
    }

    #[test]
    fn numeric_versions_order_transitively(s in scheme(), a in version(), b in version(), c in version()) {
        let mut v = [a, b, c];
        v.sort_by(|x, y| compare(s, x, y));
        prop_assert_ne!(compare(s, &v[0], &v[2]), Ordering::Greater);
    }

    #[test]
    fn a_half_open_range_holds_exactly_the_versions_between_its_bounds(
        s in scheme(), low in version(), high in version(), v in version()
    ) {
        let range = Range::parse(&format!(">={low}, <{high}")).unwrap_or(Range::All);
        let expected = compare(s, &v, &low) != Ordering::Less && compare(s, &v, &high) == Ordering::Less;
        prop_assert_eq!(range.contains(s, &v), expected);
        let vers = Range::parse(&format!("vers:generic/>={low}|<{high}")).unwrap_or(Range::All);
        if compare(s, &low, &high) == Ordering::Less {
            prop_assert_eq!(vers.contains(s, &v), expected);
        }
    }

    #[test]
    fn an_upper_bound_holds_every_lower_version(s in scheme(), bound in version(), v in version()) {
        let range = Range::parse(&format!("<={bound}")).unwrap_or(Range::All);
        prop_assert_eq!(range.contains(s, &v), compare(s, &v, &bound) != Ordering::Greater);
    }
}
