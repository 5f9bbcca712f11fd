//! Proof of work that makes anonymous reports costly to spam.
//!
//! Scheme v2 (issue 16): before sending a report, the phone solves [`PARTS`] small puzzles. For
//! each part it looks for a nonce such that the SHA-256 [`digest`] of the report's id, a salt the
//! server issued, the difficulty, the part's index and the nonce starts with at least
//! [`part_bits`]`(difficulty)` = `difficulty - 3` zero bits. Eight parts of 2^(d-3) hashes each
//! cost the same 2^d hashes on average as one puzzle of `d` bits did, so `difficulty` keeps its
//! meaning, but the time a stamp takes varies much less: a sum of eight waits rarely runs far past
//! its average, where one wait often did (the slowest of twenty stamps is expected to take 1.8
//! times the average, against 3.6 times for v1). The phone runs a [`Solver`] in slices (WASM, so
//! the page stays responsive); the server checks the [`Stamp`] with [`PARTS`] hashes
//! ([`verify`]).
//!
//! Scheme v1 (one nonce, `difficulty` zero bits, [`digest_v1`]) is still understood so that
//! reports stamped before the switch are not lost; [`verify`] accepts it only when its caller
//! says so ([`V1::Accepted`]).
//!
//! This module only does the arithmetic. It must never decide on its own which salts are valid,
//! nor until when v1 is accepted: checking that the salt is one the server issued, is fresh and
//! is used only once is the server's job, as is choosing the minimum difficulty. It must never use
//! the clock, randomness, threads or the network, so that it runs the same in the browser and on
//! the server.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Domain separation prefix of every v2 digest; a new version of the scheme gets a new prefix.
pub const DOMAIN: &[u8] = b"vecinos-pow-v2";

/// Domain separation prefix of the v1 digest ([`digest_v1`]).
pub const DOMAIN_V1: &[u8] = b"vecinos-pow-v1";

/// How many sub-puzzles a v2 stamp solves.
pub const PARTS: usize = 8;

/// Bits each part needs fewer than the whole stamp: log2 of [`PARTS`].
const PART_DISCOUNT: u8 = 3;

/// Highest difficulty [`verify`] accepts (and [`Solver`] attempts): about 4 billion hashes on
/// average, well beyond what a phone should ever be asked for.
pub const MAX_DIFFICULTY: u8 = 32;

/// A solved proof of work, sent along with a report.
///
/// On the wire it is `{"salt", "difficulty", "nonces": [PARTS numbers]}` (v2), or
/// `{"salt", "difficulty", "nonce"}` as phones stamped before v2 (still read, and written back
/// as it was read, so that a report waiting in an outbox keeps its stamp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WireStamp", into = "WireStamp")]
pub struct Stamp {
    /// The salt the server issued for this report.
    pub salt: String,
    /// The work, in bits: 2^difficulty hashes on average.
    pub difficulty: u8,
    /// The nonces that were found.
    pub work: Work,
}

/// The nonces of a stamp, by scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// Scheme v1: one nonce whose [`digest_v1`] has `difficulty` leading zero bits.
    V1 { nonce: u64 },
    /// Scheme v2: one nonce per part (exactly [`PARTS`] of them in a valid stamp), each of whose
    /// [`digest`] has [`part_bits`] leading zero bits.
    V2 { nonces: Vec<u64> },
}

impl Stamp {
    /// A v2 stamp.
    pub fn v2(salt: impl Into<String>, difficulty: u8, nonces: Vec<u64>) -> Self {
        Self {
            salt: salt.into(),
            difficulty,
            work: Work::V2 { nonces },
        }
    }

    /// A v1 stamp, as phones made them before v2.
    pub fn v1(salt: impl Into<String>, difficulty: u8, nonce: u64) -> Self {
        Self {
            salt: salt.into(),
            difficulty,
            work: Work::V1 { nonce },
        }
    }

    /// True for a stamp of scheme v1.
    pub fn is_v1(&self) -> bool {
        matches!(self.work, Work::V1 { .. })
    }
}

/// A stamp as JSON has it: `nonce` (v1) or `nonces` (v2), never both.
#[derive(Serialize, Deserialize)]
struct WireStamp {
    salt: String,
    difficulty: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nonce: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nonces: Option<Vec<u64>>,
}

impl TryFrom<WireStamp> for Stamp {
    type Error = &'static str;

