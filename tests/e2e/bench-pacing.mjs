// Browser pacing benchmark: the real worker (dist/ from `trunk build --release`) runs the random-walk
// preset at a fixed rate in real time inside headless Chromium, once in a cross-origin isolated
// page (served by `trunk serve`, COOP/COEP) and once in a page without isolation (a plain static
// server), and reports the lateness of every tick (actual minus ideal wall time).
//
// Usage: node tests/e2e/bench-pacing.mjs [--rate-hz 10000] [--seconds 10]
// Prints JSON. Not part of CI: timings on a shared machine are figures, not assertions.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const rateHz = arg('rate-hz', 10_000);
const seconds = arg('seconds', 10);

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
function plainServer(port) {
  const dist = join(root, 'dist');
  const server = createServer(async (req, res) => {
    const path = normalize(join(dist, req.url === '/' ? 'index.html' : req.url.split('?')[0]));
    if (!path.startsWith(dist)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

async function waitFor(url) {
  for (let i = 0; i < 1200; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no server at ${url}`);
}

async function measure(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  const result = await page.evaluate(async ({ rateHz, seconds }) => {
    const worker = new Worker('./worker_loader.js');
    const send = (msg) => worker.postMessage({ v: 1, msg });
    let ready;
    let last;
    const readyP = new Promise((ok) => { ready = ok; });
    worker.onmessage = (e) => {
      const m = e.data.msg;
      if (m.type === 'ready') ready(m);
      if (m.type === 'window') last = m;
    };
    const info = await readyP;
    send({ type: 'configure', preset: 'random-walk', seed: 1, params: { tick_period: 1 / rateHz, window: 1, hop: 1 } });
    send({ type: 'set_pacing', pacing: { mode: 'real_time', speed: 1 } });
    send({ type: 'start' });
    await new Promise((r) => setTimeout(r, seconds * 1000 + 300));
    worker.terminate();
    return { isolated: crossOriginIsolated, wait_method: info.wait_method, timing: last?.timing ?? null };
  }, { rateHz, seconds });
  await page.close();
  return result;
}

const trunk = spawn('trunk', ['serve', '--release', '--no-autoreload', '--port', '8282'], {
  cwd: root, stdio: 'ignore', detached: true, env: { ...process.env, TRUNK_SKIP_VERSION_CHECK: 'true' },
});
const plain = await plainServer(8283);
let browser;
try {
  await waitFor('http://127.0.0.1:8282/');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const rows = [];
  for (const [label, url] of [['isolated', 'http://127.0.0.1:8282/'], ['not isolated', 'http://127.0.0.1:8283/']]) {
    const r = await measure(browser, url);
    const l = r.timing?.run_lateness;
    rows.push({
      page: label, crossOriginIsolated: r.isolated, wait: r.wait_method, rate_hz: rateHz, seconds,
      ticks: l?.count, lateness_us: l && { p50: l.p50 / 1e3, p99: l.p99 / 1e3, max: l.max / 1e3, mean: +(l.mean / 1e3).toFixed(2) },
      reanchor_events: r.timing?.reanchor_events, catch_up_events: r.timing?.catch_up_events,
    });
  }
  console.log(JSON.stringify(rows, null, 2));
} finally {
  if (browser) await browser.close();
  plain.close();
  try { process.kill(-trunk.pid, 'SIGTERM'); } catch { /* gone */ }
}
