import { createWriteStream, openAsBlob, readFileSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gql, startStack, stlCube, uploadFile, uploadFileFromDisk } from '@fabline/dev';

// `npm run bench:upload`: one 500 MB binary STL through the gateway and the shop into the storage
// folder, beside a plain copy of the same bytes into the same folder, with the peak RSS growth of
// the gateway and shop processes sampled from /proc while the upload runs. Figures, not assertions.
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MB = 1024 * 1024;

/** A binary STL of about `mb` MB: an 80-byte header, a triangle count, 50 bytes per triangle. */
async function writeStl(path: string, mb: number) {
  const triangles = Math.floor((mb * MB - 84) / 50);
  const header = Buffer.alloc(84);
  header.write('fabline upload bench');
  header.writeUInt32LE(triangles, 80);
  const perChunk = 20_000;
  const chunk = Buffer.alloc(perChunk * 50);
  for (let i = 0; i < perChunk; i++) for (let f = 0; f < 12; f++) chunk.writeFloatLE((i * 12 + f) % 97, i * 50 + f * 4);
  async function* body() {
    yield header;
    for (let left = triangles; left > 0; left -= perChunk) yield left >= perChunk ? chunk : chunk.subarray(0, left * 50);
  }
  await pipeline(body(), createWriteStream(path));
  return 84 + triangles * 50;
}

/** CPU seconds (user + system) a process has used so far. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** Samples each process's RSS every 25 ms until stopped; reports the peak above the first sample. */
function sampleRss(pids: Record<string, number>) {
  const base = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssKb(pid)]));
  const peak = { ...base };
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name] ?? 0, rssKb(pid));
  }, 25);
  return () => {
    clearInterval(timer);
    return Object.fromEntries(
      Object.keys(pids).map((name) => [name, { baseMb: (base[name] ?? 0) / 1024, growthMb: ((peak[name] ?? 0) - (base[name] ?? 0)) / 1024 }]),
    );
  };
}

const stack = await startStack({ env: { LOG_LEVEL: 'warn', MAX_UPLOAD_BYTES: String((SIZE_MB + 10) * MB), ANALYSIS_MAX_BYTES: String(64 * MB) } });
try {
  const dataDir = stack.env.DATA_DIR as string;
  const benchDir = join(dataDir, 'bench');
  await mkdir(benchDir, { recursive: true });
  const input = join(benchDir, 'input.stl');
  const bytes = await writeStl(input, SIZE_MB);

  const pids = { gateway: stack.processes.get('gateway')?.pid as number, shop: stack.processes.get('shop')?.pid as number };
  const mb = bytes / MB;
  const lines = [
    `upload of ${mb.toFixed(0)} MB (binary STL) through the gateway to the shop's local storage, ${ROUNDS} rounds (client: node:http streaming the file from disk)`,
  ];
  const rounds: { baseline: number; upload: number; rss: ReturnType<ReturnType<typeof sampleRss>> }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // baseline: the same bytes from the same file straight into the storage folder
    let started = performance.now();
    await pipeline((await openAsBlob(input)).stream(), createWriteStream(join(dataDir, 'baseline.bin')));
    const baselineSeconds = (performance.now() - started) / 1000;
    await rm(join(dataDir, 'baseline.bin'));

    // a customer per round, so no round is answered by deduplication
    const { signUp } = await gql(stack.urls.gateway, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email: `bench${Date.now()}r${round}@example.com`, password: 'correct horse battery', name: 'Bench Customer' },
    });
    // one small upload first, so the figure is the steady stream and not the first query plan and JIT warm-up
    await uploadFile(
      stack.urls.gateway,
      'mutation($file: Upload!) { uploadModel(file: $file) { id } }',
      { name: 'warm.stl', bytes: stlCube(10 + round) },
      { token: signUp.token },
    );
    const cpuBefore = { gateway: cpuSeconds(pids.gateway), shop: cpuSeconds(pids.shop) };
    const stop = sampleRss(pids);
    started = performance.now();
    const result = await uploadFileFromDisk(
      stack.urls.gateway,
      'mutation($file: Upload!) { uploadModel(file: $file) { id sizeBytes format sha256 } }',
      { name: 'bench.stl', path: input },
      { token: signUp.token },
    );
    const uploadSeconds = (performance.now() - started) / 1000;
    const rss = stop();
    const cpu = { gateway: cpuSeconds(pids.gateway) - cpuBefore.gateway, shop: cpuSeconds(pids.shop) - cpuBefore.shop };
    if (result.errors || result.data?.uploadModel.sizeBytes !== bytes) throw new Error(`upload failed: ${JSON.stringify(result.errors ?? result.data)}`);
    const stored = await stat(join(dataDir, 'models', result.data.uploadModel.sha256.slice(0, 2))).catch(() => null);
    if (!stored) throw new Error('the upload is not in the storage folder');
    await rm(join(dataDir, 'models'), { recursive: true, force: true });

    const baseline = mb / baselineSeconds;
    const upload = mb / uploadSeconds;
    rounds.push({ baseline, upload, rss });
    lines.push(
      `round ${round}`,
      `  baseline, copy into the storage folder : ${baseline.toFixed(1)} MB/s (${baselineSeconds.toFixed(2)} s)`,
      `  uploadModel through the gateway        : ${upload.toFixed(1)} MB/s (${uploadSeconds.toFixed(2)} s), ${((upload / baseline) * 100).toFixed(0)}% of this round's baseline`,
      ...Object.entries(rss).map(([name, r]) => `  peak RSS growth, ${name.padEnd(7)}           : ${r.growthMb.toFixed(1)} MB above ${r.baseMb.toFixed(0)} MB`),
      `  CPU during the upload                  : gateway ${cpu.gateway.toFixed(2)} s, shop ${cpu.shop.toFixed(2)} s`,
    );
  }
  const best = (pick: (r: (typeof rounds)[number]) => number) => Math.max(...rounds.map(pick));
  lines.push(
    'summary (best round of each, measured interleaved on the same machine)',
    `  throughput: upload ${best((r) => r.upload).toFixed(1)} MB/s vs baseline ${best((r) => r.baseline).toFixed(1)} MB/s = ${((best((r) => r.upload) / best((r) => r.baseline)) * 100).toFixed(0)}% (target ≥ 50%)`,
    `  peak RSS growth (worst round): gateway ${best((r) => r.rss.gateway?.growthMb ?? 0).toFixed(1)} MB, shop ${best((r) => r.rss.shop?.growthMb ?? 0).toFixed(1)} MB (target < 64 MB each)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  await rm(benchDir, { recursive: true, force: true });
} finally {
  await stack.stop();
  await rm(stack.env.DATA_DIR as string, { recursive: true, force: true });
}
