//! Tests of `sbom`.

use super::*;

const CDX_XML: &str = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata><component type="application"><name>ward-app</name><version>2.0</version>
<purl>pkg:npm/ward-app@2.0</purl></component></metadata>
  <components>
<component type="library"><name>lodash</name><version>4.17.20</version><purl>pkg:npm/lodash@4.17.20</purl>
  <pedigree><ancestors><component type="library"><name>underscore</name></component></ancestors></pedigree>
  <components><component type="library"><name>inner</name><version>1.0</version></component></components>
</component>
  </components>
</bom>"#;

#[test]
fn cyclonedx_xml_counts_components_but_not_their_pedigree() {
    let a = read(CDX_XML);
    let a = a.as_ref().ok();
    assert_eq!(a.map(|a| a.key.as_str()), Some("pkg:npm/ward-app"));
    let ids: Vec<String> = a
        .map(|a| a.software.iter().map(|s| s.identity.clone()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec!["inner", "pkg:npm/lodash@4.17.20", "pkg:npm/ward-app@2.0"]);
}

#[test]
fn spdx_describes_a_package_and_lists_the_rest() {
    let doc = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"pacs-image","documentDescribes":["SPDXRef-pacs"],
      "packages":[{"SPDXID":"SPDXRef-pacs","name":"pacs","versionInfo":"5.1"},
        {"SPDXID":"SPDXRef-ssl","name":"openssl","versionInfo":"1.1.1k","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/openssl@1.1.1k"}]},
        {"SPDXID":"SPDXRef-jre","name":"jre","versionInfo":"8u201","externalRefs":[{"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:oracle:jre:1.8.0:update201:*:*:*:*:*:*"}]}]}"#;
    let a = read(doc);
    let a = a.as_ref().ok();
    assert_eq!(a.map(|a| a.name.as_str()), Some("pacs 5.1"));
    assert_eq!(a.map(|a| a.software.len()), Some(3));
    let bad = doc.replace("\"SPDXRef-pacs\"]", "\"SPDXRef-nothing\"]");
    assert_eq!(
        read(&bad).err().map(|e| e.location),
        Some("/documentDescribes/0".into())
    );
}

#[test]
fn broken_documents_say_where() {
    let e = |t: &str| read(t).err().map(|e| e.location).unwrap_or_default();
    assert_eq!(
        e(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":3}]}"#),
        "/components/0/name"
    );
    assert_eq!(e(r#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#), "/specVersion");
    assert_eq!(
        e(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}"#),
        "/metadata/component"
    );
    assert_eq!(
        e("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<metadata>\n</bom>"),
        "line 3"
    );
    assert_eq!(e("hello"), "/");
}
