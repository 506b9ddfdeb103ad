//! Read-only hash tables kept as bytes and used in place: a model's weights and word lists are
//! looked up straight in (a copy of) the model file, so nothing is decoded at start-up.
//!
//! Keys are uniform 64-bit hashes. A table is a *directory* of `2^bits + 1` entries followed by
//! its *records* (a u64 key and a value of fixed size), sorted by key. The directory entry of a bucket (the
//! keys with the same top `bits` bits) gives the index of its first record (low 32 bits) and a
//! 32-bit Bloom filter of its keys (high 32 bits: two bits a key, picked by the key's low ten
//! bits). With `2^bits` close to the number of records, a lookup of an absent key (the common
//! case: most word pairs have no weight) reads one directory entry and stops there 99 times in
//! 100; a present key costs one record more. All numbers are little-endian; every read is
//! bounds-checked, so damaged bytes can spoil answers but cannot make a lookup fail.

use std::ops::Deref;

/// Bytes of one directory entry.
const DIR: usize = 8;

/// The filter bits of a key.
#[inline]
fn filter_bits(key: u64) -> u32 {
    1 << (key & 31) | 1 << ((key >> 5) & 31)
}

/// Sections of a blob start at multiples of this, so that records never straddle cache lines
/// when the blob itself is aligned.
pub(crate) const ALIGN: usize = 16;

/// Asks the processor to start loading the cache line holding `p`, so that a later read finds
/// it there.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing the program sees and cannot fault,
    // whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The bytes tables live in: a copy of a model file, on memory pages of 2 MiB where the
/// system gives them, or the embedded model where it lies in the binary.
///
/// Look-ups land at random places of a table of megabytes. With the usual 4 KiB pages nearly
/// each of them also misses the processor's cache of address translations (the TLB), and
/// under a hypervisor each such miss walks two page tables: on a 2-core virtual machine, tagging
/// from this copy once took 5 to 20% less time than from the embedded model where it lies in
/// the binary (file pages of 4 KiB), though later runs on the same machine showed no
/// difference from 4 to 50 MB of input. The copy costs 1.5 to 2 ms at start-up (fresh memory
/// is zeroed, the binary's pages read), which a short run does not win back. Clones share it.
#[derive(Clone)]
pub(crate) struct Blob(std::sync::Arc<Pages>);

/// The memory of a [`Blob`].
struct Pages {
    ptr: std::ptr::NonNull<u8>,
    len: usize,
    /// How it was allocated; `None` for static bytes, which are not freed.
    layout: Option<std::alloc::Layout>,
}

/// Size and alignment of a huge page on x86-64 and of the usual arm64 configuration.
const HUGE_PAGE: usize = 2 << 20;

impl Blob {
    /// A copy of `bytes`, aligned to (and rounded up to) [`HUGE_PAGE`], which Linux is asked to
    /// back with huge pages (`madvise(MADV_HUGEPAGE)`, a hint it may ignore).
    pub(crate) fn copy_of(bytes: &[u8]) -> Blob {
        let size = bytes.len().max(1).div_ceil(HUGE_PAGE) * HUGE_PAGE;
        let layout = std::alloc::Layout::from_size_align(size, HUGE_PAGE)
            .expect("a model's size is far below isize::MAX");
        // SAFETY: `layout` has a non-zero size.
        let raw = unsafe { std::alloc::alloc(layout) };
        let Some(ptr) = std::ptr::NonNull::new(raw) else {
            std::alloc::handle_alloc_error(layout);
        };
        #[cfg(target_os = "linux")]
        // SAFETY: the range is the allocation just made, page-aligned; the advice changes how
        // the kernel backs it, never its contents.
        unsafe {
            libc::madvise(raw.cast(), size, libc::MADV_HUGEPAGE);
        }
        // SAFETY: `raw` is valid for `size >= bytes.len()` bytes and cannot overlap `bytes`.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), raw, bytes.len()) };
        Blob(std::sync::Arc::new(Pages {
            ptr,
            len: bytes.len(),
            layout: Some(layout),
        }))
    }

    /// `bytes` where they lie, not copied.
    pub(crate) fn in_place(bytes: &'static [u8]) -> Blob {
        Blob(std::sync::Arc::new(Pages {
            ptr: std::ptr::NonNull::from(bytes).cast(),
            len: bytes.len(),
            layout: None,
        }))
    }
}

impl Deref for Blob {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        let p = &self.0;
        // SAFETY: the first `len` bytes of the allocation were written by `copy_of` and are
        // never written again, or they are the static bytes of `in_place`.
        unsafe { std::slice::from_raw_parts(p.ptr.as_ptr(), p.len) }
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        if let Some(layout) = self.layout {
            // SAFETY: allocated in `copy_of` with this layout, freed once.
            unsafe { std::alloc::dealloc(self.ptr.as_ptr(), layout) }
        }
    }
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len)
    }
}

