// Builds what the image runs: one ES module per process in dist/ (the gateway, the three subgraphs,
// the price worker, the web server, the database setup), so production starts plain JavaScript with
// no transpiler (`node dist/gateway.mjs`). Each bundle holds the process's own code and the
// workspace packages (@fabline/*) it imports; third-party packages stay in node_modules, imported
// by the path of the file they resolved to at build time (a process's bundle sits in dist/, where
// bare names of a package's dependencies would not resolve under pnpm's layout).
// Usage: node infra/deploy/build.mjs [outdir]   (default dist/ at the repository root)
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The processes of the image: output name → entry source. */
export const entries = {
  gateway: 'gateway/src/main.ts',
  shop: 'subgraphs/shop/src/main.ts',
  crm: 'subgraphs/crm/src/main.ts',
  mes: 'subgraphs/mes/src/main.ts',
  'price-worker': 'subgraphs/mes/src/worker.ts',
  web: 'web/ui/server/main.ts',
  'setup-databases': 'infra/deploy/setup-databases.ts',
};

const relativeSpecifier = (from, to) => {
  const path = relative(from, to).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
};

/** Third-party imports become imports of the resolved file, relative to the bundle. */
const externalPackages = (outdir) => ({
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('@fabline/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length) return { errors: resolved.errors };
      return { path: relativeSpecifier(outdir, resolved.path), external: true };
    });
  },
});

/**
 * `import.meta.url` in a bundled module means the module's own source file (they read their SDL,
 * migrations and the supergraph beside themselves), not the bundle: each use becomes that file's URL,
 * computed from the bundle's location so the built output can move with the checkout.
 */
const sourceUrls = (outdir) => ({
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const own = `new URL(${JSON.stringify(relativeSpecifier(outdir, args.path))}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'ts' };
    });
  },
});

export async function buildProcesses(outdir = resolve(root, 'dist')) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.entries(entries).map(([out, input]) => ({ in: input, out })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [externalPackages(outdir), sourceUrls(outdir)],
  });
  writeFileSync(resolve(outdir, 'meta.json'), JSON.stringify(result.metafile));
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outdir = resolve(process.argv[2] ?? resolve(root, 'dist'));
  const started = performance.now();
  const result = await buildProcesses(outdir);
  const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.mjs'));
  console.log(
    `built ${Object.keys(entries).length} processes (${outputs.length} modules) into ${relative(process.cwd(), outdir) || '.'} in ${Math.round(performance.now() - started)} ms`,
  );
}
