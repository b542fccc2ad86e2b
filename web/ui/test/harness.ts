// The browser-test harness of the web apps: Debian's Chromium driven by playwright-core, each app
// built once and served by serveApp against a real stack's gateway, axe-core run on every page
// checked, and a screenshot of every page (English and Russian, desktop and phone) under .data/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

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

/** Builds an app (`vite build` in web/<app>) and returns its dist folder. */
export async function buildApp(app: string): Promise<string> {
  const { build } = await import('vite');
  const appRoot = join(root, 'web', app);
  await build({ root: appRoot, configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn' });
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
 * each size; it switches the language with the app's own switch, so the page keeps its state.
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
  if (problems.length) throw new Error(`axe-core found serious problems on ${name}:\n${problems.join('\n')}`);
}

/** Chooses a language with the shell's switch (a toggle per language, marked with its lang). */
export async function setLocale(page: Page, locale: 'en' | 'ru') {
  const toggle = page.locator(`header [lang="${locale}"]`);
  if ((await toggle.getAttribute('data-state')) !== 'on') await toggle.click();
  await page.locator(`html[lang="${locale}"]`).waitFor();
}
