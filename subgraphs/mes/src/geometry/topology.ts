import { scratchI32 } from './scratch.ts';
import type { TriangleSoup } from './types.ts';

export interface Welded {
  /** Welded vertex id of each corner (3 per triangle); pooled scratch, valid until the next analysis. */
  ids: Int32Array;
  vertexCount: number;
}

export interface Topology {
  vertexCount: number;
  shells: number;
  watertight: boolean;
  manifold: boolean;
  consistentWinding: boolean;
  /** Edges used by exactly one face. */
  boundaryEdges: number;
  /** Half-edges lying on an edge used by more than two faces (or collapsed). */
  nonManifoldHalfEdges: number;
}

const NEG_ZERO = -2147483648; // bit pattern of -0.0f as int32

function nextPow2(n: number): number {
  let p = 64;
  while (p < n) p *= 2;
  return p;
}

const CACHE_SLOTS = 65536;
const ID_BITS = 26; // 2^26 > 3 * DEFAULT_MAX_TRIANGLES corners
const ID_MASK = (1 << ID_BITS) - 1;

function hash3(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca77) ^ Math.imul(z ^ (z >>> 13), 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

/**
 * Welds corners whose float32 coordinates are exactly equal (+0 == -0).
 *
 * At 10^7 triangles any global table is far larger than the caches, so what
 * matters is how many bytes each probe drags in. The open-addressing table
 * (linear probing) holds one int32 per slot: id+1 in the low 26 bits and 6
 * hash bits above, so a probe into an occupied slot of another vertex almost
 * never has to look at coordinates. The coordinates live in `verts`, written
 * in first-seen order, which a mesh revisits while they are still cached.
 * A direct-mapped cache (1 MB, L2-sized) in front answers most repeats of a
 * vertex in nearby triangles without touching the table at all.
 */
export function weldVertices(soup: TriangleSoup): Welded {
  const n = soup.triangleCount * 3;
  const bits = new Int32Array(soup.positions.buffer, soup.positions.byteOffset, n * 3);
  const ids = scratchI32('weld.ids', n);
  // closed meshes have ~triangles/2 vertices: load <= 0.5 for them
  let cap = nextPow2(soup.triangleCount);
  let mask = cap - 1;
  let table = scratchI32('weld.table', cap, true);
  let limit = cap >> 1;
  let verts = scratchI32('weld.verts', (limit + 1) * 3);
  let count = 0;
  const cache = scratchI32('weld.cache', CACHE_SLOTS * 4, true);
  for (let i = 0; i < n; i++) {
    let x = bits[i * 3]!;
    let y = bits[i * 3 + 1]!;
    let z = bits[i * 3 + 2]!;
    if (x === NEG_ZERO) x = 0;
    if (y === NEG_ZERO) y = 0;
    if (z === NEG_ZERO) z = 0;
    const h = hash3(x, y, z);
    const co = (h & (CACHE_SLOTS - 1)) << 2;
    if (cache[co + 3] !== 0 && cache[co] === x && cache[co + 1] === y && cache[co + 2] === z) {
      ids[i] = cache[co + 3]! - 1;
      continue;
    }
    const tag = (h >>> ID_BITS) << ID_BITS;
    let s = h & mask;
    let id: number;
    for (;;) {
      const e = table[s]!;
      if (e === 0) {
        if (count * 3 >= verts.length) verts = grow(verts, count * 6);
        verts[count * 3] = x;
        verts[count * 3 + 1] = y;
        verts[count * 3 + 2] = z;
        id = ++count;
        table[s] = tag | id;
        if (count > limit) {
          cap *= 2;
          mask = cap - 1;
          limit = cap >> 1;
          table = rehash(verts, count, cap);
        }
        break;
      }
      if ((e & ~ID_MASK) === tag) {
        const v = ((e & ID_MASK) - 1) * 3;
        if (verts[v] === x && verts[v + 1] === y && verts[v + 2] === z) {
          id = e & ID_MASK;
          break;
        }
      }
      s = (s + 1) & mask;
    }
    ids[i] = id - 1;
    cache[co] = x;
    cache[co + 1] = y;
    cache[co + 2] = z;
    cache[co + 3] = id;
  }
  return { ids, vertexCount: count };
}

function grow(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

/** A fresh table of `cap` slots holding vertices 1..count (only meshes with more vertices than triangles/2 get here). */
function rehash(verts: Int32Array, count: number, cap: number): Int32Array<ArrayBuffer> {
  const table = new Int32Array(cap);
  const mask = cap - 1;
  for (let id = 1; id <= count; id++) {
    const v = (id - 1) * 3;
    const h = hash3(verts[v]!, verts[v + 1]!, verts[v + 2]!);
    let s = h & mask;
    while (table[s] !== 0) s = (s + 1) & mask;
    table[s] = ((h >>> ID_BITS) << ID_BITS) | id;
  }
  return table;
}

function find(parent: Int32Array, v: number): number {
  let x = v;
  while (parent[x] !== x) {
    const g = parent[parent[x]!]!;
    parent[x] = g;
    x = g;
  }
  return x;
}

/**
 * Builds the corner table (per vertex: next and previous corner vertex of each
 * incident triangle, CSR layout) and counts shells (union-find, path halving)
 * in the same pass over the triangles.
 */
function buildCorners(w: Welded): { start: Int32Array; nxt: Int32Array; prv: Int32Array; shells: number } {
  const V = w.vertexCount;
  const ids = w.ids;
  const n = ids.length;
  const start = scratchI32('topo.start', V + 1, true);
  for (let i = 0; i < n; i++) start[ids[i]! + 1]!++;
  for (let v = 0; v < V; v++) start[v + 1]! += start[v]!;
  const fill = scratchI32('topo.fill', V);
  fill.set(start.subarray(0, V));
  const nxt = scratchI32('topo.nxt', n);
  const prv = scratchI32('topo.prv', n);
  const parent = scratchI32('topo.parent', V);
  for (let i = 0; i < V; i++) parent[i] = i;
  for (let i = 0; i < n; i += 3) {
    const a = ids[i]!;
    const b = ids[i + 1]!;
    const c = ids[i + 2]!;
    let k = fill[a]!++;
    nxt[k] = b;
    prv[k] = c;
    k = fill[b]!++;
    nxt[k] = c;
    prv[k] = a;
    k = fill[c]!++;
    nxt[k] = a;
    prv[k] = b;
    const ra = find(parent, a);
    const rb = find(parent, b);
    let r = ra;
    if (ra !== rb) {
      if (ra < rb) parent[rb] = ra;
      else {
        parent[ra] = rb;
        r = rb;
      }
    }
    const rc = find(parent, c);
    if (rc !== r) {
      if (rc < r) parent[r] = rc;
      else parent[rc] = r;
    }
  }
  let shells = 0;
  for (let i = 0; i < V; i++) if (parent[i] === i) shells++;
  return { start, nxt, prv, shells };
}

/**
 * Fast exact check for the common case. At every vertex v the out-neighbours
 * (next corners) must be distinct and equal, as a set, to the in-neighbours
 * (previous corners); that holds for all v iff every edge is used exactly once
 * in each direction (watertight + consistent). While matching, the fan around
 * v is followed: more than one cycle means a non-manifold (pinched) vertex.
 * Returns -1 when the fast condition fails, else the number of pinched vertices.
 */
function closedConsistentCheck(V: number, start: Int32Array, nxt: Int32Array, prv: Int32Array): number {
  const mark = scratchI32('topo.mark', V, true);
  let succ = new Int32Array(64);
  let pinched = 0;
  for (let v = 0; v < V; v++) {
    const s = start[v]!;
    const e = start[v + 1]!;
    const d = e - s;
    if (d > succ.length) succ = new Int32Array(d * 2);
    for (let k = s; k < e; k++) {
      const b = nxt[k]!;
      if (b === v || mark[b] !== 0) return -1;
      mark[b] = k - s + 1;
    }
    for (let j = s; j < e; j++) {
      const p = prv[j]!;
      const k1 = mark[p]!;
      if (k1 === 0) return -1;
      mark[p] = 0;
      succ[j - s] = k1 - 1; // the face across edge (v, p) from corner j
    }
    let cur = 0;
    let steps = 0;
    do {
      cur = succ[cur]!;
      steps++;
    } while (cur !== 0 && steps <= d);
    if (steps !== d) pinched++;
  }
  return pinched;
}

/** General edge analysis: per half-edge a->b, count a->b and b->a. */
function detailedEdges(V: number, start: Int32Array, adj: Int32Array): Omit<Topology, 'shells' | 'vertexCount'> {
  let boundary = 0;
  let nonManifold = 0;
  let inconsistent = 0;
  let notTwo = 0;
  for (let a = 0; a < V; a++) {
    const s = start[a]!;
    const e = start[a + 1]!;
    for (let i = s; i < e; i++) {
      const b = adj[i]!;
      if (b === a) {
        nonManifold++;
        notTwo++;
        continue;
      }
      let fwd = 0;
      for (let j = s; j < e; j++) if (adj[j] === b) fwd++;
      let rev = 0;
      const e2 = start[b + 1]!;
      for (let j = start[b]!; j < e2; j++) if (adj[j] === a) rev++;
      const total = fwd + rev;
      if (total !== 2) {
        notTwo++;
        if (total === 1) boundary++;
        else if (total > 2) nonManifold++;
      }
      if (fwd > 1 || rev > 1) inconsistent++;
    }
  }
  return {
    watertight: notTwo === 0,
    manifold: nonManifold === 0,
    consistentWinding: inconsistent === 0,
    boundaryEdges: boundary,
    nonManifoldHalfEdges: nonManifold,
  };
}

/**
 * Watertight / manifold / winding / shells. `manifold` is edge-manifold (no
 * edge in more than two faces, no collapsed face); for closed consistent
 * meshes pinched vertices (two fans meeting at a point) also make it false.
 */
export function analyzeTopology(soup: TriangleSoup): Topology {
  const w = weldVertices(soup);
  const V = w.vertexCount;
  const { start, nxt, prv, shells } = buildCorners(w);
  const pinched = closedConsistentCheck(V, start, nxt, prv);
  if (pinched >= 0) {
    return {
      vertexCount: V,
      shells,
      watertight: true,
      manifold: pinched === 0,
      consistentWinding: true,
      boundaryEdges: 0,
      nonManifoldHalfEdges: 0,
    };
  }
  return { vertexCount: V, shells, ...detailedEdges(V, start, nxt) };
}
