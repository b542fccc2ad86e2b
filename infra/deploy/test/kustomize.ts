import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

// No kustomize binary runs here: this renders the part of kustomize the manifests use (resources,
// namespace, images, JSON 6902 patches with a kind/name target) and refuses anything else, so a
// kustomization that uses more fails here instead of being checked wrongly.

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string> };

interface Kustomization {
  apiVersion: string;
  kind: 'Kustomization';
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { kind: string; name: string }; patch: string }[];
}

const KNOWN = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
/** Kinds without a namespace among those the manifests use. */
const CLUSTER_SCOPED = new Set(['Namespace']);

type Operation = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

function applyOperation(target: Manifest, { op, path, value }: Operation, where: string) {
  const keys = path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent: any = target;
  for (const key of keys) {
    parent = parent?.[key];
    if (parent === undefined) throw new Error(`${where}: ${path} does not exist`);
  }
  if (last === undefined || parent === null || typeof parent !== 'object') throw new Error(`${where}: cannot ${op} ${path}`);
  if (op !== 'add' && !(last in parent)) throw new Error(`${where}: ${op} ${path}, which does not exist`);
  if (Array.isArray(parent) && op === 'add') parent.splice(last === '-' ? parent.length : Number(last), 0, value);
  else if (Array.isArray(parent) && op === 'remove') parent.splice(Number(last), 1);
  else if (op === 'remove') delete parent[last];
  else if (op === 'add' || op === 'replace') parent[last] = value;
  else throw new Error(`${where}: unsupported patch operation ${op}`);
}

/** The objects `kubectl apply -k <dir>` would apply. */
export function renderKustomization(dir: string): Manifest[] {
  const file = join(dir, 'kustomization.yaml');
  const kustomization = parseYaml(readFileSync(file, 'utf8')) as Kustomization;
  const unknown = Object.keys(kustomization).filter((key) => !KNOWN.has(key));
  if (unknown.length) throw new Error(`${file}: this renderer does not support ${unknown.join(', ')}`);
  const objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    if (existsSync(path) && statSync(path).isDirectory()) return renderKustomization(path);
    return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJS() as Manifest);
  });
  for (const { target, patch } of kustomization.patches ?? []) {
    const matches = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name);
    if (matches.length !== 1) throw new Error(`${file}: patch target ${target.kind}/${target.name} matches ${matches.length} objects`);
    for (const operation of parseYaml(patch) as Operation[]) applyOperation(matches[0] as Manifest, operation, `${file} ${target.kind}/${target.name}`);
  }
  for (const object of objects) {
    if (kustomization.namespace && !CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
    for (const container of [...(object.spec?.template?.spec?.containers ?? []), ...(object.spec?.template?.spec?.initContainers ?? [])]) {
      const [name, tag] = String(container.image).split(':');
      const image = kustomization.images?.find((i) => i.name === name);
      if (image) container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
    }
  }
  return objects;
}
