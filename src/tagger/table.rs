//! Read-only hash tables kept as bytes and used in place: a model's weights and word lists are
//! looked up straight in the embedded (or loaded) model file, so nothing is decoded at start-up.
//!
//! Keys are uniform 64-bit hashes. A table is a *directory* of `2^bits + 1` u32 followed by its
//! *records* (key and value, two u64), sorted by key; the directory gives, for each value of a
//! key's top `bits` bits, the first record of that bucket. With `2^bits` close to the number of
//! records, a lookup reads one directory entry and one or two records. All numbers are
//! little-endian; every read is bounds-checked, so damaged bytes can spoil answers but cannot
//! make a lookup fail.

use std::ops::Deref;

/// Bytes of one record.
const REC: usize = 16;

/// Sections of a blob start at multiples of this, so that records never straddle cache lines
/// when the blob itself is aligned.
pub(crate) const ALIGN: usize = 16;

/// The bytes tables live in: the model embedded in the binary, or one read or built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Blob {
    /// Bytes that live as long as the program (the embedded model).
    Static(&'static [u8]),
    /// Bytes owned by the model.
    Owned(Box<[u8]>),
}

impl Deref for Blob {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Blob::Static(b) => b,
            Blob::Owned(b) => b,
        }
    }
}

/// Where a table lies in a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TableAt {
    /// Directory bits (1 to [`MAX_BITS`]).
    pub bits: u32,
    /// Number of records.
    pub len: usize,
    /// Byte offset of the directory.
    pub dir: usize,
    /// Byte offset of the records.
    pub recs: usize,
}

/// Most directory bits a table may have.
pub(crate) const MAX_BITS: u32 = 24;

/// Directory bits for `n` records: about one record a bucket.
pub(crate) fn bits_for(n: usize) -> u32 {
    (usize::BITS - n.leading_zeros())
        .saturating_sub(1)
        .clamp(1, MAX_BITS)
}

/// `n` rounded up to [`ALIGN`].
pub(crate) fn align_up(n: usize) -> usize {
    n.div_ceil(ALIGN) * ALIGN
}

impl TableAt {
    /// Places a table of `len` records with `bits` directory bits at `at`; returns it and the
    /// (aligned) offset where the next section starts, or `None` if `bits` is out of range or
    /// the sizes overflow.
    pub fn place(at: usize, bits: u32, len: usize) -> Option<(TableAt, usize)> {
        if !(1..=MAX_BITS).contains(&bits) {
            return None;
        }
        let dir = align_up(at);
        let recs = align_up(dir.checked_add(((1usize << bits) + 1) * 4)?);
        let end = align_up(recs.checked_add(len.checked_mul(REC)?)?);
        Some((
            TableAt {
                bits,
                len,
                dir,
                recs,
            },
            end,
        ))
    }

    /// The table in `blob`.
    #[inline]
    pub fn view<'a>(&self, blob: &'a [u8]) -> Table<'a> {
        let dir_end = self.dir + ((1usize << self.bits) + 1) * 4;
        let recs_end = self.recs + self.len * REC;
        Table {
            shift: 64 - self.bits,
            dir: blob.get(self.dir..dir_end).unwrap_or(&[]),
            recs: blob.get(self.recs..recs_end).unwrap_or(&[]),
        }
    }
}

/// A table, borrowed from its blob.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table<'a> {
    shift: u32,
    dir: &'a [u8],
    recs: &'a [u8],
}

#[inline]
fn le32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_le_bytes(a)
}

#[inline]
pub(crate) fn le64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

impl<'a> Table<'a> {
    /// The value stored under `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u64> {
        let b = (key >> self.shift) as usize * 4;
        let d = self.dir.get(b..b + 8)?;
        let (lo, hi) = (le32(d) as usize, le32(&d[4..]) as usize);
        let recs = self.recs.get(lo * REC..hi * REC)?;
        for r in recs.chunks_exact(REC) {
            let k = le64(r);
            if k >= key {
                return (k == key).then(|| le64(&r[8..]));
            }
        }
        None
    }

    /// Number of records.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.recs.len() / REC
    }

    /// Every record, in key order.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + 'a {
        self.recs
            .chunks_exact(REC)
            .map(|r| (le64(r), le64(&r[8..])))
    }
}

/// Appends a table of `recs` (sorted by key, keys distinct) to `out`, aligned, with
/// [`bits_for`] directory bits.
pub(crate) fn write(out: &mut Vec<u8>, recs: &[(u64, u64)]) -> TableAt {
    debug_assert!(recs.windows(2).all(|w| w[0].0 < w[1].0));
    let bits = bits_for(recs.len());
    let Some((at, end)) = TableAt::place(out.len(), bits, recs.len()) else {
        unreachable!("bits_for stays in range");
    };
    out.resize(at.dir, 0);
    let shift = 64 - bits;
    let mut i = 0;
    for b in 0..=(1u64 << bits) {
        while i < recs.len() && recs[i].0 >> shift < b {
            i += 1;
        }
        out.extend_from_slice(&(i as u32).to_le_bytes());
    }
    out.resize(at.recs, 0);
    for &(k, v) in recs {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.resize(end, 0);
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        for n in [0usize, 1, 2, 3, 100, 5000] {
            let mut recs: Vec<(u64, u64)> = (1..=n as u64)
                .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15), i))
                .collect();
            recs.sort_unstable();
            let mut out = vec![7u8; 5];
            let at = write(&mut out, &recs);
            assert_eq!(at.dir % ALIGN, 0);
            assert_eq!(out.len() % ALIGN, 0);
            let t = at.view(&out);
            assert_eq!(t.len(), n);
            for &(k, v) in &recs {
                assert_eq!(t.get(k), Some(v));
                assert_eq!(t.get(k ^ 1), None);
            }
            assert_eq!(t.iter().collect::<Vec<_>>(), recs);
            assert_eq!(t.get(0), None);
            assert_eq!(t.get(u64::MAX), None);
        }
    }

    #[test]
    fn damaged_bytes_do_not_panic() {
        let recs: Vec<(u64, u64)> = (1..50u64).map(|i| (i << 58, i)).collect();
        let mut out = Vec::new();
        let at = write(&mut out, &recs);
        for cut in [0, 10, at.recs, out.len() - 1] {
            let t = at.view(&out[..cut]);
            for &(k, _) in &recs {
                let _ = t.get(k);
            }
        }
        let mut bad = out.clone();
        bad[at.dir..at.recs].fill(0xff);
        let t = at.view(&bad);
        assert_eq!(t.get(recs[3].0), None);
    }
}
