//! Product identities: CPE 2.3 (and the older 2.2 URI form), package URLs, and plain
//! vendor + product + version. Each is read into the same shape so that an asset's software
//! and an alert's affected products can be compared whatever each side was written in.

use super::version::Scheme;
use serde::{Deserialize, Serialize};

/// What a product was identified by, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `cpe`, `purl` or `name`.
    pub kind: IdentityKind,
    /// For a CPE: part (`a`, `o`, `h`). For a PURL: its type (`rpm`, `npm`). Empty for names.
    pub part: String,
    /// Lower case, words joined by `_` (CPE's convention): `microsoft`, `redhat`.
    pub vendor: String,
    pub product: String,
    /// None when the identity names every version (`*`, `-`) or none was given.
    pub version: Option<String>,
    /// CPE update field (`r2`, `sp1`), kept because vendors put release names there.
    pub update: Option<String>,
    pub scheme: Scheme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    Cpe,
    Purl,
    Name,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Cpe => "cpe",
            IdentityKind::Purl => "purl",
            IdentityKind::Name => "name",
        }
    }
}

impl Identity {
    /// The key two identities must share to be the same product: `cpe:microsoft:windows`,
    /// `purl:rpm/redhat/openssl`, `name:bd:alaris_pcu`.
    pub fn product_key(&self) -> String {
        match self.kind {
            IdentityKind::Purl if self.vendor.is_empty() => format!("purl:{}/{}", self.part, self.product),
            IdentityKind::Purl => format!("purl:{}/{}/{}", self.part, self.vendor, self.product),
            IdentityKind::Cpe | IdentityKind::Name => {
                format!("{}:{}:{}", self.kind.as_str(), self.vendor, self.product)
            }
        }
    }

    /// Reads whatever was given: a CPE, a package URL, or failing both a free-text
    /// `vendor product` (kept as a name, never dropped).
    pub fn read(text: &str, version: Option<&str>) -> Result<Identity, String> {
        let t = text.trim();
        if t.starts_with("cpe:") {
            return parse_cpe(t);
        }
        if t.starts_with("pkg:") {
            return parse_purl(t);
        }
        if t.is_empty() {
            return Err("no product identity: give a CPE, a package URL, or a product name".into());
        }
        Ok(named("", t, version))
    }
}

/// Vendor and product from free text, normalised the way CPE writes them.
pub fn named(vendor: &str, product: &str, version: Option<&str>) -> Identity {
    Identity {
        kind: IdentityKind::Name,
        part: String::new(),
        vendor: normalise(vendor),
        product: normalise(product),
        version: version.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned),
        update: None,
        scheme: Scheme::Generic,
    }
}

/// Lower case ASCII letters and digits, runs of anything else as one `_`.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// `cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*` (formatted string, `\` escapes)
/// or `cpe:/o:microsoft:windows_server_2012:r2` (URI, percent escapes).
pub fn parse_cpe(text: &str) -> Result<Identity, String> {
    let fields: Vec<String> = if let Some(rest) = text.strip_prefix("cpe:2.3:") {
        split_escaped(rest)
    } else if let Some(rest) = text.strip_prefix("cpe:/") {
        rest.split(':').map(|f| percent_decode(f).replace('~', " ")).collect()
    } else {
        return Err(format!("`{text}` is not a CPE: it must start with cpe:2.3: or cpe:/"));
    };
    let field = |i: usize| fields.get(i).map(String::as_str).unwrap_or("*");
    let part = field(0);
    if !matches!(part, "a" | "o" | "h") {
        return Err(format!("`{text}`: the CPE part must be a, o or h, not `{part}`"));
    }
    let any = |v: &str| v.is_empty() || v == "*" || v == "-" || v == "ANY" || v == "NA";
    let vendor = field(1);
    let product = field(2);
    if any(vendor) || any(product) {
        return Err(format!("`{text}`: a CPE needs a vendor and a product"));
    }
    let opt = |v: &str| (!any(v)).then(|| v.to_owned());
    Ok(Identity {
        kind: IdentityKind::Cpe,
        part: part.to_owned(),
        vendor: vendor.to_ascii_lowercase(),
        product: product.to_ascii_lowercase(),
        version: opt(field(3)),
        update: opt(field(4)).map(|u| u.to_ascii_lowercase()),
        scheme: if vendor.eq_ignore_ascii_case("microsoft") && part == "o" {
            Scheme::WindowsBuild
        } else {
            Scheme::Generic
        },
    })
}

