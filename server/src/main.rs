//! The vecinos-server command line: serve, manage organiser accounts, import HSDS files.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use vecinos_server::config::Config;
use vecinos_server::listen::{self, Limits};
use vecinos_server::{AppState, store};

#[derive(Parser)]
#[command(version, about = "Vecinos server: the sync API and the PWA host")]
struct Cli {
    /// The database: a folder for the embedded SQLite file, or a postgres:// URL.
    #[arg(long, global = true, env = "VECINOS_DATABASE", default_value = "data")]
    data: String,
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start: the size of `Serve`'s options costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "VECINOS_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Trunk's output folder with the built PWA.
        #[arg(long, env = "VECINOS_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Fill a brand-new database with fictional demo data.
        #[arg(long, env = "VECINOS_DEMO")]
        demo: bool,
        /// The server is reached over HTTPS, through a TLS-terminating proxy: marks the session
        /// cookie Secure and sends Strict-Transport-Security.
        #[arg(long, env = "VECINOS_HTTPS")]
        https: bool,
        /// The old name of --https.
        #[arg(long, env = "VECINOS_SECURE_COOKIES", hide = true)]
        secure_cookies: bool,
        /// Leading zero bits required of a report's proof of work.
        #[arg(long, env = "VECINOS_POW_DIFFICULTY", default_value_t = Config::default().pow_difficulty)]
        pow_difficulty: u8,
        /// Report submissions accepted per second, all clients together.
        #[arg(long, env = "VECINOS_REPORT_RATE", default_value_t = Config::default().report_rate)]
        report_rate: u32,
        /// Minutes a verified alert stays up unless the organiser chooses otherwise.
        #[arg(long, env = "VECINOS_ALERT_TTL_MINUTES", default_value_t = 240)]
        alert_ttl_minutes: u32,
        /// Days raw reports are kept before they are deleted for real.
        #[arg(long, env = "VECINOS_REPORT_RETENTION_DAYS", default_value_t = 7)]
        report_retention_days: u32,
        /// Map tile URL template ({z}/{x}/{y}); point it at your own tile server.
        #[arg(long, env = "VECINOS_TILE_URL", default_value_t = Config::default().tiles.url_template)]
        tile_url: String,
        /// Attribution shown on the map for those tiles.
        #[arg(long, env = "VECINOS_TILE_ATTRIBUTION", default_value_t = Config::default().tiles.attribution)]
        tile_attribution: String,
        /// A JSON file with the deployment's region instead of the demo's: name, centre, bounds
        /// and named neighbourhoods (see README.md, "Your region").
        #[arg(long, env = "VECINOS_REGION_FILE")]
        region_file: Option<PathBuf>,
        /// Live-update streams (GET /api/v1/changes/stream) open at once; apps past it, or all
        /// with 0, fall back to pulling on their timer. Each needs a file descriptor.
        #[arg(long, env = "VECINOS_LIVE_STREAMS", default_value_t = Config::default().live_streams)]
        live_streams: usize,
        #[command(flatten)]
        push: PushOptions,
        #[command(flatten)]
        connections: ConnectionOptions,
    },
    /// The Web Push (VAPID) key.
    Vapid {
        #[command(subcommand)]
        command: VapidCommand,
    },
    /// Organiser accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import records from a file; nothing is imported unless every record is valid.
    Import {
        #[command(subcommand)]
        format: ImportFormat,
    },
}

/// Web Push settings of `serve`.
#[derive(clap::Args)]
struct PushOptions {
    /// Where push services can reach whoever runs this server (a mailto: or https: URL): change
    /// it to your own.
    #[arg(
        long,
        env = "VECINOS_PUSH_CONTACT",
        default_value = "mailto:admin@example.org"
    )]
    push_contact: String,
    /// The VAPID private key (base64url of 32 bytes) instead of the one kept in the database.
    #[arg(long, env = "VECINOS_VAPID_PRIVATE_KEY", hide_env_values = true)]
    vapid_private_key: Option<String>,
    /// Accept http:// push endpoints on this machine (tests with a local push service only).
    #[arg(long, env = "VECINOS_ALLOW_LOOPBACK_PUSH")]
    allow_loopback_push: bool,
    /// Push subscription writes accepted per second, all clients together.
    #[arg(long, env = "VECINOS_PUSH_RATE", default_value_t = Config::default().push_rate)]
    push_rate: u32,
}

