import { describe, expect, it } from 'vitest';
import { concat, flipWinding, torus, translate } from './synthetic.ts';
import { analyzeTopology } from './topology.ts';
import type { TriangleSoup } from './types.ts';
import { weldVertices } from './weld.ts';

/** Deterministic xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function soupOf(positions: Float32Array): TriangleSoup {
  return { positions, triangleCount: positions.length / 9 };
}

/** Triangles in random order: repeats of a vertex end up far apart, past the weld's recent-vertex cache. */
function shuffleTriangles(t: Float32Array, seed: number): Float32Array {
  const n = t.length / 9;
  const order = Array.from({ length: n }, (_, i) => i);
  const rnd = rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Float32Array(t.length);
  order.forEach((k, i) => {
    out.set(t.subarray(k * 9, k * 9 + 9), i * 9);
  });
  return out;
}

/** The weld's contract in its plainest form: ids in first-seen order of the exact float32 bits, -0 == +0. */
function referenceWeld(p: Float32Array): { ids: Int32Array; vertexCount: number } {
  const seen = new Map<string, number>();
  const ids = new Int32Array(p.length / 3);
  for (let i = 0; i < p.length; i += 3) {
    const key = `${p[i]! + 0},${p[i + 1]! + 0},${p[i + 2]! + 0}`;
    let id = seen.get(key);
    if (id === undefined) {
      id = seen.size;
      seen.set(key, id);
    }
    ids[i / 3] = id;
  }
  return { ids, vertexCount: seen.size };
}

function expectSameAsReference(p: Float32Array): void {
  const ref = referenceWeld(p);
  const w = weldVertices(soupOf(p));
  expect(w.vertexCount).toBe(ref.vertexCount);
  expect(w.ids.length).toBe(ref.ids.length);
  expect(w.ids.findIndex((id, i) => id !== ref.ids[i])).toBe(-1);
}

// 160 000 triangles, 80 000 vertices: more than the recent-vertex cache holds
const bigTorus = (): Float32Array => torus(40, 10, 400, 200);

describe('weldVertices', () => {
  it('matches a plain reference weld when vertices come back long after first use', () => {
    const rnd = rng(7);
    // 200k distinct points give a few pairs with equal 32-bit hashes (6 with this seed)
    const pool = Float32Array.from({ length: 200_000 * 3 }, () => (rnd() - 0.5) * 1000);
    // -0 and +0 are one coordinate
    for (let i = 0; i < 1000; i++) pool[i * 3] = i % 2 === 0 ? -0 : 0;
    const tris = new Float32Array(150_000 * 9);
    for (let c = 0; c < 450_000; c++) {
      const v = Math.floor(rnd() * 200_000);
      tris[c * 3] = pool[v * 3]!;
      tris[c * 3 + 1] = pool[v * 3 + 1]!;
      tris[c * 3 + 2] = pool[v * 3 + 2]!;
    }
    expectSameAsReference(tris);
  });

  it('matches the reference on a shuffled closed mesh and on a soup of unshared triangles', () => {
    expectSameAsReference(shuffleTriangles(bigTorus(), 3));
    const rnd = rng(11);
    expectSameAsReference(Float32Array.from({ length: 50_000 * 9 }, () => rnd() * 100));
  });
});

describe('analyzeTopology on meshes larger than the weld cache, in random triangle order', () => {
  it('closed torus: one shell, watertight, manifold, consistent', () => {
    const t = analyzeTopology(soupOf(shuffleTriangles(bigTorus(), 5)));
    expect(t).toEqual({
      vertexCount: 80_000,
      shells: 1,
      watertight: true,
      manifold: true,
      consistentWinding: true,
      boundaryEdges: 0,
      nonManifoldHalfEdges: 0,
    });
  });

  it('two tori: two shells', () => {
    const two = concat(bigTorus(), translate(bigTorus(), 200, 0, 0));
    const t = analyzeTopology(soupOf(shuffleTriangles(two, 6)));
    expect(t.shells).toBe(2);
    expect(t.vertexCount).toBe(160_000);
    expect(t.watertight).toBe(true);
  });

  it('one flipped triangle: watertight but not consistently wound', () => {
    const t = analyzeTopology(soupOf(shuffleTriangles(flipWinding(bigTorus(), 12_345), 8)));
    expect(t.watertight).toBe(true);
    expect(t.consistentWinding).toBe(false);
  });

  it('one triangle removed: open, three boundary edges', () => {
    const open = bigTorus().slice(9);
    const t = analyzeTopology(soupOf(shuffleTriangles(open, 9)));
    expect(t.watertight).toBe(false);
    expect(t.boundaryEdges).toBe(3);
    expect(t.manifold).toBe(true);
    expect(t.consistentWinding).toBe(true);
  });

  it('an edge shared by three faces is non-manifold', () => {
    const base = bigTorus();
    // a fin on the edge of triangle 0 between its first two corners
    const fin = new Float32Array([base[3]!, base[4]!, base[5]!, base[0]!, base[1]!, base[2]!, 0, 0, 500]);
    const t = analyzeTopology(soupOf(shuffleTriangles(concat(base, fin), 10)));
    expect(t.manifold).toBe(false);
    expect(t.watertight).toBe(false);
    expect(t.nonManifoldHalfEdges).toBeGreaterThan(0);
    expect(t.shells).toBe(1);
  });
});
