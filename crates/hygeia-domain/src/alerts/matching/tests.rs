//! Tests of `matching`.

use super::*;
use crate::assets::identity::Identity;
use proptest::prelude::*;

fn line(identity: &str, range: Option<&str>, status: ProductStatus) -> AffectedProduct {
    let id = Identity::read(identity, None).unwrap_or_else(|_| crate::assets::identity::named("", "x", None));
    AffectedProduct::from_identity(&id, identity, range.and_then(|r| Range::parse(r).ok()), status, None)
}

fn verdict(lines: &[AffectedProduct], identity: &str, version: Option<&str>) -> Option<Verdict> {
    let id = Identity::read(identity, version).ok()?;
    let key = id.product_key();
    let sw = Software {
        kind: id.kind,
        product_key: &key,
        canonical: None,
        cycle: None,
        version: id.version.as_deref(),
        scheme: id.scheme,
    };
    judge(lines, &sw).map(|f| f.verdict)
}

#[test]
fn red_hat_fixes_are_read_per_stream() {
    let lines = vec![
        line(
            "pkg:rpm/redhat/openssl@3.0.7-24.el9?epoch=1",
            None,
            ProductStatus::Fixed,
        ),
        line(
            "pkg:rpm/redhat/openssl@1.1.1k-12.el8_9?epoch=1",
            None,
            ProductStatus::Fixed,
        ),
    ];
    assert_eq!(
        verdict(&lines, "pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=src", None),
        Some(Verdict::Affected)
    );
    assert_eq!(
        verdict(&lines, "pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=src", None),
        Some(Verdict::NotAffected)
    );
    assert_eq!(
        verdict(&lines, "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6", None),
        Some(Verdict::Affected)
    );
    assert_eq!(verdict(&lines, "pkg:rpm/redhat/openssl", None), Some(Verdict::Unknown));
    assert_eq!(verdict(&lines, "pkg:rpm/redhat/curl@7.61.1-34.el8", None), None);
}

#[test]
fn names_and_ranges_from_medical_device_advisories() {
    let lines = vec![line(
        "BD Alaris PCU Model 8015",
        Some("<=12.1.3"),
        ProductStatus::Affected,
    )];
    assert_eq!(
        verdict(&lines, "BD Alaris PCU Model 8015", Some("12.1.2")),
        Some(Verdict::Affected)
    );
    assert_eq!(
        verdict(&lines, "BD Alaris PCU Model 8015", Some("12.2")),
        Some(Verdict::NotAffected)
    );
    assert_eq!(
        verdict(&lines, "Alaris PCU 8015", Some("12.1.2")),
        Some(Verdict::Unknown)
    );
    assert_eq!(verdict(&lines, "Alaris", Some("12.1.2")), None);
    let all = vec![line(
        "cpe:2.3:a:microsoft:exchange_server:*:*:*:*:*:*:*:*",
        None,
        ProductStatus::Affected,
    )];
    assert_eq!(
        verdict(&all, "cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*", None),
        Some(Verdict::Affected)
    );
    assert_eq!(
        verdict(&all, "cpe:/a:microsoft:exchange_server", None),
        Some(Verdict::Affected)
    );
    assert_eq!(overall([Verdict::NotAffected, Verdict::Unknown]), Verdict::Unknown);
    assert_eq!(overall([Verdict::Unknown, Verdict::Affected]), Verdict::Affected);
    assert_eq!(overall([]), Verdict::NotAffected);
}

proptest! {
    #[test]
    fn a_version_is_affected_exactly_when_it_is_below_the_fix(
        fix in prop::collection::vec(0u32..20, 1..4), v in prop::collection::vec(0u32..20, 1..4)
    ) {
        let join = |p: &[u32]| p.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let (fix, v) = (join(&fix), join(&v));
        let lines = vec![line(&format!("pkg:npm/lib@{fix}"), None, ProductStatus::Fixed)];
        let expected = if compare(Scheme::Semver, &v, &fix) == Ordering::Less { Verdict::Affected } else { Verdict::NotAffected };
        prop_assert_eq!(verdict(&lines, &format!("pkg:npm/lib@{v}"), None), Some(expected));
    }

    #[test]
    fn a_version_in_an_affected_range_is_affected(low in 0u32..50, high in 0u32..50, v in 0u32..60) {
        let lines = vec![line("pkg:pypi/django", Some(&format!(">={low}.0, <{high}.0")), ProductStatus::Affected)];
        let inside = v >= low && v < high;
        let expected = if inside { Verdict::Affected } else { Verdict::NotAffected };
        prop_assert_eq!(verdict(&lines, &format!("pkg:pypi/django@{v}.0"), None), Some(expected));
    }
}
