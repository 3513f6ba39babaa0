// End-to-end test of the served app: `trunk serve` (the real headers), Debian's headless
// Chromium driven by playwright-core, clicked like a person. Saves screenshots.
//
// Usage: node tests/e2e/e2e.mjs   (from the repo root; .ci/test.sh runs it after `trunk build --release`)
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const port = Number(process.env.TEMPORA_E2E_PORT ?? 8181);
const base = `http://127.0.0.1:${port}/`;
// Written under target/ (ignored); the README's copies live in tests/e2e/screenshots/.
const shots = join(root, 'target', 'e2e-screenshots');
mkdirSync(shots, { recursive: true });

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`  ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`  FAIL ${name}\n       ${e.stack ?? e}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function waitForServer(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no server at ${url} after ${timeoutMs} ms`);
}

const server = spawn('trunk', ['serve', '--release', '--no-autoreload', '--port', String(port)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, TRUNK_SKIP_VERSION_CHECK: 'true' },
  detached: true,
});
const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
process.on('exit', stopServer);

let browser;
try {
  const response = await waitForServer(base, 15 * 60 * 1000);
  console.log(`e2e: serving at ${base}`);

  await check('trunk serve sends COOP and COEP headers', async () => {
    assert(response.headers.get('cross-origin-opener-policy') === 'same-origin', 'COOP missing');
    assert(response.headers.get('cross-origin-embedder-policy') === 'require-corp', 'COEP missing');
  });

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

  await page.goto(base);
  const status = page.getByTestId('worker-status');
  const canvasPixels = () => page.evaluate(() => document.querySelector('[data-testid=trace-plot]').toDataURL());
  const windowsShown = async () => Number((await page.getByTestId('readout').textContent()).match(/windows: (\d+)/)[1]);

  await check('the worker says ready and the page is cross-origin isolated', async () => {
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid=worker-status]')?.textContent;
      return s === 'paused' || s === 'ready';
    }, null, { timeout: 30_000 });
    assert(await page.evaluate(() => crossOriginIsolated) === true, 'crossOriginIsolated is not true');
    const clock = await page.getByTestId('clock-info').textContent();
    assert(clock.includes('cross-origin isolated'), `worker reports: ${clock}`);
  });

  await check('Start runs the worker and the plot moves', async () => {
    const before = await canvasPixels();
    await page.getByTestId('start').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=worker-status]').textContent === 'running',
      null, { timeout: 5_000 });
    await page.waitForTimeout(1_500);
    const after = await canvasPixels();
    assert(after !== before, 'the plot did not change');
    assert(await windowsShown() >= 10, `only ${await windowsShown()} windows after 1.5 s of real time`);
    const t = (await page.getByTestId('readout').textContent()).match(/t = ([\d.]+) s/)[1];
    assert(Number(t) > 0.5, `logical time ${t} s after 1.5 s running`);
    await page.screenshot({ path: join(shots, 'dashboard.png') });
  });

  await check('Pause stops it, Step advances exactly one window', async () => {
    await page.getByTestId('pause').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=worker-status]').textContent === 'paused');
    const paused = await windowsShown();
    await page.waitForTimeout(300);
    assert(await windowsShown() === paused, 'windows kept coming while paused');
    await page.getByTestId('step').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=readout]').textContent.match(/windows: (\d+)/)[1]) === n + 1,
      paused, { timeout: 5_000 });
    await page.waitForTimeout(300);
    assert(await windowsShown() === paused + 1, 'Step ran more than one window');
    assert(await status.textContent() === 'paused', 'not paused after Step');
  });

  await check('Reset clears the run', async () => {
    await page.getByTestId('reset').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('t = 0.000 s · windows: 0'));
  });

  await check('no errors in the page or the worker', async () => {
    assert(problems.length === 0, problems.join('\n'));
    assert((await page.getByTestId('error').textContent()) === '', 'the error line is not empty');
  });
} catch (e) {
  failed += 1;
  console.log(`  FAIL setup\n       ${e.stack ?? e}`);
} finally {
  if (browser) await browser.close();
  stopServer();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
