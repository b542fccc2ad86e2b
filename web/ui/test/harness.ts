// The browser-test harness of the web apps: Debian's Chromium driven by playwright-core, each app
// built once and served by serveApp against a real stack's gateway, axe-core run on every page
// checked, and a screenshot of every page (English and Russian, desktop and phone) under .data/.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = new URL('../../../', import.meta.url).pathname;
export const screenshotsDir = join(root, '.data', 'screenshots');

/** Debian's chromium (scripts/test.mjs installs it when missing). */
export const chromiumPath = '/usr/bin/chromium';

/** A browser context as tests use it: reduced motion (no highlight mid-fade in a screenshot), English. */
export const contextOptions = { reducedMotion: 'reduce', locale: 'en-US', viewport: { width: 1280, height: 800 } } as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-background-networking', '--enable-unsafe-swiftshader'],
  });
}

/**
 * Builds an app (`vite build` in web/<app>) and returns its dist folder. A child process: under
 * vitest NODE_ENV is 'test', and Vite would build React's development bundle.
 */
export async function buildApp(app: string): Promise<string> {
  const appRoot = join(root, 'web', app);
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: appRoot, env: { ...process.env, NODE_ENV: 'production' } });
  return join(appRoot, 'dist');
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface CaptureOptions {
  /** Folder under .data/screenshots. */
  app: string;
  /** @default [[1280, 800], [390, 844]] */
  sizes?: readonly (readonly [number, number])[];
}

/**
 * Checks the page with axe-core in English and Russian and saves a screenshot of each language at
 * each size, and once in the dark theme; it uses the app's own switches, so the page keeps its state.
 * Throws on a serious or critical violation.
 */
export async function checkPage(page: Page, name: string, options: CaptureOptions): Promise<void> {
  const sizes = options.sizes ?? [
    [1280, 800],
    [390, 844],
  ];
  const dir = join(screenshotsDir, options.app);
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  const problems: string[] = [];
  for (const locale of ['en', 'ru'] as const) {
    await setLocale(page, locale);
    for (const [width, height] of sizes) {
      await page.setViewportSize({ width, height });
      for (const v of await seriousViolations(page))
        problems.push(`${locale} ${width}×${height}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      await page.screenshot({ path: join(dir, `${name}-${locale}-${width}x${height}.png`), fullPage: true });
    }
  }
  await setLocale(page, 'en');
  if (original) await page.setViewportSize(original);
  // the dark token set, judged and pictured once (English, the current size)
  await setTheme(page, 'dark');
  for (const v of await seriousViolations(page)) problems.push(`dark: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  await page.screenshot({ path: join(dir, `${name}-en-dark.png`), fullPage: true });
  await setTheme(page, 'light');
  if (problems.length) throw new Error(`axe-core found serious problems on ${name}:\n${problems.join('\n')}`);
}

/** Chooses the colour theme with the shell's toggle (pressed = dark). */
export async function setTheme(page: Page, theme: 'light' | 'dark') {
  const toggle = page.locator('header button[aria-pressed]:not([lang])');
  if ((await toggle.getAttribute('aria-pressed')) !== String(theme === 'dark')) await toggle.click();
  await page.locator(`html[data-theme="${theme}"]`).waitFor();
}

/** Chooses a language with the shell's switch (a toggle per language, marked with its lang). */
export async function setLocale(page: Page, locale: 'en' | 'ru') {
  const toggle = page.locator(`header [lang="${locale}"]`);
  if ((await toggle.getAttribute('data-state')) !== 'on') await toggle.click();
  await page.locator(`html[lang="${locale}"]`).waitFor();
}

/**
 * The share of an element's pixels, as a screenshot shows them, whose colour differs from its
 * top-left pixel (the background): above zero once something was drawn on a canvas.
 */
export async function drawnShare(page: Page, element: Locator): Promise<number> {
  const png = (await element.screenshot()).toString('base64');
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    if (!context) return 0;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = [pixels[0] ?? 0, pixels[1] ?? 0, pixels[2] ?? 0];
    let different = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (Math.abs((pixels[i] ?? 0) - r) + Math.abs((pixels[i + 1] ?? 0) - g) + Math.abs((pixels[i + 2] ?? 0) - b) > 30) different++;
    }
    return different / (pixels.length / 4);
  }, png);
}

/**
 * Holds back what the gateway pushes (graphql-ws `next` messages) on the page's WebSocket connections
 * opened from now on, while `holding` is true: a stale page, as a slow network makes one, whose user
 * acts on what it still shows. The rest of the protocol passes, so the connection stays up.
 */
export async function holdPushes(page: Page): Promise<{ holding: boolean }> {
  const state = { holding: false };
  await page.routeWebSocket(/\/graphql$/, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (state.holding && typeof message === 'string' && message.includes('"type":"next"')) return;
      socket.send(message);
    });
  });
  return state;
}
