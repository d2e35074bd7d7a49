//! The product tree walked into the products it defines: each leaf with its context
//! (vendor, product name, version or version range) identified by its package URL, else its
//! CPE, else by name; a relationship's product stands for the component it names. Product ids
//! defined twice or referenced undefined are refused (CSAF mandatory tests 6.1.1, 6.1.2).

use super::model::{Branch, FullProductName, ProductTree};
use crate::assessments::oscal::ImportError;
use crate::assets::identity::{Identity, named, parse_cpe, parse_purl};
use crate::assets::version::Range;
use std::collections::HashMap;

/// A product as the tree defines it: a label, the identity it maps to and, from a
/// `product_version_range` branch, the versions it covers.
#[derive(Clone)]
pub(super) struct Defined {
    pub(super) label: String,
    pub(super) identity: Identity,
    pub(super) range: Option<Range>,
}

/// Every product the tree defines, by product id.
pub(super) fn products(tree: &ProductTree) -> Result<HashMap<String, Defined>, ImportError> {
    let mut defined: HashMap<String, Defined> = HashMap::new();
    let mut leaves = Vec::new();
    walk(
        &tree.branches,
        "/product_tree/branches",
        &Context::default(),
        &mut leaves,
    )?;
    for (fpn, d, at) in leaves {
        define(&mut defined, &fpn.product_id, d, at)?;
    }
    for (i, fpn) in tree.full_product_names.iter().enumerate() {
        let at = format!("/product_tree/full_product_names/{i}");
        let d = leaf(fpn, &Context::default(), &at)?;
        define(&mut defined, &fpn.product_id, d, at)?;
    }
    // A relationship's product is the component it names, as installed in something else.
    for (i, r) in tree.relationships.iter().enumerate() {
        let at = format!("/product_tree/relationships/{i}");
        let reference = &r.product_reference;
        let base = defined.get(reference).cloned().ok_or_else(|| ImportError {
            location: format!("{at}/product_reference"),
            message: format!("`{reference}` is not a product defined in the tree (CSAF mandatory test 6.1.1)"),
        })?;
        let d = Defined {
            label: r.full_product_name.name.clone(),
            ..base
        };
        define(
            &mut defined,
            &r.full_product_name.product_id,
            d,
            format!("{at}/full_product_name/product_id"),
        )?;
    }
    Ok(defined)
}

fn define(defined: &mut HashMap<String, Defined>, id: &str, d: Defined, at: String) -> Result<(), ImportError> {
    if defined.insert(id.to_owned(), d).is_some() {
        return Err(ImportError {
            location: at,
            message: format!("product id `{id}` is defined twice (CSAF mandatory test 6.1.2)"),
        });
    }
    Ok(())
}

#[derive(Clone, Default)]
struct Context {
    vendor: String,
    product: String,
    version: Option<String>,
    range: Option<Range>,
}

type Leaf = (FullProductName, Defined, String);

fn walk(branches: &[Branch], at: &str, ctx: &Context, out: &mut Vec<Leaf>) -> Result<(), ImportError> {
    for (i, b) in branches.iter().enumerate() {
        let here = format!("{at}/{i}");
        let mut c = ctx.clone();
        match b.category.as_str() {
            "vendor" => c.vendor.clone_from(&b.name),
            "product_name" => c.product.clone_from(&b.name),
            "product_family" if c.product.is_empty() => c.product.clone_from(&b.name),
            "product_version" => c.version = Some(b.name.clone()),
            "product_version_range" => {
                c.range = Some(Range::parse(&b.name).map_err(|m| ImportError {
                    location: format!("{here}/name"),
                    message: m,
                })?);
            }
            _ => {}
        }
        if let Some(fpn) = &b.product {
            let d = leaf(fpn, &c, &format!("{here}/product"))?;
            out.push((fpn.clone(), d, format!("{here}/product/product_id")));
        }
        walk(&b.branches, &format!("{here}/branches"), &c, out)?;
    }
    Ok(())
}

fn leaf(fpn: &FullProductName, ctx: &Context, at: &str) -> Result<Defined, ImportError> {
    let helper = fpn.product_identification_helper.clone().unwrap_or_default();
    let identity = if let Some(p) = &helper.purl {
        parse_purl(p).map_err(|m| ImportError {
            location: format!("{at}/product_identification_helper/purl"),
            message: m,
        })?
    } else if let Some(c) = &helper.cpe {
        let mut id = parse_cpe(c).map_err(|m| ImportError {
            location: format!("{at}/product_identification_helper/cpe"),
            message: m,
        })?;
        if id.version.is_none() {
            id.version.clone_from(&ctx.version);
        }
        id
    } else {
        let product = if ctx.product.is_empty() {
            fpn.name.as_str()
        } else {
            ctx.product.as_str()
        };
        named(&ctx.vendor, product, ctx.version.as_deref())
    };
    Ok(Defined {
        label: fpn.name.clone(),
        identity,
        range: ctx.range.clone(),
    })
}
