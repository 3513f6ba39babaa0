// End-to-end test of the served app: `trunk serve` (the real headers), Debian's headless
// Chromium driven by playwright-core, clicked like a person. Saves screenshots.
//
// Usage: node tests/e2e/e2e.mjs   (from the repo root; .ci/test.sh runs it after `trunk build --release`)
import { launch, root, serve } from './harness.mjs';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

let browser;
let stopServer = () => {};
try {
  const served = await serve(port);
  stopServer = served.stop;
  const { response } = served;
  console.log(`e2e: serving at ${base}`);

  await check('trunk serve sends COOP and COEP headers', async () => {
    assert(response.headers.get('cross-origin-opener-policy') === 'same-origin', 'COOP missing');
    assert(response.headers.get('cross-origin-embedder-policy') === 'require-corp', 'COEP missing');
  });

  browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('crash', () => { problems.push('the page crashed'); console.log('e2e: the page crashed'); });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  // Every request of every page and worker in the run, to prove none leaves 127.0.0.1.
  const requested = [];
  const watchRequests = (p) => p.context().on('request', (r) => requested.push(r.url()));
  watchRequests(page);
  // Content-Security-Policy violations, reported by the page itself.
  await page.context().addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  await page.goto(base);
  const status = page.getByTestId('worker-status');
  const canvasPixels = (id) => page.evaluate((id) => document.querySelector(`[data-testid=${id}]`).toDataURL(), id);
  const readout = () => page.getByTestId('readout').textContent();
  const windowsShown = async () => Number((await readout()).match(/windows: (\d+)/)[1]);
  // The newest window's readouts (label, value, unit), whatever the preset.
  const spikeReadout = () => page.getByTestId('readouts').textContent();
  const waitForStatus = (text, timeout = 10_000) => page.waitForFunction(
    (t) => document.querySelector('[data-testid=worker-status]').textContent === t, text, { timeout });
  // The worker the page talks to (helper workers for swarm shards are named tempora-helper-N).
  // Only while no swarm run holds a helper: one blocked in Atomics.wait cannot answer.
  const coordinatorWorkers = async () => {
    const workers = page.workers();
    const names = await Promise.all(workers.map((w) => w.evaluate(() => self.name).catch(() => 'gone')));
    return workers.filter((_, i) => !names[i].startsWith('tempora-helper') && names[i] !== 'gone');
  };

  const showTab = (tab) => page.getByTestId(`tab-${tab}`).click();
  const configure = async (preset) => {
    await showTab('params');
    await page.getByTestId('preset').selectOption(preset);
    await page.getByTestId('apply').click();
    await page.waitForFunction((p) => document.querySelector('[data-testid=readout]').textContent.startsWith(`${p} · t = 0.000 s · windows: 0`), preset);
  };

  await check('the page is served with a strict Content-Security-Policy that blocks injected script', async () => {
    const html = await fetch(base);
    const csp = html.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert(directives['default-src']?.join(' ') === "'self'", `default-src: ${csp}`);
    const scriptSrc = directives['script-src'] ?? [];
    assert(scriptSrc.includes("'self'") && scriptSrc.includes("'wasm-unsafe-eval'"), `script-src: ${csp}`);
    assert(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'"), `script-src too lax: ${csp}`);
    const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
    assert(nonce && nonce.length >= 16, `no nonce in script-src: ${csp}`);
    // The nonce is fresh per response and is the one on the page's only inline script.
    const body = await html.text();
    assert(body.includes(`<script type="module" nonce="${nonce}">`), 'inline script without the header\'s nonce');
    const again = (await fetch(base)).headers.get('content-security-policy');
    assert(again !== csp, 'the nonce is reused across responses');
    for (const d of ['object-src', 'base-uri', 'frame-ancestors']) assert(directives[d]?.[0] === "'none'", `${d}: ${csp}`);
    // The policy is enforced: a script injected into the page does not run.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.append(s);
      return window.injected === true;
    });
    assert(!ran, 'an injected inline script ran');
    await page.waitForFunction(() => window.cspViolations.length > 0);
    // That refusal is expected here; later checks assert that nothing else is refused.
    await page.evaluate(() => { window.cspViolations = []; });
    await page.waitForTimeout(100);
    for (let i = problems.length - 1; i >= 0; i -= 1) if (problems[i].includes('Content Security Policy')) problems.splice(i, 1);
  });

  await check('the worker says ready and the page is cross-origin isolated', async () => {
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid=worker-status]')?.textContent;
      return s === 'paused' || s === 'ready';
    }, null, { timeout: 30_000 });
    assert(await page.evaluate(() => crossOriginIsolated) === true, 'crossOriginIsolated is not true');
    const clock = await page.getByTestId('clock-info').textContent();
    assert(clock.includes('cross-origin isolated'), `worker reports: ${clock}`);
    assert((await readout()).startsWith('stdp'), 'the default preset is stdp');
    // A new visitor sees the gallery beside an empty plot area that names the selected preset.
    assert(await page.getByTestId('gallery-coba').isVisible(), 'the gallery is the first tab');
    const empty = await page.getByTestId('no-windows').textContent();
    assert(empty.startsWith('No window of stdp yet'), `empty plots: ${empty}`);
    assert(await page.getByText('Scheduler timing').count() === 0, 'no timing plots before a window');
    await page.screenshot({ path: join(shots, 'gallery.png') });
    await showTab('params');
  });

  await check('Start runs the stdp preset and the raster moves', async () => {
    await page.getByTestId('speed').selectOption('10x real time');
    await page.getByTestId('start').click();
    await waitForStatus('running', 5_000);
    await page.waitForFunction(() => /windows: [1-9]/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 10_000 });
    const before = await canvasPixels('raster-plot');
    await page.waitForTimeout(1_500);
    assert(await canvasPixels('raster-plot') !== before, 'the raster did not change');
    assert(await windowsShown() >= 5, `only ${await windowsShown()} windows after ~2 s at 10x`);
    const text = await spikeReadout();
    const inputs = Number(text.match(/input spikes (\d+)/)[1]);
    assert(Math.abs(inputs - 15000) < 1000, `input spikes per 1 s window: ${inputs} (expected ~15000)`);
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  });

  await check('Pause stops it, Step advances exactly one window', async () => {
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
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
    await page.waitForFunction(() => /t = 0.000 s · windows: 0 /.test(document.querySelector('[data-testid=readout]').textContent));
  });

  await check('bad parameters are refused next to their field and change nothing', async () => {
    const before = await readout();
    await page.getByTestId('param-taum').fill('abc');
    await page.getByTestId('param-taum').dispatchEvent('change');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=error-taum]').textContent.includes('cannot read `abc`'));
    await page.getByTestId('param-taum').fill('5 s');
    await page.getByTestId('param-taum').dispatchEvent('change');
    await page.getByTestId('apply').click();
    // The engine's message, from the worker.
    await page.waitForFunction(() => document.querySelector('[data-testid=error-taum]').textContent.includes('out of range'));
    await page.getByTestId('param-vt').fill('-65 mV');
    await page.getByTestId('param-vt').dispatchEvent('change');
    await page.getByTestId('param-taum').fill('10 ms');
    await page.getByTestId('param-taum').dispatchEvent('change');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=error-vr]').textContent.includes('must be below vt'));
    assert(await readout() === before, 'a refused configure changed the run');
  });

  await check('phase-lock locks to one phase (polar plot concentrated)', async () => {
    await configure('phase-lock');
    await page.getByTestId('speed').selectOption('as fast as possible');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /windows: ([3-9]|\d\d)/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 10_000 });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const text = await spikeReadout();
    const [, phase, strength] = text.match(/phase ([\d.]+) deg · vector strength ([\d.]+)/);
    assert(Number(strength) > 0.999, `vector strength ${strength}`);
    assert(Math.abs(Number(phase) - 84.4) < 1, `phase ${phase} deg (closed form: 84.2-84.6)`);
    await page.screenshot({ path: join(shots, 'phase-lock.png'), fullPage: true });
  });

  await check('stdp at full speed turns the weights bimodal', async () => {
    await configure('stdp');
    await page.getByTestId('speed').selectOption('as fast as possible');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => {
      const m = document.querySelector('[data-testid=readout]').textContent.match(/t = ([\d.]+) s/);
      return m && Number(m[1]) >= 60;
    }, null, { timeout: 60_000 });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const [, zero, max] = (await spikeReadout()).match(/weights near 0 ([\d.]+) % · weights near max ([\d.]+) %/);
    assert(Number(zero) > 18 && Number(max) > 14, `near 0: ${zero} %, near max: ${max} % (uniform: 10 % each)`);
    await page.screenshot({ path: join(shots, 'stdp.png'), fullPage: true });
  });

  await check('multirate-stdp runs its three task kinds', async () => {
    await configure('multirate-stdp');
    await page.getByTestId('speed').selectOption('1x real time');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /windows: ([5-9]|\d\d)/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 10_000 });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    // The three kinds: inference every 1 us, plasticity every 10 us, the window task.
    const kinds = await page.getByTestId('task-kinds').textContent();
    for (const kind of ['inference', 'plasticity', 'window']) {
      assert(new RegExp(`${kind}: \\d+ runs`).test(kinds), `no ${kind} task: ${kinds}`);
    }
    // Output spikes are phase-tagged (a 50 ms window without output spikes has no phase).
    const text = await spikeReadout();
    assert(/phase ([\d.]+ deg|–) · vector strength [\d.]+/.test(text), `no phase readout: ${text}`);
    await page.screenshot({ path: join(shots, 'multirate-stdp.png'), fullPage: true });
  });

  await check('CSV and JSON exports hold every window; saved parameters import back', async () => {
    await waitForStatus('paused');
    const shown = await windowsShown();
    assert((await readout()).includes(`windows: ${shown} (dropped 0, not sent 0)`), `windows lost: ${await readout()}`);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n');
    assert(lines[0].startsWith('index,start_s,end_s,output_rate_hz,input_spikes,'), `header: ${lines[0]}`);
    // Every window of the run, in order: indices 0..n-1.
    const indices = lines.slice(1).map((l) => Number(l.split(',')[0]));
    assert(indices.length === shown && indices.every((x, i) => x === i), `CSV indices ${indices} for ${shown} windows`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
    assert(saved.preset === 'multirate-stdp' && saved.windows.length === shown, 'JSON export content');
    assert(saved.windows.every((w, i) => w.index === i), 'JSON windows in order, none missing');
    assert(saved.params.stdp_period === 1e-5, `params in SI: ${JSON.stringify(saved.params)}`);
    const [params] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-params').click()]);
    // Bad files are refused and change nothing.
    await configure('phase-lock');
    const junk = join(shots, 'not-tempora.json');
    writeFileSync(junk, '{"hello": "world"}');
    await page.getByTestId('import').setInputFiles(junk);
    await page.waitForFunction(() => document.querySelector('[data-testid=error]').textContent.includes('not a Tempora parameter set'));
    const huge = join(shots, 'huge.json');
    writeFileSync(huge, Buffer.alloc(33 * 1024 * 1024, 32));
    await page.getByTestId('import').setInputFiles(huge);
    await page.waitForFunction(() => document.querySelector('[data-testid=error]').textContent.includes('at most 32 MiB'));
    unlinkSync(huge);
    assert((await readout()).startsWith('phase-lock · t = 0.000 s'), `a refused import changed the run: ${await readout()}`);
    // Saved parameters import back.
    await page.getByTestId('import').setInputFiles(await params.path());
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('multirate-stdp · t = 0.000 s'));
    assert(await page.getByTestId('param-stdp_period').inputValue() === '10 us', 'imported values shown');
    // The JSON export imports too, and replaying it reproduces every window bit for bit.
    await configure('phase-lock');
    await page.getByTestId('import').setInputFiles(await json.path());
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('multirate-stdp · t = 0.000 s'));
    assert(await page.getByTestId('seed').inputValue() === String(saved.seed), 'seed from the export');
    const endS = saved.windows.at(-1).end_ns / 1e9;
    await page.getByTestId('duration').fill(`${endS} s`);
    await page.getByTestId('duration').dispatchEvent('change');
    await page.getByTestId('start').click();
    await waitForStatus('finished');
    const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const replayed = JSON.parse(readFileSync(await again.path(), 'utf8'));
    assert(JSON.stringify(replayed.params) === JSON.stringify(saved.params) && replayed.seed === saved.seed, 'same settings');
    // Wall-clock timing differs between runs; everything the model computed must not.
    const modelled = (ws) => ws.map(({ index, start_ns, end_ns, data }) => JSON.stringify({ index, start_ns, end_ns, data }));
    const a = modelled(saved.windows);
    const b = modelled(replayed.windows);
    assert(a.length === b.length, `${b.length} windows replayed for ${a.length}`);
    const differing = a.findIndex((w, i) => w !== b[i]);
    assert(differing === -1, `window ${differing} differs:\n${a[differing]?.slice(0, 300)}\n${b[differing]?.slice(0, 300)}`);
    await page.getByTestId('duration').fill('');
    await page.getByTestId('duration').dispatchEvent('change');
  });

  await check('a shared URL reproduces the run', async () => {
    await page.getByTestId('param-N_in').fill('24');
    await page.getByTestId('param-N_in').dispatchEvent('change');
    await page.getByTestId('seed').fill('77');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => location.hash.includes('seed=77') && location.hash.includes('p.N_in=24'));
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent));
    const first = await spikeReadout();
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    watchRequests(other);
    await other.goto(page.url());
    await other.waitForFunction(() => /^multirate-stdp · t = 0.000 s/.test(document.querySelector('[data-testid=readout]')?.textContent ?? ''));
    assert(await other.getByTestId('param-N_in').inputValue() === '24', 'N_in from the link');
    assert(await other.getByTestId('seed').inputValue() === '77', 'seed from the link');
    await other.getByTestId('step').click();
    await other.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent));
    const again = await other.getByTestId('readouts').textContent();
    assert(again === first, `same run from the link:\n${first}\n${again}`);
    await other.close();
  });

  await check('a set duration shows progress and finishes the run there', async () => {
    await configure('phase-lock');
    await page.getByTestId('duration').fill('abc');
    await page.getByTestId('duration').dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('[data-testid=error-duration]').textContent.includes('cannot read'));
    await page.getByTestId('duration').fill('3 s');
    await page.getByTestId('duration').dispatchEvent('change');
    await page.getByTestId('speed').selectOption('1x real time');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /of 3.00 s · [\d.]+x real time · [\d.]+ s left/.test(document.querySelector('[data-testid=progress-text]')?.textContent ?? ''),
      null, { timeout: 10_000 });
    const text = await page.getByTestId('progress-text').textContent();
    const speed = Number(text.match(/([\d.]+)x real time/)[1]);
    assert(speed > 0.8 && speed < 1.2, `measured speed ${speed} at 1x: ${text}`);
    await waitForStatus('finished', 10_000);
    assert((await readout()).includes('t = 3.000 s'), `stopped at: ${await readout()}`);
    assert((await page.getByTestId('progress-text').textContent()).startsWith('3.00 s of 3.00 s'), 'progress at the end');
    await page.getByTestId('duration').fill('');
    await page.getByTestId('duration').dispatchEvent('change');
  });

  const netReadout = () => page.getByTestId('readouts').textContent();
  const runUntil = async (seconds, timeout = 30_000) => {
    await page.getByTestId('speed').selectOption('as fast as possible');
    await page.getByTestId('start').click();
    await page.waitForFunction((s) => {
      const m = document.querySelector('[data-testid=readout]').textContent.match(/t = ([\d.]+) s/);
      return m && Number(m[1]) >= s;
    }, seconds, { timeout });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
  };

  await check('poisson-lif (a preset added in the engine alone) shows its raster, rates and the free mean', async () => {
    await configure('poisson-lif');
    await page.getByTestId('speed').selectOption('10x real time');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /windows: [2-9]/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 10_000 });
    const before = await canvasPixels('raster-plot');
    await page.waitForFunction(() => /windows: ([4-9]|\d\d)/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 10_000 });
    assert(await canvasPixels('raster-plot') !== before, 'the raster did not change');
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const text = await spikeReadout();
    const rate = Number(text.match(/output rate ([\d.]+) Hz/)[1]);
    const perSource = Number(text.match(/input rate per source ([\d.]+) Hz/)[1]);
    assert(rate > 0 && rate < 500, `output rate ${rate} Hz: ${text}`);
    assert(Math.abs(perSource - 10) < 1, `input rate per source ${perSource} Hz (F = 10 Hz)`);
    assert(/free membrane's mean \(no threshold\) -49\.95 mV/.test(text), `free mean: ${text}`);
    for (const id of ['raster-plot', 'membrane-plot', 'rate-plot']) {
      assert(await page.getByTestId(id).count() === 1, `no ${id}`);
    }
    await page.screenshot({ path: join(shots, 'poisson-lif.png'), fullPage: true });
  });

  await check('xor trains in the worker and then classifies (noisy inputs)', async () => {
    await configure('xor');
    await runUntil(0.6);
    const text = await netReadout();
    const accuracy = Number(text.match(/accuracy ([\d.]+) %/)[1]);
    assert(accuracy > 97, `accuracy ${accuracy} %: ${text}`);
    assert(/epochs trained 300 · training algorithm rprop/.test(text), `epochs: ${text}`);
    await page.screenshot({ path: join(shots, 'xor.png'), fullPage: true });
  });

  await check('predict beats the last-sample baseline and re-learns after the shift', async () => {
    await configure('predict');
    await runUntil(11);
    const text = await netReadout();
    const [, rmse, baseline] = text.match(/RMS error ([\d.]+) · baseline ([\d.]+)/);
    assert(Number(rmse) < 0.5 * Number(baseline), `network ${rmse} vs baseline ${baseline}`);
    const before = await canvasPixels('output-plot');
    await page.getByTestId('step').click();
    await page.waitForTimeout(500);
    assert(await canvasPixels('output-plot') !== before, 'the output plot did not move');
    await page.screenshot({ path: join(shots, 'predict.png'), fullPage: true });
  });

  await check('cuba, 4000 neurons from a model file, runs in the worker: both populations in the raster, rates of a few Hz', async () => {
    await configure('cuba');
    await runUntil(0.5);
    const text = await netReadout();
    const rate = (pop) => Number(text.match(new RegExp(`${pop} rate ([\\d.]+) Hz`))[1]);
    for (const pop of ['E', 'I']) {
      assert(rate(pop) > 2 && rate(pop) < 12, `${pop} rate ${rate(pop)} Hz (Brian2: about 5.6 Hz): ${text}`);
    }
    assert(/synapses 3\d{5}/.test(text), `about 320 000 synapses (p = 0.02): ${text}`);
    for (const id of ['network-raster', 'population-rate', 'window-rates', 'rate-histogram', 'cv-histogram', 'network-membrane']) {
      assert(await page.getByTestId(id).count() === 1, `no ${id}`);
    }
    const before = await canvasPixels('network-raster');
    await page.getByTestId('step').click();
    await page.waitForTimeout(500);
    assert(await canvasPixels('network-raster') !== before, 'the raster did not move');
    await page.screenshot({ path: join(shots, 'cuba.png'), fullPage: true });
  });

  // The layout at 1280x720: the plots of the running model are in view without scrolling.
  const inView = (id) => page.evaluate((id) => {
    const r = document.querySelector(`[data-testid=${id}]`).getBoundingClientRect();
    return r.top >= 0 && r.top < innerHeight - 150 && r.left >= 0 && r.right <= innerWidth;
  }, id);
  const rateOf = (text, pop) => Number(text.match(new RegExp(`${pop} rate ([\\d.]+) Hz`))?.[1]);

  await check('the gallery runs coba in one click: the raster fills with both populations and the rates settle', async () => {
    // At 1x (the speed persists from earlier checks): paused near t = 3 s, the run's spike log
    // (2 M spikes, about 25 s of coba) holds all of it for the export below.
    await page.getByTestId('speed').selectOption('1x real time');
    await showTab('gallery');
    await page.getByTestId('gallery-coba').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=worker-status]').textContent === 'running');
    await page.waitForFunction(() => /^coba · t = [3-9]\./.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 30_000 });
    assert(await inView('network-raster'), 'the raster is in view at 1280x720');
    const text = await netReadout();
    for (const pop of ['E', 'I']) {
      const rate = rateOf(text, pop);
      assert(rate > 10 && rate < 35, `${pop} rate ${rate} Hz (Brian2 and NEST: about 19-20 Hz): ${text}`);
    }
    // Both populations drew spikes into the raster: its legend names both, and it moves.
    const before = await canvasPixels('network-raster');
    await page.waitForTimeout(600);
    assert(await canvasPixels('network-raster') !== before, 'the raster did not move');
    await page.screenshot({ path: join(shots, 'coba.png') });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
  });

  await check('a plot saves as SVG (parses, renders at its size, text and both populations\' spikes as vectors) and as PNG', async () => {
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('svg-network-raster').click()]);
    assert(svgFile.suggestedFilename() === 'tempora-network-raster.svg', svgFile.suggestedFilename());
    const svg = readFileSync(await svgFile.path(), 'utf8');
    const seen = await page.evaluate((svg) => new Promise((resolve) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const fills = {};
      for (const r of doc.querySelectorAll('rect')) fills[r.getAttribute('fill')] = (fills[r.getAttribute('fill')] ?? 0) + 1;
      const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent.trim());
      const canvas = document.querySelector('[data-testid=network-raster]');
      const seen = { parsed: !doc.querySelector('parsererror'), fills, texts, box: [canvas.clientWidth, canvas.clientHeight] };
      const img = new Image();
      img.onload = () => resolve({ ...seen, size: [img.naturalWidth, img.naturalHeight] });
      img.onerror = () => resolve({ ...seen, size: null });
      img.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    }), svg);
    assert(seen.parsed, 'the SVG parses');
    assert(seen.size && seen.size[0] === seen.box[0] && seen.size[1] === seen.box[1], `it renders at the plot's size: ${seen.size} vs ${seen.box}`);
    for (const words of ['logical time (s)', 'neuron (row)']) assert(seen.texts.includes(words), `text "${words}" in ${seen.texts}`);
    // The legend names both populations with their sizes.
    for (const legend of ['E (3200', 'I (800']) assert(seen.texts.some((t) => t.startsWith(legend)), `legend "${legend}" in ${seen.texts}`);
    // The light palette's population colours (src/plot/mod.rs): many marks of each.
    const [e, i] = [seen.fills['#2563EB'] ?? 0, seen.fills['#DC2626'] ?? 0];
    assert(e > 100 && i > 20, `E and I marks as rectangles: ${e}, ${i} (${JSON.stringify(seen.fills).slice(0, 200)})`);
    const [pngFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('png-network-raster').click()]);
    const png = readFileSync(await pngFile.path());
    assert(png.subarray(1, 4).toString() === 'PNG', 'a PNG file');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert(width === seen.box[0] && height === seen.box[1], `the PNG is the canvas at device pixels: ${width}x${height}`);
  });

  await check('clicking a raster row picks its neuron: its membrane is plotted from then on', async () => {
    const raster = page.getByTestId('network-raster');
    const box = await raster.boundingBox();
    // Low in the raster: population E (the rows of I are on top).
    await raster.click({ position: { x: box.width / 2, y: box.height * 0.6 } });
    // Recorded from the next step: the window under way has part of it, the next all of it.
    for (let k = 0; k < 2; k += 1) {
      const before = await windowsShown();
      await page.getByTestId('step').click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid=readout]').textContent.match(/windows: (\d+)/)[1]) > n, before);
    }
    await showTab('params');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const windows = JSON.parse(readFileSync(await json.path(), 'utf8')).windows;
    const lines = windows.at(-1).data.panels.find((p) => p.id === 'network-membrane').plot.lines;
    const picked = lines[0].label.match(/^E neuron (\d+)$/);
    assert(picked && Number(picked[1]) > 0 && Number(picked[1]) < 3200, `the picked neuron leads the membrane plot: ${lines.map((l) => l.label)}`);
    assert(lines[0].points.length === 1000, `its every step: ${lines[0].points.length}`);
    assert(lines.length === 2 && lines[1].label === 'I neuron 0', 'the other population keeps its line');
    // The link holds the pick: a page that follows it records the same neuron from t = 0.
    const url = page.url();
    assert(url.includes(`probe=E%3A${picked[1]}`), `the link names the picked neuron: ${url}`);
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await other.goto(url);
    await other.waitForFunction(() => document.querySelector('[data-testid=readout]')?.textContent.startsWith('coba · t = 0.000 s'), null, { timeout: 30_000 });
    await other.getByTestId('step').click();
    await other.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 30_000 });
    const [followed] = await Promise.all([other.waitForEvent('download'), (async () => { await other.getByTestId('tab-params').click(); await other.getByTestId('export-json').click(); })()]);
    const theirs = JSON.parse(readFileSync(await followed.path(), 'utf8')).windows.at(-1).data.panels.find((p) => p.id === 'network-membrane').plot.lines;
    assert(theirs[0].label === `E neuron ${picked[1]}` && theirs[0].points.length === 1000, `the followed link records it: ${theirs.map((l) => l.label)}`);
    await other.close();
  });

  await check('Export spikes writes every spike of the run as CSV (population, neuron, time)', async () => {
    await showTab('params');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const windows = JSON.parse(readFileSync(await json.path(), 'utf8')).windows;
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-spikes').click()]);
    const lines = readFileSync(await file.path(), 'utf8').trim().split('\n');
    assert(lines[0] === 'population,neuron,t_s', `header: ${lines[0]}`);
    const rows = lines.slice(1).map((l) => { const [p, i, t] = l.split(','); return { p, i: Number(i), t: Number(t) }; });
    assert(rows.every((r, k) => (r.p === 'E' && r.i < 3200) || (r.p === 'I' && r.i < 800)), 'populations and neurons');
    assert(rows.every((r, k) => k === 0 || rows[k - 1].t <= r.t), 'in time order');
    // The newest window's spikes are exactly its rates times size and length.
    const last = windows.at(-1);
    const [from, to] = [last.start_ns / 1e9, last.end_ns / 1e9];
    for (const [pop, size] of [['E', 3200], ['I', 800]]) {
      const rate = last.data.readouts.find((r) => r.key === `rate_${pop}`).value.value;
      const n = rows.filter((r) => r.p === pop && r.t >= from - 1e-12 && r.t < to - 1e-12).length;
      assert(Math.abs(n - rate * size * (to - from)) < 1e-6, `${pop}: ${n} spikes in the last window [${from}, ${to}) s, rate ${rate} Hz; ${rows.length} rows up to t = ${rows.at(-1)?.t} s`);
    }
  });

  await check('the network editor: add a population and a projection, the graph changes and the run rebuilds', async () => {
    await showTab('network');
    for (const id of ['graph-node-E', 'graph-node-I', 'graph-edge-EE', 'graph-edge-EI', 'graph-edge-IE', 'graph-edge-II']) {
      assert(await page.getByTestId(id).count() === 1, `the graph has ${id}`);
    }
    assert((await page.getByTestId('graph-edge-IE').textContent()).includes('IE: p 0.02 · 6.7 · 0 s'), 'the arrow says p, weight and delay');
    assert(await page.locator('[data-testid=graph-edge-IE].inh').count() === 1, 'inhibitory arrows are marked');
    // Clicking an arrow selects the projection for editing.
    await page.getByTestId('graph-edge-IE').click();
    assert((await page.getByTestId('element-detail').textContent()).startsWith('Projection IE'), 'the arrow selects its projection');
    await page.getByTestId('add-population').click();
    await page.getByTestId('field-populations[2].size').fill('50');
    await page.getByTestId('field-populations[2].size').dispatchEvent('change');
    await page.getByTestId('add-projection').click();
    // The new projection is selected; make it E -> P.
    await page.getByTestId('field-projections[4].source').fill('E');
    await page.getByTestId('field-projections[4].source').dispatchEvent('change');
    assert(await page.getByTestId('graph-node-P').count() === 1, 'the new population is drawn');
    assert((await page.getByTestId('graph-node-P').textContent()).includes('50'), 'with its size');
    assert(await page.getByTestId('graph-edge-EP').count() === 1, 'the new projection is drawn');
    assert((await page.getByTestId('model-changed').textContent()) === 'edited, not applied', 'the edit is pending');
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('.side').scrollTop = 0; });
    await page.screenshot({ path: join(shots, 'editor.png') });
    await page.getByTestId('apply-model').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('model · t = 0.000 s'));
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent));
    const text = await netReadout();
    assert(/P rate [\d.]+ Hz/.test(text), `the rebuilt network runs P: ${text}`);
    assert(!(await page.getByTestId('apply-model').isEnabled()), 'nothing left to apply');
    // In the model run a weight is live: the next window boundary takes it, no rebuild. (The
    // table's row selects as the arrow does; the middle of a curved arrow's box is not on it.)
    await page.getByTestId('projection-EP').click();
    await page.getByTestId('field-projections[4].weight').fill('0.2');
    await page.getByTestId('field-projections[4].weight').dispatchEvent('change');
    await page.getByTestId('apply-model').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=editor-note]').textContent.includes('no rebuild'));
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /windows: 2 /.test(document.querySelector('[data-testid=readout]').textContent));
    await page.waitForFunction(() => document.querySelector('[data-testid=graph-edge-EP]').textContent.includes('EP: p 0.1 · 0.2 · 1 ms'));
    assert((await readout()).startsWith('model · t = 0.200 s'), `the run went on: ${await readout()}`);
    assert((await page.getByTestId('editor-note').textContent()).includes('the run goes on'), 'the note says what happened');
  });

  await check('a refused model value is explained at its field and changes nothing', async () => {
    const before = await readout();
    await page.getByTestId('graph-node-E').click();
    await page.getByTestId('field-populations[0].lif.v_thresh').fill('-70 mV');
    await page.getByTestId('field-populations[0].lif.v_thresh').dispatchEvent('change');
    await page.getByTestId('apply-model').click();
    // The engine names the reset (it must lie below the threshold): shown at that field.
    await page.waitForFunction(() => document.querySelector('[data-testid="error-populations[0].lif.v_reset"]').textContent.length > 0);
    const message = await page.getByTestId('error-populations[0].lif.v_reset').textContent();
    assert(/must be below the threshold/.test(message), `the refusal says why: ${message}`);
    assert(await readout() === before, `the run changed: ${await readout()}`);
    await page.getByTestId('revert-model').click();
    assert(await page.getByTestId('field-populations[0].lif.v_thresh').inputValue() === '-50 mV', 'revert brings back the run\'s model');
  });

  await check('a model run\'s link reproduces its windows bit for bit; its model file saves and loads', async () => {
    // From t = 0 with the model as it is now (its weights changed live above).
    await page.getByTestId('reset').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('model · t = 0.000 s'));
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent));
    const link = page.url();
    assert(/#preset=model&seed=\d+&m=/.test(link), `the link holds the model: ${link}`);
    const [first] = await Promise.all([page.waitForEvent('download'), (async () => { await showTab('params'); await page.getByTestId('export-json').click(); })()]);
    const a = JSON.parse(readFileSync(await first.path(), 'utf8'));
    assert(a.model && a.model.populations.length === 3, 'the export holds the model');
    // The Parameters tab shows the model run, not the preset it came from.
    assert(await page.getByTestId('preset').inputValue() === 'model', `preset menu: ${await page.getByTestId('preset').inputValue()}`);
    assert(await page.locator('[data-testid^="param-"]').count() === 0, 'no preset parameters for a model run');
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    watchRequests(other);
    await other.goto(link);
    await other.waitForFunction(() => /^model · t = 0.000 s/.test(document.querySelector('[data-testid=readout]')?.textContent ?? ''), null, { timeout: 30_000 });
    await other.getByTestId('step').click();
    await other.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent));
    const [second] = await Promise.all([other.waitForEvent('download'), (async () => { await other.getByTestId('tab-params').click(); await other.getByTestId('export-json').click(); })()]);
    const b = JSON.parse(readFileSync(await second.path(), 'utf8'));
    const modelled = (ws) => ws.map(({ index, start_ns, end_ns, data }) => JSON.stringify({ index, start_ns, end_ns, data }));
    assert(modelled(a.windows).length === 1 && modelled(a.windows)[0] === modelled(b.windows)[0], 'the link gives the same window');
    await other.close();
    // Save the model, load something that is not a model (refused, nothing changes), load it back.
    await showTab('network');
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-model').click()]);
    const text = readFileSync(await saved.path(), 'utf8');
    assert(JSON.parse(text).populations.map((p) => p.name).join() === 'E,I,P', 'the saved model');
    await configure('cuba');
    await showTab('network');
    const junk = join(shots, 'not-a-model.json');
    writeFileSync(junk, '{"format": 1, "name": "x", "dt": "0.1 ms", "populations": [{"name": "A", "size": "many"}]}');
    await page.getByTestId('load-model').setInputFiles(junk);
    await page.waitForFunction(() => document.querySelector('[data-testid=model-error]').textContent.includes('populations[0].size'));
    assert((await readout()).startsWith('cuba · t = 0.000 s'), 'a refused file changed the run');
    await page.getByTestId('load-model').setInputFiles(await saved.path());
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('model · t = 0.000 s'));
    assert(await page.getByTestId('graph-node-P').count() === 1, 'the loaded model is shown');
  });

  await check('Export PyNN writes a script that names every population and projection', async () => {
    const [script] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pynn').click()]);
    const text = readFileSync(await script.path(), 'utf8');
    assert(text.includes('import pyNN.nest as sim'), 'a PyNN script');
    for (const pop of ['E', 'I', 'P']) assert(text.includes(`populations["${pop}"] = sim.Population(`), `population ${pop}`);
    for (const proj of ['EE', 'EI', 'IE', 'II', 'EP']) assert(text.includes(`projections["${proj}"] = sim.Projection(`), `projection ${proj}`);
    await showTab('params');
  });

  let slowRate = NaN;
  await check('brunel from the gallery: the synchronous regular regime fires near 300 Hz, the slow one near 5 Hz', async () => {
    await showTab('gallery');
    const regime = async (id, shot) => {
      // The new run clears the windows (watched every frame: a window of brunel takes longer
      // than one); then it runs past 0.3 s.
      const cleared = page.waitForFunction(() => / windows: 0 /.test(document.querySelector('[data-testid=readout]').textContent), null, { polling: 'raf', timeout: 60_000 });
      await page.getByTestId(`gallery-${id}`).click();
      await cleared;
      await page.waitForFunction(() => /^brunel · t = (0\.[3-9]|[1-9])/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 60_000 });
      await page.getByTestId('pause').click();
      await waitForStatus('paused');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, shot) });
      return rateOf(await netReadout(), 'E');
    };
    const sr = await regime('brunel-sr', 'brunel-sr.png');
    assert(sr > 200 && sr < 400, `A (g 3, eta 2): E rate ${sr} Hz (Brian2: 307 Hz)`);
    const slow = await regime('brunel-si-slow', 'brunel-si-slow.png');
    slowRate = slow;
    assert(slow > 1 && slow < 15, `D (g 4.5, eta 0.9): E rate ${slow} Hz (Brian2: 5.5 Hz)`);
    await showTab('params');
  });

  await check('a live change of a preset network\'s model: a Poisson input rate applies at the next window, the run goes on', async () => {
    // The paused brunel D run: E's Poisson input from 9 Hz to 20 Hz per source (eta 2).
    const before = await readout();
    const t0 = Number(/t = ([\d.]+) s/.exec(before)[1]);
    await showTab('network');
    await page.getByTestId('graph-node-E').click();
    const field = page.getByTestId('field-populations[0].lif.poisson_input[0].rate');
    assert(await field.inputValue() === '9 Hz', `the input rate of D: ${await field.inputValue()}`);
    await field.fill('20 Hz');
    await field.dispatchEvent('change');
    await page.getByTestId('apply-model').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=editor-note]').textContent.includes('no rebuild'));
    await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('model · '));
    const t1 = Number(/t = ([\d.]+) s/.exec(await readout())[1]);
    assert(t1 === t0, `the run goes on from t = ${t0} s: ${await readout()}`);
    // Two windows later (one to reach the boundary, one at the new rate) E fires far faster.
    const windows = Number(/windows: (\d+) /.exec(await readout())[1]);
    await page.getByTestId('start').click();
    await page.waitForFunction((n) => Number(/windows: (\d+) /.exec(document.querySelector('[data-testid=readout]').textContent)[1]) >= n + 2, windows, { timeout: 60_000 });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const fast = rateOf(await netReadout(), 'E');
    assert(fast > 5 * slowRate, `E at eta 2: ${fast} Hz (at eta 0.9: ${slowRate} Hz)`);
    await showTab('params');
  });

  await check('stdp as a model file from the gallery: a model run of its network, the plastic projection in the editor', async () => {
    await showTab('gallery');
    await page.getByTestId('gallery-stdp-file').click();
    await page.waitForFunction(() => /^model · t = ([2-9]|\d\d)\./.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 30_000 });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const text = await netReadout();
    const rate = rateOf(text, 'neuron');
    assert(rate > 1 && rate < 100, `the neuron fires: ${text}`);
    assert(Math.abs(rateOf(text, 'inputs') - 15) < 3, `inputs at 15 Hz: ${text}`);
    await showTab('network');
    for (const id of ['graph-node-inputs', 'graph-node-neuron', 'graph-edge-input']) {
      assert(await page.getByTestId(id).count() === 1, `the graph has ${id}`);
    }
    assert(await page.locator('[data-testid=graph-edge-input].plastic').count() === 1, 'the input projection is drawn plastic');
    await showTab('params');
  });

  await check('divergence: the watchdog pauses the unguarded net; spectral normalisation keeps it bounded', async () => {
    await configure('divergence');
    await page.getByTestId('speed').selectOption('as fast as possible');
    await page.getByTestId('start').click();
    // The watchdog pauses the network within the first window; the run ends at that window.
    await waitForStatus('finished', 10_000);
    const free = await netReadout();
    assert(/PAUSED by the watchdog/.test(free) && /first alarm norm_bound -> pause/.test(free), `not paused by the watchdog: ${free}`);
    const said = await page.getByTestId('error').textContent();
    assert(/the watchdog paused the network at t = 0\.00\d+ s \(norm_bound/.test(said), `error line: ${said}`);
    assert((await readout()).includes('t = 0.010 s'), `stopped at the first window: ${await readout()}`);
    await page.screenshot({ path: join(shots, 'divergence-unguarded.png'), fullPage: true });
    await page.getByTestId('param-guard').selectOption('spectral');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => /^divergence · t = 0.000 s/.test(document.querySelector('[data-testid=readout]').textContent));
    assert(await page.getByTestId('param-guard').inputValue() === '2', 'the select shows the chosen guard');
    await runUntil(0.2);
    const guarded = await netReadout();
    assert(/guard spectral/.test(guarded) && /watchdog events 0/.test(guarded) && !/PAUSED/.test(guarded), guarded);
    const bound = Number(guarded.match(/Lipschitz bound ([\d.]+)/)[1]);
    assert(bound <= 0.95 * 0.95 + 1e-3, `Lipschitz bound ${bound} (shown to 3 decimals)`);
    await page.screenshot({ path: join(shots, 'divergence-guarded.png'), fullPage: true });
  });

  await check('swarm: the vote tracks the regimes, escalations come at the shifts, thresholds change live', async () => {
    await configure('swarm');
    await page.getByTestId('speed').selectOption('10x real time');
    // 4 s of stream: seven regime shifts (every 0.5 s).
    await page.getByTestId('duration').fill('4 s');
    await page.getByTestId('duration').dispatchEvent('change');
    await page.getByTestId('start').click();
    await waitForStatus('finished', 60_000);
    const text = await page.getByTestId('readouts').textContent();
    const [, escalated, right, alone] = text.match(/escalated ([\d.]+) % · right ([\d.]+) % · swarm alone ([\d.]+) %/).map(Number);
    assert(escalated > 0 && escalated < 50, `escalation rate: ${text}`);
    assert(right > 85 && alone > 80, `accuracy: ${text}`);
    assert(/compute saved [\d.]+ %/.test(text) && /JSD [\d.]+ bits/.test(text), text);
    // Escalations cluster at the shifts: the engine counts over every window of the run (the
    // page receives only some of them at 10x, so a count over those would be noise).
    const [, atShifts, elsewhere] = text.match(/escalated at shifts ([\d.]+) % · escalated elsewhere ([\d.]+) %/).map(Number);
    if (!(atShifts > 40 && atShifts > 3 * elsewhere)) {
      await page.getByTestId('duration').fill('');
      await page.getByTestId('duration').dispatchEvent('change');
      assert(false, `escalated: ${atShifts} % of windows at shifts, ${elsewhere} % of the others`);
    }
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
    const marked = saved.windows.filter((w) => w.data.events.length > 0).length;
    assert(marked > 0 && marked < saved.windows.length, `${marked} of ${saved.windows.length} received windows marked escalated`);
    for (const id of ['vote-plot', 'stream-plot', 'jsd-plot', 'confidence-plot']) {
      assert((await canvasPixels(id)).length > 5000, `${id} is empty`);
    }
    await page.screenshot({ path: join(shots, 'swarm.png'), fullPage: true });
    // A live threshold: jsd_max 0 escalates every later window, without a restart (with
    // confidence_min 0, so that only the JSD rule can escalate).
    await page.getByTestId('duration').fill('');
    await page.getByTestId('duration').dispatchEvent('change');
    await waitForStatus('paused');
    const before = saved.windows.length;
    await page.getByTestId('param-jsd_max').fill('0');
    await page.getByTestId('param-jsd_max').dispatchEvent('change');
    await page.getByTestId('param-confidence_min').fill('0');
    await page.getByTestId('param-confidence_min').dispatchEvent('change');
    await page.getByTestId('apply').click();
    await page.getByTestId('step').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-live]').textContent === '', null, { timeout: 10_000 });
    await waitForStatus('paused');
    await page.getByTestId('step').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=readout]').textContent.match(/windows: (\d+)/)[1]) >= n + 2, before);
    assert((await page.getByTestId('readouts').textContent()).includes('ESCALATED (JSD'), await page.getByTestId('readouts').textContent());
  });

  await check('swarm shards in helper workers: the same windows as one worker', async () => {
    const clock = await page.getByTestId('clock-info').textContent();
    const helpers = Number(clock.match(/(\d+) helper worker/)?.[1] ?? 0);
    assert(helpers >= 1, `no helper workers (a machine with one core?): ${clock}`);
    // Helpers start on the first run that asks for shards, not before.
    assert(page.workers().length === 1, `${page.workers().length} workers before any shards`);
    const runWith = async (shards) => {
      // The swarm check left a swarm run; a new shard count restarts it (Apply with no change
      // would not).
      await page.getByTestId('preset').selectOption('swarm');
      await page.getByTestId('param-shards').fill(String(shards));
      await page.getByTestId('param-shards').dispatchEvent('change');
      await page.getByTestId('apply').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=readout]').textContent.startsWith('swarm · t = 0.000 s · windows: 0'));
      await page.getByTestId('speed').selectOption('1x real time');
      await page.getByTestId('duration').fill('1.5 s');
      await page.getByTestId('duration').dispatchEvent('change');
      await page.getByTestId('start').click();
      await waitForStatus('finished', 30_000);
      const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
      return JSON.parse(readFileSync(await json.path(), 'utf8'));
    };
    const two = await runWith(2);
    // (Counted, not asked: a helper blocked in Atomics.wait for room in its ring cannot
    // evaluate anything, and asking it breaks the page's devtools session.)
    assert(page.workers().length === 1 + helpers, `${page.workers().length} workers for 1 + ${helpers} helpers`);
    const one = await runWith(1);
    await page.getByTestId('duration').fill('');
    await page.getByTestId('duration').dispatchEvent('change');
    assert(two.params.shards === 2 && one.params.shards === 1, 'shard counts in the exports');
    // Everything the model computed, per window index (which windows the page receives can
    // depend on load; those it got from both runs must agree bit for bit).
    const modelled = (ws) => new Map(ws.map(({ index, start_ns, end_ns, data }) => [index, JSON.stringify({ start_ns, end_ns, data })]));
    const [a, b] = [modelled(one.windows), modelled(two.windows)];
    const common = [...a.keys()].filter((i) => b.has(i));
    assert(common.length >= 30, `${common.length} windows in common (${a.size} and ${b.size})`);
    const differing = common.find((i) => a.get(i) !== b.get(i));
    assert(differing === undefined, `window ${differing} differs:\n${a.get(differing)?.slice(0, 300)}\n${b.get(differing)?.slice(0, 300)}`);
  });

  await check('a live parameter changes at the next window boundary without a restart', async () => {
    await configure('random-walk');
    await page.getByTestId('speed').selectOption('1x real time');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /windows: ([3-9]|\d\d)/.test(document.querySelector('[data-testid=readout]').textContent), null, { timeout: 10_000 });
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    assert((await page.locator('.field .name', { hasText: 'step' }).first().textContent()).includes('⟳'), 'step is marked live');
    const windowsBefore = await windowsShown();
    const tBefore = (await readout()).match(/t = ([\d.]+) s/)[1];
    await page.getByTestId('param-step').fill('0');
    await page.getByTestId('param-step').dispatchEvent('change');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => /step = 0/.test(document.querySelector('[data-testid=pending-live]').textContent), null, { timeout: 5_000 });
    assert((await readout()).includes(`t = ${tBefore} s · windows: ${windowsBefore} `), `not restarted: ${await readout()}`);
    // Paused: it waits. Step closes the next window, where the change lands.
    await page.getByTestId('step').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-live]').textContent === '', null, { timeout: 5_000 });
    await waitForStatus('paused');
    const boundary = Number((await readout()).match(/t = ([\d.]+) s/)[1]);
    await page.getByTestId('start').click();
    await page.waitForTimeout(800);
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const saved = JSON.parse(readFileSync(await json.path(), 'utf8'));
    assert(saved.params.step === 0, `exported step: ${saved.params.step}`);
    const points = (w) => w.data.panels.find((p) => p.id === 'trace-plot').plot.lines[0].points;
    const after = saved.windows.flatMap(points).filter((p) => p[0] >= boundary).map((p) => p[1]);
    const before = saved.windows.flatMap(points).filter((p) => p[0] < boundary).map((p) => p[1]);
    assert(after.length > 100 && after.every((v) => v === after[0]), `the walk is flat after ${boundary} s (${after.length} samples)`);
    assert(new Set(before).size > 10, 'it moved before the change');
    // A change of a field that is not live restarts the run.
    await page.getByTestId('param-tick_period').fill('2 ms');
    await page.getByTestId('param-tick_period').dispatchEvent('change');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => /^random-walk · t = 0.000 s · windows: 0/.test(document.querySelector('[data-testid=readout]').textContent));
  });

  await check('links with the presets\' old names still open them', async () => {
    for (const [name, now] of [['tick', 'random-walk'], ['seed-example', 'multirate-stdp']]) {
      const old = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      watchRequests(old);
      await old.goto(`${base}#preset=${name}&seed=3`);
      await old.waitForFunction((p) => (document.querySelector('[data-testid=readout]')?.textContent ?? '').startsWith(`${p} · t = 0.000 s`), now, { timeout: 60_000 });
      assert(await old.getByTestId('preset').inputValue() === now, `the menu shows ${now}`);
      await old.close();
    }
  });

  await check('the dark theme follows the system setting, canvases included; the weight heatmap fills', async () => {
    const cornerOf = (id) => page.evaluate((id) => {
      const c = document.querySelector(`[data-testid=${id}]`);
      const d = c.getContext('2d').getImageData(2, 2, 1, 1).data;
      return [d[0], d[1], d[2]];
    }, id);
    await page.emulateMedia({ colorScheme: 'dark' });
    await configure('stdp');
    await runUntil(20);
    const dark = await cornerOf('weights-heatmap');
    assert(dark.every((v) => v < 70), `dark canvas background: ${dark}`);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert(bg === 'rgb(20, 23, 28)', `dark page background: ${bg}`);
    // The heatmap has columns of several shades (weights spreading toward the bounds).
    const shades = await page.evaluate(() => {
      const c = document.querySelector('[data-testid=weights-heatmap]');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < d.length; i += 4 * 7) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
      return seen.size;
    });
    assert(shades > 20, `only ${shades} colours in the heatmap`);
    await page.screenshot({ path: join(shots, 'stdp-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid=weights-heatmap]');
      return c.getContext('2d').getImageData(2, 2, 1, 1).data[0] > 200;
    }, null, { timeout: 5_000 });
  });

  await check('a narrow window (420 px) scrolls vertically only', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: join(shots, 'narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
    assert(overflow <= 0, `${overflow} px of horizontal overflow`);
  });

  await check('the gallery and the editor in the dark theme and on a narrow window', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await configure('coba');
    await showTab('network');
    await page.getByTestId('step').click();
    await page.waitForFunction(() => /windows: 1 /.test(document.querySelector('[data-testid=readout]').textContent));
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('.side').scrollTop = 0; });
    await page.screenshot({ path: join(shots, 'editor-dark.png') });
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('svg.network-graph .node circle')).fill);
    assert(bg !== 'rgb(255, 255, 255)', `the graph follows the theme: ${bg}`);
    await page.setViewportSize({ width: 420, height: 800 });
    await page.waitForTimeout(300);
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('.side').scrollTop = 0; });
    await page.screenshot({ path: join(shots, 'editor-narrow-dark.png') });
    const editorOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(editorOverflow <= 0, `the editor overflows a narrow window by ${editorOverflow} px`);
    await page.emulateMedia({ colorScheme: 'light' });
    await showTab('gallery');
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: join(shots, 'gallery-narrow.png') });
    // Folded, the panel leaves the page to the plots; the bar's button brings it back.
    await page.getByTestId('fold-panel').click();
    assert(!(await page.getByTestId('gallery-coba').isVisible()), 'the folded panel is hidden');
    await page.getByTestId('open-panel').click();
    assert(await page.getByTestId('gallery-coba').isVisible(), 'the panel opens again');
    await page.setViewportSize({ width: 1280, height: 720 });
    assert(overflow <= 0, `${overflow} px of horizontal overflow`);
    await showTab('params');
  });

  await check('a worker that dies silently is reported; Restart brings back preset, seed, parameters and speed', async () => {
    await page.getByTestId('preset').selectOption('phase-lock');
    await page.getByTestId('param-f').fill('12 Hz');
    await page.getByTestId('param-f').dispatchEvent('change');
    await page.getByTestId('seed').fill('5');
    await page.getByTestId('apply').click();
    await page.waitForFunction(() => /^phase-lock · t = 0.000 s/.test(document.querySelector('[data-testid=readout]').textContent)
      && location.hash.includes('seed=5'));
    await page.getByTestId('speed').selectOption('0.1x real time');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=readout]').textContent.match(/windows: (\d+)/)[1]) >= 1);
    // Close the worker from inside: no error event, no message; only the heartbeat can tell.
    // (Its helper workers, started for swarm shards, are its children and go with it.)
    const coordinators = await coordinatorWorkers();
    assert(coordinators.length === 1, `${coordinators.length} coordinating workers`);
    const helpersOfTheDead = page.workers().length - 1;
    await coordinators[0].evaluate(() => self.close());
    await page.waitForFunction(() => document.querySelector('[data-testid=worker-status]').textContent
      .startsWith('worker stopped: the worker stopped answering'), null, { timeout: 20_000 });
    await page.getByTestId('restart').click();
    await page.waitForFunction(() => /^phase-lock · t = 0.000 s · windows: 0 /.test(document.querySelector('[data-testid=readout]').textContent));
    await waitForStatus('paused');
    assert(await page.getByTestId('param-f').inputValue() === '12 Hz', `f: ${await page.getByTestId('param-f').inputValue()}`);
    assert(await page.getByTestId('seed').inputValue() === '5', 'seed restored');
    assert(await page.getByTestId('speed').inputValue() === '0.1x real time', 'speed shown');
    // The new worker runs at the restored 0.1x: after 2 s of wall time it is at most ~0.2 s in
    // (the default 1x would be at ~2 s; a slow machine only makes it less).
    await page.getByTestId('start').click();
    await page.waitForTimeout(2000);
    await page.getByTestId('pause').click();
    await waitForStatus('paused');
    const t = parseFloat((await readout()).match(/t = ([\d.]+) s/)[1]);
    assert(t > 0 && t < 0.6, `t = ${t} s after 2 s at 0.1x`);
    await page.getByTestId('speed').selectOption('1x real time');
    // The new worker has started no helpers (no run has asked for shards). The dead worker's
    // helpers (started by the shards check) should go with it; Chromium ends a closed worker's
    // children asynchronously, and in about 1 run of 4 here one was still listed after 15 s
    // (a helper blocked in Atomics.wait, NOTES). Counted, not failed; a helper of the new
    // worker would fail.
    const until = Date.now() + 15_000;
    while (page.workers().length !== 1 && Date.now() < until) await page.waitForTimeout(100);
    const left = page.workers().length;
    assert(left >= 1 && left <= 1 + helpersOfTheDead, `${left} workers for the new one and ${helpersOfTheDead} helpers of the dead one`);
    if (left > 1) console.log(`  note: ${left - 1} helper worker(s) of the closed worker still listed after 15 s`);
  });

  await check('a page frozen for 1.5 s (a hidden tab) loses nothing: same run, no false alarm', async () => {
    await configure('phase-lock');
    await page.getByTestId('duration').fill('3 s');
    await page.getByTestId('duration').dispatchEvent('change');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => /windows: [1-9]/.test(document.querySelector('[data-testid=readout]').textContent));
    // Freeze the page (its timers and message handling stop; the worker goes on), then thaw it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await new Promise((r) => setTimeout(r, 1500));
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await waitForStatus('finished');
    const frozen = { readout: await readout(), spikes: await spikeReadout() };
    await page.getByTestId('reset').click();
    await page.getByTestId('start').click();
    await waitForStatus('finished');
    const plain = { readout: await readout(), spikes: await spikeReadout() };
    const windowsOf = (text) => text.match(/windows: (\d+ \(dropped \d+, not sent \d+\))/)[1];
    assert(windowsOf(frozen.readout) === '5 (dropped 0, not sent 0)', `frozen run: ${frozen.readout}`);
    assert(windowsOf(plain.readout) === windowsOf(frozen.readout), `${plain.readout}\n${frozen.readout}`);
    assert(frozen.spikes === plain.spikes, `frozen:\n${frozen.spikes}\nplain:\n${plain.spikes}`);
    await page.getByTestId('duration').fill('');
    await page.getByTestId('duration').dispatchEvent('change');
  });

  await check('nothing was fetched from another origin and nothing broke the policy', async () => {
    // The worker's own fetches are seen too (its wasm), so the check covers it.
    assert(requested.some((u) => u.includes('worker_bg.wasm')), `the worker's requests were not seen: ${requested.join(', ')}`);
    const foreign = requested.filter((u) => !u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert(foreign.length === 0, `requests that left ${base}: ${foreign.join(', ')}`);
    const violations = await page.evaluate(() => window.cspViolations);
    assert(violations.length === 0, `CSP violations: ${violations.join('; ')}`);
  });

  await check('no errors in the page or the worker', async () => {
    assert(problems.length === 0, problems.join('\n'));
    const error = await page.getByTestId('error').textContent();
    assert(error === '', `the error line says: ${error}`);
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