// SAFETY: `Pages` owns its bytes, which are read-only after `Blob::copy_of`, like a `Box<[u8]>`,
// or borrows static bytes, like a `&'static [u8]`.
unsafe impl Send for Pages {}
// SAFETY: as above; shared references only read.
unsafe impl Sync for Pages {}

/// Where a table lies in a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TableAt {
    /// Bytes of a record: 8 of key, the rest of value.
    pub rec: usize,
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
    /// Places a table of `len` records of `rec` bytes with `bits` directory bits at `at`;
    /// returns it and the (aligned) offset where the next section starts, or `None` if `bits`
    /// is out of range or the sizes overflow.
    pub fn place(at: usize, rec: usize, bits: u32, len: usize) -> Option<(TableAt, usize)> {
        if !(1..=MAX_BITS).contains(&bits) || rec < 8 {
            return None;
        }
        let dir = align_up(at);
        let recs = align_up(dir.checked_add(((1usize << bits) + 1) * DIR)?);
        let end = align_up(recs.checked_add(len.checked_mul(rec)?)?);
        Some((
            TableAt {
                rec,
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
        let dir_end = self.dir + ((1usize << self.bits) + 1) * DIR;
        let recs_end = self.recs + self.len * self.rec;
        Table {
            rec: self.rec,
            shift: 64 - self.bits,
            dir: blob.get(self.dir..dir_end).unwrap_or(&[]),
            recs: blob.get(self.recs..recs_end).unwrap_or(&[]),
        }
    }
}

/// A table, borrowed from its blob.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table<'a> {
    rec: usize,
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
    pub fn get(&self, key: u64) -> Option<&'a [u8]> {
        let b = (key >> self.shift) as usize * DIR;
        let d = self.dir.get(b..b + DIR + 4)?;
        let need = filter_bits(key);
        if le32(&d[4..]) & need != need {
            return None;
        }
        let (lo, hi) = (le32(d) as usize, le32(&d[DIR..]) as usize);
        let recs: &'a [u8] = self.recs.get(lo * self.rec..hi * self.rec)?;
        for r in recs.chunks_exact(self.rec) {
            let k = le64(r);
            if k >= key {
                return (k == key).then(|| &r[8..]);
            }
        }
        None
    }

    /// Asks the processor to start loading the directory entry of `key`, so that a later
    /// [`Table::get`] of it waits less.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(
            self.dir
                .as_ptr()
                .wrapping_add((key >> self.shift) as usize * DIR),
        );
    }

    /// Looks up many keys at once: calls `found(i, value)` for each `keys[i]` present, in
    /// order. The directory entries of all keys are loaded first, then the first record of
    /// each bucket, in loops without data-dependent branches, so that the processor overlaps
    /// their cache misses instead of waiting for each in turn. `scratch` is a buffer.
    pub fn get_many(
        &self,
        keys: &[u64],
        scratch: &mut Vec<u64>,
        mut found: impl FnMut(usize, &'a [u8]),
    ) {
        let nrec = self.recs.len() / self.rec;
        if nrec == 0 {
            return;
        }
        // pass 0: ask for all the directory entries at once
        for &k in keys {
            prefetch(
                self.dir
                    .as_ptr()
                    .wrapping_add((k >> self.shift) as usize * DIR),
            );
        }
        // pass 1: directory entries; the filter says which buckets to open
        scratch.clear();
        scratch.extend(keys.iter().map(|&k| {
            let b = (k >> self.shift) as usize * DIR;
            let e = self.dir.get(b..b + DIR).map_or(0, le64);
            let need = filter_bits(k);
            let open = (e >> 32) as u32 & need == need;
            // the first record of the bucket (record 0 for a closed one: no branch), and
            // whether the bucket is open in the top bit
            let first = (e as u32 as usize * open as usize).min(nrec - 1);
            prefetch(self.recs.as_ptr().wrapping_add(first * self.rec));
            first as u64 | (open as u64) << 63
        }));
        // pass 2: the first key of each bucket
        let first: usize = scratch.len();
        for i in 0..first {
            let r = (scratch[i] as u32 as usize) * self.rec;
            let k = self.recs.get(r..r + 8).map_or(0, le64);
            scratch.push(k);
        }
        // pass 3: what is found, with the bucket's later records where needed
        for (i, &key) in keys.iter().enumerate() {
            let (e, k0) = (scratch[i], scratch[first + i]);
            if e >> 63 == 0 {
                continue;
            }
            let lo = e as u32 as usize;
            if k0 == key {
                let r = lo * self.rec;
                if let Some(v) = self.recs.get(r + 8..r + self.rec) {
                    found(i, v);
                }
            } else if k0 < key
                && let Some(v) = self.get(key)
            {
                found(i, v);
            }
        }
    }

    /// The u64 value stored under `key` (for tables of 16-byte records).
    #[inline]
    pub fn get_u64(&self, key: u64) -> Option<u64> {
        self.get(key).filter(|v| v.len() >= 8).map(le64)
    }

    /// Number of records.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.recs.len() / self.rec
    }

    /// Every record, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &'a [u8])> + 'a {
        self.recs.chunks_exact(self.rec).map(|r| (le64(r), &r[8..]))
    }
}