/// Splits a CPE 2.3 formatted string at unescaped colons and removes the escapes.
fn split_escaped(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), out.last_mut()) {
                    last.push(next);
                }
            }
            ':' => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `pkg:type/namespace/name@version?qualifiers#subpath`. The `epoch` qualifier of RPMs is
/// folded into the version (`1:3.0.7-18.el9_2`) so that versions compare as rpm does.
pub fn parse_purl(text: &str) -> Result<Identity, String> {
    let rest = text
        .strip_prefix("pkg:")
        .ok_or_else(|| format!("`{text}` is not a package URL: it must start with pkg:"))?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let (path, qualifiers) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    let (path, version) = match path.rsplit_once('@') {
        Some((p, v)) => (p, Some(percent_decode(v))),
        None => (path, None),
    };
    let mut segments: Vec<String> = path.trim_matches('/').split('/').map(percent_decode).collect();
    if segments.len() < 2 || segments.iter().any(String::is_empty) {
        return Err(format!(
            "`{text}`: a package URL needs a type and a name (pkg:type/name)"
        ));
    }
    let kind = segments.remove(0).to_ascii_lowercase();
    let name = segments.pop().unwrap_or_default();
    let namespace = segments.join("/");
    let epoch = qualifiers
        .split('&')
        .filter_map(|q| q.split_once('='))
        .find(|(k, _)| *k == "epoch")
        .map(|(_, v)| v.to_owned());
    let version = match (version, epoch) {
        (Some(v), Some(e)) if e != "0" && !v.contains(':') => Some(format!("{e}:{v}")),
        (v, _) => v,
    };
    // Names are case-insensitive in these ecosystems; elsewhere (maven, golang) they are not,
    // but matching across case there would only ever add a true match.
    Ok(Identity {
        kind: IdentityKind::Purl,
        scheme: Scheme::for_purl_type(&kind),
        part: kind,
        vendor: namespace.to_ascii_lowercase(),
        product: name.to_ascii_lowercase(),
        version: version.filter(|v| !v.is_empty()),
        update: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpe_formatted_strings_and_uris_read_alike() {
        let a = parse_cpe("cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*").ok();
        let b = parse_cpe("cpe:/o:microsoft:windows_server_2012:r2").ok();
        let a = a.as_ref().map(|i| (i.product_key(), i.version.clone()));
        assert_eq!(a, Some(("cpe:microsoft:windows_server_2012".into(), Some("r2".into()))));
        assert_eq!(a, b.as_ref().map(|i| (i.product_key(), i.version.clone())));
        let esc = parse_cpe(r"cpe:2.3:a:vendor:prod\:uct:1.0:*:*:*:*:*:*:*").ok();
        assert_eq!(esc.map(|i| i.product), Some("prod:uct".into()));
        assert!(parse_cpe("cpe:2.3:x:a:b").is_err());
        assert!(parse_cpe("cpe:2.3:a:*:b").is_err());
        assert!(parse_cpe("cpe:/a:redhat:enterprise_linux:8::appstream").is_ok());
    }

    #[test]
    fn package_urls_carry_type_namespace_name_and_epoch() {
        let p = parse_purl("pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=x86_64&epoch=1").ok();
        let p = p.as_ref();
        assert_eq!(p.map(Identity::product_key), Some("purl:rpm/redhat/openssl".into()));
        assert_eq!(p.and_then(|i| i.version.clone()), Some("1:3.0.7-18.el9_2".into()));
        assert_eq!(p.map(|i| i.scheme), Some(Scheme::Rpm));
        let npm = parse_purl("pkg:npm/%40angular/core@12.0.0").ok();
        assert_eq!(npm.map(|i| i.product_key()), Some("purl:npm/@angular/core".into()));
        let bare = parse_purl("pkg:maven/org.apache/log4j-core").ok();
        assert_eq!(bare.and_then(|i| i.version), None);
        assert!(parse_purl("pkg:npm").is_err());
        assert!(parse_purl("npm/x").is_err());
    }

    #[test]
    fn free_text_is_kept_as_a_name() {
        let n = Identity::read("BD Alaris Point-of-Care Unit (PCU) Model 8015", Some("12.1.2")).ok();
        assert_eq!(
            n.as_ref().map(|i| i.product.as_str()),
            Some("bd_alaris_point_of_care_unit_pcu_model_8015")
        );
        assert!(Identity::read("  ", None).is_err());
    }
}
