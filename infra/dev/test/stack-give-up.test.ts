import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack } from '../src/stack.ts';

const root = new URL('../../../', import.meta.url).pathname;

describe('startStack in a test run whose stacks keep timing out', () => {
  const run = `give-up-${process.pid}`;
  const log = `${root}.data/stack-timeouts-${run}.log`;
  const previous = process.env.FABLINE_TEST_RUN;
  afterEach(() => {
    if (previous === undefined) delete process.env.FABLINE_TEST_RUN;
    else process.env.FABLINE_TEST_RUN = previous;
    if (existsSync(log)) rmSync(log);
  });

  it('fails at once after two start timeouts of the same run, naming the first', async () => {
    process.env.FABLINE_TEST_RUN = run;
    mkdirSync(`${root}.data`, { recursive: true });
    writeFileSync(log, `${JSON.stringify('shop did not listen within 150s; its last log lines:\nconnect ETIMEDOUT')}\n`);
    writeFileSync(log, `${JSON.stringify('gateway was not ready on port 4000 within 150s')}\n`, { flag: 'a' });
    // no database is created and no process started: the rejection comes before any of it
    await expect(startStack({ postgresUrl: 'postgresql://nobody@127.0.0.1:1/none' })).rejects.toThrow(
      /not started: 2 stacks of this test run did not become ready in time; the first:\nshop did not listen within 150s/,
    );
  });
});
