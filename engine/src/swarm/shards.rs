//! The swarm split across workers that share no memory: in the browser each worker is one
//! thread with its own wasm memory, so rayon's threads (what `shards` means natively, inside
//! one [`Members`]) are not there.
//!
//! The coordinator (the worker that runs the scheduler) keeps the first part of the members;
//! every other part is a [`ShardRunner`] in a helper worker, which regenerates the same seeded
//! stream, trains only its own members, and sends their answers sample by sample, in blocks
//! of [`BlockLayout`]. The coordinator reads them through a [`RemoteShard`] and votes over all
//! members in member order, so the result is the same bits for any number of workers.
//!
//! Why the parts meet at every sample rather than as window summaries: each sample's vote
//! adds every member's answer in member order (floating point: the order matters), and the
//! window's decision, escalation and prior follow from those votes, so partial summaries
//! could not be merged into the same result.
//!
//! How blocks travel is the platform's business ([`BlockSource`]; the worker uses a
//! SharedArrayBuffer ring). The platform lends its helpers ([`Spawn`]) to a build through the
//! preset's build context; without them every member is evaluated by the coordinator.

use crate::params::ParamValues;
pub use crate::swarm::members::PartError;
use crate::swarm::members::{Members, RemotePart};
use crate::swarm::stream::RegimeStream;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Answers per block at most (128 KiB of f64), so a block stays cheap to copy.
const BLOCK_VALUES: usize = 16_384;
/// Samples per block at most, so the first answers come soon.
const MAX_BLOCK_SAMPLES: usize = 1024;

/// What a helper needs to rebuild its part: the run's resolved parameters and seed, and its
/// members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardJob {
    /// The swarm preset's resolved parameter values.
    pub params: ParamValues,
    /// The run's seed.
    pub seed: u64,
    /// The first member of the part.
    pub first: usize,
    /// One past its last member.
    pub end: usize,
}

impl ShardJob {
    /// The part's members.
    pub fn members(&self) -> Range<usize> {
        self.first..self.end
    }
}

/// How a part's answers are laid out in a block: `samples` consecutive samples, each a slot of
/// `slot` values holding the answers of the part's members due at it, in member order (the
/// rest of the slot is unused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockLayout {
    /// Samples per block.
    pub samples: usize,
    /// Values per sample: the most members of the part due at one sample.
    pub slot: usize,
}

impl BlockLayout {
    /// The layout for a part of `members` members evaluated every `stride` samples.
    pub fn new(members: usize, stride: usize) -> Self {
        let slot = members.div_ceil(stride.max(1)).max(1);
        BlockLayout {
            samples: (BLOCK_VALUES / slot).clamp(1, MAX_BLOCK_SAMPLES),
            slot,
        }
    }

    /// Values in one block.
    pub fn len(&self) -> usize {
        self.samples * self.slot
    }

    /// True for a block of nothing (never, for a layout from [`BlockLayout::new`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `count` members in `parts` contiguous ranges whose sizes differ by at most one.
pub fn member_ranges(count: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, count.max(1));
    let (base, extra) = (count / parts, count % parts);
    let mut start = 0;
    (0..parts)
        .map(|j| {
            let len = base + usize::from(j < extra);
            start += len;
            start - len..start
        })
        .collect()
}

/// A helper's part: the stream and its members, producing their answers block by block.
#[derive(Debug)]
pub struct ShardRunner {
    stream: RegimeStream,
    members: Members,
    range: Range<usize>,
    layout: BlockLayout,
}

impl ShardRunner {
    /// A runner for `range` of `members` (trained at least on that range) over `stream`
    /// (the run's, from its start).
    pub fn new(stream: RegimeStream, members: Members, range: Range<usize>) -> Self {
        let layout = BlockLayout::new(range.len(), members.stride());
        ShardRunner {
            stream,
            members,
            range,
            layout,
        }
    }

    /// The layout of the blocks it fills.
    pub fn layout(&self) -> BlockLayout {
        self.layout
    }

    /// Takes the next `layout.samples` samples and writes the answers of the part's members
    /// due at each into `out` (`layout.len()` values).
    pub fn fill_block(&mut self, out: &mut [f64]) {
        for slot in out.chunks_exact_mut(self.layout.slot) {
            self.stream.next_sample();
            match self.members.push(self.stream.values()) {
                Some(k) => self.members.eval_due(k, self.range.clone(), slot),
                None => slot.fill(0.0),
            }
        }
    }
}

/// Where a remote part's blocks come from, in order.
pub trait BlockSource {
    /// Writes the next block into `out` (`layout.len()` values), or says why it cannot.
    fn next_block(&mut self, out: &mut [f64]) -> Result<(), PartError>;
}

