//! Public report intake: idempotent, validated, stamped, throttled, and blind to who sent it.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::pow;
use vecinos_core::{ErrorBody, Receipt};
use vecinos_server::config::{Config, pow_salt};
use vecinos_server::store::ReportQuery;

use super::{start_switched, start_with, test_config};

/// A valid report body, stamped with today's salt at the test difficulty.
pub fn report_body(id: Uuid) -> Value {
    let salt = pow_salt(Utc::now());
    let stamp = pow::solve(id, &salt, test_config().pow_difficulty).expect("a stamp");
    json!({
        "id": id,
        "kind": "enforcement_seen",
        "description": "Two unmarked vans outside the laundromat",
        "observed_at": (Utc::now() - Duration::minutes(3)).to_rfc3339(),
        "area": "9zvxvf2",
        "cross_streets": null,
        "language": "es",
        "stamp": stamp,
    })
}

pub async fn post(base: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/reports"))
        .header("User-Agent", "VecinosTestAgent/9.9")
        .header("X-Forwarded-For", "203.0.113.77")
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn error(res: reqwest::Response) -> ErrorBody {
    res.json().await.expect("an error body")
}

#[tokio::test]
async fn the_first_delivery_is_created_and_repeats_get_the_same_receipt() {
    let server = start_with(None, test_config()).await;
    let body = report_body(Uuid::new_v4());
    let first = post(&server.base, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let receipt: Receipt = first.json().await.expect("receipt");
    for _ in 0..3 {
        let again = post(&server.base, &body).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(again.json::<Receipt>().await.expect("receipt"), receipt);
    }
    assert_eq!(
        server
            .store
            .reports(&ReportQuery::default())
            .await
            .expect("reports")
            .len(),
        1
    );
}

#[tokio::test]
async fn fifty_simultaneous_copies_store_one_report() {
    let server = start_with(None, test_config()).await;
    let body = report_body(Uuid::new_v4());
    let responses = futures::future::join_all((0..50).map(|_| post(&server.base, &body))).await;
    let created = responses
        .iter()
        .filter(|r| r.status() == StatusCode::CREATED)
        .count();
    let repeated = responses
        .iter()
        .filter(|r| r.status() == StatusCode::OK)
        .count();
    assert_eq!((created, repeated), (1, 49));
    assert_eq!(
        server
            .store
            .reports(&ReportQuery::default())
            .await
            .expect("reports")
            .len(),
        1
    );
}

#[tokio::test]
async fn invalid_reports_are_refused_naming_the_field() {
    let server = start_with(None, test_config()).await;
    type Breakage = fn(&mut Value);
    let cases: [(&str, Breakage); 5] = [
        ("area", |b| b["area"] = json!("9zvxvf2k")),
        ("observed_at", |b| b["observed_at"] = json!("yesterday")),
        ("kind", |b| b["kind"] = json!("rumour")),
        ("language", |b| b["language"] = json!("Spanish")),
        ("stamp", |b| {
            // Seven parts of eight.
            b["stamp"]["nonces"].as_array_mut().map(Vec::pop);
        }),
    ];
    for (field, break_it) in cases {
        let mut body = report_body(Uuid::new_v4());
        break_it(&mut body);
        let res = post(&server.base, &body).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{field}");
        let error = error(res).await;
        assert!(
            error.field.as_deref().is_some_and(|f| f.starts_with(field)),
            "{field}: {error:?}"
        );
    }
    let mut stale = report_body(Uuid::new_v4());
    stale["stamp"]["salt"] = json!(pow_salt(Utc::now() - Duration::days(3)));
    let res = post(&server.base, &stale).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error(res).await.field.as_deref(), Some("stamp.salt"));
    assert!(
        server
            .store
            .reports(&ReportQuery::default())
            .await
            .expect("reports")
            .is_empty(),
        "nothing invalid was stored"
    );
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let server = start_with(None, test_config()).await;
    let mut body = report_body(Uuid::new_v4());
    body["description"] = json!("x".repeat(64 * 1024));
    let res = post(&server.base, &body).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error(res).await.code, "too_large");
}

