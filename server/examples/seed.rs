//! Fills a data folder for `cargo xtask bench client`: the demo data plus COUNT synthetic
//! resources (fictional, deterministic).
//!
//! Usage: seed DIR COUNT

use vecinos_core::Record;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, count] = &args[..] else {
        return Err("usage: seed DIR COUNT".into());
    };
    std::fs::create_dir_all(dir)?;
    let store = vecinos_server::store::open(dir).await?;
    vecinos_server::seed_demo(store.as_ref(), chrono::Utc::now().date_naive()).await?;
    let resources = vecinos_server::demo::synthetic_resources(count.parse()?, 7)
        .into_iter()
        .map(Record::Resource)
        .collect();
    let added = store.import(resources, "bench").await?;
    println!("{added}");
    Ok(())
}