/// Appends a table of 16-byte records `(key, value)` (sorted by key, keys distinct) to `out`.
pub(crate) fn write_u64(out: &mut Vec<u8>, recs: &[(u64, u64)]) -> TableAt {
    let keys: Vec<u64> = recs.iter().map(|r| r.0).collect();
    let vals: Vec<u8> = recs.iter().flat_map(|r| r.1.to_le_bytes()).collect();
    write(out, 16, &keys, &vals)
}

/// Appends a table to `out`, aligned, with [`bits_for`] directory bits: keys `keys` (sorted,
/// distinct), the value of `keys[i]` being `vals[i * v..(i + 1) * v]` with `v = rec - 8`.
pub(crate) fn write(out: &mut Vec<u8>, rec: usize, keys: &[u64], vals: &[u8]) -> TableAt {
    debug_assert!(keys.windows(2).all(|w| w[0] < w[1]));
    debug_assert_eq!(vals.len(), keys.len() * (rec - 8));
    let bits = bits_for(keys.len());
    let Some((at, end)) = TableAt::place(out.len(), rec, bits, keys.len()) else {
        unreachable!("bits_for stays in range");
    };
    out.resize(at.dir, 0);
    let shift = 64 - bits;
    let mut i = 0;
    for b in 0..=(1u64 << bits) {
        let start = i;
        let mut filter = 0u32;
        while i < keys.len() && keys[i] >> shift == b {
            filter |= filter_bits(keys[i]);
            i += 1;
        }
        out.extend_from_slice(&(start as u32).to_le_bytes());
        out.extend_from_slice(&filter.to_le_bytes());
    }
    out.resize(at.recs, 0);
    for (k, v) in keys.iter().zip(vals.chunks_exact(rec - 8)) {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(v);
    }
    out.resize(end, 0);
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_an_aligned_copy() {
        for n in [0usize, 1, 4096, HUGE_PAGE, HUGE_PAGE + 1] {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 7) as u8).collect();
            let blob = Blob::copy_of(&bytes);
            assert_eq!(&*blob, &bytes[..]);
            assert_eq!(blob.as_ptr() as usize % HUGE_PAGE, 0);
            let copy = blob.clone();
            assert_eq!(copy.as_ptr(), blob.as_ptr());
            drop(blob);
            assert_eq!(&*copy, &bytes[..]);
        }
    }

    #[test]
    fn a_blob_in_place_is_the_bytes_themselves() {
        static BYTES: [u8; 5] = [1, 2, 3, 4, 5];
        let blob = Blob::in_place(&BYTES);
        assert_eq!(blob.as_ptr(), BYTES.as_ptr());
        let copy = blob.clone();
        drop(blob);
        // dropping the last blob leaves the static bytes alone
        drop(copy);
        assert_eq!(BYTES, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn lookups() {
        for n in [0usize, 1, 2, 3, 100, 5000] {
            let mut recs: Vec<(u64, u64)> = (1..=n as u64)
                .map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15), i))
                .collect();
            recs.sort_unstable();
            let mut out = vec![7u8; 5];
            let at = write_u64(&mut out, &recs);
            assert_eq!(at.dir % ALIGN, 0);
            assert_eq!(out.len() % ALIGN, 0);
            let t = at.view(&out);
            assert_eq!(t.len(), n);
            for &(k, v) in &recs {
                assert_eq!(t.get_u64(k), Some(v));
                assert_eq!(t.get(k ^ 1), None);
            }
            let back: Vec<(u64, u64)> = t.iter().map(|(k, v)| (k, le64(v))).collect();
            assert_eq!(back, recs);
            assert_eq!(t.get(0), None);
            assert_eq!(t.get(u64::MAX), None);
            // wider records
            let keys: Vec<u64> = recs.iter().map(|r| r.0).collect();
            let vals: Vec<u8> = (0..keys.len() * 24).map(|i| (i % 251) as u8).collect();
            let at = write(&mut out, 32, &keys, &vals);
            let t = at.view(&out);
            for (i, &k) in keys.iter().enumerate() {
                assert_eq!(t.get(k), Some(&vals[i * 24..(i + 1) * 24]));
            }
        }
    }

    #[test]
    fn damaged_bytes_do_not_panic() {
        let recs: Vec<(u64, u64)> = (1..50u64).map(|i| (i << 58, i)).collect();
        let mut out = Vec::new();
        let at = write_u64(&mut out, &recs);
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
