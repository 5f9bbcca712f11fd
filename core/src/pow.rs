//! Proof of work that makes anonymous reports costly to spam.
//!
//! Before sending a report, the phone looks for a nonce such that the SHA-256 [`digest`] of the
//! report's id, a salt the server issued, the difficulty and the nonce starts with at least
//! `difficulty` zero bits ([`solve`], run in WASM in slices so the page stays responsive). The
//! server checks the [`Stamp`] with one hash ([`verify`]).
//!
//! This module only does the arithmetic. It must never decide on its own which salts are valid:
//! checking that the salt is one the server issued, is fresh and is used only once is the server's
//! job, as is choosing the minimum difficulty. It must never use the clock, randomness, threads or
//! the network, so that it runs the same in the browser and on the server.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Domain separation prefix of every digest; a new version of the scheme gets a new prefix.
pub const DOMAIN: &[u8] = b"vecinos-pow-v1";

/// Highest difficulty [`verify`] accepts (and [`solve`] attempts): about 4 billion hashes on
/// average, well beyond what a phone should ever be asked for.
pub const MAX_DIFFICULTY: u8 = 32;

/// A solved proof of work, sent along with a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The salt the server issued for this report.
    pub salt: String,
    /// Number of leading zero bits the digest has at least.
    pub difficulty: u8,
    /// The nonce that was found.
    pub nonce: u64,
}

/// Why a stamp was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowError {
    /// The stamp claims more than [`MAX_DIFFICULTY`].
    DifficultyTooHigh { difficulty: u8 },
    /// The stamp's difficulty is below what the server requires.
    DifficultyTooLow { difficulty: u8, minimum: u8 },
    /// The digest has fewer leading zero bits than the stamp's difficulty.
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

/// SHA-256 over [`DOMAIN`], the 16 id bytes, the salt's byte length (u32, little-endian) and its
/// bytes, the difficulty byte and the nonce (u64, little-endian).
///
/// A salt longer than `u32::MAX` bytes (never issued in practice) has its length saturated.
pub fn digest(report_id: Uuid, salt: &str, difficulty: u8, nonce: u64) -> [u8; 32] {
    let salt_len = u32::try_from(salt.len()).unwrap_or(u32::MAX);
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN);
    hasher.update(report_id.as_bytes());
    hasher.update(salt_len.to_le_bytes());
    hasher.update(salt.as_bytes());
    hasher.update([difficulty]);
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

/// Tries the nonces `start..start + budget` in order and returns the first stamp whose digest has
/// at least `difficulty` leading zero bits, or `None` when the slice holds none.
///
/// Resumable: call again with `start + budget` to search the next slice (the browser yields to the
/// event loop between slices). The range stops at `u64::MAX` (excluded). A difficulty above
/// [`MAX_DIFFICULTY`] is never attempted, since [`verify`] would refuse it: it returns `None`.
pub fn solve(
    report_id: Uuid,
    salt: &str,
    difficulty: u8,
    start: u64,
    budget: u64,
) -> Option<Stamp> {
    if difficulty > MAX_DIFFICULTY {
        return None;
    }
    let end = start.saturating_add(budget);
    (start..end)
        .find(|&nonce| {
            leading_zero_bits(&digest(report_id, salt, difficulty, nonce)) >= u32::from(difficulty)
        })
        .map(|nonce| Stamp {
            salt: salt.to_owned(),
            difficulty,
            nonce,
        })
}

