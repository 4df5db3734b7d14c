//! `portcullis`: the server and its operator commands.

use anyhow::{bail, Context, Result};
use clap::{ArgGroup, Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use portcullis_core::ids::PoolId;
use portcullis_service::{read_import, MasterKey, Service};
use portcullis_store::{PgStore, SqliteStore, Store};
use std::fs::File;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// mimalloc: its 2 MiB-aligned regions are backed by transparent huge pages, so the engine's
/// random accesses over a large state miss the TLB far less (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "portcullis",
    version,
    about = "Self-hosted authorization service speaking the GenAuth V3 Management API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server.
    Serve(ServeArgs),
    /// Manage user pools.
    #[command(subcommand)]
    Pool(PoolCommand),
    /// Manage access keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Bulk-load a JSON-lines file of records into a pool.
    Import(ImportArgs),
}

#[derive(Args)]
struct DataArgs {
    /// Directory holding the SQLite database and the master key file.
    #[arg(long, env = "PORTCULLIS_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// A PostgreSQL database (postgres://…) shared by several nodes, instead of SQLite in the
    /// data directory. Needs the shared master key (PORTCULLIS_MASTER_KEY).
    #[arg(long, env = "PORTCULLIS_DATABASE")]
    database: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, env = "PORTCULLIS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    data: DataArgs,
    /// Lifetime of management tokens issued by get-management-token.
    #[arg(long, env = "PORTCULLIS_TOKEN_TTL_SECONDS", default_value_t = 7200)]
    token_ttl_seconds: u64,
}

#[derive(Args)]
#[command(group(ArgGroup::new("target").required(true).args(["pool", "new_pool"])))]
struct ImportArgs {
    /// One mutation per line (`{"Put": record}` or `{"Delete": key}`), as `portcullis-dataset
    /// generate` writes `records.jsonl`. The records are trusted: they are applied as they are.
    #[arg(long)]
    file: PathBuf,
    /// Import into this existing pool. With SQLite, a server that already holds the pool in
    /// memory sees the records only after a restart.
    #[arg(long)]
    pool: Option<String>,
    /// Create a pool with this name (and its first access key, printed once) and import into it.
    #[arg(long)]
    new_pool: Option<String>,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Subcommand)]
