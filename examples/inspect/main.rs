//! `inspect`: a JSON-lines probe of the crate's parsers (the contract is `shared/PROBE.md`).
//!
//! ```text
//! cargo run --release --example inspect -- KIND [ARGS]
//! ```
//!
//! Line kinds read standard input, one input per line, and print one JSON object per line.
//! A parse failure is `"ok": false` with `"error"`, never a crash; the exit status is non-zero
//! only for a usage error or an unreadable file. Each kind lives in its own module, which the
//! conformance tests include too, so they check exactly what this probe prints.

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;

use serde_json::Value;

// One module per kind (or family of kinds). A kind module depends only on `pypackaging`,
// `serde_json` and `std`, so that `tests/` can include it with `#[path]` and check exactly what
// this probe prints.
mod filename;
mod metadata;
mod name;
mod requirement;
mod requirements;
mod simple;
mod tags;
mod version;
mod wheel_file;

const USAGE: &str = "usage: inspect KIND [ARGS]

line kinds (one input per line on standard input, one JSON object per line out):
  name           PEP 503 normal form and validity of a project name
  version        PEP 440 parse: normal form, epoch, release, pre/dev flags, local part
  wheel          wheel filename: name, version, build tag, every tag it stands for
  sdist          sdist filename: name, version, format
  requirement    PEP 508 requirement: name, extras, specifier, URL, marker

  sort-versions  reads every line, prints the valid versions in ascending PEP 440 order

argument kinds:
  tags --python V [--implementation I] [--abi A]... --platform P... [--expand] [--linux-last]
                 a target's supported tags, most preferred first (pip's list; --expand: sys_tags')

simple repository pages (one JSON document out):
  project-html FILE URL   parse a PEP 503 project page served at URL
  project-json FILE URL   parse a PEP 691 project page served at URL
  root-html FILE URL      parse a PEP 503 root page served at URL
  root-json FILE URL      parse a PEP 691 root page served at URL
  render-html MODEL       render a project page model (PEP 691 JSON shape) as PEP 503 HTML
  render-json MODEL       render a project page model as PEP 691 JSON

file kinds (one JSON document out):
  requirements FILE    a pip requirements file and its -r/-c includes, as pip reads them
  metadata FILE        METADATA or PKG-INFO as PEP 566 JSON, with strict validation
  wheel-file FILE.whl  a wheel's filename, WHEEL, METADATA and RECORD verification";

/// An `Args` kind: the text to print, or an exit status (2 usage, 1 unreadable file) and a
/// message.
type ArgsProbe = fn(&[String]) -> Result<String, (u8, String)>;

/// How a kind reads its input and what it prints.
enum Kind {
    /// Answers each input line with one JSON object.
    Line(fn(&str) -> Value),
    /// Reads every input line first, then prints lines of text.
    AllLines(fn(&[String]) -> Vec<String>),
    /// Takes its command-line arguments (files to read, options) and returns the text to
    /// print, or an exit status with a message: 2 for a usage error, 1 for an unreadable file.
    Args(ArgsProbe),
}

fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "name" => Kind::Line(name::probe),
        "version" => Kind::Line(version::probe),
        "sort-versions" => Kind::AllLines(version::sort),
        "tags" => Kind::Args(tags::probe),
        "wheel" => Kind::Line(filename::wheel),
        "sdist" => Kind::Line(filename::sdist),
        "requirement" => Kind::Line(requirement::probe),
        "project-html" => Kind::Args(simple::project_html),
        "project-json" => Kind::Args(simple::project_json),
        "root-html" => Kind::Args(simple::root_html),
        "root-json" => Kind::Args(simple::root_json),
        "render-html" => Kind::Args(simple::render_html),
        "render-json" => Kind::Args(simple::render_json),
        "requirements" => Kind::Args(requirements::probe),
        "metadata" => Kind::Args(metadata::probe),
        "wheel-file" => Kind::Args(|args| {
            let parts = wheel_file::Parts {
                filename: filename::wheel,
                metadata: metadata::describe,
            };
            wheel_file::probe(args, &parts)
        }),
        _ => return None,
    })
}

/// Splits standard input into lines: `\n` ends a line, one trailing `\r` is removed, nothing
/// else is trimmed. Bytes that are not UTF-8 are replaced by U+FFFD.
fn read_lines(input: impl BufRead) -> io::Result<Vec<String>> {
    let mut lines = Vec::new();
    for line in input.split(b'\n') {
        let mut line = line?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        lines.push(String::from_utf8_lossy(&line).into_owned());
    }
    Ok(lines)
}

fn stdin_lines() -> io::Result<Vec<String>> {
    let mut buffer = Vec::new();
    io::stdin().lock().read_to_end(&mut buffer)?;
    read_lines(&buffer[..])
}

fn run(kind: Kind, args: &[String]) -> Result<(), (u8, String)> {
    let io_error = |e: io::Error| (1, e.to_string());
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut write = |text: &[u8]| out.write_all(text).map_err(io_error);
    match kind {
        Kind::Line(_) | Kind::AllLines(_) if !args.is_empty() => {
            return Err((
                2,
                "this kind reads standard input and takes no arguments".into(),
            ));
        }
        Kind::Line(probe) => {
            for line in stdin_lines().map_err(io_error)? {
                let mut text = serde_json::to_vec(&probe(&line)).map_err(|e| (1, e.to_string()))?;
                text.push(b'\n');
                write(&text)?;
            }
        }
        Kind::AllLines(probe) => {
            for line in probe(&stdin_lines().map_err(io_error)?) {
                write(line.as_bytes())?;
                write(b"\n")?;
            }
        }
        Kind::Args(probe) => {
            let mut text = probe(args)?;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            write(text.as_bytes())?;
        }
    }
    out.flush().map_err(io_error)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Some(kind) = kind(name) else {
        eprintln!("inspect: unknown kind `{name}`\n\n{USAGE}");
        return ExitCode::from(2);
    };
    match run(kind, &args[1..]) {
        Ok(()) => ExitCode::SUCCESS,
        Err((_, message)) if message.contains("Broken pipe") => ExitCode::SUCCESS,
        Err((status, message)) => {
            eprintln!("inspect {name}: {message}");
            if status == 2 {
                eprintln!("\n{USAGE}");
            }
            ExitCode::from(status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_lines;

    #[test]
    fn lines_keep_everything_but_the_newline_and_one_cr() {
        let lines = read_lines(&b" a \r\nb\r\r\n\n\xffc"[..]).unwrap();
        assert_eq!(lines, [" a ", "b\r", "", "\u{fffd}c"]);
    }
}