#[tokio::test]
async fn a_flood_is_throttled_with_retry_after() {
    let server = start_with(
        None,
        Config {
            report_rate: 1,
            ..test_config()
        },
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let res = post(&server.base, &report_body(Uuid::new_v4())).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = res.headers()[RETRY_AFTER]
                .to_str()
                .expect("ascii")
                .parse()
                .expect("seconds");
            assert!((1..=2).contains(&wait));
        }
        statuses.push(res.status());
    }
    assert_eq!(
        statuses[..2],
        [StatusCode::CREATED, StatusCode::CREATED],
        "the burst is accepted"
    );
    assert!(statuses[2..].contains(&StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn posts_without_valid_work_never_use_up_the_rate_of_real_reports() {
    let server = start_with(
        None,
        Config {
            report_rate: 1,
            ..test_config()
        },
    )
    .await;
    let real = Uuid::new_v4();
    assert_eq!(
        post(&server.base, &report_body(real)).await.status(),
        StatusCode::CREATED
    );
    // A flood of junk: garbage stamps, also under the id of a stored report.
    for i in 0..40 {
        let id = if i % 2 == 0 { real } else { Uuid::new_v4() };
        let mut junk = report_body(id);
        let salt = pow_salt(Utc::now());
        // Nonces that do no work for this id.
        let stamp = (0..)
            .map(|n| pow::Stamp::v2(&salt, test_config().pow_difficulty, vec![n; pow::PARTS]))
            .find(|s| pow::verify(id, s, test_config().pow_difficulty, pow::V1::Refused).is_err())
            .expect("junk");
        junk["stamp"] = json!(stamp);
        let res = post(&server.base, &junk).await;
        assert_eq!(
            res.status(),
            StatusCode::BAD_REQUEST,
            "no receipt without work"
        );
        assert_eq!(error(res).await.field.as_deref(), Some("stamp"));
    }
    // The bucket (a burst of two at one a second) still has room for the next real report.
    assert_eq!(
        post(&server.base, &report_body(Uuid::new_v4()))
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_server_keeps_no_address_or_user_agent_and_the_public_feed_no_report() {
    let server = start_with(None, test_config()).await;
    for _ in 0..5 {
        assert_eq!(
            post(&server.base, &report_body(Uuid::new_v4()))
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    let feed = reqwest::get(format!("{}/api/v1/changes", server.base))
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(
        !feed.contains("unmarked vans"),
        "unverified reports never reach the public"
    );

    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(server.data.path()).expect("data dir") {
        bytes.extend(std::fs::read(entry.expect("entry").path()).expect("read"));
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("unmarked vans"),
        "the scan does see the database's contents"
    );
    for trace in ["127.0.0.1", "203.0.113.77", "VecinosTestAgent"] {
        assert!(!text.contains(trace), "the database holds {trace}");
    }
}

#[tokio::test]
async fn a_different_report_under_a_known_id_gets_409_and_changes_nothing() {
    let server = start_with(None, test_config()).await;
    let id = Uuid::new_v4();
    let body = report_body(id);
    assert_eq!(
        post(&server.base, &body).await.status(),
        StatusCode::CREATED
    );
    let mut other = body.clone();
    other["description"] = json!("All clear, false alarm");
    let res = post(&server.base, &other).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error(res).await.code, "id_taken");
    let stored = server
        .store
        .report(id)
        .await
        .expect("lookup")
        .expect("kept");
    assert_eq!(stored.description, body["description"]);
    // The phone that sent the first still gets its receipt.
    assert_eq!(post(&server.base, &body).await.status(), StatusCode::OK);
}

/// A report stamped the way phones did before scheme v2: one nonce (the first that works),
/// `salt` and the test difficulty.
fn stamped_v1(id: Uuid, salt: &str) -> Value {
    let difficulty = test_config().pow_difficulty;
    let nonce = (0..)
        .find(|&n| {
            pow::leading_zero_bits(&pow::digest_v1(id, salt, difficulty, n))
                >= u32::from(difficulty)
        })
        .expect("a v1 nonce");
    let mut body = report_body(id);
    body["stamp"] = json!({ "salt": salt, "difficulty": difficulty, "nonce": nonce });
    body
}

/// Reports stamped before the switch wait in phones' outboxes with v1 stamps: they get in for
/// as long as their salt is no later than the day v2 started (and still accepted), and only then.
#[tokio::test]
async fn v1_stamps_are_accepted_for_one_salt_window_after_v2_started() {
    let switch = Utc::now();
    let server = start_switched(test_config(), switch).await;
    assert_eq!(server.store.pow_v2_since().timestamp(), switch.timestamp());
    for salt in [pow_salt(switch), pow_salt(switch - Duration::days(1))] {
        let id = Uuid::new_v4();
        let res = post(&server.base, &stamped_v1(id, &salt)).await;
        assert_eq!(res.status(), StatusCode::CREATED, "v1 with {salt}");
        assert!(
            server.store.report(id).await.expect("lookup").is_some(),
            "stored"
        );
    }
    // Tomorrow's salt is accepted for v2, but no phone without v2 was given it.
    let id = Uuid::new_v4();
    let tomorrow = pow_salt(switch + Duration::days(1));
    let res = post(&server.base, &stamped_v1(id, &tomorrow)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error(res).await.field.as_deref(), Some("stamp"));
    let mut v2 = report_body(id);
    v2["stamp"] = json!(pow::solve(id, &tomorrow, test_config().pow_difficulty).expect("a stamp"));
    assert_eq!(post(&server.base, &v2).await.status(), StatusCode::CREATED);
    // An accepted v1 stamp is still checked for its work.
    let id = Uuid::new_v4();
    let mut short = stamped_v1(id, &pow_salt(switch));
    let nonce = short["stamp"]["nonce"].as_u64().expect("a nonce");
    let difficulty = test_config().pow_difficulty;
    let lazy = (nonce + 1..)
        .find(|&n| {
            pow::leading_zero_bits(&pow::digest_v1(id, &pow_salt(switch), difficulty, n))
                < u32::from(difficulty)
        })
        .expect("a nonce without the work");
    short["stamp"]["nonce"] = json!(lazy);
    let res = post(&server.base, &short).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let refusal = error(res).await;
    assert_eq!(refusal.field.as_deref(), Some("stamp"));
    assert!(refusal.message.contains("leading zero bits"), "{refusal:?}");
    assert!(server.store.report(id).await.expect("lookup").is_none());
}

/// Once the salt window of the switch day is over, a v1 stamp is refused naming the stamp, so
/// the phone stamps the report again (`src/outbox.rs`), and the v2 stamp gets it in.
#[tokio::test]
async fn v1_stamps_are_refused_after_the_window_and_the_restamped_report_gets_in() {
    let server = start_switched(test_config(), Utc::now() - Duration::days(3)).await;
    let now = Utc::now();
    for salt in [
        pow_salt(now - Duration::days(1)),
        pow_salt(now),
        pow_salt(now + Duration::days(1)),
    ] {
        let id = Uuid::new_v4();
        let res = post(&server.base, &stamped_v1(id, &salt)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "v1 with {salt}");
        let refusal = error(res).await;
        assert_eq!(refusal.field.as_deref(), Some("stamp"));
        assert!(refusal.message.contains("version 2"), "{refusal:?}");
        assert!(server.store.report(id).await.expect("lookup").is_none());
        let mut restamped = stamped_v1(id, &salt);
        restamped["stamp"] =
            json!(pow::solve(id, &salt, test_config().pow_difficulty).expect("a stamp"));
        assert_eq!(
            post(&server.base, &restamped).await.status(),
            StatusCode::CREATED
        );
    }
}

/// A report stamped at `difficulty` with today's salt.
fn stamped_at(id: Uuid, difficulty: u8) -> Value {
    let mut body = report_body(id);
    let salt = pow_salt(Utc::now());
    body["stamp"] = json!(pow::solve(id, &salt, difficulty).expect("a stamp"));
    body
}

#[tokio::test]
async fn when_the_rate_runs_out_the_difficulty_rises_and_harder_work_gets_in_between_the_flood() {
    let server = start_with(
        None,
        Config {
            report_rate: 1,
            ..test_config()
        },
    )
    .await;
    let difficulty = || async {
        reqwest::get(format!("{}/api/v1/config", server.base))
            .await
            .expect("config")
            .json::<vecinos_core::ClientConfig>()
            .await
            .expect("a config")
            .pow
            .difficulty
    };
    let base = test_config().pow_difficulty;
    assert_eq!(difficulty().await, base);
    // A flood with valid base work takes the burst and then gets 429s...
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            post(&server.base, &report_body(Uuid::new_v4()))
                .await
                .status(),
        );
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // ...so the config asks for more work, and a report that did it gets in at once (an eighth
    // of a token refills in 125 ms), while base work still waits (a whole token takes 1 s).
    let raised = difficulty().await;
    assert_eq!(raised, base + vecinos_server::admission::RAISE);
    let harder = stamped_at(Uuid::new_v4(), raised);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        post(&server.base, &harder).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        post(&server.base, &report_body(Uuid::new_v4()))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS,
        "base work waits for a whole token (1 s)"
    );
}

#[tokio::test]
async fn past_the_cap_of_unreviewed_reports_phones_are_asked_to_wait_and_triage_reopens_intake() {
    let server = start_with(
        None,
        Config {
            max_unreviewed: 3,
            ..test_config()
        },
    )
    .await;
    let mut first = Vec::new();
    for _ in 0..3 {
        let id = Uuid::new_v4();
        assert_eq!(
            post(&server.base, &report_body(id)).await.status(),
            StatusCode::CREATED
        );
        first.push(id);
    }
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let waiting = report_body(Uuid::new_v4());
    let res = post(&server.base, &waiting).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key(RETRY_AFTER));
    assert_eq!(
        server.store.unreviewed().await.expect("count"),
        3,
        "nothing dropped, nothing added"
    );
    server
        .store
        .set_report_status(
            first[0],
            vecinos_core::ReportStatus::Rejected,
            "ana",
            Utc::now(),
        )
        .await
        .expect("triage");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        post(&server.base, &waiting).await.status(),
        StatusCode::CREATED
    );
}

/// Asks what became of the report `id`, as the phone that sent it does.
async fn fate(base: &str, id: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/reports/status"))
        .json(&json!({ "id": id }))
        .send()
        .await
        .expect("request")
}

/// The status a known report's sender is told, checking the answer holds nothing else.
async fn told(base: &str, id: Uuid) -> String {
    let res = fate(base, json!(id)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    let fields = body.as_object().expect("an object");
    assert_eq!(fields.len(), 1, "nothing but the status: {body}");
    fields["status"].as_str().expect("a status").to_owned()
}

async fn triage(server: &super::Server, cookie: &str, id: Uuid, action: &str, body: Value) {
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/reports/{id}/{action}", server.base))
        .header(reqwest::header::COOKIE, cookie)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert!(res.status().is_success(), "{action}: {}", res.status());
}

#[tokio::test]
async fn a_sender_learns_whether_its_report_was_published_rejected_or_resolved() {
    let server = start_with(None, test_config()).await;
    let cookie = super::organise::signed_in(&server).await;
    let [published, rejected, resolved] = [(); 3].map(|_| Uuid::new_v4());
    for id in [published, rejected, resolved] {
        assert_eq!(
            post(&server.base, &report_body(id)).await.status(),
            StatusCode::CREATED
        );
        assert_eq!(told(&server.base, id).await, "received");
    }
    let alert = json!({ "summary": "Vans seen near the laundromat", "area": "9zvxvf2" });
    triage(&server, &cookie, published, "verify", alert).await;
    triage(&server, &cookie, rejected, "reject", json!({})).await;
    triage(&server, &cookie, resolved, "resolve", json!({})).await;
    assert_eq!(told(&server.base, published).await, "published");
    assert_eq!(told(&server.base, rejected).await, "not_published");
    assert_eq!(told(&server.base, resolved).await, "resolved");
    // Public: no session, and a repeat of the same question gets the same answer.
    assert_eq!(told(&server.base, published).await, "published");
}

#[tokio::test]
async fn an_unknown_report_id_gets_404_and_bad_questions_400() {
    let server = start_with(None, test_config()).await;
    let res = fate(&server.base, json!(Uuid::new_v4())).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error(res).await.code, "not_found");

    let res = fate(&server.base, json!("not-a-uuid")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error(res).await.field.as_deref(), Some("id"));
    // The id belongs in the body, never in a URL that proxies log.
    let id = Uuid::new_v4();
    post(&server.base, &report_body(id)).await;
    let res = reqwest::get(format!("{}/api/v1/reports/status?id={id}", server.base))
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/reports/status", server.base))
        .json(&json!({ "id": id, "description": "x".repeat(2000) }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(told(&server.base, id).await, "received");
}

/// A known and an unknown id cost the same lookup: asked in turns, their median answer times
/// differ by far less than the jitter of any network between a phone and the server.
#[tokio::test]
async fn known_and_unknown_ids_take_the_same_time() {
    let server = start_with(None, test_config()).await;
    let known = Uuid::new_v4();
    post(&server.base, &report_body(known)).await;
    let client = reqwest::Client::new();
    let ask = async |id: Uuid| {
        let began = std::time::Instant::now();
        let res = client
            .post(format!("{}/api/v1/reports/status", server.base))
            .json(&json!({ "id": id }))
            .send()
            .await
            .expect("request");
        let status = res.status();
        res.bytes().await.expect("body");
        (status, began.elapsed())
    };
    let (mut hits, mut misses) = (Vec::new(), Vec::new());
    for _ in 0..100 {
        let (status, took) = ask(known).await;
        assert_eq!(status, StatusCode::OK);
        hits.push(took);
        let (status, took) = ask(Uuid::new_v4()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        misses.push(took);
    }
    hits.sort();
    misses.sort();
    let (hit, miss) = (hits[50], misses[50]);
    // 2 ms, or a quarter of the slower median on a machine too busy to answer in 8 ms.
    let gap = hit.abs_diff(miss);
    assert!(
        gap < std::time::Duration::from_millis(2).max(hit.max(miss) / 4),
        "medians {hit:?} (known) and {miss:?} (unknown)"
    );
}

#[tokio::test]
async fn the_same_report_posted_again_and_again_never_uses_up_the_rate() {
    let server = start_with(
        None,
        Config {
            report_rate: 1,
            ..test_config()
        },
    )
    .await;
    let stored = report_body(Uuid::new_v4());
    assert_eq!(
        post(&server.base, &stored).await.status(),
        StatusCode::CREATED
    );
    // A flood of replays of one stamped report: each gets its receipt, none is charged.
    for _ in 0..40 {
        assert_eq!(post(&server.base, &stored).await.status(), StatusCode::OK);
    }
    // The burst (two at one a second) still has room for the next new report.
    assert_eq!(
        post(&server.base, &report_body(Uuid::new_v4()))
            .await
            .status(),
        StatusCode::CREATED
    );
}
