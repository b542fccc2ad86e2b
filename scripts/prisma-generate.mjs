// Generates the Prisma client of the package in the current directory.
// Prisma's CLI wants a schema-engine binary it cannot download here; `generate` never runs it,
// so any executable satisfies the check (see README, "Prisma on this machine").
import { pnpm } from './lib/bootstrap.mjs';

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
try {
  pnpm(['exec', 'prisma', 'generate'], { cwd: process.cwd(), env });
} catch (error) {
  process.exit(error.exitCode ?? 1);
}
