//! Helper threads for the swarm's parts, natively: the same protocol as the browser's helper
//! workers (see [`crate::swarm::shards`]), with a bounded channel for the ring.
//!
//! Each part gets its own thread, which builds its runner (training its members in parallel
//! with the coordinator's build) and fills blocks up to `AHEAD` ahead of the coordinator.
//! Why not rayon's per-sample split: joining the parts at every sample cost a few microseconds
//! against tens of microseconds of work, and scaled 1.18x on two cores; a part that runs a
//! block of samples ahead meets the coordinator once per block.

use crate::swarm::shards::{BlockLayout, BlockSource, PartError, ShardJob, ShardRunner, Spawn};
use std::sync::mpsc::{sync_channel, Receiver};

/// Blocks a helper thread may fill ahead of the coordinator.
const AHEAD: usize = 4;
/// The most helper threads one run may have (the `shards` parameter's maximum, less one).
const MAX_HELPERS: usize = 63;

/// How a helper builds its part's runner from the job (the preset's; this module knows no
/// preset).
pub type BuildPart = fn(&ShardJob) -> Result<ShardRunner, String>;

/// A new thread per part, for as many parts as asked.
#[derive(Debug, Clone, Copy)]
pub struct ThreadHelpers {
    build: BuildPart,
}

impl ThreadHelpers {
    /// Helpers that build their parts with `build`.
    pub fn new(build: BuildPart) -> Self {
        ThreadHelpers { build }
    }
}

impl Spawn for ThreadHelpers {
    fn helpers(&self) -> usize {
        MAX_HELPERS
    }

    fn spawn(
        &self,
        helper: usize,
        job: &ShardJob,
        layout: BlockLayout,
    ) -> Result<Box<dyn BlockSource>, PartError> {
        let (job, build) = (job.clone(), self.build);
        spawn_runner(helper + 1, layout, move || build(&job))
    }
}

/// Starts helper thread `number`, which builds a runner with `build` and sends its blocks
/// (laid out as `layout`) until the returned source is dropped.
pub fn spawn_runner(
    number: usize,
    layout: BlockLayout,
    build: impl FnOnce() -> Result<ShardRunner, String> + Send + 'static,
) -> Result<Box<dyn BlockSource>, PartError> {
    let (blocks, received) = sync_channel::<Result<Vec<f64>, PartError>>(AHEAD);
    std::thread::Builder::new()
        .name(format!("swarm-helper-{number}"))
        .spawn(move || {
            let mut runner = match build() {
                Ok(runner) if runner.layout() == layout => runner,
                Ok(runner) => {
                    let why = PartError::Layout {
                        helper: number,
                        found: format!("{:?}", runner.layout()),
                        expected: format!("{layout:?}"),
                    };
                    blocks.send(Err(why)).ok();
                    return;
                }
                Err(reason) => {
                    let why = PartError::Build {
                        helper: number,
                        reason,
                    };
                    blocks.send(Err(why)).ok();
                    return;
                }
            };
            loop {
                let mut block = vec![0.0; layout.len()];
                runner.fill_block(&mut block);
                // The coordinator dropped the part (a new run, or the end): stop.
                if blocks.send(Ok(block)).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| PartError::Start {
            helper: number,
            reason: format!("no thread: {e}"),
        })?;
    Ok(Box::new(ThreadSource { number, received }))
}

/// The coordinator's end of a helper thread.
struct ThreadSource {
    number: usize,
    received: Receiver<Result<Vec<f64>, PartError>>,
}

impl BlockSource for ThreadSource {
    fn next_block(&mut self, out: &mut [f64]) -> Result<(), PartError> {
        match self.received.recv() {
            Ok(Ok(block)) => {
                out.copy_from_slice(&block);
                Ok(())
            }
            Ok(Err(why)) => Err(why),
            Err(_) => Err(PartError::Stopped {
                helper: self.number,
                reason: "its thread ended".to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_helper_that_cannot_build_its_part_says_why() {
        let layout = BlockLayout::new(4, 1);
        let mut source = spawn_runner(3, layout, || Err("no such members".into())).unwrap();
        let mut out = vec![0.0; layout.len()];
        let refused = source.next_block(&mut out).unwrap_err();
        assert_eq!(
            refused,
            PartError::Build {
                helper: 3,
                reason: "no such members".into()
            }
        );
        assert_eq!(
            refused.to_string(),
            "helper 3 cannot build its part: no such members"
        );
        // And then that it has stopped.
        assert_eq!(
            source.next_block(&mut out).unwrap_err().to_string(),
            "helper 3 stopped: its thread ended"
        );
    }
}
