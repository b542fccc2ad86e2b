import { scratchI32 } from './scratch.ts';
import type { TriangleSoup } from './types.ts';
import { type Welded, weldVertices } from './weld.ts';

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
  // start[v] counts up to the end of v's run, then the fill counts it back down to its beginning
  const start = scratchI32('topo.start', V + 1, true);
  for (let i = 0; i < n; i++) start[ids[i]!]!++;
  for (let v = 1; v < V; v++) start[v]! += start[v - 1]!;
  start[V] = n;
  const nxt = scratchI32('topo.nxt', n);
  const prv = scratchI32('topo.prv', n);
  const parent = scratchI32('topo.parent', V);
  for (let i = 0; i < V; i++) parent[i] = i;
  for (let i = 0; i < n; i += 3) {
    const a = ids[i]!;
    const b = ids[i + 1]!;
    const c = ids[i + 2]!;
    let k = --start[a]!;
    nxt[k] = b;
    prv[k] = c;
    k = --start[b]!;
    nxt[k] = c;
    prv[k] = a;
    k = --start[c]!;
    nxt[k] = a;
    prv[k] = b;
    // most triangles join a shell whose root all three corners already point at
    const pa = parent[a]!;
    if (parent[pa] === pa && parent[b] === pa && parent[c] === pa) continue;
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
