// `npm run generate`: every generated artefact from its source, in one command:
// the Prisma clients (from each schema.prisma) and resolver types (graphql-codegen, from each subgraph's
// schema.graphql), the supergraph (from the subgraphs' SDL), the partner
// contract schema/public.graphql, the web apps' typed documents (web/ui/src/generated) and
// schema/persisted-query-manifest.json (from web/operations), the RabbitMQ definitions, and the
// configuration reference docs/configuration.md (from the env shapes).
import { install, pnpm, run } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

install();
for (const subgraph of ['shop', 'crm', 'mes']) pnpm(['--filter', `@fabline/${subgraph}`, 'run', '--silent', 'generate']);
pnpm(['--filter', '@fabline/schema', 'run', '--silent', 'compose']);
// the partner contract, the web apps' typed documents and the persisted-query manifest derive from the supergraph just written
pnpm(['--filter', '@fabline/schema', 'run', '--silent', 'contract']);
// the manifest's bodies are the typed documents as Apollo Client sends them, so codegen comes first
pnpm(['--filter', '@fabline/ui', 'run', '--silent', 'generate']);
pnpm(['--filter', '@fabline/schema', 'run', '--silent', 'manifest']);
// the RabbitMQ definitions derive from the topology table the services assert
pnpm(['--filter', '@fabline/deploy', 'exec', 'tsx', 'rabbitmq/generate.ts']);
// the configuration reference derives from every process's env shape (scripts/config-reference.ts)
run(process.execPath, ['--import', 'tsx', 'scripts/config-reference.ts']);