    fn try_from(wire: WireStamp) -> Result<Self, Self::Error> {
        let work = match (wire.nonce, wire.nonces) {
            (None, Some(nonces)) => Work::V2 { nonces },
            (Some(nonce), None) => Work::V1 { nonce },
            (Some(_), Some(_)) => {
                return Err("a proof-of-work stamp has either nonces (v2) or nonce (v1), not both");
            }
            (None, None) => return Err("a proof-of-work stamp needs its nonces"),
        };
        Ok(Self {
            salt: wire.salt,
            difficulty: wire.difficulty,
            work,
        })
    }
}

impl From<Stamp> for WireStamp {
    fn from(stamp: Stamp) -> Self {
        let (nonce, nonces) = match stamp.work {
            Work::V1 { nonce } => (Some(nonce), None),
            Work::V2 { nonces } => (None, Some(nonces)),
        };
        Self {
            salt: stamp.salt,
            difficulty: stamp.difficulty,
            nonce,
            nonces,
        }
    }
}

/// Whether [`verify`] still accepts a v1 stamp; the server says, by the stamp's salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1 {
    Accepted,
    Refused,
}

/// Why a stamp was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowError {
    /// The stamp claims more than [`MAX_DIFFICULTY`].
    DifficultyTooHigh { difficulty: u8 },
    /// The stamp's difficulty is below what the server requires.
    DifficultyTooLow { difficulty: u8, minimum: u8 },
    /// A v1 stamp where only v2 is accepted.
    V1Refused,
    /// A v2 stamp without exactly [`PARTS`] nonces.
    WrongPartCount { parts: usize },
    /// A v2 part's digest has fewer leading zero bits than [`part_bits`] of the difficulty.
    PartShortOfWork {
        part: usize,
        required: u32,
        leading_zeros: u32,
    },
    /// A v1 digest has fewer leading zero bits than the stamp's difficulty.
    InsufficientWork { difficulty: u8, leading_zeros: u32 },
}

impl fmt::Display for PowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DifficultyTooHigh { difficulty } => write!(
                f,
                "proof-of-work difficulty {difficulty} is above the maximum {MAX_DIFFICULTY}"
            ),
            Self::DifficultyTooLow {
                difficulty,
                minimum,
            } => write!(
                f,
                "proof-of-work difficulty {difficulty} is below the required {minimum}"
            ),
            Self::V1Refused => write!(
                f,
                "proof-of-work stamps of version 1 are no longer accepted; compute a version 2 \
                 stamp ({PARTS} nonces)"
            ),
            Self::WrongPartCount { parts } => write!(
                f,
                "a proof-of-work stamp has {PARTS} nonces, this one has {parts}"
            ),
            Self::PartShortOfWork {
                part,
                required,
                leading_zeros,
            } => write!(
                f,
                "proof-of-work part {part} has {leading_zeros} leading zero bits, {required} required"
            ),
            Self::InsufficientWork {
                difficulty,
                leading_zeros,
            } => write!(
                f,
                "proof-of-work digest has {leading_zeros} leading zero bits, {difficulty} required"
            ),
        }
    }
}

impl std::error::Error for PowError {}

/// Leading zero bits each v2 part needs at `difficulty`: 3 fewer (log2 of [`PARTS`]), at least 0.
/// Below difficulty 3 a stamp still costs [`PARTS`] hashes.
pub fn part_bits(difficulty: u8) -> u32 {
    u32::from(difficulty.saturating_sub(PART_DISCOUNT))
}

/// Hashes `domain`, the 16 id bytes, the salt's byte length (u32, little-endian) and its bytes,
/// and the difficulty byte, leaving the hasher open for what follows.
///
/// A salt longer than `u32::MAX` bytes (never issued in practice) has its length saturated.
fn hasher(domain: &[u8], report_id: Uuid, salt: &str, difficulty: u8) -> Sha256 {
    let salt_len = u32::try_from(salt.len()).unwrap_or(u32::MAX);
    let mut hasher = Sha256::new();
    hasher.update(domain);
    hasher.update(report_id.as_bytes());
    hasher.update(salt_len.to_le_bytes());
    hasher.update(salt.as_bytes());
    hasher.update([difficulty]);
    hasher
}

/// The v2 digest of one part: SHA-256 over [`DOMAIN`], the 16 id bytes, the salt's byte length
/// (u32, little-endian) and its bytes, the difficulty byte, the part's index (one byte) and the
/// nonce (u64, little-endian).
pub fn digest(report_id: Uuid, salt: &str, difficulty: u8, part: u8, nonce: u64) -> [u8; 32] {
    let mut hasher = hasher(DOMAIN, report_id, salt, difficulty);
    hasher.update([part]);
    hasher.update(nonce.to_le_bytes());
    hasher.finalize().into()
}

