// turbo caches a task's output by the environment variables listed in turbo.json's globalEnv: one a
// process reads but turbo does not know of would serve a cached result made under another value.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envShape as gatewayShape } from '../../../gateway/src/env.ts';
import { envShape as crmShape } from '../../../subgraphs/crm/src/env.ts';
import { envShape as mesShape } from '../../../subgraphs/mes/src/env.ts';
import { envShape as shopShape } from '../../../subgraphs/shop/src/env.ts';
import { webEnvShape } from '../../../web/ui/server/env.ts';

const turbo = JSON.parse(readFileSync(new URL('../../../turbo.json', import.meta.url), 'utf8')) as { globalEnv: string[] };
const read = new Set([gatewayShape, shopShape, crmShape, mesShape, webEnvShape].flatMap((shape) => Object.keys(shape)));

describe("turbo's globalEnv", () => {
  it('lists every variable a process validates in its env.ts', () => {
    expect([...read].filter((name) => !turbo.globalEnv.includes(name)).sort()).toEqual([]);
  });

  it('lists nothing no process reads, besides the variables of the tools and benchmarks', () => {
    const tools = /^(CI|BENCH_[A-Z0-9_]+|FUZZ_[A-Z_]+|PRISMA_SCHEMA_ENGINE_BINARY)$/;
    expect(turbo.globalEnv.filter((name) => !read.has(name) && !tools.test(name)).sort()).toEqual([]);
  });
});
