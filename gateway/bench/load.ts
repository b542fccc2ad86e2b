import autocannon from 'autocannon';
import { expectedResponse, QUERY } from './subgraphs/data.ts';

/**
 * The load generator, run in its own process so its work is not charged to the gateway: N
 * connections (the original's virtual users) each send the benchmark query again as soon as the
 * answer arrives. Every answer is checked: status 200, no `errors`, and the same data as the
 * oracle computed from the subgraphs' data (key order aside). Prints one JSON line.
 */
const url = String(process.env.LOAD_URL);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 50);
const duration = Number(process.env.LOAD_SECONDS ?? 20);

const expected = expectedResponse();
const good = new Set<string>();
let firstBad: string | undefined;

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function verifyBody(raw: string | Buffer | undefined): boolean {
  const body = String(raw ?? '');
  if (good.has(body)) return true;
  let ok = false;
  try {
    ok = !body.includes('"errors"') && same(JSON.parse(body), expected);
  } catch {}
  if (ok && good.size < 64) good.add(body);
  if (!ok) firstBad ??= body.slice(0, 600);
  return ok;
}

const latencies: number[] = [];
const instance = autocannon(
  {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY, operationName: 'TestQuery' }),
    connections,
    duration,
    timeout: 30,
    verifyBody,
  },
  (error, result) => {
    if (error) throw error;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
    const failures = result.errors + result.timeouts + result.non2xx + result.mismatches;
    process.stdout.write(
      `${JSON.stringify({
        requests: latencies.length,
        rps: latencies.length / (result.duration || duration),
        p50: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
        failures,
        detail: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches },
        firstBad,
      })}\n`,
    );
  },
);
instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
  latencies.push(ms);
});
