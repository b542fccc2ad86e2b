// `npm run generate`: every generated artefact from its source, in one command:
// the Prisma clients (from each schema.prisma) and the supergraph (from the subgraphs' SDL).
import { install, pnpm } from './lib/bootstrap.mjs';

install();
for (const subgraph of ['shop', 'crm', 'mes']) pnpm(['--filter', `@fabline/${subgraph}`, 'run', '--silent', 'generate']);
pnpm(['--filter', '@fabline/schema', 'run', '--silent', 'compose']);
