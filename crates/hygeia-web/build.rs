//! Embeds the front-end: the NHS.UK frontend and htmx from npm (installed into `web/` with
//! `npm ci` if missing: nothing of theirs is committed) and Hygeia's own CSS and JS.
//! The NHS.UK stylesheet's web-font rules point at an NHS CDN; they are dropped so that the
//! page loads nothing from elsewhere (the design system falls back to Arial).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

const NHSUK: &str = "node_modules/nhsuk-frontend/dist/nhsuk";
const HTMX: &str = "node_modules/htmx.org/dist/htmx.min.js";

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let web = manifest.join("../../web");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("assets");
    println!("cargo:rerun-if-changed={}", web.join("package-lock.json").display());
    println!(
        "cargo:rerun-if-changed={}",
        web.join("node_modules/.package-lock.json").display()
    );
    println!("cargo:rerun-if-changed={}", manifest.join("assets").display());

    if !web.join(NHSUK).exists() {
        println!("cargo:warning=installing front-end packages with `npm ci` in web/");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&web)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => fail(&format!(
                "`npm ci` in {} failed ({other:?}). Install Node.js and npm, then run `npm ci` there.",
                web.display()
            )),
        }
    }

    let _ = fs::remove_dir_all(&out);
    mkdir(&out.join("images"));
    let mut entries: Vec<(String, PathBuf)> = Vec::new();

    let css = read_text(&web.join(NHSUK).join("nhsuk-frontend.min.css"));
    write(&out.join("nhsuk-frontend.min.css"), strip_remote_fonts(&css).as_bytes());
    entries.push(("nhsuk-frontend.min.css".into(), out.join("nhsuk-frontend.min.css")));
    copy(
        &web.join(NHSUK).join("nhsuk-frontend.min.js"),
        &out.join("nhsuk-frontend.min.js"),
        &mut entries,
        "nhsuk-frontend.min.js",
    );
    copy(&web.join(HTMX), &out.join("htmx.min.js"), &mut entries, "htmx.min.js");
    let images = web.join(NHSUK).join("assets/images");
    for entry in fs::read_dir(&images).unwrap_or_else(|e| fail(&format!("{}: {e}", images.display()))) {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".svg") || name.ends_with(".ico") {
            copy(
                &entry.path(),
                &out.join("images").join(&name),
                &mut entries,
                &format!("images/{name}"),
            );
        }
    }
    for entry in fs::read_dir(manifest.join("assets")).unwrap_or_else(|e| fail(&format!("assets/: {e}"))) {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push((name, entry.path()));
    }
    entries.sort();

    let mut code = String::from(
        "/// Embedded front-end files: (path under /assets/, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &entries {
        code.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    write(&out.join("files.rs"), code.as_bytes());
}

/// Removes `@font-face { … }` rules that load fonts from another origin.
fn strip_remote_fonts(css: &str) -> String {
    let mut result = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("@font-face") {
        let Some(len) = rest[start..].find('}') else { break };
        let rule = &rest[start..start + len + 1];
        result.push_str(&rest[..start]);
        if !rule.contains("https://") {
            result.push_str(rule);
        }
        rest = &rest[start + len + 1..];
    }
    result.push_str(rest);
    result
}

fn fail(message: &str) -> ! {
    eprintln!("hygeia-web build: {message}");
    std::process::exit(1)
}

fn mkdir(p: &Path) {
    fs::create_dir_all(p).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())));
}

fn read_text(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())))
}

fn write(p: &Path, bytes: &[u8]) {
    fs::write(p, bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())));
}

fn copy(from: &Path, to: &Path, entries: &mut Vec<(String, PathBuf)>, name: &str) {
    fs::copy(from, to).unwrap_or_else(|e| fail(&format!("{}: {e}", from.display())));
    entries.push((name.to_owned(), to.to_path_buf()));
}
