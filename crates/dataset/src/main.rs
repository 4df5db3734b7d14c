//! `portcullis-dataset`: writes a generated dataset as JSON lines, or runs the engine
//! benchmark harness on one (per-call latencies, p50/p99, memory), verifying every answer.

use clap::{Parser, Subcommand};
use portcullis_core::codes::GrantCode;
use portcullis_core::ops::authorization::grants_on_code;
use portcullis_core::ops::PageRequest;
use portcullis_core::{engine, Mutation, Record};
use portcullis_dataset::generate::{deep_chain, generate, HOT_CODE};
use portcullis_dataset::measure::{clock_overhead, load, Latencies};
use portcullis_dataset::{Dataset, Reference, Size, Workload, NOW_MS};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// mimalloc rather than the system allocator: it maps its memory in 2 MiB-aligned regions and
/// asks the kernel to back them with transparent huge pages, so the engine's random accesses
/// over a large state miss the TLB far less (see docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Portcullis benchmark datasets and the engine benchmark harness")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes `records.jsonl` (one `Mutation` per line) and `checks.jsonl` (with expected answers).
    Generate {
        #[arg(long, default_value = "small", value_parser = parse_size)]
        size: Size,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 100_000)]
        checks: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Loads the dataset into the engine, verifies the workload, and prints a table of figures.
    Bench {
        #[arg(long, default_value = "small", value_parser = parse_size)]
        size: Size,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 100_000)]
        checks: usize,
        /// Timed passes over the workload (after one warm-up pass).
        #[arg(long, default_value_t = 3)]
        passes: usize,
        /// Times the workload this many times, one row each: on a shared machine the best
        /// row is the least disturbed one.
        #[arg(long, default_value_t = 1)]
        repeat: usize,
    },
    /// Prints the time of one dependent memory load for working sets of these sizes (MiB): the
    /// floor a check's cache misses cost on this machine.
    MemoryLatency {
        #[arg(long, value_delimiter = ',', default_value = "1,16,64,256,1024,4096")]
        mib: Vec<usize>,
        #[arg(long, default_value_t = 20_000_000)]
        steps: usize,
    },
}

fn parse_size(raw: &str) -> Result<Size, String> {
    Size::parse(raw).ok_or_else(|| format!("unknown size {raw}: small, medium or large"))
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate { size, seed, checks, out } => write_dataset(size, seed, checks, &out),
        Command::Bench { size, seed, checks, passes, repeat } => bench(size, seed, checks, passes, repeat),
        Command::MemoryLatency { mib, steps } => {
            for size in mib {
                let ns = portcullis_dataset::latency::dependent_load_ns(size, steps, 1);
                println!("{size} MiB: {ns:.1} ns per dependent load");
            }
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("portcullis-dataset: {error}");
            ExitCode::FAILURE
        }
    }
}

fn write_dataset(size: Size, seed: u64, checks: usize, out: &PathBuf) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    std::fs::create_dir_all(out).map_err(io)?;
    let mut records = BufWriter::new(File::create(out.join("records.jsonl")).map_err(io)?);
    let mut reference = Reference::default();
    let mut failed = None;
    let dataset = generate(size, seed, |record: Record| {
        reference.add(&record);
        let line = serde_json::to_string(&Mutation::Put(record)).expect("records serialize");
        if let Err(e) = writeln!(records, "{line}") {
            failed.get_or_insert(e);
        }
    });
    failed.map_or(Ok(()), Err).map_err(io)?;
    records.flush().map_err(io)?;
    let workload = Workload::new(&dataset, &reference, checks, seed);
    let mut lines = BufWriter::new(File::create(out.join("checks.jsonl")).map_err(io)?);
    for check in &workload.checks {
        writeln!(lines, "{}", serde_json::to_string(check).expect("checks serialize")).map_err(io)?;
    }
    lines.flush().map_err(io)?;
    println!(
        "{size}: {} records, {} checks ({:.0}% allowed) in {}",
        dataset.records,
        workload.checks.len(),
        workload.allowed_share() * 100.0,
        out.display()
    );
    Ok(())
}

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_nanos() as f64 / 1000.0)
}

