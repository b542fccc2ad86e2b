// `npm run bench:web`: the shop's budgets in headless Chromium against the real stack, printed (not
// asserted): initial JavaScript (gzip), first contentful paint, the main thread's longest task
// while a 50 MB STL is previewed, and time to price for a 10 MB STL (cold, then cached).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Stack, startStack } from '@fabline/dev/stack';
import { toBinaryStl, uvSphere } from '@fabline/mes/geometry/synthetic';
import { buildApp, contextOptions, launchBrowser } from '@fabline/ui/harness';
import { serveApp } from '@fabline/ui/server';
import type { Browser, Page } from 'playwright-core';

const MB = 1024 * 1024;
const rows: [string, string, string][] = [];
const report = (what: string, value: string, target: string) => {
  rows.push([what, value, target]);
  console.log(`${what}: ${value} (target ${target})`);
};

/** The JS the built index.html loads before anything runs: its entry and module preloads. */
function entryJs(dist: string) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).byteLength, 0);
}

/** A sphere mesh as binary STL of about `mb` megabytes (50 bytes a triangle). */
function sphereStl(mb: number) {
  const triangles = Math.floor((mb * MB) / 50);
  const rings = Math.round(Math.sqrt(triangles / 4));
  return Buffer.from(toBinaryStl(uvSphere(30, Math.round(triangles / (2 * rings)), rings), `bench sphere ${mb} MB`));
}

async function signUp(page: Page, base: string, name: string) {
  await page.goto(`${base}/signup`);
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Email' }).fill(`bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Get an instant price' }).waitFor();
}

/** From the file chosen to all five materials priced on screen, in ms (the page's own clock). */
async function timeToPrice(page: Page, file: Buffer) {
  await page.evaluate(() => performance.mark('bench:chosen'));
  await page.getByLabel('3D model').setInputFiles({ name: 'part.stl', mimeType: 'model/stl', buffer: file });
  await page.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('table tbody tr')];
      return rows.length === 5 && rows.every((row) => /[0-9]/.test(row.querySelector('td')?.textContent ?? '') && !/Calculating/.test(row.textContent ?? ''));
    },
    undefined,
    { timeout: 120_000, polling: 'raf' },
  );
  return page.evaluate(() => performance.now() - (performance.getEntriesByName('bench:chosen')[0]?.startTime ?? 0));
}

let stack: Stack | undefined;
let browser: Browser | undefined;
try {
  const [dist, started] = await Promise.all([
    buildApp('shop'),
    startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '20000', MAX_UPLOAD_BYTES: String(64 * MB), ANALYSIS_MAX_BYTES: String(64 * MB) } }),
  ]);
  stack = started;
  const app = await serveApp({ dist, gatewayUrl: stack.urls.gateway });
  browser = await launchBrowser();
  report('initial JS of the shop (entry + preloads, gzip -9)', `${(entryJs(dist) / 1024).toFixed(1)} KB`, '≤ 150 KB');

  const first = await browser.newContext(contextOptions);
  const home = await first.newPage();
  await home.goto(app.url, { waitUntil: 'load' });
  await home.getByRole('button', { name: 'Log in' }).waitFor();
  const paint = await home.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    js: performance
      .getEntriesByType('resource')
      .filter((r) => r.name.endsWith('.js'))
      .reduce((sum, r) => sum + (r as PerformanceResourceTiming).encodedBodySize, 0),
  }));
  report('JS transferred for the login page (served gzip)', `${(paint.js / 1024).toFixed(1)} KB`, '≤ 150 KB');
  report('first contentful paint of the home page', `${paint.fcp.toFixed(0)} ms`, 'measured');

  await signUp(home, app.url, 'Bench Previewer');
  await home.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
    }).observe({ type: 'longtask' });
  });
  await home.getByLabel('3D model').setInputFiles({ name: 'sphere-50mb.stl', mimeType: 'model/stl', buffer: sphereStl(50) });
  await home.waitForFunction(() => performance.getEntriesByName('fabline:viewer-model-drawn').length > 0, undefined, { timeout: 180_000 });
  report(
    'longest main-thread task while a 50 MB STL is previewed',
    `${(await home.evaluate(() => (window as unknown as { __longest: number }).__longest)).toFixed(0)} ms`,
    '< 200 ms',
  );
  await first.close();

  const file = sphereStl(10);
  for (const [label, target] of [
    ['time to price, 10 MB STL, cold', '< 3 s'],
    ['time to price, the same file for another customer (cached)', '< 500 ms'],
  ] as const) {
    const context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await signUp(page, app.url, 'Bench Customer');
    report(label, `${(await timeToPrice(page, file)).toFixed(0)} ms`, target);
    await context.close();
  }
  await app.close();
  console.log(`\n| measure | value | target |\n| --- | --- | --- |\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`);
} finally {
  await browser?.close();
  await stack?.stop();
}
