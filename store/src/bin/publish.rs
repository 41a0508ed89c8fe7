//! `publish`: puts an index built by `build_index` on an S3-compatible store (or a folder), and
//! promotes a release between stages.
//!
//! ```text
//! publish push OUT s3://bucket/prefix --stage dev [--endpoint URL] [--jobs 8] [--dry-run]
//! publish promote NAME VERSION --from dev --to prod s3://bucket/prefix
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand};
use pypackaging::PackageName;
use pypackaging::index::publish::plan;
use pypackaging::version::Version;
use pypackaging_store::publish::{self, Source};
use pypackaging_store::{StoreArgs, manifest, parse_stage, promote};

#[derive(Parser, Debug)]
#[command(
    name = "publish",
    about = "Publish an index built by build_index to an S3-compatible store, and promote releases between stages",
    long_about = "Publish an index built by build_index to an S3-compatible store (AWS S3, Garage, \
MinIO) or a folder, and promote releases between stages.\n\n\
Every publish is ordered so that a reader never sees a page that links to an object not yet \
stored: files and .metadata first (each verified: size, and MD5 ETag or a read-back sha256), \
then project pages, then the root pages and requirements.txt, then the deletes the other way. \
Only keys this tool wrote are replaced or deleted (recorded in PREFIX/.pypackaging/manifest.json). \
A run over an unchanged index puts nothing.\n\n\
Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN); endpoint and region: \
the flags, or AWS_ENDPOINT_URL and AWS_REGION."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How a run goes.
#[derive(clap::Args, Debug, Clone, Copy)]
struct Run {
    /// Requests at once (puts within a tier, reads of pages).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: u16,
    /// Print the plan, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Seconds to let a cut run's last requests land before listing the store (only when the
    /// manifest says the last run was cut).
    #[arg(long, default_value_t = 5, value_name = "SECS")]
    settle: u64,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Put the index in OUT (a folder build_index wrote) at DEST.
    Push {
        /// The folder build_index wrote.
        out: PathBuf,
        /// s3://BUCKET/PREFIX, file:///DIR or a folder.
        dest: String,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        run: Run,
    },
    /// List what DEST holds under its prefix (stage), one JSON object a line: key, size,
    /// e_tag, last_modified, and whether this tool wrote it (`ours`).
    List {
        /// s3://BUCKET/PREFIX, file:///DIR or a folder.
        dest: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Copy NAME VERSION's files from one stage to another (server-side) and render the
    /// target's affected pages again.
    Promote {
        /// The project.
        name: String,
        /// The version.
        version: String,
        /// s3://BUCKET/PREFIX (the stages are under it), file:///DIR or a folder.
        store_url: String,
        /// The stage it is on.
        #[arg(long, value_parser = parse_stage)]
        from: String,
        /// The stage to put it on.
        #[arg(long, value_parser = parse_stage)]
        to: String,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        run: Run,
    },
}

fn print_plan(plan: &pypackaging::index::publish::Plan) {
    for step in &plan.steps {
        match step {
            pypackaging::index::publish::Step::Put(o) => println!("put    {}", o.key),
            pypackaging::index::publish::Step::Delete(k) => println!("delete {k}"),
        }
    }
}

async fn push(out: PathBuf, dest: String, store: StoreArgs, run: Run) -> Result<(), String> {
    let (jobs, dry_run) = (usize::from(run.jobs), run.dry_run);
    let desired = publish::built_folder(&out)?;
    let location = store.open(&dest)?;
    let settle = std::time::Duration::from_secs(run.settle);
    let holding = manifest::holding(&location, settle).await?;
    let conflicts = publish::conflicts(&holding, &desired);
    if !conflicts.is_empty() {
        return Err(format!(
            "{location} holds {} key(s) this tool did not write, which the index would replace \
             (first: {}); nothing was written",
            conflicts.len(),
            conflicts[0]
        ));
    }
    let plan = plan(&holding.ours, &desired);
    eprintln!("publish: {location}: {plan} (of {} objects)", desired.len());
    if dry_run {
        print_plan(&plan);
        return Ok(());
    }
    let bar = publish::bar();
    let summary = publish::apply(
        &location,
        &holding,
        &plan,
        &desired,
        &Source::Folder(out),
        jobs,
        &bar,
    )
    .await?;
    println!("publish: {location}: {summary}");
    Ok(())
}

async fn list(dest: String, store: StoreArgs) -> Result<(), String> {
    let location = store.open(&dest)?;
    let manifest = manifest::read(&location).await?;
    for (key, meta) in manifest::list(&location).await? {
        let line = serde_json::json!({
            "key": key,
            "size": meta.size,
            "e_tag": meta.e_tag,
            "last_modified": meta.last_modified.to_rfc3339(),
            "ours": manifest.objects.contains_key(&key),
        });
        println!("{line}");
    }
    Ok(())
}

async fn promote_cmd(
    (name, version): (String, String),
    store_url: String,
    (from, to): (String, String),
    store: StoreArgs,
    run: Run,
) -> Result<(), String> {
    let (jobs, dry_run) = (usize::from(run.jobs), run.dry_run);
    if from == to {
        return Err(format!("--from and --to are both `{from}`"));
    }
    let name = PackageName::from_str(&name).map_err(|e| e.to_string())?;
    let version = Version::from_str(&version).map_err(|e| format!("`{version}`: {e}"))?;
    if store.stage.is_some() {
        return Err("promote takes --from and --to, not --stage".to_owned());
    }
    let base = store.open(&store_url)?;
    let (from, to) = (base.at_stage(Some(&from)), base.at_stage(Some(&to)));
    let settle = std::time::Duration::from_secs(run.settle);
    let p = promote::prepare(&from, &to, &name, &version, jobs, settle).await?;
    eprintln!(
        "promote: {name} {version}: {} file(s) from {from} to {to} ({} already there): {}",
        p.files.len(),
        p.already.len(),
        p.plan
    );
    if dry_run {
        print_plan(&p.plan);
        return Ok(());
    }
    let bar = publish::bar();
    let summary = publish::apply(
        &to,
        &p.holding,
        &p.plan,
        &p.desired,
        &Source::Copy(from),
        jobs,
        &bar,
    )
    .await?;
    println!("promote: {to}: {summary}");
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("publish: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Push {
                out,
                dest,
                store,
                run,
            } => push(out, dest, store, run).await,
            Command::List { dest, store } => list(dest, store).await,
            Command::Promote {
                name,
                version,
                store_url,
                from,
                to,
                store,
                run,
            } => promote_cmd((name, version), store_url, (from, to), store, run).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("publish: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Warnings (a put verified only on the second try) go to stderr.
fn tracing_subscriber_init() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::WARN)
        .with_target(false)
        .try_init();
}
