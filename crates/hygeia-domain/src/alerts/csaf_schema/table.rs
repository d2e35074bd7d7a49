//! The schema as data: each member of a CSAF 2.0 document with what it must be.

use super::forms::*;

/// What a value must be.
pub(crate) enum Shape {
    Text(Text),
    /// A number within the bounds (a CVSS score).
    Number {
        min: f64,
        max: f64,
    },
    List {
        item: &'static Shape,
        min_items: usize,
        unique: bool,
    },
    Object {
        members: &'static [Member],
        min_members: usize,
        max_members: Option<usize>,
    },
    /// Exactly one of these (the schema's `oneOf`).
    OneOf(&'static [&'static Shape]),
}

pub(crate) struct Text {
    pub(crate) min_len: usize,
    /// Allowed values; empty allows any.
    pub(crate) values: &'static [&'static str],
    pub(crate) format: Option<Format>,
    pub(crate) rule: Option<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    DateTime,
    Uri,
}

/// A form the schema gives as a pattern, checked by our own code.
pub(crate) struct Rule {
    /// What the value must be, for the message: "a CVE id".
    pub(crate) what: &'static str,
    pub(crate) check: fn(&str) -> bool,
}

pub(crate) struct Member {
    pub(crate) name: &'static str,
    pub(crate) required: bool,
    pub(crate) shape: &'static Shape,
}

const fn req(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        required: true,
        shape,
    }
}

const fn opt(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        required: false,
        shape,
    }
}

const fn text(min_len: usize) -> Shape {
    Shape::Text(Text {
        min_len,
        values: &[],
        format: None,
        rule: None,
    })
}

const fn one_of(values: &'static [&'static str]) -> Shape {
    Shape::Text(Text {
        min_len: 0,
        values,
        format: None,
        rule: None,
    })
}

const fn formatted(format: Format) -> Shape {
    Shape::Text(Text {
        min_len: 0,
        values: &[],
        format: Some(format),
        rule: None,
    })
}

const fn ruled(min_len: usize, format: Option<Format>, what: &'static str, check: fn(&str) -> bool) -> Shape {
    Shape::Text(Text {
        min_len,
        values: &[],
        format,
        rule: Some(Rule { what, check }),
    })
}

const fn list(item: &'static Shape, min_items: usize, unique: bool) -> Shape {
    Shape::List {
        item,
        min_items,
        unique,
    }
}

const fn object(members: &'static [Member]) -> Shape {
    Shape::Object {
        members,
        min_members: 0,
        max_members: None,
    }
}

const fn object_of_at_least(min_members: usize, members: &'static [Member]) -> Shape {
    Shape::Object {
        members,
        min_members,
        max_members: None,
    }
}

static NON_EMPTY: Shape = text(1);
static DATE_TIME: Shape = formatted(Format::DateTime);
static URI: Shape = formatted(Format::Uri);
static NON_EMPTY_LIST: Shape = list(&NON_EMPTY, 1, false);
static DISTINCT_NON_EMPTY_LIST: Shape = list(&NON_EMPTY, 1, true);
static URI_LIST: Shape = list(&URI, 1, false);
static VERSION: Shape = ruled(
    0,
    None,
    "a version: a whole number or a semantic version",
    is_csaf_version,
);
static LANG: Shape = ruled(0, None, "a language tag (BCP 47)", is_language_tag);

// Shared definitions (the schema's `$defs`).
static PRODUCT_ID: Shape = text(1);
static GROUP_ID: Shape = text(1);
static PRODUCTS: Shape = list(&PRODUCT_ID, 1, true);
static GROUPS: Shape = list(&GROUP_ID, 1, true);

static ACKNOWLEDGMENT: Shape = object_of_at_least(
    1,
    &[
        opt("names", &NON_EMPTY_LIST),
        opt("organization", &NON_EMPTY),
        opt("summary", &NON_EMPTY),
        opt("urls", &URI_LIST),
    ],
);
static ACKNOWLEDGMENTS: Shape = list(&ACKNOWLEDGMENT, 1, false);

