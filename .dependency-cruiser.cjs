// `npm run check:imports` (also a step of `npm test`): no import cycle anywhere, and the layers of
// @fabline/shared point one way. A failure names the rule and the import that breaks it.
const shared = (layer) => `^infra/shared/src/${layer}/`;

/** Each layer of @fabline/shared and the layers it must not import (everything above it). */
const LAYERS = {
  tracing: ['platform', 'contracts', 'database', 'storage', 'messaging', 'graphql'],
  platform: ['contracts', 'database', 'storage', 'messaging', 'graphql'],
  contracts: ['database', 'storage', 'messaging', 'graphql'],
  database: ['contracts', 'storage', 'messaging', 'graphql'],
  storage: ['contracts', 'database', 'messaging', 'graphql'],
  messaging: ['database', 'storage', 'graphql'],
  graphql: ['database', 'storage', 'messaging'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle: move what both sides need into one of them, or into a module of its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(LAYERS).map(([layer, above]) => ({
      name: `shared-${layer}-layer`,
      comment: `@fabline/shared/${layer} must not import ${above.join(', ')} (layers point one way; see infra/shared/README.md).`,
      severity: 'error',
      from: { path: shared(layer) },
      to: { path: [...above.map(shared), '^infra/shared/src/runtime\\.ts$'] },
    })),
    {
      name: 'shared-is-below-the-apps',
      comment: '@fabline/shared is imported by the gateway, the subgraphs, web and the dev tools, never the other way round.',
      severity: 'error',
      from: { path: '^infra/shared/' },
      to: { path: '^(gateway|subgraphs|web|infra/dev|infra/deploy)/' },
    },
    {
      name: 'no-dev-tools-at-runtime',
      comment: 'Production code never imports @fabline/dev (stack, fixtures, codegen preset, schema drift check).',
      severity: 'error',
      from: { path: '^(gateway/src|subgraphs/[^/]+/src|infra/shared/src)/' },
      to: { path: '^infra/dev/' },
    },
  ],
  options: {
    includeOnly: '^(gateway|subgraphs|infra)/',
    exclude: { path: '(^|/)node_modules/|/src/generated/' },
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a cycle of types is still two modules that cannot be read apart
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.mjs', '.js'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