fn row(size: Size, operation: &str, latencies: &Latencies) {
    println!(
        "| {size} | {operation} | {} | {} | {} | {} |",
        latencies.count(),
        micros(latencies.percentile(50.0)),
        micros(latencies.percentile(99.0)),
        micros(latencies.mean())
    );
}

fn bench(size: Size, seed: u64, checks: usize, passes: usize, repeat: usize) -> Result<(), String> {
    let mut loaded = load(size, seed, checks);
    loaded.verify()?;
    let grants = loaded.state.grant_count();
    println!(
        "{size}: {} records ({grants} grants) loaded in {:.2} s; state RSS {:.0} MiB = {} bytes per grant; \
         {} checks verified against the reference, {:.0}% allowed; clock overhead per sample {}",
        loaded.dataset.records,
        loaded.load_time.as_secs_f64(),
        loaded.state_bytes as f64 / (1024.0 * 1024.0),
        loaded.state_bytes / grants.max(1) as u64,
        loaded.workload.checks.len(),
        loaded.workload.allowed_share() * 100.0,
        micros(clock_overhead()),
    );
    println!();
    println!("| size | operation | samples | p50 | p99 | mean |");
    println!("|---|---|---|---|---|---|");

    let (state, namespace) = (&loaded.state, &loaded.dataset.namespace);
    for _ in 0..repeat.max(1) {
        let checks = Latencies::record(&loaded.workload.checks, passes + 1, |c| {
            std::hint::black_box(engine::is_action_allowed(state, namespace, &c.user, &c.action, &c.resource, NOW_MS));
        });
        row(size, "is-action-allowed (workload)", &checks);
    }

    for (label, depth) in [("is-action-allowed, department depth 1", 1), ("is-action-allowed, department depth 32", 32)]
    {
        let (user, resource) = add_deep_chain(&mut loaded.state, &loaded.dataset, depth);
        let state = &loaded.state;
        for action in ["read", "write"] {
            if !engine::is_action_allowed(state, namespace, &user, action, &resource, NOW_MS) {
                return Err(format!("the depth-{depth} chain does not grant {action} on {resource}"));
            }
        }
        let inputs = [("read", &resource), ("write", &resource), ("list", &resource)].repeat(20_000);
        let latencies = Latencies::record(&inputs, passes + 1, |(action, resource)| {
            std::hint::black_box(engine::is_action_allowed(state, namespace, &user, action, resource, NOW_MS));
        });
        row(size, label, &latencies);
    }

    let state = &loaded.state;
    let heavy = &loaded.dataset.heavy_user;
    let effective = engine::effective_grants(state, namespace, heavy, NOW_MS).len();
    let listing = Latencies::record(&[(); 100], passes + 1, |_| {
        std::hint::black_box(engine::effective_grants(state, namespace, heavy, NOW_MS));
    });
    row(size, &format!("get-user-authorized-resources ({effective} entries)"), &listing);

    let hot = GrantCode::parse(HOT_CODE).expect("a valid code");
    let first_page = PageRequest { page: 1, limit: 10 };
    let targets = grants_on_code(state, namespace, &hot, None, first_page).total;
    let page = Latencies::record(&[(); 1000], passes + 1, |_| {
        std::hint::black_box(grants_on_code(state, namespace, &hot, None, first_page).items.len());
    });
    row(size, &format!("get-resource-authorized-targets page of 10 ({targets} targets)"), &page);
    Ok(())
}

/// Puts a department chain of `depth` (with its user and grants) into the loaded state.
fn add_deep_chain(
    state: &mut portcullis_core::PoolState,
    dataset: &Dataset,
    depth: usize,
) -> (portcullis_core::ids::UserId, String) {
    deep_chain(dataset, depth, |record| state.apply(Mutation::Put(record)))
}
