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

mod name;

const USAGE: &str = "usage: inspect KIND [ARGS]

line kinds (one input per line on standard input, one JSON object per line out):
  name       PEP 503 normal form and validity of a project name";

/// A kind that answers one input line with one JSON object.
type LineKind = fn(&str) -> serde_json::Value;

fn line_kind(kind: &str) -> Option<LineKind> {
    match kind {
        "name" => Some(name::probe),
        _ => None,
    }
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

fn run_lines(kind: LineKind) -> io::Result<()> {
    let stdin = io::stdin();
    let mut buffer = Vec::new();
    stdin.lock().read_to_end(&mut buffer)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in read_lines(&buffer[..])? {
        serde_json::to_writer(&mut out, &kind(&line))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(kind) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Some(probe) = line_kind(kind) else {
        eprintln!("inspect: unknown kind `{kind}`\n\n{USAGE}");
        return ExitCode::from(2);
    };
    if args.len() > 1 {
        eprintln!("inspect: kind `{kind}` takes no arguments\n\n{USAGE}");
        return ExitCode::from(2);
    }
    match run_lines(probe) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inspect: {e}");
            ExitCode::from(1)
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
