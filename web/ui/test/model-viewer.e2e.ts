// The viewer and the upload helper in real Chromium: a Vite production build of a small demo page
// (test/viewer-demo), served by `vite preview`, driven with playwright-core.
// Screenshots go to .data/web-ui/. FABLINE_CHROMIUM_EXTRA_ARGS adds Chromium flags: with
// '--use-gl=angle --use-angle=swiftshader --ignore-gpu-blocklist --enable-gpu-rasterization' the
// compositor runs on the (software) GPU, as in a browser with a graphics card; without them,
// headless Chromium composites in software and reads each WebGL frame back on the page's thread.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryStl, boxTriangles, threeMfCube, wavySurfaceStl } from './fixtures/models.ts';

const demoRoot = fileURLToPath(new URL('./viewer-demo/', import.meta.url));
const screenshots = fileURLToPath(new URL('../../../.data/web-ui/', import.meta.url));
/** A sentence only the parser's code contains: it must reach the worker's script and no other. */
const PARSER_MARKER = 'The ASCII STL ends in the middle of a facet';
const LIGHT_BACKGROUND = [0xf1, 0xf3, 0xf6];
const DARK_BACKGROUND = [0x16, 0x18, 0x1d];

let dir: string;
let server: PreviewServer;
let base: string;
let browser: Browser;
const uploads: { bytes: number; contentType: string | undefined }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fabline-viewer-'));
  const outDir = join(dir, 'dist');
  await build({ root: demoRoot, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1024 } });
  server = await preview({
    root: demoRoot,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins: [
      {
        name: 'demo-graphql-upload',
        configurePreviewServer(s) {
          s.middlewares.use('/graphql', (req: IncomingMessage, res: ServerResponse) => {
            let bytes = 0;
            req.on('data', (chunk: Buffer) => {
              bytes += chunk.length;
            });
            req.on('end', () => {
              uploads.push({ bytes, contentType: req.headers['content-type'] });
              res.setHeader('content-type', 'application/json');
              res.end(JSON.stringify({ data: { uploadModel: { id: 'u1', sizeBytes: bytes } } }));
            });
          });
        },
      },
    ],
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  base = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--enable-unsafe-swiftshader',
      ...(process.env.FABLINE_CHROMIUM_EXTRA_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Probe {
  page: Page;
  pageErrors: string[];
  scripts: Map<string, string>;
  workerUrls: string[];
}

async function openDemo(): Promise<Probe> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const probe: Probe = { page, pageErrors: [], scripts: new Map(), workerUrls: [] };
  page.on('pageerror', (error) => probe.pageErrors.push(error.message));
  page.on('worker', (worker) => probe.workerUrls.push(worker.url()));
  page.on('response', async (response) => {
    if (response.url().endsWith('.js')) probe.scripts.set(response.url(), await response.text().catch(() => ''));
  });
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; rafCalls: number };
    w.longTasks = [];
    w.rafCalls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) => {
      w.rafCalls++;
      return raf(callback);
    };
  });
  await page.goto(base);
  return probe;
}

async function choose(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByLabel('3D model').setInputFiles(file);
}

async function measured(page: Page, count = 1) {
  await page.waitForFunction((n) => window.fablineDemo.measured.length >= n, count, { timeout: 90_000 });
  return page.evaluate(() => window.fablineDemo.measured.at(-1));
}

/** Pixels of the canvas as the person sees them (a screenshot), counted in the page's 2D canvas. */
async function pixels(page: Page, canvas: Locator, background: number[]) {
  const png = (await canvas.screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, background }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const c = document.createElement('canvas');
      c.width = image.width;
      c.height = image.height;
      const ctx = c.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(image, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let drawn = 0;
      for (let i = 0; i < d.length; i += 4) {
        const diff =
          Math.abs((d[i] ?? 0) - (background[0] ?? 0)) + Math.abs((d[i + 1] ?? 0) - (background[1] ?? 0)) + Math.abs((d[i + 2] ?? 0) - (background[2] ?? 0));
        if (diff > 30) drawn++;
      }
      return { drawn, total: d.length / 4, corner: [d[0], d[1], d[2]] };
    },
    { png, background },
  );
}