static NOTE: Shape = object(&[
    opt("audience", &NON_EMPTY),
    req(
        "category",
        &one_of(&[
            "description",
            "details",
            "faq",
            "general",
            "legal_disclaimer",
            "other",
            "summary",
        ]),
    ),
    req("text", &NON_EMPTY),
    opt("title", &NON_EMPTY),
]);
static NOTES: Shape = list(&NOTE, 1, false);

static REFERENCE: Shape = object(&[
    opt("category", &one_of(&["external", "self"])),
    req("summary", &NON_EMPTY),
    req("url", &URI),
]);
static REFERENCES: Shape = list(&REFERENCE, 1, false);

static FILE_HASH: Shape = object(&[
    req("algorithm", &NON_EMPTY),
    req(
        "value",
        &ruled(32, None, "a hash in hexadecimal (at least 32 digits)", is_hex_hash),
    ),
]);
static HASH: Shape = object(&[
    req("file_hashes", &list(&FILE_HASH, 1, false)),
    req("filename", &NON_EMPTY),
]);
static GENERIC_URI: Shape = object(&[req("namespace", &URI), req("uri", &URI)]);
static HELPER: Shape = object_of_at_least(
    1,
    &[
        opt("cpe", &ruled(5, None, "a CPE 2.3 or 2.2 name", is_cpe)),
        opt("hashes", &list(&HASH, 1, false)),
        opt("model_numbers", &DISTINCT_NON_EMPTY_LIST),
        opt(
            "purl",
            &ruled(7, Some(Format::Uri), "a package URL (pkg:type/name)", is_purl),
        ),
        opt("sbom_urls", &URI_LIST),
        opt("serial_numbers", &DISTINCT_NON_EMPTY_LIST),
        opt("skus", &NON_EMPTY_LIST),
        opt("x_generic_uris", &list(&GENERIC_URI, 1, false)),
    ],
);
static FULL_PRODUCT_NAME: Shape = object(&[
    req("name", &NON_EMPTY),
    req("product_id", &PRODUCT_ID),
    opt("product_identification_helper", &HELPER),
]);

static BRANCH: Shape = Shape::Object {
    members: &[
        opt("branches", &BRANCHES),
        req(
            "category",
            &one_of(&[
                "architecture",
                "host_name",
                "language",
                "legacy",
                "patch_level",
                "product_family",
                "product_name",
                "product_version",
                "product_version_range",
                "service_pack",
                "specification",
                "vendor",
            ]),
        ),
        req("name", &NON_EMPTY),
        opt("product", &FULL_PRODUCT_NAME),
    ],
    // A branch is its category, its name, and either deeper branches or a product.
    min_members: 3,
    max_members: Some(3),
};
static BRANCHES: Shape = list(&BRANCH, 1, false);

static DOCUMENT: Shape = object(&[
    opt("acknowledgments", &ACKNOWLEDGMENTS),
    opt(
        "aggregate_severity",
        &object(&[opt("namespace", &URI), req("text", &NON_EMPTY)]),
    ),
    req(
        "category",
        &ruled(
            1,
            None,
            "a category without spaces, '-', '_' or '.' at either end",
            is_document_category,
        ),
    ),
    req("csaf_version", &one_of(&["2.0"])),
    opt(
        "distribution",
        &object_of_at_least(
            1,
            &[
                opt("text", &NON_EMPTY),
                opt(
                    "tlp",
                    &object(&[
                        req("label", &one_of(&["AMBER", "GREEN", "RED", "WHITE"])),
                        opt("url", &URI),
                    ]),
                ),
            ],
        ),
    ),
    opt("lang", &LANG),
    opt("notes", &NOTES),
    req(
        "publisher",
        &object(&[
            req(
                "category",
                &one_of(&["coordinator", "discoverer", "other", "translator", "user", "vendor"]),
            ),
            opt("contact_details", &NON_EMPTY),
            opt("issuing_authority", &NON_EMPTY),
            req("name", &NON_EMPTY),
            req("namespace", &URI),
        ]),
    ),
    opt("references", &REFERENCES),
    opt("source_lang", &LANG),
    req("title", &NON_EMPTY),
    req("tracking", &TRACKING),
]);

