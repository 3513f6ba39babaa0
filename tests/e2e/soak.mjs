// Soak in headless Chromium: every preset at once, one dashboard page (and worker) each, as a
// person would leave them running, for --seconds of wall time. Every --every seconds it
// records, per preset, the logical time reached, windows received and not sent, the page's JS
// heap and page + worker memory; at the end, a summary of how flat memory stayed after
// warm-up (the first tenth) and how steadily windows arrived.
//
// Usage (from the repo root, after `trunk build --release`; tools as in .ci/test.sh):
//   node tests/e2e/soak.mjs --seconds 3600 --every 60 --speed "1x real time" > soak-browser.csv
// With --dist DIR it serves that built copy instead of running `trunk serve` (which rebuilds
// whenever the tree changes).
import { launch, memory, openPreset, serve, serveStatic } from './harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', 3600));
const every = Number(arg('every', 60));
const speed = arg('speed', '1x real time');
const port = Number(arg('port', 8184));
const { base, stop } = arg('dist') ? await serveStatic(arg('dist'), port) : await serve(port, { quiet: true });
const browser = await launch(['--enable-precise-memory-info']);

const probe = await browser.newPage();
await probe.goto(base);
await probe.waitForFunction(() => document.querySelectorAll('[data-testid=preset] option').length > 0, null, { timeout: 60_000 });
const presets = (arg('presets', '') || (await probe.$$eval('[data-testid=preset] option', (os) => os.map((o) => o.value)).then((v) => v.join(',')))).split(',');
await probe.close();

const pages = {};
for (const preset of presets) {
  const page = await openPreset(browser, base, preset);
  page.on('crash', () => console.error(`${preset}: the page crashed`));
  await page.getByTestId('speed').selectOption(speed);
  await page.getByTestId('start').click();
  pages[preset] = page;
}

// Windows received = held + dropped from the bounded history; "not sent" = skipped by the worker.
const counts = (text) => {
  const [, held, dropped, notSent] = text.match(/windows: (\d+) \(dropped (\d+), not sent (\d+)\)/).map(Number);
  return { logical_s: Number(text.match(/t = ([\d.]+) s/)[1]), windows_received: held + dropped, windows_not_sent: notSent };
};
const rows = [];
console.log('preset,wall_s,logical_s,windows_received,windows_not_sent,status,page_heap_bytes,page_and_worker_bytes');
const t0 = Date.now();
for (;;) {
  const wall = (Date.now() - t0) / 1000;
  for (const [preset, page] of Object.entries(pages)) {
    // One page's trouble is recorded, not fatal to the others' soak.
    try {
      const status = await page.getByTestId('worker-status').textContent({ timeout: 120_000 });
      // A run the watchdog paused (divergence) is started again, as a person would.
      if (status === 'finished') {
        await page.getByTestId('reset').click();
        await page.getByTestId('start').click();
      }
      const row = { preset, wall_s: Math.round(wall), ...counts(await page.getByTestId('readout').textContent()), status, ...(await memory(page)) };
      rows.push(row);
      console.log(Object.values(row).join(','));
    } catch (e) {
      console.error(`${preset} at ${Math.round(wall)} s: ${e.message.split('\n')[0]}`);
    }
  }
  if (wall >= seconds) break;
  await new Promise((r) => setTimeout(r, Math.min(every, seconds - wall) * 1000));
}

for (const preset of presets) {
  const mine = rows.filter((r) => r.preset === preset);
  const warm = mine.slice(Math.floor(mine.length / 10));
  const mem = warm.map((r) => r.page_and_worker_bytes ?? r.page_heap_bytes);
  const rates = warm.slice(1).map((r, i) => (r.windows_received - warm[i].windows_received) / (r.wall_s - warm[i].wall_s));
  const last = mine.at(-1);
  console.error(`${preset}: ${last.wall_s} s wall, ${last.logical_s} s logical, ${last.windows_received} windows received, ${last.windows_not_sent} not sent; `
    + `page+worker after warm-up ${(mem[0] / 1e6).toFixed(1)} MB, end ${(mem.at(-1) / 1e6).toFixed(1)} MB, max ${(Math.max(...mem) / 1e6).toFixed(1)} MB; `
    + `windows/s between samples ${Math.min(...rates).toFixed(1)}..${Math.max(...rates).toFixed(1)}`);
}
await browser.close();
stop();