/// The v1 digest: SHA-256 over [`DOMAIN_V1`], the 16 id bytes, the salt's byte length (u32,
/// little-endian) and its bytes, the difficulty byte and the nonce (u64, little-endian).
pub fn digest_v1(report_id: Uuid, salt: &str, difficulty: u8, nonce: u64) -> [u8; 32] {
    let mut hasher = hasher(DOMAIN_V1, report_id, salt, difficulty);
    hasher.update(nonce.to_le_bytes());
    hasher.finalize().into()
}

/// Number of zero bits at the start of `d`, most significant bit of the first byte first (0..=256).
pub fn leading_zero_bits(d: &[u8; 32]) -> u32 {
    let mut zeros = 0;
    for &byte in d {
        zeros += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    zeros
}

/// A v2 stamp being searched for, resumable: [`Solver::search`] tries a bounded number of
/// nonces and keeps each part's nonce as soon as it is found, so the browser can give the page
/// back between slices.
///
/// Each part tries the nonces 0, 1, 2, … in order and takes the first that works; the search is
/// deterministic, and slicing it differently finds the same stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solver {
    report_id: Uuid,
    salt: String,
    difficulty: u8,
    /// The nonces of the parts found so far, in part order.
    found: Vec<u64>,
    /// The next nonce to try for part `found.len()`.
    next: u64,
    /// Hashes computed so far.
    hashes: u64,
}

impl Solver {
    /// Starts a search; refuses a difficulty above [`MAX_DIFFICULTY`], which [`verify`] would
    /// refuse.
    pub fn new(report_id: Uuid, salt: &str, difficulty: u8) -> Result<Self, PowError> {
        if difficulty > MAX_DIFFICULTY {
            return Err(PowError::DifficultyTooHigh { difficulty });
        }
        Ok(Self {
            report_id,
            salt: salt.to_owned(),
            difficulty,
            found: Vec::with_capacity(PARTS),
            next: 0,
            hashes: 0,
        })
    }

    /// Tries at most `budget` more nonces, across parts, and returns the stamp once every part
    /// is found (again on any later call, without hashing). `None` means: not yet, search on.
    ///
    /// A part's nonces end at `u64::MAX` (excluded); with 2^64 of them for at most 2^29 hashes
    /// expected, no part runs out in practice, but one that did would stay unfound.
    pub fn search(&mut self, budget: u64) -> Option<Stamp> {
        let required = part_bits(self.difficulty);
        let mut left = budget;
        while self.found.len() < PARTS && left > 0 && self.next < u64::MAX {
            left -= 1;
            self.hashes += 1;
            let part = self.found.len() as u8; // below PARTS = 8
            let d = digest(self.report_id, &self.salt, self.difficulty, part, self.next);
            if leading_zero_bits(&d) >= required {
                self.found.push(self.next);
                self.next = 0;
            } else {
                self.next += 1;
            }
        }
        self.stamp()
    }

    /// The stamp, once every part is found.
    pub fn stamp(&self) -> Option<Stamp> {
        (self.found.len() == PARTS)
            .then(|| Stamp::v2(self.salt.clone(), self.difficulty, self.found.clone()))
    }

    /// How many parts are found (0..=[`PARTS`]).
    pub fn parts_found(&self) -> usize {
        self.found.len()
    }

    /// How many hashes the search computed so far.
    pub fn hashes(&self) -> u64 {
        self.hashes
    }

    /// How far the search has come, as a share of the hashes a stamp takes on average
    /// (2^difficulty, or [`PARTS`] below difficulty 3). It can pass 1 when the search is
    /// unlucky, though with [`PARTS`] parts rarely by much.
    pub fn share_done(&self) -> f64 {
        self.hashes as f64 / expected_hashes(self.difficulty)
    }
}

/// The hashes a v2 stamp of `difficulty` takes on average: [`PARTS`] × 2^[`part_bits`].
pub fn expected_hashes(difficulty: u8) -> f64 {
    PARTS as f64 * 2f64.powi(part_bits(difficulty) as i32)
}

/// Searches a whole v2 stamp in one go (tests, tools; the browser slices a [`Solver`]). `None`
/// for a difficulty above [`MAX_DIFFICULTY`].
pub fn solve(report_id: Uuid, salt: &str, difficulty: u8) -> Option<Stamp> {
    Solver::new(report_id, salt, difficulty)
        .ok()?
        .search(u64::MAX)
}