/// The coordinator's view of a part that another worker evaluates.
pub struct RemoteShard {
    range: Range<usize>,
    layout: BlockLayout,
    source: Box<dyn BlockSource>,
    block: Vec<f64>,
    /// Blocks read so far; the one held is `read - 1`.
    read: u64,
}

impl RemoteShard {
    /// Reads `range`'s answers, laid out as `layout`, from `source`.
    pub fn new(range: Range<usize>, layout: BlockLayout, source: Box<dyn BlockSource>) -> Self {
        RemoteShard {
            range,
            layout,
            source,
            block: vec![0.0; layout.len()],
            read: 0,
        }
    }
}

impl RemotePart for RemoteShard {
    /// The members it answers for.
    fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The answers of the part's members due at sample `k` (a full slot; the due members come
    /// first, in member order). Samples must be asked for in increasing order.
    fn answers(&mut self, k: u64) -> Result<&[f64], PartError> {
        let block = k / self.layout.samples as u64;
        if block + 1 < self.read {
            return Err(PartError::OutOfOrder { k });
        }
        while self.read <= block {
            self.source.next_block(&mut self.block)?;
            self.read += 1;
        }
        let at = (k % self.layout.samples as u64) as usize * self.layout.slot;
        Ok(&self.block[at..at + self.layout.slot])
    }
}

impl std::fmt::Debug for RemoteShard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteShard")
            .field("range", &self.range)
            .field("layout", &self.layout)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

/// The platform's helpers: how many there are and how to hand one a part.
pub trait Spawn {
    /// Helpers ready to take a part.
    fn helpers(&self) -> usize;
    /// Hands helper `helper` (< [`Spawn::helpers`]) the part `job`, whose blocks are laid out as
    /// `layout`; returns where its blocks will come from.
    fn spawn(
        &self,
        helper: usize,
        job: &ShardJob,
        layout: BlockLayout,
    ) -> Result<Box<dyn BlockSource>, PartError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn ranges_cover_every_member_once_in_near_equal_parts() {
        assert_eq!(member_ranges(10, 3), vec![0..4, 4..7, 7..10]);
        assert_eq!(member_ranges(2, 5), vec![0..1, 1..2]);
        assert_eq!(member_ranges(7, 1), vec![0..7]);
        for (count, parts) in [(64, 2), (4096, 7), (5, 5), (1, 3)] {
            let ranges = member_ranges(count, parts);
            assert_eq!(ranges.first().unwrap().start, 0);
            assert_eq!(ranges.last().unwrap().end, count);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
            let sizes: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
        }
    }

    #[test]
    fn a_slot_holds_the_most_members_due_at_one_sample() {
        assert_eq!(BlockLayout::new(32, 4).slot, 8);
        assert_eq!(BlockLayout::new(33, 4).slot, 9);
        assert_eq!(BlockLayout::new(1, 64).slot, 1);
        let big = BlockLayout::new(4096, 1);
        assert_eq!((big.slot, big.samples), (4096, 4));
        assert_eq!(BlockLayout::new(8, 4).samples, MAX_BLOCK_SAMPLES);
    }

    /// Blocks numbered by their first value, to check which one is read when.
    struct Counting(u64, Rc<RefCell<u64>>);

    impl BlockSource for Counting {
        fn next_block(&mut self, out: &mut [f64]) -> Result<(), PartError> {
            *self.1.borrow_mut() += 1;
            out.fill(self.0 as f64);
            self.0 += 1;
            Ok(())
        }
    }

    #[test]
    fn a_remote_reads_each_block_once_in_order_and_refuses_going_back() {
        let reads = Rc::new(RefCell::new(0));
        let layout = BlockLayout {
            samples: 4,
            slot: 2,
        };
        let mut remote = RemoteShard::new(0..8, layout, Box::new(Counting(0, reads.clone())));
        assert_eq!(remote.answers(0).unwrap(), &[0.0, 0.0]);
        assert_eq!(remote.answers(3).unwrap(), &[0.0, 0.0]);
        assert_eq!(*reads.borrow(), 1);
        // Sample 9 is in block 2: block 1 is read and skipped.
        assert_eq!(remote.answers(9).unwrap(), &[2.0, 2.0]);
        assert_eq!(*reads.borrow(), 3);
        assert_eq!(
            remote.answers(2).unwrap_err(),
            PartError::OutOfOrder { k: 2 }
        );
    }

    struct Failing;

    impl BlockSource for Failing {
        fn next_block(&mut self, _out: &mut [f64]) -> Result<(), PartError> {
            Err(PartError::Silent {
                helper: 1,
                seconds: 4.0,
            })
        }
    }

    #[test]
    fn a_source_failure_reaches_the_coordinator() {
        let mut remote = RemoteShard::new(0..3, BlockLayout::new(3, 1), Box::new(Failing));
        assert_eq!(
            remote.answers(0).unwrap_err().to_string(),
            "helper 1 gave no answers for 4 s"
        );
    }
}
