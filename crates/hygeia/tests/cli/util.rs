//! Running the binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn hygeia(url: &str, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hygeia"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env("HYGEIA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    finish(child.wait_with_output().unwrap())
}

/// Runs and insists on success; returns standard output.
pub fn ok(url: &str, args: &[&str], stdin: Option<&str>) -> String {
    let run = hygeia(url, args, stdin);
    assert_eq!(run.code, 0, "hygeia {args:?} failed: {}{}", run.stdout, run.stderr);
    run.stdout
}

/// A running server and its address.
pub struct Server {
    pub child: Child,
    pub address: String,
}

pub fn serve(url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hygeia"))
        .args(["--database-url", url, "serve", "--listen", "127.0.0.1:0"])
        .env("HYGEIA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Hygeia is running at http://") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    Server { child, address }
}

/// One HTTP/1.1 request over a plain socket; returns status and body.
pub fn http(address: &str, method: &str, path: &str, token: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// An organisation with a member holding two API tokens: (org id, the first token's secret).
pub fn seed(url: &str) -> (String, String) {
    ok(url, &["migrate"], None);
    let org = ok(
        url,
        &[
            "org",
            "add",
            "--name",
            "Durable Trust",
            "--ods",
            "RDU",
            "--type",
            "trust",
            "--regimes",
            "uk_nis,uk_gdpr",
            "--oes",
        ],
        None,
    );
    let org_id = org.split('\t').next().unwrap().to_owned();
    ok(
        url,
        &[
            "user",
            "add",
            "--email",
            "lead@durable.example",
            "--name",
            "Dee Lead",
            "--org",
            "RDU",
            "--role",
            "security_lead",
        ],
        Some("lantern-orchid-basin-8\n"),
    );
    let first = ok(
        url,
        &[
            "token",
            "create",
            "--email",
            "lead@durable.example",
            "--name",
            "first",
            "--write",
        ],
        None,
    )
    .trim()
    .to_owned();
    ok(
        url,
        &[
            "token",
            "create",
            "--email",
            "lead@durable.example",
            "--name",
            "second",
            "--write",
        ],
        None,
    );
    (org_id, first)
}