async function twoFrames(page: Page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('ModelViewer in Chromium', () => {
  it('loads three.js only with the first model, draws it, names its size, turns and zooms with the keyboard, and idles without frames', async () => {
    const { page, pageErrors, scripts } = await openDemo();
    await page.getByLabel('3D model').waitFor();
    expect([...scripts.keys()].some((url) => url.includes('model-viewer'))).toBe(false);

    await choose(page, { name: 'block.stl', mimeType: 'model/stl', buffer: Buffer.from(binaryStl(boxTriangles([0, 0, 0], [20, 30, 40]))) });
    expect(await measured(page)).toMatchObject({ size: { x: 20, y: 30, z: 40 }, triangles: 12 });
    expect([...scripts.keys()].some((url) => url.includes('model-viewer'))).toBe(true);

    const canvas = page.getByRole('img', { name: '3D preview' });
    await expect.poll(async () => canvas.getAttribute('aria-describedby')).toBeTruthy();
    await expect.poll(() => page.getByText('Size 20 × 30 × 40 mm, 12 triangles').count()).toBe(1);
    await twoFrames(page);
    const first = await pixels(page, canvas, LIGHT_BACKGROUND);
    expect(first.corner).toEqual(LIGHT_BACKGROUND);
    expect(first.drawn / first.total).toBeGreaterThan(0.05);
    await canvas.screenshot({ path: join(screenshots, 'viewer-light-1280.png') });

    // Idle: no frame is requested while nothing changes.
    const idleBefore = await page.evaluate(() => (window as unknown as { rafCalls: number }).rafCalls);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { rafCalls: number }).rafCalls)).toBe(idleBefore);

    // Keyboard: the canvas takes focus; an arrow key turns the model, + zooms in.
    await canvas.focus();
    const before = await canvas.screenshot();
    await page.keyboard.press('ArrowLeft');
    await twoFrames(page);
    const turned = await canvas.screenshot();
    expect(turned.equals(before)).toBe(false);
    const beforeZoom = await pixels(page, canvas, LIGHT_BACKGROUND);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await twoFrames(page);
    expect((await pixels(page, canvas, LIGHT_BACKGROUND)).drawn).toBeGreaterThan(beforeZoom.drawn);
    expect(await page.evaluate(() => document.scrollingElement?.scrollTop)).toBe(0);

    // axe-core finds nothing serious or critical in the viewer.
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; impact: string }[] }> } }).axe;
      const result = await axe.run(document.querySelector('figure') as Element);
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);

    // Dark mode: the background follows the system scheme without a reload.
    await page.emulateMedia({ colorScheme: 'dark' });
    await twoFrames(page);
    const dark = await pixels(page, canvas, DARK_BACKGROUND);
    expect(dark.corner).toEqual(DARK_BACKGROUND);
    expect(dark.drawn).toBeGreaterThan(0);
    await canvas.screenshot({ path: join(screenshots, 'viewer-dark-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await twoFrames(page);
    await page.screenshot({ path: join(screenshots, 'viewer-dark-390.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('reads a 3MF (inflated in the worker with DecompressionStream) and shows a sentence, not a crash, for a PNG named .stl', async () => {
    const { page, pageErrors } = await openDemo();
    await choose(page, { name: 'cube.3mf', mimeType: 'model/3mf', buffer: Buffer.from(threeMfCube(10, { unit: 'centimeter' })) });
    expect(await measured(page)).toMatchObject({ size: { x: 100, y: 100, z: 100 }, triangles: 12 });

    const png = Buffer.alloc(4096, 7);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await choose(page, { name: 'photo.stl', mimeType: 'model/stl', buffer: png });
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This file looks damaged: it could not be read as a 3D model.');
    expect(await page.evaluate(() => window.fablineDemo.errors)).toEqual(['malformed']);
    expect(await page.getByRole('img', { name: '3D preview' }).count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'viewer-error-1280.png') });

    // Unmounting the viewer ends its worker and removes its canvas.
    expect(page.workers()).toHaveLength(1);
    const workerClosed = new Promise((resolve) => page.workers()[0]?.once('close', resolve));
    await page.getByRole('button', { name: 'Clear' }).click();
    await workerClosed;
    expect(await page.locator('canvas').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('parses a 50 MB STL in the worker, not on the main thread, and reports the longest main-thread task', async () => {
    const file = join(dir, 'wavy-50mb.stl');
    const bytes = wavySurfaceStl(724);
    await writeFile(file, bytes);
    const { page, pageErrors, scripts, workerUrls } = await openDemo();
    await choose(page, file);
    const result = await measured(page);
    await page.waitForFunction(() => performance.getEntriesByName('fabline:viewer-model-drawn').length > 0, undefined, { timeout: 90_000 });
    await twoFrames(page);
    expect(result?.triangles).toBe(724 * 724 * 2);
    expect(result?.size).toMatchObject({ x: 724, y: 724 });

    // Parsing happened in the worker: its measure is there, the page's thread has none, and the
    // parser's code was loaded only as the worker's script.
    expect(workerUrls.filter((url) => url.includes('parse.worker'))).toHaveLength(1);
    const worker = page.workers().find((w) => w.url().includes('parse.worker'));
    expect(await worker?.evaluate(() => performance.getEntriesByName('fabline:model-parse').length)).toBe(1);
    expect(await page.evaluate(() => performance.getEntriesByName('fabline:model-parse').length)).toBe(0);
    const withParser = [...scripts].filter(([, text]) => text.includes(PARSER_MARKER)).map(([url]) => url);
    expect(withParser).toEqual(workerUrls.filter((url) => url.includes('parse.worker')));

    const timing = await page.evaluate(() => {
      const { chosenAt } = window.fablineDemo;
      const tasks = (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter((t) => t.start >= chosenAt - 1);
      const frames = performance.getEntriesByName('fabline:viewer-frame').map((e) => `${Math.round(e.duration)}@${Math.round(e.startTime - chosenAt)}`);
      const drawnAt = performance.getEntriesByName('fabline:viewer-model-drawn')[0]?.startTime ?? 0;
      return { chosenAt, frames, tasks, chosenToMeasuredMs: (window.fablineDemo.measured.at(-1)?.at ?? 0) - chosenAt, chosenToDrawnMs: drawnAt - chosenAt };
    });
    const longest = Math.max(0, ...timing.tasks.map((t) => t.duration));
    console.log(
      `[viewer figures] 50 MiB binary STL (${bytes.byteLength} bytes, ${result?.triangles} triangles): ` +
        `read+parse in the worker ${result?.parseMs.toFixed(0)} ms; file chosen to model measured ${timing.chosenToMeasuredMs.toFixed(0)} ms, to fully drawn ${timing.chosenToDrawnMs.toFixed(0)} ms; ` +
        `main-thread long tasks (ms@ms after the file was chosen) ${JSON.stringify(timing.tasks.map((t) => `${Math.round(t.duration)}@${Math.round(t.start - timing.chosenAt)}`))}, longest ${Math.round(longest)} ms; frames drawn ${JSON.stringify(timing.frames)} ms`,
    );
    const drawn = await pixels(page, page.getByRole('img', { name: '3D preview' }), LIGHT_BACKGROUND);
    expect(drawn.drawn / drawn.total).toBeGreaterThan(0.05);
    await page.screenshot({ path: join(screenshots, 'viewer-50mb-1280.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('uploads a file as GraphQL multipart over XMLHttpRequest with rising progress up to 100', async () => {
    const { page, pageErrors } = await openDemo();
    const buffer = Buffer.from(binaryStl(boxTriangles([0, 0, 0], [1, 1, 1])));
    const big = Buffer.concat([buffer, Buffer.alloc(8 * 1024 * 1024)]);
    await choose(page, { name: 'padded.stl', mimeType: 'model/stl', buffer: big });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForFunction(() => window.fablineDemo.uploadResult !== undefined, undefined, { timeout: 60_000 });
    const { progress, uploadResult } = await page.evaluate(() => window.fablineDemo);
    expect(progress.at(-1)).toBe(100);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(uploads.at(-1)?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploads.at(-1)?.bytes).toBeGreaterThan(big.length);
    expect(uploadResult).toEqual({ data: { uploadModel: { id: 'u1', sizeBytes: uploads.at(-1)?.bytes } } });
    console.log(`[upload figures] ${big.length} bytes: progress callbacks ${JSON.stringify(progress)}`);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
