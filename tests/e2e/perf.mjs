// Measures the dashboard with the browser's own instruments while a preset runs at full speed:
// main-thread long tasks (PerformanceObserver 'longtask', > 50 ms), frames per second
// (requestAnimationFrame), and memory at the start and end (performance.memory for the page's
// JS heap; performance.measureUserAgentSpecificMemory, available because the page is
// cross-origin isolated, for page + worker).
//
// Usage (from the repo root, after `trunk build --release`; tools as in .ci/test.sh):
//   node tests/e2e/perf.mjs --preset stdp --seconds 60
//   node tests/e2e/perf.mjs --preset xor --seconds 600      # the 10-minute heap run
//   node tests/e2e/perf.mjs --preset coba --speed "1x real time"   # paced (default: full speed)
import { launch, memory, openPreset, serve } from './harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const preset = arg('preset', 'stdp');
const seconds = Number(arg('seconds', 60));
const speed = arg('speed', 'as fast as possible');
const { base, stop } = await serve(Number(arg('port', 8183)), { quiet: true });
const browser = await launch(['--enable-precise-memory-info']);
const page = await openPreset(browser, base, preset);
const heap = () => page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
const start = await memory(page);
// Instruments: long tasks and frames, from now on.
await page.evaluate(() => {
  window.__perf = { longTasks: [], frames: 0 };
  window.__perf.observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.longTasks.push([Math.round(e.startTime), e.duration]);
  });
  window.__perf.observer.observe({ type: 'longtask' });
  const tick = () => { window.__perf.frames += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
});
await page.getByTestId('speed').selectOption(speed);
await page.getByTestId('start').click();
const samples = [];
const t0 = Date.now();
while (Date.now() - t0 < seconds * 1000) {
  await page.waitForTimeout(Math.max(0, Math.min(60_000, seconds * 1000 - (Date.now() - t0))));
  samples.push({ at_s: Math.round((Date.now() - t0) / 1000), page_heap_bytes: await heap() });
}
const elapsed = (Date.now() - t0) / 1000;
const perf = await page.evaluate(() => { window.__perf.observer.disconnect(); return window.__perf; });
const readout = await page.getByTestId('readout').textContent();
await page.getByTestId('pause').click();
const end = await memory(page);
const result = {
  preset, speed, seconds: elapsed,
  simulated: readout.match(/t = ([\d.]+) s/)?.[1] + ' s',
  long_tasks: perf.longTasks.length,
  longest_task_ms: perf.longTasks.length ? Math.max(...perf.longTasks.map((t) => t[1])) : 0,
  long_task_list: perf.longTasks,
  fps: perf.frames / elapsed,
  memory_start: start, memory_end: end, samples,
  readout,
};
console.log(JSON.stringify(result, null, 2));
await browser.close();
stop();