/// Connection limits of `serve` (`vecinos_server::listen`).
#[derive(clap::Args)]
struct ConnectionOptions {
    /// Connections open at once, live streams included (they get three quarters at most). Each
    /// is a file descriptor: keep it at least 64 below `ulimit -n`, which the database and the
    /// runtime need. Past it, new connections wait until one closes; idle ones close after 10 s.
    #[arg(long, env = "VECINOS_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Milliseconds to send a request's head, or to stay idle between requests (for tests).
    #[arg(long, env = "VECINOS_HEADER_TIMEOUT_MS", hide = true, default_value_t = millis(Limits::default().header_timeout))]
    header_timeout_ms: u64,
    /// Milliseconds for an answer to start, past which it is 503 (for tests).
    #[arg(long, env = "VECINOS_REQUEST_TIMEOUT_MS", hide = true, default_value_t = millis(Config::default().request_timeout))]
    request_timeout_ms: u64,
    /// Milliseconds a request body may pause (for tests).
    #[arg(long, env = "VECINOS_BODY_TIMEOUT_MS", hide = true, default_value_t = millis(Config::default().body_timeout))]
    body_timeout_ms: u64,
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[derive(Subcommand)]
enum VapidCommand {
    /// Make a new key pair. Phones subscribed with the old public key are refused by their push
    /// service (403/410), their subscriptions are then deleted, and the app subscribes again with
    /// the new key the next time it is opened.
    Rotate,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an organiser, or set a new password, which ends their sessions and forgets their
    /// trusted browsers: reads the password from standard input.
    Add { name: String },
    /// Delete an organiser, their sessions and their trusted browsers.
    Remove { name: String },
    /// End every session of an organiser at once and forget their trusted browsers.
    SignOut { name: String },
    /// Forget the failed sign-ins of a name, so that its next sign-in waits for nothing.
    Unlock { name: String },
}

#[derive(Subcommand)]
enum ImportFormat {
    /// Resources as Open Referral HSDS 3.0 JSON (an array of services).
    Hsds { file: PathBuf },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if !cli.data.contains("://") {
        std::fs::create_dir_all(&cli.data)
            .with_context(|| format!("creating data folder {}", cli.data))?;
    }
    let store = store::open(&cli.data)
        .await
        .with_context(|| format!("opening the database at {}", cli.data))?;
    match cli.command {
        Command::Serve {
            addr,
            dist,
            demo,
            https,
            secure_cookies,
            pow_difficulty,
            report_rate,
            alert_ttl_minutes,
            report_retention_days,
            tile_url,
            tile_attribution,
            region_file,
            live_streams,
            push,
            connections,
        } => {
            let region = match region_file {
                Some(path) => vecinos_server::config::read_region(&path)?,
                None => Config::default().region,
            };
            let vapid = vecinos_server::push::Vapid::load(
                store.as_ref(),
                push.vapid_private_key.as_deref(),
                &push.push_contact,
            )
            .await
            .context("loading the VAPID key")?;
            let defaults = Config::default();
            let limits = Limits {
                header_timeout: Duration::from_millis(connections.header_timeout_ms.max(1)),
                max_connections: connections.max_connections.max(1),
                ..Limits::default()
            };
            let config = Config {
                region,
                secure_cookies: https || secure_cookies,
                pow_difficulty,
                report_rate,
                alert_ttl: chrono::Duration::minutes(i64::from(alert_ttl_minutes.max(1))),
                retention: store::Retention {
                    reports: chrono::Duration::days(i64::from(report_retention_days.max(1))),
                    ..defaults.retention
                },
                tiles: vecinos_core::Tiles {
                    url_template: tile_url,
                    attribution: tile_attribution,
                },
                vapid: Some(vapid),
                allow_loopback_push: push.allow_loopback_push,
                push_rate: push.push_rate,
                live_streams: limits.live_streams(live_streams),
                request_timeout: Duration::from_millis(connections.request_timeout_ms.max(1)),
                body_timeout: Duration::from_millis(connections.body_timeout_ms.max(1)),
                ..defaults
            };
            serve(store, config, limits, addr, dist, demo).await
        }
        Command::User { command } => user(store.as_ref(), command).await,
        Command::Vapid {
            command: VapidCommand::Rotate,
        } => {
            let key = vecinos_server::push::Vapid::generate_key();
            store.push().replace_vapid_key(&key).await?;
            let public = vecinos_server::push::Vapid::new(&key, "")?.public_key();
            println!("new VAPID public key {public}; restart the servers to use it");
            Ok(())
        }
        Command::Import {
            format: ImportFormat::Hsds { file },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let resources = vecinos_server::interchange::hsds::import(&text)
                .with_context(|| format!("{} was not imported", file.display()))?;
            let records = resources
                .into_iter()
                .map(vecinos_core::Record::Resource)
                .collect();
            let count = store.import(records, "import").await?;
            println!("imported {count} resources from {}", file.display());
            Ok(())
        }
    }
}

/// The `user` commands. Each says what it did; an unknown name is an error. What they end stops
/// working at once on running servers too, which look sessions up in the database on every
/// request.
async fn user(store: &dyn store::Store, command: UserCommand) -> anyhow::Result<()> {
    use vecinos_server::auth::{MAX_NAME, MAX_PASSWORD};
    use vecinos_server::store::{SignedOut, StoreError, UserSaved};
    let ended = |s: SignedOut| {
        format!(
            "{} session(s) ended, {} trusted browser(s) forgotten",
            s.sessions, s.devices
        )
    };
    let unknown = |name: &str| anyhow::anyhow!("there is no organiser named {name}");
    let accounts = store.accounts();
    match command {
        UserCommand::Add { name } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > MAX_NAME {
                bail!("a user name is 1 to {MAX_NAME} characters");
            }
            eprintln!("password for {name} (then Enter):");
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.chars().count() < 12 {
                bail!("use a password of at least 12 characters");
            }
            if password.len() > MAX_PASSWORD {
                bail!("use a password of at most {MAX_PASSWORD} bytes");
            }
            let hash = vecinos_server::auth::hash_password(password)?;
            match accounts
                .set_password(name, &hash, chrono::Utc::now())
                .await?
            {
                UserSaved::Created => println!("organiser {name} added"),
                UserSaved::Replaced(signed_out) => {
                    println!("organiser {name}: new password; {}", ended(signed_out));
                }
            }
        }
        UserCommand::Remove { name } => match accounts.remove_user(name.trim()).await {
            Ok(signed_out) => println!("organiser {} removed; {}", name.trim(), ended(signed_out)),
            Err(StoreError::NotFound) => return Err(unknown(name.trim())),
            Err(e) => return Err(e.into()),
        },
        UserCommand::SignOut { name } => match accounts.sign_out_user(name.trim()).await {
            Ok(signed_out) => println!("organiser {}: {}", name.trim(), ended(signed_out)),
            Err(StoreError::NotFound) => return Err(unknown(name.trim())),
            Err(e) => return Err(e.into()),
        },
        UserCommand::Unlock { name } => {
            let name = name.trim();
            if store.password_hash(name).await?.is_none() {
                return Err(unknown(name));
            }
            if accounts.clear_sign_in_failures(name).await? {
                println!(
                    "organiser {name}: failed sign-ins forgotten; the next one waits for nothing"
                );
            } else {
                println!("organiser {name} had no failed sign-ins to forget");
            }
        }
    }
    Ok(())
}