static TRACKING: Shape = object(&[
    opt("aliases", &DISTINCT_NON_EMPTY_LIST),
    req("current_release_date", &DATE_TIME),
    opt(
        "generator",
        &object(&[
            opt("date", &DATE_TIME),
            req(
                "engine",
                &object(&[req("name", &NON_EMPTY), opt("version", &NON_EMPTY)]),
            ),
        ]),
    ),
    req("id", &ruled(1, None, "an id without spaces at either end", is_trimmed)),
    req("initial_release_date", &DATE_TIME),
    req(
        "revision_history",
        &list(
            &object(&[
                req("date", &DATE_TIME),
                opt("legacy_version", &NON_EMPTY),
                req("number", &VERSION),
                req("summary", &NON_EMPTY),
            ]),
            1,
            false,
        ),
    ),
    req("status", &one_of(&["draft", "final", "interim"])),
    req("version", &VERSION),
]);

static PRODUCT_TREE: Shape = object_of_at_least(
    1,
    &[
        opt("branches", &BRANCHES),
        opt("full_product_names", &list(&FULL_PRODUCT_NAME, 1, false)),
        opt(
            "product_groups",
            &list(
                &object(&[
                    req("group_id", &GROUP_ID),
                    req("product_ids", &list(&PRODUCT_ID, 2, true)),
                    opt("summary", &NON_EMPTY),
                ]),
                1,
                false,
            ),
        ),
        opt(
            "relationships",
            &list(
                &object(&[
                    req(
                        "category",
                        &one_of(&[
                            "default_component_of",
                            "external_component_of",
                            "installed_on",
                            "installed_with",
                            "optional_component_of",
                        ]),
                    ),
                    req("full_product_name", &FULL_PRODUCT_NAME),
                    req("product_reference", &PRODUCT_ID),
                    req("relates_to_product_reference", &PRODUCT_ID),
                ]),
                1,
                false,
            ),
        ),
    ],
);

