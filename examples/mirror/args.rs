//! The command line (clap), the settings it makes with the requirements files' own options,
//! and the target it describes.

use std::path::PathBuf;

use clap::Parser;
use pypackaging::Target;
use pypackaging::requirements_txt::Resolved;
use pypackaging::select::{FormatControl, PrereleasePolicy};
use pypackaging::tags::TargetSpec;
use pypackaging::version::{MarkerEnvironment, Version};

/// The index read when neither the command line nor a requirements file names one.
pub const PYPI: &str = "https://pypi.org/simple/";

/// Downloads exactly the files a target needs for a hashed requirements file, checks every
/// byte (hashes, RECORD, and the install verdict of each wheel and sdist), and publishes them
/// as a static index in DIR.
///
/// Like `pip download --no-deps -r`: no dependency resolution, exactly what the file lists.
/// Options inside a requirements file apply as pip reads them, except that the command line
/// wins where both set one value.
#[derive(Debug, Parser)]
#[command(name = "mirror", version, max_term_width = 100)]
pub struct Args {
    /// A requirements file (path or URL); give it more than once for several.
    #[arg(
        short = 'r',
        long = "requirement",
        value_name = "REQUIREMENTS",
        required = true
    )]
    pub requirements: Vec<String>,

    /// The directory the mirror is written to (files, pages, report).
    #[arg(short = 'd', long, value_name = "DIR")]
    pub dest: PathBuf,

    /// The index to read [default: the file's `--index-url`, else https://pypi.org/simple/].
    #[arg(short = 'i', long, value_name = "URL")]
    pub index_url: Option<String>,

    /// Another index to read as well (repeatable) [default: none, plus the file's].
    #[arg(long = "extra-index-url", value_name = "URL")]
    pub extra_index_urls: Vec<String>,

    /// A host (`host` or `host:port`) reached over plain HTTP or without checking its TLS
    /// certificate, as pip's flag (repeatable) [default: none, plus the file's].
    #[arg(long = "trusted-host", value_name = "HOST")]
    pub trusted_hosts: Vec<String>,

    /// A PEM file of the certificate authorities to trust, as pip's `--cert`
    /// [default: `SSL_CERT_FILE` when set, else the Mozilla roots built in].
    #[arg(long, value_name = "PATH")]
    pub cert: Option<PathBuf>,

    /// The target's Python version: `3`, `3.11`, `311` or `3.11.4` (pip's forms).
    #[arg(long, value_name = "VERSION", default_value = "3.11", value_parser = python_version)]
    pub python_version: String,

    /// The target's implementation: `cp`, `pp`, `gp`, `py`, ...
    #[arg(long, value_name = "IMPL", default_value = "cp", value_parser = implementation)]
    pub implementation: String,

    /// An ABI the target supports (repeatable) [default: the implementation's for the version].
    #[arg(long = "abi", value_name = "ABI")]
    pub abis: Vec<String>,

    /// A platform the target supports, best first (repeatable) [default: none, so only
    /// platform-independent wheels; markers see empty platform fields].
    #[arg(long = "platform", value_name = "PLATFORM")]
    pub platforms: Vec<String>,

    /// Projects that must use wheels: names, `:all:` or `:none:` (repeatable)
    /// [default: none, plus the file's].
    #[arg(long = "only-binary", value_name = "SPEC")]
    pub only_binary: Vec<String>,

    /// Projects that must use sdists: names, `:all:` or `:none:` (repeatable)
    /// [default: none, plus the file's].
    #[arg(long = "no-binary", value_name = "SPEC")]
    pub no_binary: Vec<String>,

    /// Refuse requirements that are not pinned with hashes [default: off, or the file's].
    #[arg(long)]
    pub require_hashes: bool,

    /// Allow pre-releases and dev releases [default: only when nothing else fits].
    #[arg(long)]
    pub pre: bool,

    /// Every wheel and sdist of the chosen version, whatever the target.
    #[arg(long)]
    pub all_platforms: bool,

    /// Downloads at once.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 4, value_parser = jobs)]
    pub jobs: usize,

    /// A folder of files or an HTML page of links (path or URL) to take files from as well,
    /// as pip's `--find-links` (repeatable) [default: none, plus the file's].
    #[arg(short = 'f', long = "find-links", value_name = "LOCATION")]
    pub find_links: Vec<String>,

    /// Also writes DIR/find-links/index.html: a flat page linking every file with its
    /// `#sha256=`, for `pip install --no-index --find-links` [default: off].
    #[arg(long)]
    pub find_links_page: bool,
}