/// Checks a stamp for `report_id`: its difficulty is within `min_difficulty..=MAX_DIFFICULTY`
/// and its work is done. A v2 stamp needs exactly [`PARTS`] nonces, each part's [`digest`] with
/// [`part_bits`] leading zero bits ([`PARTS`] hashes); a v1 stamp is refused unless `v1` says it is
/// accepted, then needs `difficulty` bits in its one [`digest_v1`]. Does not check the salt (see
/// the module documentation).
pub fn verify(report_id: Uuid, stamp: &Stamp, min_difficulty: u8, v1: V1) -> Result<(), PowError> {
    let difficulty = stamp.difficulty;
    if difficulty > MAX_DIFFICULTY {
        return Err(PowError::DifficultyTooHigh { difficulty });
    }
    if difficulty < min_difficulty {
        return Err(PowError::DifficultyTooLow {
            difficulty,
            minimum: min_difficulty,
        });
    }
    match &stamp.work {
        Work::V1 { nonce } => {
            if v1 == V1::Refused {
                return Err(PowError::V1Refused);
            }
            let leading_zeros =
                leading_zero_bits(&digest_v1(report_id, &stamp.salt, difficulty, *nonce));
            if leading_zeros < u32::from(difficulty) {
                return Err(PowError::InsufficientWork {
                    difficulty,
                    leading_zeros,
                });
            }
        }
        Work::V2 { nonces } => {
            if nonces.len() != PARTS {
                return Err(PowError::WrongPartCount {
                    parts: nonces.len(),
                });
            }
            let required = part_bits(difficulty);
            for (part, &nonce) in nonces.iter().enumerate() {
                let d = digest(report_id, &stamp.salt, difficulty, part as u8, nonce);
                let leading_zeros = leading_zero_bits(&d);
                if leading_zeros < required {
                    return Err(PowError::PartShortOfWork {
                        part,
                        required,
                        leading_zeros,
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ID: Uuid = Uuid::from_u128(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
    const SALT: &str = "c2FsdC1mcm9tLXNlcnZlcg";
    const DIFFICULTY: u8 = 12;

    fn solved() -> Stamp {
        solve(ID, SALT, DIFFICULTY).expect("a solution")
    }

    fn nonces(stamp: &Stamp) -> &[u64] {
        match &stamp.work {
            Work::V2 { nonces } => nonces,
            Work::V1 { .. } => panic!("a v2 stamp"),
        }
    }

    /// The first v1 nonce that does the work, searched directly.
    fn solve_v1(id: Uuid, salt: &str, difficulty: u8) -> Stamp {
        let nonce = (0..)
            .find(|&n| {
                leading_zero_bits(&digest_v1(id, salt, difficulty, n)) >= u32::from(difficulty)
            })
            .expect("a v1 nonce");
        Stamp::v1(salt, difficulty, nonce)
    }

    /// What verify must say about a v2 `stamp` of the right length and difficulty, computed
    /// from the digests directly.
    fn expected(id: Uuid, stamp: &Stamp) -> Result<(), PowError> {
        let required = part_bits(stamp.difficulty);
        for (part, &nonce) in nonces(stamp).iter().enumerate() {
            let leading_zeros = leading_zero_bits(&digest(
                id,
                &stamp.salt,
                stamp.difficulty,
                part as u8,
                nonce,
            ));
            if leading_zeros < required {
                return Err(PowError::PartShortOfWork {
                    part,
                    required,
                    leading_zeros,
                });
            }
        }
        Ok(())
    }

    fn hex(d: &[u8]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    const ID_BYTES: [u8; 16] = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
        0x77,
    ];

    #[test]
    fn digest_layouts_are_fixed() {
        // Computed independently (sha256sum and Python's hashlib over the bytes spelled out
        // below): the wire format of the phone and the server must not drift.
        let mut v2 = Vec::new();
        v2.extend_from_slice(b"vecinos-pow-v2");
        v2.extend_from_slice(&ID_BYTES);
        v2.extend_from_slice(&[3, 0, 0, 0]);
        v2.extend_from_slice(b"abc");
        v2.push(7); // difficulty
        v2.push(5); // part
        v2.extend_from_slice(&[0x2a, 0, 0, 0, 0, 0, 0, 0]);
        let direct: [u8; 32] = Sha256::digest(&v2).into();
        assert_eq!(digest(ID, "abc", 7, 5, 42), direct);
        assert_eq!(
            hex(&direct),
            "dcea3c421a108148953e83721451bf9276830ce4c93c9d78ab86428e9550bfc6"
        );

        let mut v1 = Vec::new();
        v1.extend_from_slice(b"vecinos-pow-v1");
        v1.extend_from_slice(&ID_BYTES);
        v1.extend_from_slice(&[3, 0, 0, 0]);
        v1.extend_from_slice(b"abc");
        v1.push(7);
        v1.extend_from_slice(&[0x2a, 0, 0, 0, 0, 0, 0, 0]);
        let direct: [u8; 32] = Sha256::digest(&v1).into();
        assert_eq!(digest_v1(ID, "abc", 7, 42), direct);
        assert_eq!(
            hex(&direct),
            "0cc7567b1b0416b12747a3e6815f6d23a93b0334ffeb9a362247fdb3be7c2df4"
        );
    }

    #[test]
    fn each_part_binds_its_index() {
        let digests: Vec<[u8; 32]> = (0..PARTS as u8)
            .map(|part| digest(ID, SALT, DIFFICULTY, part, 0))
            .collect();
        for (i, a) in digests.iter().enumerate() {
            for b in &digests[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn leading_zero_bits_counts() {
        let mut d = [0u8; 32];
        assert_eq!(leading_zero_bits(&d), 256);
        d[0] = 0x80;
        assert_eq!(leading_zero_bits(&d), 0);
        d[0] = 0x01;
        assert_eq!(leading_zero_bits(&d), 7);
        d[0] = 0;
        d[1] = 0x10;
        assert_eq!(leading_zero_bits(&d), 11);
        d[1] = 0;
        d[31] = 1;
        assert_eq!(leading_zero_bits(&d), 255);
    }

    #[test]
    fn part_bits_are_three_fewer_and_never_negative() {
        assert_eq!(part_bits(16), 13);
        assert_eq!(part_bits(3), 0);
        assert_eq!(part_bits(1), 0);
        assert_eq!(part_bits(0), 0);
        assert_eq!(part_bits(MAX_DIFFICULTY), 29);
        assert_eq!(expected_hashes(16), 65_536.0);
        assert_eq!(expected_hashes(0), PARTS as f64);
    }

    #[test]
    fn solve_then_verify() {
        let stamp = solved();
        assert_eq!(stamp.salt, SALT);
        assert_eq!(stamp.difficulty, DIFFICULTY);
        assert_eq!(nonces(&stamp).len(), PARTS);
        for (part, &nonce) in nonces(&stamp).iter().enumerate() {
            let d = digest(ID, SALT, DIFFICULTY, part as u8, nonce);
            assert!(leading_zero_bits(&d) >= 9, "part {part}");
            // Each part's nonce is the first that works.
            assert!(
                (0..nonce)
                    .all(|n| leading_zero_bits(&digest(ID, SALT, DIFFICULTY, part as u8, n)) < 9)
            );
        }
        assert_eq!(verify(ID, &stamp, DIFFICULTY, V1::Refused), Ok(()));
        assert_eq!(verify(ID, &stamp, 0, V1::Accepted), Ok(()));
        assert!(!stamp.is_v1());
    }

    #[test]
    fn sliced_search_finds_the_same_stamp_and_counts_its_hashes() {
        let whole = solved();
        let mut one_go = Solver::new(ID, SALT, DIFFICULTY).expect("a solver");
        assert_eq!(one_go.search(u64::MAX), Some(whole.clone()));
        // Every nonce tried, found or not, is one hash.
        let tried: u64 = nonces(&whole).iter().map(|n| n + 1).sum();
        assert_eq!(one_go.hashes(), tried);
        for slice in [1, 7, 100, 4_000] {
            let mut solver = Solver::new(ID, SALT, DIFFICULTY).expect("a solver");
            let mut slices = 0;
            let mut parts_seen = 0;
            let found = loop {
                slices += 1;
                let before = solver.hashes();
                let result = solver.search(slice);
                assert!(
                    solver.hashes() - before <= slice,
                    "a slice stays within its budget"
                );
                assert!(solver.parts_found() >= parts_seen, "parts are kept");
                parts_seen = solver.parts_found();
                if let Some(stamp) = result {
                    break stamp;
                }
                assert_eq!(
                    solver.hashes() - before,
                    slice,
                    "an unfinished slice uses it all"
                );
                assert!(solver.parts_found() < PARTS);
                assert_eq!(solver.stamp(), None);
            };
            assert_eq!(found, whole, "slices of {slice}");
            assert_eq!(solver.hashes(), tried);
            assert_eq!(slices, tried.div_ceil(slice));
            // Once found, the stamp is answered again without more hashing.
            assert_eq!(solver.search(10), Some(whole.clone()));
            assert_eq!(solver.hashes(), tried);
            assert_eq!(solver.parts_found(), PARTS);
            assert_eq!(solver.share_done(), tried as f64 / 4096.0);
        }
        let mut idle = Solver::new(ID, SALT, DIFFICULTY).expect("a solver");
        assert_eq!(idle.search(0), None);
        assert_eq!((idle.hashes(), idle.parts_found()), (0, 0));
    }

    /// The point of v2: the work a stamp takes stays near its average. Over 200 reports at
    /// difficulty 10, the mean is near 2^10 hashes and the slowest stamp under 3 times that (a
    /// sum of 8 geometric waits passes 3 times its mean with probability about 2 in 100,000, so
    /// one of 200 with about 0.3%; one v1 wait does with probability e^-3, 5%, so the slowest of
    /// 200 v1 stamps nearly always does). The ids are fixed, so the test is deterministic.
    #[test]
    fn the_work_stays_near_its_average() {
        const STAMPS: u128 = 200;
        const D: u8 = 10;
        let mut total = 0u64;
        let mut slowest = 0u64;
        for i in 0..STAMPS {
            let id = Uuid::from_u128(0x5eed_0000 + i);
            let mut solver = Solver::new(id, "vecinos-2026-12-03", D).expect("a solver");
            let stamp = solver.search(u64::MAX).expect("a stamp");
            assert_eq!(verify(id, &stamp, D, V1::Refused), Ok(()));
            total += solver.hashes();
            slowest = slowest.max(solver.hashes());
        }
        let mean = total as f64 / STAMPS as f64;
        let expected = expected_hashes(D);
        // The mean's standard deviation is about 1024 × 0.35 / √200 ≈ 25 hashes.
        assert!(
            (mean - expected).abs() < 0.15 * expected,
            "mean {mean} hashes, {expected} expected"
        );
        assert!(
            (slowest as f64) < 3.0 * expected,
            "slowest {slowest} hashes, mean {expected}"
        );
        // The same sample in v1 has a long tail (the contrast the test rests on).
        let slowest_v1 = (0..STAMPS)
            .map(|i| {
                let id = Uuid::from_u128(0x5eed_0000 + i);
                match solve_v1(id, "vecinos-2026-12-03", D).work {
                    Work::V1 { nonce } => nonce + 1,
                    Work::V2 { .. } => unreachable!(),
                }
            })
            .max()
            .unwrap_or(0);
        assert!(
            slowest_v1 as f64 > 3.0 * expected,
            "v1's slowest took {slowest_v1}"
        );
    }

    #[test]
    fn tampering_with_any_nonce_the_id_the_salt_or_the_difficulty_fails() {
        let stamp = solved();
        for part in 0..PARTS {
            let mut changed = nonces(&stamp).to_vec();
            changed[part] = changed[part].wrapping_add(1);
            let tampered = Stamp::v2(SALT, DIFFICULTY, changed);
            let result = verify(ID, &tampered, DIFFICULTY, V1::Accepted);
            // verify agrees with the digests, whatever they are ...
            assert_eq!(result, expected(ID, &tampered));
            // ... and for these fixed inputs (deterministic, so this cannot flake) it fails,
            // on the changed part.
            assert!(
                matches!(result, Err(PowError::PartShortOfWork { part: p, required: 9, .. }) if p == part),
                "part {part}: {result:?}"
            );
        }
        let other_id = Uuid::from_u128(ID.as_u128() ^ 1);
        let salt = Stamp {
            salt: format!("{SALT}x"),
            ..stamp.clone()
        };
        for (id, tampered) in [(other_id, &stamp), (ID, &salt)] {
            let result = verify(id, tampered, DIFFICULTY, V1::Accepted);
            assert_eq!(result, expected(id, tampered));
            assert!(
                matches!(result, Err(PowError::PartShortOfWork { .. })),
                "{result:?}"
            );
        }
        // The difficulty is in every digest: claiming another one, lower or higher, fails
        // although a lower one asks for fewer bits.
        for difficulty in [DIFFICULTY - 1, DIFFICULTY + 1] {
            let claimed = Stamp {
                difficulty,
                ..stamp.clone()
            };
            let result = verify(ID, &claimed, 0, V1::Accepted);
            assert_eq!(result, expected(ID, &claimed));
            assert!(
                matches!(result, Err(PowError::PartShortOfWork { .. })),
                "difficulty {difficulty}: {result:?}"
            );
        }
        // Parts cannot be swapped: each digest binds its index.
        let mut swapped = nonces(&stamp).to_vec();
        swapped.swap(0, 1);
        assert_ne!(swapped, nonces(&stamp));
        assert!(verify(ID, &Stamp::v2(SALT, DIFFICULTY, swapped), 0, V1::Accepted).is_err());
    }

    #[test]
    fn a_v2_stamp_needs_exactly_eight_nonces() {
        let stamp = solved();
        let all = nonces(&stamp).to_vec();
        for parts in [0, 1, PARTS - 1, PARTS + 1, 100] {
            let nonces: Vec<u64> = all.iter().copied().cycle().take(parts).collect();
            let result = verify(ID, &Stamp::v2(SALT, DIFFICULTY, nonces), 0, V1::Accepted);
            assert_eq!(result, Err(PowError::WrongPartCount { parts }));
        }
        assert!(
            PowError::WrongPartCount { parts: 7 }
                .to_string()
                .contains("has 8 nonces, this one has 7")
        );
    }

    #[test]
    fn v1_stamps_verify_only_when_accepted() {
        let stamp = solve_v1(ID, SALT, DIFFICULTY);
        assert!(stamp.is_v1());
        assert_eq!(verify(ID, &stamp, DIFFICULTY, V1::Accepted), Ok(()));
        assert_eq!(
            verify(ID, &stamp, DIFFICULTY, V1::Refused),
            Err(PowError::V1Refused)
        );
        assert!(PowError::V1Refused.to_string().contains("version 2"));
        // Accepted v1 stamps are still checked: work, then difficulty bounds first.
        let Work::V1 { nonce } = stamp.work else {
            unreachable!()
        };
        let short = Stamp::v1(SALT, DIFFICULTY, nonce + 1);
        let leading_zeros = leading_zero_bits(&digest_v1(ID, SALT, DIFFICULTY, nonce + 1));
        assert!(leading_zeros < 12, "fixed inputs: the next nonce is short");
        assert_eq!(
            verify(ID, &short, DIFFICULTY, V1::Accepted),
            Err(PowError::InsufficientWork {
                difficulty: DIFFICULTY,
                leading_zeros
            })
        );
        assert_eq!(
            verify(Uuid::from_u128(ID.as_u128() ^ 1), &stamp, 0, V1::Accepted),
            Err(PowError::InsufficientWork {
                difficulty: DIFFICULTY,
                leading_zeros: leading_zero_bits(&digest_v1(
                    Uuid::from_u128(ID.as_u128() ^ 1),
                    SALT,
                    DIFFICULTY,
                    nonce
                )),
            })
        );
        assert_eq!(
            verify(ID, &stamp, DIFFICULTY + 1, V1::Accepted),
            Err(PowError::DifficultyTooLow {
                difficulty: DIFFICULTY,
                minimum: DIFFICULTY + 1
            })
        );
    }

    #[test]
    fn difficulty_bounds() {
        let stamp = solved();
        assert_eq!(
            verify(ID, &stamp, DIFFICULTY + 1, V1::Refused),
            Err(PowError::DifficultyTooLow {
                difficulty: DIFFICULTY,
                minimum: DIFFICULTY + 1
            })
        );
        let absurd = Stamp {
            difficulty: 200,
            ..stamp.clone()
        };
        assert_eq!(
            verify(ID, &absurd, 0, V1::Refused),
            Err(PowError::DifficultyTooHigh { difficulty: 200 })
        );
        assert_eq!(
            Solver::new(ID, SALT, MAX_DIFFICULTY + 1),
            Err(PowError::DifficultyTooHigh { difficulty: 33 })
        );
        assert!(Solver::new(ID, SALT, MAX_DIFFICULTY).is_ok());
        assert_eq!(solve(ID, SALT, MAX_DIFFICULTY + 1), None);
        assert!(
            PowError::DifficultyTooLow {
                difficulty: 3,
                minimum: 8
            }
            .to_string()
            .contains("below the required 8")
        );
    }

    #[test]
    fn low_difficulties_cost_one_hash_per_part() {
        for difficulty in 0..=3 {
            let mut solver = Solver::new(ID, SALT, difficulty).expect("a solver");
            let stamp = solver.search(u64::MAX).expect("solves");
            assert_eq!(stamp, Stamp::v2(SALT, difficulty, vec![0; PARTS]));
            assert_eq!(solver.hashes(), PARTS as u64);
            assert_eq!(verify(ID, &stamp, difficulty, V1::Refused), Ok(()));
        }
    }

    #[test]
    fn the_wire_shape_of_both_versions() {
        let v2 = Stamp::v2("vecinos-2026-12-03", 16, (1..=8).collect());
        let json = serde_json::to_value(&v2).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "salt": "vecinos-2026-12-03",
                "difficulty": 16,
                "nonces": [1, 2, 3, 4, 5, 6, 7, 8],
            })
        );
        assert!(json.get("nonce").is_none(), "v2 has no `nonce`");
        assert_eq!(serde_json::from_value::<Stamp>(json).expect("parses"), v2);

        // What phones stamped before v2, and what waits in their outboxes, still parses, and
        // is written back as it was read.
        let old = r#"{"salt":"vecinos-2026-12-03","difficulty":16,"nonce":77}"#;
        let v1: Stamp = serde_json::from_str(old).expect("a v1 stamp parses");
        assert_eq!(v1, Stamp::v1("vecinos-2026-12-03", 16, 77));
        assert_eq!(serde_json::to_string(&v1).expect("serialises"), old);

        for bad in [
            r#"{"salt":"s","difficulty":16}"#,
            r#"{"salt":"s","difficulty":16,"nonce":null,"nonces":null}"#,
            r#"{"salt":"s","difficulty":16,"nonce":1,"nonces":[1,2,3,4,5,6,7,8]}"#,
            r#"{"salt":"s","difficulty":16,"nonces":[-1,2,3,4,5,6,7,8]}"#,
            r#"{"salt":"s","difficulty":16,"nonces":7}"#,
            r#"{"difficulty":16,"nonces":[1,2,3,4,5,6,7,8]}"#,
        ] {
            assert!(serde_json::from_str::<Stamp>(bad).is_err(), "{bad}");
        }
        let both = r#"{"salt":"s","difficulty":1,"nonce":1,"nonces":[]}"#;
        let error = serde_json::from_str::<Stamp>(both).expect_err("refused");
        assert!(error.to_string().contains("not both"), "{error}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn solved_stamps_verify(id in any::<u128>(), salt in ".{0,40}", difficulty in 0u8..=10,
                                slice in 1u64..5_000) {
            let id = Uuid::from_u128(id);
            let mut solver = Solver::new(id, &salt, difficulty).expect("a solver");
            let stamp = loop {
                if let Some(stamp) = solver.search(slice) {
                    break stamp;
                }
            };
            prop_assert_eq!(&stamp, &solve(id, &salt, difficulty).expect("solvable"));
            prop_assert_eq!(verify(id, &stamp, difficulty, V1::Refused), Ok(()));
        }

        #[test]
        fn verify_agrees_with_digests(id in any::<u128>(), salt in ".{0,40}",
                                      difficulty in 0u8..=40,
                                      nonces in prop::collection::vec(any::<u64>(), 0..=10),
                                      min in 0u8..=16) {
            let id = Uuid::from_u128(id);
            let parts = nonces.len();
            let stamp = Stamp::v2(salt, difficulty, nonces);
            let result = verify(id, &stamp, min, V1::Accepted);
            if difficulty > MAX_DIFFICULTY {
                prop_assert_eq!(result, Err(PowError::DifficultyTooHigh { difficulty }));
            } else if difficulty < min {
                prop_assert_eq!(result, Err(PowError::DifficultyTooLow { difficulty, minimum: min }));
            } else if parts != PARTS {
                prop_assert_eq!(result, Err(PowError::WrongPartCount { parts }));
            } else {
                prop_assert_eq!(result, expected(id, &stamp));
            }
        }

        #[test]
        fn any_stamp_survives_json(salt in ".{0,40}", difficulty in any::<u8>(),
                                   nonces in prop::collection::vec(any::<u64>(), 0..=10),
                                   nonce in any::<u64>()) {
            for stamp in [Stamp::v2(salt.clone(), difficulty, nonces.clone()),
                          Stamp::v1(salt.clone(), difficulty, nonce)] {
                let json = serde_json::to_string(&stamp).expect("serialises");
                prop_assert_eq!(serde_json::from_str::<Stamp>(&json).expect("parses"), stamp);
            }
        }
    }
}