static SCORE: Shape = Shape::Number { min: 0.0, max: 10.0 };
static SEVERITY: Shape = one_of(&["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]);
static CVSS_V2: Shape = object(&[
    req("version", &one_of(&["2.0"])),
    req(
        "vectorString",
        &ruled(0, None, "a CVSS 2.0 vector (AV:…/AC:…/Au:…)", is_cvss2_vector),
    ),
    req("baseScore", &SCORE),
    opt("temporalScore", &SCORE),
    opt("environmentalScore", &SCORE),
]);
static CVSS_V30: Shape = object(&[
    req("version", &one_of(&["3.0"])),
    req(
        "vectorString",
        &ruled(0, None, "a CVSS 3.0 vector (CVSS:3.0/AV:…)", is_cvss30_vector),
    ),
    req("baseScore", &SCORE),
    req("baseSeverity", &SEVERITY),
    opt("temporalScore", &SCORE),
    opt("temporalSeverity", &SEVERITY),
    opt("environmentalScore", &SCORE),
    opt("environmentalSeverity", &SEVERITY),
]);
static CVSS_V31: Shape = object(&[
    req("version", &one_of(&["3.1"])),
    req(
        "vectorString",
        &ruled(0, None, "a CVSS 3.1 vector (CVSS:3.1/AV:…)", is_cvss31_vector),
    ),
    req("baseScore", &SCORE),
    req("baseSeverity", &SEVERITY),
    opt("temporalScore", &SCORE),
    opt("temporalSeverity", &SEVERITY),
    opt("environmentalScore", &SCORE),
    opt("environmentalSeverity", &SEVERITY),
]);

static VULNERABILITY: Shape = object_of_at_least(
    1,
    &[
        opt("acknowledgments", &ACKNOWLEDGMENTS),
        opt(
            "cve",
            &ruled(0, None, "a CVE id (CVE-YYYY-NNNN)", crate::alerts::alert::valid_cve),
        ),
        opt(
            "cwe",
            &object(&[
                req("id", &ruled(0, None, "a CWE id (CWE-N)", is_cwe_id)),
                req("name", &NON_EMPTY),
            ]),
        ),
        opt("discovery_date", &DATE_TIME),
        opt(
            "flags",
            &list(
                &object(&[
                    opt("date", &DATE_TIME),
                    opt("group_ids", &GROUPS),
                    req(
                        "label",
                        &one_of(&[
                            "component_not_present",
                            "inline_mitigations_already_exist",
                            "vulnerable_code_cannot_be_controlled_by_adversary",
                            "vulnerable_code_not_in_execute_path",
                            "vulnerable_code_not_present",
                        ]),
                    ),
                    opt("product_ids", &PRODUCTS),
                ]),
                1,
                true,
            ),
        ),
        opt(
            "ids",
            &list(
                &object(&[req("system_name", &NON_EMPTY), req("text", &NON_EMPTY)]),
                1,
                true,
            ),
        ),
        opt(
            "involvements",
            &list(
                &object(&[
                    opt("date", &DATE_TIME),
                    req(
                        "party",
                        &one_of(&["coordinator", "discoverer", "other", "user", "vendor"]),
                    ),
                    req(
                        "status",
                        &one_of(&[
                            "completed",
                            "contact_attempted",
                            "disputed",
                            "in_progress",
                            "not_contacted",
                            "open",
                        ]),
                    ),
                    opt("summary", &NON_EMPTY),
                ]),
                1,
                true,
            ),
        ),
        opt("notes", &NOTES),
        opt(
            "product_status",
            &object_of_at_least(
                1,
                &[
                    opt("first_affected", &PRODUCTS),
                    opt("first_fixed", &PRODUCTS),
                    opt("fixed", &PRODUCTS),
                    opt("known_affected", &PRODUCTS),
                    opt("known_not_affected", &PRODUCTS),
                    opt("last_affected", &PRODUCTS),
                    opt("recommended", &PRODUCTS),
                    opt("under_investigation", &PRODUCTS),
                ],
            ),
        ),
        opt("references", &REFERENCES),
        opt("release_date", &DATE_TIME),
        opt(
            "remediations",
            &list(
                &object(&[
                    req(
                        "category",
                        &one_of(&[
                            "mitigation",
                            "no_fix_planned",
                            "none_available",
                            "vendor_fix",
                            "workaround",
                        ]),
                    ),
                    opt("date", &DATE_TIME),
                    req("details", &NON_EMPTY),
                    opt("entitlements", &NON_EMPTY_LIST),
                    opt("group_ids", &GROUPS),
                    opt("product_ids", &PRODUCTS),
                    opt(
                        "restart_required",
                        &object(&[
                            req(
                                "category",
                                &one_of(&[
                                    "connected",
                                    "dependencies",
                                    "machine",
                                    "none",
                                    "parent",
                                    "service",
                                    "system",
                                    "vulnerable_component",
                                    "zone",
                                ]),
                            ),
                            opt("details", &NON_EMPTY),
                        ]),
                    ),
                    opt("url", &URI),
                ]),
                1,
                false,
            ),
        ),
        opt(
            "scores",
            &list(
                &object_of_at_least(
                    2,
                    &[
                        opt("cvss_v2", &CVSS_V2),
                        opt("cvss_v3", &Shape::OneOf(&[&CVSS_V30, &CVSS_V31])),
                        req("products", &PRODUCTS),
                    ],
                ),
                1,
                false,
            ),
        ),
        opt(
            "threats",
            &list(
                &object(&[
                    req("category", &one_of(&["exploit_status", "impact", "target_set"])),
                    opt("date", &DATE_TIME),
                    req("details", &NON_EMPTY),
                    opt("group_ids", &GROUPS),
                    opt("product_ids", &PRODUCTS),
                ]),
                1,
                false,
            ),
        ),
        opt("title", &NON_EMPTY),
    ],
);

/// The whole document.
pub(crate) static CSAF: Shape = object(&[
    req("document", &DOCUMENT),
    opt("product_tree", &PRODUCT_TREE),
    opt("vulnerabilities", &list(&VULNERABILITY, 1, false)),
]);