fn jobs(value: &str) -> Result<usize, String> {
    value
        .parse()
        .ok()
        .filter(|n| (1..=64).contains(n))
        .ok_or_else(|| format!("`{value}` is not a number from 1 to 64"))
}

fn python_version(value: &str) -> Result<String, String> {
    let parts: Vec<&str> = value.split('.').collect();
    let ok = parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not a Python version: expected `3`, `3.11`, `311` or `3.11.4`"
        ))
    }
}

fn implementation(value: &str) -> Result<String, String> {
    if !value.is_empty() && value.len() <= 16 && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not an implementation: expected a short name such as `cp` or `pp`"
        ))
    }
}

/// Settings after the file's options and the command line (which wins).
pub struct Settings {
    pub indexes: Vec<String>,
    pub trusted_hosts: Vec<String>,
    pub formats: FormatControl,
    pub policy: PrereleasePolicy,
}

pub fn settings(args: &Args, resolved: &Resolved) -> Result<Settings, String> {
    let file = &resolved.options;
    let mut indexes = Vec::new();
    if let Some(url) = &args.index_url {
        indexes.push(url.clone());
    } else if let Some(url) = &file.index_url {
        indexes.push(url.clone());
    } else if !file.no_index {
        indexes.push(PYPI.to_owned());
    }
    for url in args.extra_index_urls.iter().chain(&file.extra_index_urls) {
        if !indexes.contains(url) && (!file.no_index || args.index_url.is_some()) {
            indexes.push(url.clone());
        }
    }
    let mut trusted_hosts = args.trusted_hosts.clone();
    trusted_hosts.extend(file.trusted_hosts.iter().cloned());
    let mut formats = FormatControl::default();
    let apply = |formats: &mut FormatControl, only: &[String], no: &[String]| {
        for v in only {
            formats
                .only_binary(v)
                .map_err(|e| format!("`--only-binary {v}`: {e}"))?;
        }
        for v in no {
            formats
                .no_binary(v)
                .map_err(|e| format!("`--no-binary {v}`: {e}"))?;
        }
        Ok::<(), String>(())
    };
    apply(&mut formats, &file.only_binary, &file.no_binary)?;
    apply(&mut formats, &args.only_binary, &args.no_binary)?;
    let policy = if args.pre || file.pre {
        PrereleasePolicy::Allow
    } else {
        PrereleasePolicy::IfNeeded
    };
    Ok(Settings {
        indexes,
        trusted_hosts,
        formats,
        policy,
    })
}

