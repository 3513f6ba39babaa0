// Swarm throughput in the browser with 1, 2, ... workers (the coordinator and its helpers):
// member evaluations per wall second of a run at full speed, and the ratio to one worker.
//
//   node tests/e2e/swarm_scaling.mjs [--dist DIR] [--members 2048] [--seconds 2] [--repeat 3]
//
// Serves a built `dist` (default: ./dist, from `trunk build --release`) with the isolation
// headers, so the page can share memory and start helpers. Prints one JSON line per run and a
// summary with the best of `repeat` runs per worker count.
import { launch, openPreset, serveStatic, root } from './harness.mjs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', default: join(root, 'dist') },
    members: { type: 'string', default: '2048' },
    seconds: { type: 'string', default: '2' },
    repeat: { type: 'string', default: '3' },
    port: { type: 'string', default: '8297' },
  },
});
const server = await serveStatic(opts.dist, Number(opts.port));
const browser = await launch();
const page = await openPreset(browser, server.base, 'swarm');
const clock = await page.getByTestId('clock-info').textContent();
const helpers = Number(clock.match(/(\d+) helper worker/)?.[1] ?? 0);

const setParam = async (name, value) => {
  await page.getByTestId(`param-${name}`).fill(String(value));
  await page.getByTestId(`param-${name}`).dispatchEvent('change');
};

async function run(shards) {
  // Every member at every sample (stride 1): the evaluations dominate the run.
  await setParam('members', opts.members);
  await setParam('stride', 1);
  // Untrained members (as in the native benchmark): the same arithmetic, no training wait.
  await setParam('epochs', 0);
  await setParam('shards', shards);
  await page.getByTestId('apply').click();
  await page.waitForFunction(() => /^swarm · t = 0.000 s/.test(document.querySelector('[data-testid=readout]').textContent));
  await page.getByTestId('speed').selectOption('as fast as possible');
  await page.getByTestId('duration').fill(`${opts.seconds} s`);
  await page.getByTestId('duration').dispatchEvent('change');
  const started = Date.now();
  await page.getByTestId('start').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=worker-status]').textContent === 'finished', null, { timeout: 600_000 });
  const wall = (Date.now() - started) / 1000;
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
  const evaluations = saved.windows.at(-1).data.readouts.find((r) => r.key === 'evaluations_total').value.value;
  return { shards, workers: Math.min(shards, helpers + 1), wall_s: wall, evaluations, evaluations_per_wall_s: evaluations / wall };
}

const best = new Map();
for (let r = 0; r < Number(opts.repeat); r += 1) {
  for (let shards = 1; shards <= helpers + 1; shards += 1) {
    const result = await run(shards);
    console.log(JSON.stringify(result));
    if (!best.has(shards) || best.get(shards).evaluations_per_wall_s < result.evaluations_per_wall_s) best.set(shards, result);
  }
}
const one = best.get(1).evaluations_per_wall_s;
console.log(JSON.stringify({
  summary: 'best of runs',
  helpers,
  members: Number(opts.members),
  by_workers: [...best.values()].map((b) => ({ workers: b.workers, evaluations_per_wall_s: Math.round(b.evaluations_per_wall_s), ratio_to_one: +(b.evaluations_per_wall_s / one).toFixed(2) })),
}));
await browser.close();
server.stop();
