//! An asset as an organisation records it, checked, and the difference between two
//! versions of a register (what an import adds, changes and removes).

use super::identity::Identity;
use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    Server,
    EndUserDevice,
    NetworkDevice,
    MedicalDevice,
    Iot,
    CloudService,
    Application,
}

impl AssetKind {
    pub const ALL: [AssetKind; 7] = [
        AssetKind::Server,
        AssetKind::EndUserDevice,
        AssetKind::NetworkDevice,
        AssetKind::MedicalDevice,
        AssetKind::Iot,
        AssetKind::CloudService,
        AssetKind::Application,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Server => "server",
            AssetKind::EndUserDevice => "end_user_device",
            AssetKind::NetworkDevice => "network_device",
            AssetKind::MedicalDevice => "medical_device",
            AssetKind::Iot => "iot",
            AssetKind::CloudService => "cloud_service",
            AssetKind::Application => "application",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AssetKind::Server => "Server",
            AssetKind::EndUserDevice => "End-user device",
            AssetKind::NetworkDevice => "Network device",
            AssetKind::MedicalDevice => "Medical device",
            AssetKind::Iot => "IoT device",
            AssetKind::CloudService => "Cloud service",
            AssetKind::Application => "Application",
        }
    }

    /// Reads the value or a common way of writing it (`laptop`, `Medical Device`, `saas`).
    pub fn parse(text: &str) -> Option<AssetKind> {
        let t = super::identity::normalise(text);
        let kind = match t.as_str() {
            "server" | "vm" | "virtual_machine" | "host" => AssetKind::Server,
            "end_user_device" | "workstation" | "desktop" | "laptop" | "pc" | "tablet" | "phone" | "mobile"
            | "endpoint" => AssetKind::EndUserDevice,
            "network_device" | "network" | "router" | "switch" | "firewall" | "access_point" => {
                AssetKind::NetworkDevice
            }
            "medical_device" | "medical" | "clinical_device" => AssetKind::MedicalDevice,
            "iot" | "iot_device" | "building_management" => AssetKind::Iot,
            "cloud_service" | "cloud" | "saas" | "paas" | "iaas" => AssetKind::CloudService,
            "application" | "app" | "software" | "library" | "framework" | "container" | "firmware" => {
                AssetKind::Application
            }
            _ => return None,
        };
        Some(kind)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criticality {
    Low,
    Medium,
    High,
    Critical,
}

impl Criticality {
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Low => "low",
            Criticality::Medium => "medium",
            Criticality::High => "high",
            Criticality::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Criticality> {
        match text.trim().to_ascii_lowercase().as_str() {
            "low" | "1" => Some(Criticality::Low),
            "medium" | "moderate" | "2" => Some(Criticality::Medium),
            "high" | "3" => Some(Criticality::High),
            "critical" | "very high" | "4" => Some(Criticality::Critical),
            _ => None,
        }
    }
}

/// A product an asset runs, as given: a CPE, a package URL or a name, and a version when the
/// identity does not carry one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SoftwareInput {
    pub identity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl SoftwareInput {
    pub fn new(identity: &str, version: Option<&str>) -> SoftwareInput {
        SoftwareInput {
            identity: identity.trim().to_owned(),
            version: version.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned),
        }
    }

    /// One product as registers write it: `name==version`, or the identity alone (a CPE or
    /// package URL carries its version).
    pub fn from_line(line: &str) -> SoftwareInput {
        match line.split_once("==") {
            Some((identity, version)) => SoftwareInput::new(identity, Some(version)),
            None => SoftwareInput::new(line, None),
        }
    }

    pub fn parsed(&self) -> Result<Identity, String> {
        let mut id = Identity::read(&self.identity, self.version.as_deref())?;
        if id.version.is_none() {
            id.version.clone_from(&self.version);
        }
        Ok(id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetInput {
    /// Stable within the organisation: an asset tag, a serial, a hostname. Re-importing a
    /// row with the same key updates that asset.
    pub key: String,
    pub name: String,
    pub kind: AssetKind,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    pub criticality: Criticality,
    #[serde(default)]
    pub essential_services: Vec<String>,
    #[serde(default)]
    pub internet_facing: bool,
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    /// Medical devices and appliances: whether the owner can patch it at all.
    #[serde(default)]
    pub patchable: Option<bool>,
    /// The organisation pays for extended security updates for this asset.
    #[serde(default)]
    pub esu_enrolled: bool,
    #[serde(default)]
    pub os: Option<SoftwareInput>,
    #[serde(default)]
    pub software: Vec<SoftwareInput>,
}

const MAX_TEXT: usize = 300;
const MAX_SOFTWARE: usize = 20_000;

impl AssetInput {
    /// Checks the asset; `at` prefixes each field name (`line 4: hostname`, `/assets/3/name`).
    pub fn check(&self) -> Result<(), Invalid> {
        self.check_remembering(&mut HashSet::new())
    }

    /// The same, skipping the products in `readable` and adding those found readable: an
    /// import checks thousands of rows that name the same few hundred products.
    pub fn check_remembering(&self, readable: &mut HashSet<SoftwareInput>) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        let mut need = |field: &str, value: &str, required: bool| {
            if required && value.trim().is_empty() {
                errors.push(FieldError::new(field, "is required"));
            } else if value.chars().count() > MAX_TEXT {
                errors.push(FieldError::new(field, format!("is longer than {MAX_TEXT} characters")));
            } else if value.chars().any(char::is_control) {
                errors.push(FieldError::new(field, "contains control characters"));
            }
        };
        need("key", &self.key, true);
        need("name", &self.name, true);
        for (field, v) in [
            ("hostname", &self.hostname),
            ("owner", &self.owner),
            ("location", &self.location),
            ("manufacturer", &self.manufacturer),
            ("model", &self.model),
        ] {
            need(field, v.as_deref().unwrap_or(""), false);
        }
        for a in &self.addresses {
            need("addresses", a, false);
        }
        for s in &self.essential_services {
            need("essential_services", s, false);
        }
        if self.software.len() > MAX_SOFTWARE {
            errors.push(FieldError::new(
                "software",
                format!("lists more than {MAX_SOFTWARE} products"),
            ));
        }
        for (i, s) in self.os.iter().chain(self.software.iter()).enumerate() {
            if readable.contains(s) {
                continue;
            }
            let field = || {
                if i == 0 && self.os.is_some() {
                    "os".to_owned()
                } else {
                    format!("software/{}", i - usize::from(self.os.is_some()))
                }
            };
            if let Err(e) = s.parsed() {
                errors.push(FieldError::new(field(), e));
            } else if s.identity.chars().count() > 1000 {
                errors.push(FieldError::new(field(), "is longer than 1000 characters"));
            } else {
                readable.insert(s.clone());
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(errors))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn asset(key: &str) -> AssetInput {
        AssetInput {
            key: key.into(),
            name: format!("Asset {key}"),
            kind: AssetKind::Server,
            hostname: None,
            addresses: vec![],
            owner: None,
            location: None,
            criticality: Criticality::Medium,
            essential_services: vec![],
            internet_facing: false,
            manufacturer: None,
            model: None,
            patchable: None,
            esu_enrolled: false,
            os: Some(SoftwareInput::new("Windows Server 2012 R2", None)),
            software: vec![
                SoftwareInput::new("pkg:npm/lodash@4.17.20", None),
                SoftwareInput::new("Acme PACS", Some("2.1")),
            ],
        }
    }

    #[test]
    fn checks_name_the_field() {
        let mut a = asset("");
        a.software.push(SoftwareInput::new("pkg:npm", None));
        a.hostname = Some("bad\u{7}host".into());
        let fields: Vec<String> = a
            .check()
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, vec!["key", "hostname", "software/2"]);
        assert!(asset("x").check().is_ok());
        assert_eq!(AssetKind::parse("Laptop"), Some(AssetKind::EndUserDevice));
        assert_eq!(AssetKind::parse("Medical Device"), Some(AssetKind::MedicalDevice));
        assert_eq!(AssetKind::parse("toaster"), None);
    }
}