/// The target's tags and marker environment from the command line.
pub fn target(args: &Args) -> Result<(Target, MarkerEnvironment, Version), String> {
    let abis: Vec<&str> = args.abis.iter().map(String::as_str).collect();
    let platforms: Vec<&str> = args.platforms.iter().map(String::as_str).collect();
    let spec = TargetSpec::new(
        &args.implementation,
        &args.python_version,
        &abis,
        &platforms,
    )
    .map_err(|e| e.to_string())?;
    let target = Target::pip(&spec).map_err(|e| e.to_string())?;
    let python_version = match spec.minor {
        Some(minor) => format!("{}.{minor}", spec.major),
        None => format!("{}", spec.major),
    };
    let full = format!("{python_version}.0");
    let (implementation_name, platform_implementation) = match spec.implementation.as_str() {
        "cp" => ("cpython", "CPython"),
        "pp" => ("pypy", "PyPy"),
        "gp" => ("graalpy", "GraalVM"),
        other => (other, other),
    };
    let platform = args.platforms.first().map(String::as_str).unwrap_or("");
    let (sys_platform, system, os_name) = if platform.starts_with("win") {
        ("win32", "Windows", "nt")
    } else if platform.starts_with("macosx") {
        ("darwin", "Darwin", "posix")
    } else if platform.contains("linux") {
        ("linux", "Linux", "posix")
    } else {
        ("", "", "")
    };
    let machine = match platform {
        "win_amd64" => "AMD64",
        "win32" => "x86",
        "win_arm64" => "ARM64",
        p => [
            "x86_64", "aarch64", "arm64", "i686", "ppc64le", "s390x", "armv7l", "riscv64",
        ]
        .into_iter()
        .find(|m| p.ends_with(m))
        .unwrap_or(""),
    };
    let env = MarkerEnvironment::try_from(pep508_rs::MarkerEnvironmentBuilder {
        implementation_name,
        implementation_version: &full,
        os_name,
        platform_machine: machine,
        platform_python_implementation: platform_implementation,
        platform_release: "",
        platform_system: system,
        platform_version: "",
        python_full_version: &full,
        python_version: &python_version,
        sys_platform,
    })
    .map_err(|e| e.to_string())?;
    let version: Version = full.parse().map_err(|e| format!("{e}"))?;
    Ok((target, env, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;
    use pypackaging::PackageName;
    use pypackaging::requirements_txt::{self, Loader};

    struct Memory(Vec<(&'static str, &'static str)>);

    impl Loader for Memory {
        type Error = String;
        fn load(&mut self, location: &str, _: bool) -> Result<Vec<u8>, String> {
            self.0
                .iter()
                .find(|(name, _)| *name == location)
                .map(|(_, text)| text.as_bytes().to_vec())
                .ok_or_else(|| format!("no {location}"))
        }
    }

    pub fn args(argv: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("mirror").chain(argv.iter().copied()))
    }

    /// The first line of clap's message, without colors.
    fn error(argv: &[&str]) -> (ErrorKind, String) {
        let e = args(argv).unwrap_err();
        let text = e.render().to_string();
        (e.kind(), text.lines().next().unwrap_or_default().to_owned())
    }

    #[test]
    fn the_command_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn arguments() {
        let a = args(&[
            "-r",
            "r.txt",
            "--dest=out",
            "--platform",
            "a",
            "--platform=b",
            "--jobs=2",
        ])
        .unwrap();
        assert_eq!(a.requirements, ["r.txt"]);
        assert_eq!(a.dest, PathBuf::from("out"));
        assert_eq!(a.platforms, ["a", "b"]);
        assert_eq!((a.jobs, a.python_version.as_str()), (2, "3.11"));
        assert_eq!(a.implementation, "cp");
        assert_eq!(
            error(&["--dest", "out"]),
            (
                ErrorKind::MissingRequiredArgument,
                "error: the following required arguments were not provided:".into()
            )
        );
        assert_eq!(
            error(&["-r", "r.txt"]).0,
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            error(&["-r"]),
            (
                ErrorKind::InvalidValue,
                "error: a value is required for '--requirement <REQUIREMENTS>' but none was supplied"
                    .into()
            )
        );
        assert_eq!(
            error(&["-r", "x", "--dest", "d", "--jobs", "0"]),
            (
                ErrorKind::ValueValidation,
                "error: invalid value '0' for '--jobs <N>': `0` is not a number from 1 to 64"
                    .into()
            )
        );
        assert_eq!(
            error(&["-r", "x", "--dest", "d", "--python-version", "3.x"]).1,
            "error: invalid value '3.x' for '--python-version <VERSION>': `3.x` is not a Python \
             version: expected `3`, `3.11`, `311` or `3.11.4`"
        );
        assert_eq!(
            error(&["-r", "x", "--dest", "d", "--bogus"]),
            (
                ErrorKind::UnknownArgument,
                "error: unexpected argument '--bogus' found".into()
            )
        );
        assert_eq!(error(&["--help"]).0, ErrorKind::DisplayHelp);
        assert_eq!(error(&["--version"]).0, ErrorKind::DisplayVersion);
    }

    #[test]
    fn help_lists_every_flag() {
        let help = Args::command().render_long_help().to_string();
        for flag in [
            "--requirement",
            "--dest",
            "--index-url",
            "--extra-index-url",
            "--trusted-host",
            "--cert",
            "--python-version",
            "--implementation",
            "--abi",
            "--platform",
            "--only-binary",
            "--no-binary",
            "--require-hashes",
            "--pre",
            "--all-platforms",
            "--jobs",
            "--help",
            "--version",
        ] {
            assert!(help.contains(flag), "{flag} missing from\n{help}");
        }
        assert!(help.contains("[default: 3.11]") && help.contains("[default: 4]"));
    }

    #[test]
    fn command_line_wins_over_the_file() {
        let mut loader = Memory(vec![
            (
                "r.txt",
                "-i https://file.example/simple/\n--extra-index-url https://extra.example/simple/\n\
                 --only-binary :all:\n--trusted-host file.example\n-r more.txt\nfoo==1.0\n",
            ),
            ("more.txt", "--pre\nbar==2.0\n"),
        ]);
        let resolved = requirements_txt::resolve("r.txt", &mut loader, &|_| None);
        assert!(resolved.errors.is_empty(), "{:?}", resolved.errors);
        assert_eq!(resolved.entries.len(), 2);

        let from_file =
            settings(&args(&["-r", "r.txt", "--dest", "d"]).unwrap(), &resolved).unwrap();
        assert_eq!(
            from_file.indexes,
            [
                "https://file.example/simple/",
                "https://extra.example/simple/"
            ]
        );
        assert_eq!(from_file.trusted_hosts, ["file.example"]);
        assert_eq!(from_file.policy, PrereleasePolicy::Allow);
        let foo: PackageName = "foo".parse().unwrap();
        assert_eq!(from_file.formats.allowed(&foo), (true, false));

        let cli = args(&[
            "-r",
            "r.txt",
            "--dest",
            "d",
            "--index-url",
            "https://cli.example/simple/",
            "--only-binary",
            ":none:",
        ])
        .unwrap();
        let both = settings(&cli, &resolved).unwrap();
        assert_eq!(
            both.indexes,
            [
                "https://cli.example/simple/",
                "https://extra.example/simple/"
            ]
        );
        assert_eq!(both.formats.allowed(&foo), (true, true));

        let bad = args(&["-r", "r.txt", "--dest", "d", "--no-binary", "x!"]).unwrap();
        let err = settings(&bad, &resolved).err().unwrap();
        assert!(err.starts_with("`--no-binary x!`: "), "{err}");
    }

    #[test]
    fn markers_are_evaluated_for_the_target() {
        let cli = args(&[
            "-r",
            "r",
            "--dest",
            "d",
            "--python-version",
            "3.12",
            "--platform",
            "win_amd64",
        ])
        .unwrap();
        let (_, env, python) = target(&cli).unwrap();
        assert_eq!(python.to_string(), "3.12.0");
        let marker = |m: &str| {
            pypackaging::version::parse_requirement(&format!("x ; {m}"))
                .unwrap()
                .marker
                .evaluate(&env, &[])
        };
        assert!(marker(
            "sys_platform == 'win32' and platform_machine == 'AMD64'"
        ));
        assert!(marker(
            "python_version >= '3.12' and implementation_name == 'cpython'"
        ));
        assert!(!marker("sys_platform == 'linux'"));
    }
}
