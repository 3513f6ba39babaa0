// What the browser scripts share: `trunk serve` on a port, Debian's headless Chromium, a
// dashboard page with a preset applied, and the page's memory.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/// Starts `trunk serve --release` on `port` and waits (up to `timeoutMs`, the first build can
/// take minutes) until it answers. Returns the base URL, the first response and a stop function.
export async function serve(port, { timeoutMs = 15 * 60 * 1000, quiet = false } = {}) {
  const base = `http://127.0.0.1:${port}/`;
  const server = spawn('trunk', ['serve', '--release', '--no-autoreload', '--port', String(port)], {
    cwd: root,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
    env: { ...process.env, TRUNK_SKIP_VERSION_CHECK: 'true' },
    detached: true,
  });
  const stop = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(base);
      if (response.ok) return { base, response, stop };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`no server at ${base} after ${timeoutMs} ms`);
}

/// Debian's Chromium, headless, without background traffic.
export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/// A new page on the dashboard with `preset` applied (paused at t = 0).
export async function openPreset(browser, base, preset) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(base);
  await page.waitForFunction(() => ['paused', 'ready'].includes(document.querySelector('[data-testid=worker-status]')?.textContent), null, { timeout: 60_000 });
  await page.getByTestId('tab-params').click();
  await page.getByTestId('preset').selectOption(preset);
  await page.getByTestId('apply').click();
  await page.waitForFunction((p) => document.querySelector('[data-testid=readout]').textContent.startsWith(`${p} · t = 0.000 s`), preset);
  return page;
}

/// The page's JS heap, and page + worker memory (measureUserAgentSpecificMemory, available
/// because the page is cross-origin isolated; it forces a GC, so it may itself be a long task).
export function memory(page) {
  return page.evaluate(async () => {
    const heap = performance.memory?.usedJSHeapSize ?? null;
    let all = null;
    if (crossOriginIsolated && performance.measureUserAgentSpecificMemory) {
      try { all = (await performance.measureUserAgentSpecificMemory()).bytes; } catch { /* unsupported */ }
    }
    return { page_heap_bytes: heap, page_and_worker_bytes: all };
  });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/// Serves an already built `dist` directory with the cross-origin isolation headers (no
/// rebuilds: for long runs while the tree changes). Returns the same as [`serve`].
export async function serveStatic(dir, port) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const base = `http://127.0.0.1:${port}/`;
  return { base, response: await fetch(base), stop: () => server.close() };
}