async fn serve(
    store: store::SharedStore,
    config: Config,
    limits: Limits,
    addr: SocketAddr,
    dist: PathBuf,
    demo: bool,
) -> anyhow::Result<()> {
    if demo && vecinos_server::seed_demo(store.as_ref(), chrono::Utc::now().date_naive()).await? {
        tracing::info!("new database: filled with fictional demo data");
    }
    let dist = dist.join("index.html").is_file().then_some(dist.as_path());
    if dist.is_none() {
        tracing::warn!("no built app found (index.html); serving the API only");
    }
    if let Some(files) = listen::open_files_limit()
        && limits.max_connections as u64 + listen::RESERVED_FILES > files
    {
        tracing::warn!(
            "--max-connections {} is too close to the open-file limit ({files}): lower it, or \
             raise the limit (ulimit -n, systemd's LimitNOFILE) to at least {}",
            limits.max_connections,
            limits.max_connections as u64 + listen::RESERVED_FILES
        );
    }
    let sweeper = vecinos_server::retention::spawn(store.clone(), config.retention);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    // Printed on stdout for people and for the end-to-end tests, which start on port 0.
    println!("Vecinos is running at http://{local}/");
    let state = AppState::new(store.clone(), config);
    let pusher = vecinos_server::push::spawn(&state);
    let live = state.live.clone();
    let stopping = async move {
        stop_signal().await;
        // Open apps' live streams would otherwise hold the shutdown open.
        live.stop();
    };
    listen::serve(listener, vecinos_server::app(state, dist), limits, stopping).await;
    sweeper.abort();
    if let Some(pusher) = pusher {
        pusher.abort();
    }
    // Closing the last connection folds SQLite's write-ahead log into the database, so nothing
    // deleted stays in a log file left behind.
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C, or SIGTERM (how systemd and Docker ask a service to stop).
async fn stop_signal() {
    #[cfg(unix)]
    if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        return;
    }
    let _ = tokio::signal::ctrl_c().await;
}
