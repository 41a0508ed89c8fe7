//! `inspect tags`: a target's supported tags, most preferred first (`shared/PROBE.md`).

use pypackaging::tags::{LinuxRank, Target, TargetSpec};

/// `tags --python V --implementation I --abi A... --platform P... [--expand] [--linux-last]`:
/// one `python-abi-platform` per line, or an exit status 2 and a message for a usage error.
pub fn probe(args: &[String]) -> Result<String, (u8, String)> {
    let usage = |message: String| (2, message);
    let (mut python, mut implementation) = (None, None);
    let (mut abis, mut platforms) = (Vec::new(), Vec::new());
    let (mut expand, mut linux) = (false, LinuxRank::First);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .map(String::as_str)
                .ok_or_else(|| usage(format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--python" => python = Some(value()?),
            "--implementation" => implementation = Some(value()?),
            "--abi" => abis.push(value()?),
            "--platform" => platforms.push(value()?),
            "--expand" => expand = true,
            "--linux-last" => linux = LinuxRank::Last,
            other => return Err(usage(format!("unknown argument `{other}`"))),
        }
    }
    let python = python.ok_or_else(|| usage("--python is required".into()))?;
    let spec = TargetSpec::new(implementation.unwrap_or("cp"), python, &abis, &platforms)
        .map_err(|e| usage(e.to_string()))?;
    let target = if expand {
        Target::expanded(&spec, linux)
    } else {
        Target::pip(&spec)
    }
    .map_err(|e| usage(e.to_string()))?;
    Ok(target.to_string())
}