/// Checks a stamp for `report_id`: its difficulty is within `min_difficulty..=MAX_DIFFICULTY`
/// and its digest has that many leading zero bits. One hash; does not check the salt (see the
/// module documentation).
pub fn verify(report_id: Uuid, stamp: &Stamp, min_difficulty: u8) -> Result<(), PowError> {
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
    let leading_zeros = leading_zero_bits(&digest(report_id, &stamp.salt, difficulty, stamp.nonce));
    if leading_zeros < u32::from(difficulty) {
        return Err(PowError::InsufficientWork {
            difficulty,
            leading_zeros,
        });
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
        solve(ID, SALT, DIFFICULTY, 0, 1 << 24).expect("a solution within 2^24 nonces")
    }

    /// What verify must say about `stamp`, computed from the digest directly.
    fn expected(id: Uuid, stamp: &Stamp) -> Result<(), PowError> {
        let leading_zeros =
            leading_zero_bits(&digest(id, &stamp.salt, stamp.difficulty, stamp.nonce));
        if leading_zeros >= u32::from(stamp.difficulty) {
            Ok(())
        } else {
            Err(PowError::InsufficientWork {
                difficulty: stamp.difficulty,
                leading_zeros,
            })
        }
    }

    #[test]
    fn digest_layout_is_fixed() {
        // Computed independently (sha256sum over the bytes spelled out below): the wire format of
        // the phone and the server must not drift.
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"vecinos-pow-v1");
        bytes.extend_from_slice(&[
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
            0x66, 0x77,
        ]);
        bytes.extend_from_slice(&[3, 0, 0, 0]);
        bytes.extend_from_slice(b"abc");
        bytes.push(7);
        bytes.extend_from_slice(&[0x2a, 0, 0, 0, 0, 0, 0, 0]);
        let direct: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(digest(ID, "abc", 7, 42), direct);
        assert_eq!(hex(&direct), KNOWN_DIGEST);
    }

    const KNOWN_DIGEST: &str = "0cc7567b1b0416b12747a3e6815f6d23a93b0334ffeb9a362247fdb3be7c2df4";

    fn hex(d: &[u8]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
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
    fn solve_then_verify() {
        let stamp = solved();
        assert_eq!(stamp.salt, SALT);
        assert_eq!(stamp.difficulty, DIFFICULTY);
        assert!(leading_zero_bits(&digest(ID, SALT, DIFFICULTY, stamp.nonce)) >= 12);
        assert_eq!(verify(ID, &stamp, DIFFICULTY), Ok(()));
        assert_eq!(verify(ID, &stamp, 0), Ok(()));
        // No earlier nonce works: solve returns the first one.
        assert_eq!(solve(ID, SALT, DIFFICULTY, 0, stamp.nonce), None);
        // Resuming from the found nonce finds it again straight away.
        assert_eq!(
            solve(ID, SALT, DIFFICULTY, stamp.nonce, 1),
            Some(stamp.clone())
        );
        // The stamp travels as JSON.
        let json = serde_json::to_string(&stamp).expect("serialises");
        assert_eq!(serde_json::from_str::<Stamp>(&json).expect("parses"), stamp);
    }

    #[test]
    fn sliced_search_finds_the_same_stamp() {
        let whole = solved();
        let mut start = 0;
        let found = loop {
            if let Some(stamp) = solve(ID, SALT, DIFFICULTY, start, 100) {
                break stamp;
            }
            start += 100;
        };
        assert_eq!(found, whole);
    }

    #[test]
    fn tampering_fails() {
        let stamp = solved();
        let other_id = Uuid::from_u128(ID.as_u128() ^ 1);
        let nonce = Stamp {
            nonce: stamp.nonce.wrapping_add(1),
            ..stamp.clone()
        };
        let salt = Stamp {
            salt: format!("{SALT}x"),
            ..stamp.clone()
        };
        let cases = [(ID, &nonce), (other_id, &stamp), (ID, &salt)];
        for (id, tampered) in cases {
            let result = verify(id, tampered, DIFFICULTY);
            // verify agrees with the digest, whatever it is ...
            assert_eq!(result, expected(id, tampered));
            // ... and for these fixed inputs (deterministic, so this cannot flake) it fails.
            assert!(
                matches!(result, Err(PowError::InsufficientWork { .. })),
                "{result:?}"
            );
        }
        // Claiming a lower difficulty than solved for changes the digest as well.
        let lower = Stamp {
            difficulty: DIFFICULTY - 1,
            ..stamp.clone()
        };
        assert_eq!(verify(ID, &lower, 0), expected(ID, &lower));
    }

    #[test]
    fn difficulty_bounds() {
        let stamp = solved();
        assert_eq!(
            verify(ID, &stamp, DIFFICULTY + 1),
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
            verify(ID, &absurd, 0),
            Err(PowError::DifficultyTooHigh { difficulty: 200 })
        );
        assert_eq!(solve(ID, SALT, MAX_DIFFICULTY + 1, 0, 1000), None);
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
    fn difficulty_zero_solves_at_start() {
        for start in [0, 1, 12_345, u64::MAX - 1] {
            let stamp = solve(ID, SALT, 0, start, 1).expect("difficulty 0 solves");
            assert_eq!(stamp.nonce, start);
            assert_eq!(verify(ID, &stamp, 0), Ok(()));
        }
        assert_eq!(solve(ID, SALT, 0, 5, 0), None);
        // The range ends at u64::MAX without overflowing.
        assert_eq!(solve(ID, SALT, 0, u64::MAX, 10), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn solved_stamps_verify(id in any::<u128>(), salt in ".{0,40}", difficulty in 0u8..=8,
                                start in any::<u64>()) {
            let id = Uuid::from_u128(id);
            let start = start / 2; // leaves room for the slice
            // At difficulty 8 a nonce works with probability 1/256: 2^16 tries all fail with
            // probability about e^-256.
            let stamp = solve(id, &salt, difficulty, start, 1 << 16).expect("solvable");
            prop_assert!(stamp.nonce >= start);
            prop_assert_eq!(verify(id, &stamp, difficulty), Ok(()));
        }

        #[test]
        fn verify_agrees_with_digest(id in any::<u128>(), salt in ".{0,40}",
                                     difficulty in 0u8..=40, nonce in any::<u64>(),
                                     min in 0u8..=16) {
            let id = Uuid::from_u128(id);
            let stamp = Stamp { salt, difficulty, nonce };
            let result = verify(id, &stamp, min);
            if difficulty > MAX_DIFFICULTY {
                prop_assert_eq!(result, Err(PowError::DifficultyTooHigh { difficulty }));
            } else if difficulty < min {
                prop_assert_eq!(result, Err(PowError::DifficultyTooLow { difficulty, minimum: min }));
            } else {
                prop_assert_eq!(result, expected(id, &stamp));
            }
        }
    }
}
