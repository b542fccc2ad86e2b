/**
 * Geometry library throughput. Not a test: prints figures, asserts nothing.
 *   node --import tsx bench/geometry.bench.ts [--max 1e6] [--reps 5]
 *   (or GEOMETRY_BENCH_MAX=1e6)
 */
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { canonicalHash } from '../src/geometry/hash.ts';
import { analyzeMesh } from '../src/geometry/index.ts';
import { measureBinaryStl, parseBinaryStl } from '../src/geometry/stl-binary.ts';
import { toBinaryStl, torus } from '../src/geometry/synthetic.ts';
import { analyzeTopology } from '../src/geometry/topology.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const maxTris = Number(arg('max') ?? process.env.GEOMETRY_BENCH_MAX ?? 1e7);
const repsArg = arg('reps');
const sizes = [1e4, 1e5, 1e6, 1e7].filter((n) => n <= maxTris);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time (ms) of `fn`, after one warm-up call. */
function time(n: number, fn: () => unknown): number {
  const reps = repsArg ? Number(repsArg) : n >= 1e7 ? 3 : n >= 1e6 ? 5 : n >= 1e5 ? 15 : 51;
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ts);
}

/** three.js STLLoader + a volume/area pass over its position attribute (same work as (a)). */
function threeParse(loader: STLLoader, ab: ArrayBuffer): number {
  const geo = loader.parse(ab);
  const p = geo.getAttribute('position').array as Float32Array;
  let vol6 = 0;
  let area2 = 0;
  for (let i = 0; i < p.length; i += 9) {
    const ax = p[i]!,
      ay = p[i + 1]!,
      az = p[i + 2]!;
    const ux = p[i + 3]! - ax,
      uy = p[i + 4]! - ay,
      uz = p[i + 5]! - az;
    const vx = p[i + 6]! - ax,
      vy = p[i + 7]! - ay,
      vz = p[i + 8]! - az;
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    vol6 += ax * nx + ay * ny + az * nz;
    area2 += Math.sqrt(nx * nx + ny * ny + nz * nz);
  }
  geo.computeBoundingBox();
  return vol6 / 6 + area2;
}

interface Row {
  label: string;
  ms: number;
}

const fmt = (x: number, d = 0): string => x.toFixed(d).padStart(9);
console.log(`geometry bench: sizes ${sizes.join(', ')} triangles; node ${process.version}; median of reps\n`);
for (const target of sizes) {
  const segV = Math.round(Math.sqrt(target / 4));
  const tris = torus(40, 10, 2 * segV, segV);
  const stl = toBinaryStl(tris, 'solid bench torus (binary with a solid header)');
  const n = tris.length / 9;
  const mb = stl.length / 1e6;
  const src = Buffer.from(stl.buffer, stl.byteOffset, stl.length);
  const dst = Buffer.allocUnsafe(stl.length);
  const soup = parseBinaryStl(stl);
  const loader = new STLLoader();
  const ab = stl.buffer.slice(stl.byteOffset, stl.byteOffset + stl.length) as ArrayBuffer;
  const rows: Row[] = [
    { label: '(d) memcpy Buffer.copy', ms: time(n, () => src.copy(dst)) },
    { label: '(a) parse+vol/area/bbox', ms: time(n, () => measureBinaryStl(stl)) },
    { label: "(a') same + float32 soup", ms: time(n, () => parseBinaryStl(stl)) },
    { label: '(b) watertight (topology)', ms: time(n, () => analyzeTopology(soup)) },
    { label: '(c) canonical hash', ms: time(n, () => canonicalHash(soup)) },
    { label: '(e) three STLLoader+vol', ms: time(n, () => threeParse(loader, ab)) },
    { label: '    analyzeMesh (all)', ms: time(n, () => analyzeMesh(stl)) },
  ];
  const memcpy = rows[0]!.ms;
  const three = rows[5]!.ms;
  console.log(`${n.toLocaleString('en-US')} triangles, ${mb.toFixed(1)} MB binary STL`);
  console.log(`  ${'step'.padEnd(27)}${'ms'.padStart(9)}${'MB/s'.padStart(9)}${'Mtri/s'.padStart(9)}${'vs memcpy'.padStart(11)}${'vs three'.padStart(10)}`);
  for (const r of rows) {
    const rel = (memcpy / r.ms).toFixed(3).padStart(11);
    const vsThree = `${(three / r.ms).toFixed(2)}x`.padStart(10);
    console.log(`  ${r.label.padEnd(27)}${fmt(r.ms, 2)}${fmt(mb / (r.ms / 1000))}${fmt(n / 1e6 / (r.ms / 1000), 1)}${rel}${vsThree}`);
  }
  console.log('  (vs memcpy = speed as a fraction of memcpy; vs three = speed-up over STLLoader+volume)\n');
}