enum PoolCommand {
    /// Create a pool and its first access key (printed once).
    Create {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        json: bool,
    },
    /// List pools.
    List {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create another access key for a pool (printed once).
    Create {
        #[arg(long)]
        pool: String,
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        json: bool,
    },
    /// Revoke an access key; requests signed with it fail from then on.
    Revoke {
        #[arg(long)]
        key: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List a pool's access keys (ids only).
    List {
        #[arg(long)]
        pool: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

async fn open_service(data: &DataArgs) -> Result<Arc<Service>> {
    let env_key = std::env::var("PORTCULLIS_MASTER_KEY").ok();
    let (store, master): (Arc<dyn Store>, _) = match &data.database {
        Some(url) => {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                bail!("--database must be a postgres:// URL (without it, SQLite in --data-dir is used)");
            }
            // Checked first: a node must not start (and migrate) with a key of its own.
            let master = MasterKey::load_shared(env_key.as_deref(), &data.data_dir)?;
            let store = PgStore::connect(url).await.context("cannot open the PostgreSQL database")?;
            (Arc::new(store), master)
        }
        None => {
            std::fs::create_dir_all(&data.data_dir)
                .with_context(|| format!("cannot create data directory {}", data.data_dir.display()))?;
            let master = MasterKey::load(env_key.as_deref(), &data.data_dir)?;
            (Arc::new(SqliteStore::open(&data.data_dir).await?), master)
        }
    };
    Ok(Service::open(store, master).await?)
}

fn print_key(json: bool, pool: &str, key: &portcullis_service::AccessKey) {
    if json {
        println!("{}", serde_json::json!({"userPoolId": pool, "accessKeyId": key.id, "accessKeySecret": key.secret}));
    } else {
        println!("userPoolId:      {pool}\naccessKeyId:     {}\naccessKeySecret: {}", key.id, key.secret);
        println!("(the secret is shown only now)");
    }
}

/// Creates a pool and its first access key, and prints the key.
async fn create_pool(service: &Service, name: &str, json: bool) -> Result<PoolId> {
    let pool = service.create_pool(name, None).await?;
    let key = service.create_access_key(&pool, Some(pool.as_str()), None).await?;
    print_key(json, pool.as_str(), &key);
    Ok(pool)
}

/// Parses the whole file first (a bad line stops the import before anything is written), then
/// writes it in one transaction.
async fn import(args: ImportArgs) -> Result<()> {
    let service = open_service(&args.data).await?;
    if let Some(id) = &args.pool {
        if service.pool(id).await?.is_none() {
            bail!("no user pool {id}");
        }
    }
    let started = Instant::now();
    let file = File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let reading =
        progress_bar(file.metadata()?.len(), "reading {bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}");
    let rows = tokio::task::spawn_blocking({
        let reading = reading.clone();
        move || read_import(file, &|bytes| reading.set_position(bytes))
    })
    .await?
    .with_context(|| format!("cannot import {}", args.file.display()))?;
    reading.finish_and_clear();
    let read_seconds = started.elapsed().as_secs_f64();
    let id = match (&args.pool, &args.new_pool) {
        (Some(id), _) => id.clone(),
        (None, Some(name)) => create_pool(&service, name, false).await?.to_string(),
        (None, None) => unreachable!("clap requires --pool or --new-pool"),
    };
    let Some(pool) = service.pool(&id).await? else { bail!("no user pool {id}") };
    let records = rows.len();
    let writing = progress_bar(records as u64, "writing {bar:40} {pos}/{len} records, eta {eta}");
    let revision = service.import(&pool, rows, &|written| writing.set_position(written as u64)).await?;
    writing.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "imported {records} records into {} in {seconds:.1} s ({:.0} records/s; reading {read_seconds:.1} s, writing {:.1} s)",
        pool.id,
        records as f64 / seconds.max(1e-9),
        seconds - read_seconds
    );
    // Other nodes load the import a moment later: a request with this minimum revision waits for it.
    println!("revision: {revision}");
    Ok(())
}

fn progress_bar(length: u64, template: &str) -> ProgressBar {
    ProgressBar::new(length).with_style(ProgressStyle::with_template(template).expect("the template is valid"))
}

async fn serve(args: ServeArgs) -> Result<()> {
    let service = open_service(&args.data).await?;
    let supplied_id = std::env::var("PORTCULLIS_ACCESS_KEY_ID").ok().filter(|v| !v.is_empty());
    let supplied_secret = std::env::var("PORTCULLIS_ACCESS_KEY_SECRET").ok().filter(|v| !v.is_empty());
    let supplied = match (&supplied_id, &supplied_secret) {
        (Some(id), Some(secret)) => Some((id.as_str(), secret.as_str())),
        (None, None) => None,
        _ => bail!("set both PORTCULLIS_ACCESS_KEY_ID and PORTCULLIS_ACCESS_KEY_SECRET, or neither"),
    };
    if let Some(key) = service.bootstrap(supplied).await? {
        println!("Created the default user pool and its access key:");
        print_key(false, key.pool.as_str(), &key);
    }
    let config = portcullis_server::ServerConfig { token_ttl_seconds: args.token_ttl_seconds, ..Default::default() };
    let app = portcullis_server::app(service, config).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    // On standard output too, whatever the log level: with `--listen HOST:0` this line is the
    // only place the chosen port shows (the tests start their servers that way).
    let address = listener.local_addr()?;
    tracing::info!(%address, "portcullis is serving");
    println!("serving on {address}");
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Import(args) => import(args).await,
        Command::Pool(PoolCommand::Create { name, data, json }) => {
            create_pool(&*open_service(&data).await?, &name, json).await?;
            Ok(())
        }
        Command::Pool(PoolCommand::List { data, json }) => {
            let service = open_service(&data).await?;
            let pools = service.pools().await?;
            if json {
                let list: Vec<_> =
                    pools.iter().map(|p| serde_json::json!({"userPoolId": p.id.as_str(), "name": p.name})).collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                for pool in pools {
                    println!("{}\t{}", pool.id, pool.name);
                }
            }
            Ok(())
        }
        Command::Key(KeyCommand::Create { pool, data, json }) => {
            let service = open_service(&data).await?;
            let Some(handle) = service.pool(&pool).await? else { bail!("no user pool {pool}") };
            let key = service.create_access_key(&handle.id, None, None).await?;
            print_key(json, handle.id.as_str(), &key);
            Ok(())
        }
        Command::Key(KeyCommand::Revoke { key, data }) => {
            let service = open_service(&data).await?;
            if !service.revoke_access_key(&key).await? {
                bail!("no active access key {key}");
            }
            println!("revoked {key}");
            Ok(())
        }
        Command::Key(KeyCommand::List { pool, data }) => {
            let service = open_service(&data).await?;
            let Some(handle) = service.pool(&pool).await? else { bail!("no user pool {pool}") };
            for key in service.access_keys(&handle.id).await? {
                let state = if key.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{}\t{state}", key.id);
            }
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
