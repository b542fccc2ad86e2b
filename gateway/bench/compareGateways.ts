// Warm cache hits through the gateway of another checkout and of this one, on one stack, in interleaved
// rounds: how much a change made a hit cheaper, when the host's speed moves every absolute figure.
//   git worktree add /tmp/old <commit> && (cd /tmp/old && pnpm install --frozen-lockfile)
//   OLD_GATEWAY_DIR=/tmp/old/gateway node --import tsx gateway/bench/compareGateways.ts
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, gql, startStack, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import autocannon from 'autocannon';
import { median, pairedMedian, roundOrder } from '../bench/rounds.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const OLD_DIR = process.env.OLD_GATEWAY_DIR;
if (!OLD_DIR) throw new Error('set OLD_GATEWAY_DIR to the gateway folder of the checkout to compare with');
const stack = await startStack({ env: { LOG_LEVEL: 'warn', ...UNLIMITED_CLIENT_ENV } });
const port = await freePort();
const old = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: OLD_DIR,
  env: { ...process.env, ...stack.env, GATEWAY_PORT: String(port) },
  stdio: 'ignore',
});
try {
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error('old gateway did not start');
    await sleep(200);
  }
  const { signUp } = await gql(stack.urls.gateway, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `ab-${Date.now()}@example.com`, password: 'correct horse battery', name: 'AB' },
  });
  const body = JSON.stringify({ query: 'query Materials { materials { code name densityGCm3 pricePerKg { amount currency } } }', variables: {} });
  const cases = { anonymous: {}, 'with token': { authorization: `Bearer ${signUp.token}` } } as Record<string, Record<string, string>>;
  const targets = { old: `http://127.0.0.1:${port}/graphql`, new: stack.urls.gateway };
  const run = (url: string, headers: Record<string, string>, duration: number) =>
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, connections: 16, duration });
  for (const [name, headers] of Object.entries(cases)) {
    for (const url of Object.values(targets)) await run(url, headers, 2);
    const runs = Object.entries(targets).map(([label, url]) => ({ label, url, rps: [] as number[], p99: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++)
      for (const r of roundOrder(runs, round)) {
        const res = await run(r.url, headers, 3);
        r.rps.push(res.requests.average);
        r.p99.push(res.latency.p99);
      }
    for (const r of runs)
      console.log(
        `${name.padEnd(11)} ${r.label.padEnd(4)} ${median(r.rps).toFixed(0).padStart(7)} req/s  p99 ${median(r.p99)} ms  rounds ${r.rps.map((x) => x.toFixed(0)).join(' ')}`,
      );
    console.log(
      `${name.padEnd(11)} new/old = ${pairedMedian((runs[1] as (typeof runs)[0]).rps, (runs[0] as (typeof runs)[0]).rps).toFixed(3)} (median of same-round ratios)`,
    );
  }
} finally {
  old.kill('SIGTERM');
  await stack.stop();
}
