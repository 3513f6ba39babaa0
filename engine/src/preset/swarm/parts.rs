//! Where a swarm run's members are evaluated: with `shards > 1`, the first part here and the
//! others handed to the helpers the build context lends (threads natively, workers in the
//! browser; see [`crate::swarm::shards`]); and how a helper builds its part.

use super::super::{inconsistent, BuildContext, PresetError};
use super::params::{check, SwarmParams};
use super::{run_stream, setup, PRESET};
use crate::params::{ParamError, ParamValues};
use crate::swarm::members::Members;
use crate::swarm::shards::{member_ranges, BlockLayout, RemoteShard, ShardJob, ShardRunner};

/// Where the members are evaluated: with `shards > 1`, the first part here and the others
/// handed to up to `shards - 1` helpers (threads natively, workers in the browser; see
/// [`crate::swarm::shards`]), which start on them at once.
pub(super) fn spawn_parts(
    values: &ParamValues,
    p: &SwarmParams,
    seed: u64,
    context: &BuildContext,
) -> Result<Evaluation, ParamError> {
    let (shards, members) = (p.shards as usize, p.members as usize);
    let helpers = match &context.helpers {
        Some(spawner) if shards > 1 && spawner.helpers() > 0 => spawner,
        _ => {
            return Ok(Evaluation {
                local: 0..members,
                remotes: Vec::new(),
            })
        }
    };
    let ranges = member_ranges(members, shards.min(helpers.helpers() + 1));
    let stride = p.stride as usize;
    let mut remotes = Vec::with_capacity(ranges.len() - 1);
    for (helper, range) in ranges[1..].iter().enumerate() {
        let job = ShardJob {
            params: values.clone(),
            seed,
            first: range.start,
            end: range.end,
        };
        let layout = BlockLayout::new(range.len(), stride);
        let source = helpers
            .spawn(helper, &job, layout)
            .map_err(|e| inconsistent("shards", e.to_string()))?;
        remotes.push(RemoteShard::new(range.clone(), layout, source));
    }
    Ok(Evaluation {
        local: ranges[0].clone(),
        remotes,
    })
}

/// [`shard_runner`] with its error as text: how native helper threads build their parts.
#[cfg(not(target_arch = "wasm32"))]
pub(in crate::preset) fn shard_runner_for_threads(job: &ShardJob) -> Result<ShardRunner, String> {
    shard_runner(job).map_err(|e| e.to_string())
}

/// A helper's part of a swarm run (see [`crate::swarm::shards`]): the parameters are checked
/// as for a run, then the stream and the part's members are built as the coordinator builds
/// them.
pub fn shard_runner(job: &ShardJob) -> Result<ShardRunner, PresetError> {
    let values = crate::params::resolve(PRESET.params, &job.params)?;
    let p = SwarmParams::from_values(&values);
    check(&p)?;
    let members = p.members as usize;
    if job.first >= job.end || job.end > members {
        return Err(PresetError::Param(inconsistent(
            "shards",
            format!(
                "members {}..{} are not a part of a swarm of {members}",
                job.first, job.end
            ),
        )));
    }
    let setup = setup(&p, job.seed);
    let trained = Members::train_part(
        setup.config,
        setup.stream.channels,
        &setup.history,
        job.seed,
        job.members(),
    )
    .map_err(|e| PresetError::Param(inconsistent("members", e.to_string())))?;
    Ok(ShardRunner::new(
        run_stream(setup.stream, job.seed),
        trained,
        job.members(),
    ))
}

/// Where the members are evaluated: `local` here, the rest by helpers.
pub(super) struct Evaluation {
    pub(super) local: std::ops::Range<usize>,
    pub(super) remotes: Vec<RemoteShard>,
}
