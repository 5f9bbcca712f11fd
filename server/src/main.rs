//! The vecinos-server command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use vecinos_server::store::Store;

#[derive(Parser)]
#[command(version, about = "Vecinos server: the sync API and the PWA host")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Folder for the SQLite database; created if missing.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Trunk's output folder with the built PWA.
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// Fill a brand-new database with fictional demo data.
        #[arg(long)]
        demo: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve {
            addr,
            data,
            dist,
            demo,
        } => serve(addr, data, dist, demo).await,
    }
}

async fn serve(addr: SocketAddr, data: PathBuf, dist: PathBuf, demo: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(&data)
        .with_context(|| format!("creating data folder {}", data.display()))?;
    let store = Store::open(&data)
        .await
        .with_context(|| format!("opening the database in {}", data.display()))?;
    if demo && vecinos_server::seed_demo(&store, chrono::Utc::now().date_naive()).await? {
        tracing::info!("new database: filled with fictional demo data");
    }
    let dist = dist.join("index.html").is_file().then_some(dist.as_path());
    if dist.is_none() {
        tracing::warn!("no built app found (index.html); serving the API only");
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    // Printed on stdout for people and for the end-to-end tests, which start on port 0.
    println!("Vecinos is running at http://{local}/");
    axum::serve(listener, vecinos_server::app(store, dist))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    tracing::info!("stopped");
    Ok(())
}
