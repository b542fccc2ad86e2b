import { assert, ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetchDataRewrite, FetchNode, PlanNode, QueryPlanSelectionNode, ResponsePath, SubscriptionNode } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { GraphQLError, type GraphQLErrorOptions, type GraphQLFormattedError, type GraphQLSchema, isAbstractType, isInterfaceType, isObjectType } from 'graphql';
import { defineOwn, getOwn, hasOwn } from './own.ts';

/**
 * Runs an @apollo/gateway query plan: the same fetches, with the same documents and variables, in
 * the same order, merged by the same rules as `executeQueryPlan` (executeQueryPlan.ts), without the
 * per-node trace objects Studio's traces need (requests that capture traces run on Apollo's own
 * executor). The merged data is what shape.ts reads.
 */

type ResultMap = Record<string, unknown>;

interface Cursor {
  path: ResponsePath;
  data: ResultMap | ResultMap[];
  fullResult: ResultMap;
}

export interface PlanRun {
  /** @apollo/gateway's map of subgraphs (read as it is, not copied per request). */
  services: Record<string, { dataSource: GraphQLDataSource } | undefined>;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  /** `Condition` nodes' values, checked to be booleans before the run. */
  conditions: Record<string, boolean>;
  errors: GraphQLError[];
  tracer: Tracer;
}

export async function runNode(run: PlanRun, node: PlanNode | SubscriptionNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(run, child, cursor)));
      return;
    case 'Flatten':
      return runNode(run, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await executeFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const branch = run.conditions[node.condition] ? node.ifClause : node.elseClause;
      if (branch) await runNode(run, branch, cursor);
      return;
    }
    default:
      // Defer and Subscription plans never reach here (executor.ts leaves them to Apollo)
      throw new Error(`Unexpected plan node ${node.kind}`);
  }
}

export function rootCursor(data: ResultMap): Cursor {
  return { path: [], data, fullResult: data };
}

function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  return run.tracer.startActiveSpan('gateway.fetch', { attributes: { service: fetch.serviceName } }, async (span) => {
    try {
      await fetchInto(run, fetch, cursor);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

async function fetchInto(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = run.services[fetch.serviceName]?.dataSource;
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities: ResultMap[] = Array.isArray(cursor.data) ? cursor.data.filter((entity) => entity !== null && entity !== undefined) : [cursor.data];
  if (entities.length < 1) return;

  const variables: ResultMap = Object.create(null);
  const provided = run.requestContext.request.variables;
  if (fetch.variableUsages && provided) {
    for (const name of fetch.variableUsages) {
      if (hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
    }
  }

  if (!fetch.requires) {
    const received = await sendOperation(run, service, fetch, cursor, variables);
    if (received) applyRewrites(run.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }

  const representations: ResultMap[] = [];
  const representationToEntity: number[] = [];
  for (let index = 0; index < entities.length; index++) {
    // `requires` may name @inaccessible elements: read with the supergraph schema, as subgraphs know them
    const representation = executeSelectionSet(run.supergraphSchema, entities[index] as ResultMap, fetch.requires);
    if (representation?.__typename) {
      applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
      representations.push(representation);
      representationToEntity.push(index);
    }
  }
  if (representations.length < 1) return;
  if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);

  const received = await sendOperation(run, service, fetch, cursor, { ...variables, representations });
  if (!received) return;
  const receivedEntities = received._entities;
  if (!(receivedEntities && Array.isArray(receivedEntities))) throw new Error(`Expected "data._entities" in response to be an array`);
  if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  for (let i = 0; i < receivedEntities.length; i++) {
    const receivedEntity = receivedEntities[i] as ResultMap | null;
    const existing = entities[representationToEntity[i] as number] as ResultMap;
    if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing.__typename;
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, receivedEntity);
    deepMerge(existing, receivedEntity);
  }
}

async function sendOperation(
  run: PlanRun,
  service: GraphQLDataSource,
  fetch: FetchNode,
  cursor: Cursor,
  variables: ResultMap,
): Promise<ResultMap | null | undefined> {
  const { requestContext } = run;
  const response = await service.process({
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported)
    kind: 'incoming operation' as Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>['kind'],
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: requestContext,
    context: requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });
  if (response.errors) {
    const errorPath = lazyErrorPaths(fetch, cursor);
    for (const error of response.errors) run.errors.push(downstreamServiceError(error, fetch.serviceName, errorPath));
    if (!response.extensions?.ftv1) {
      const paths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      const metrics = requestContext.metrics;
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
      else metrics.nonFtv1ErrorPaths = paths;
    }
  }
  return response.data as ResultMap | null | undefined;
}

type ErrorPath = GraphQLErrorOptions['path'];

/** An entity's error path (`_entities`, i, …) as a path in the client's answer, worked out only when an error needs it. */
function lazyErrorPaths(fetch: FetchNode, cursor: Cursor): (path: ErrorPath) => ErrorPath {
  let hydrated: ResponsePath[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        hydratePaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath.slice()] : undefined;
  };
}

function hydratePaths(parent: ResponsePath, path: ResponsePath, data: unknown, result: ResponsePath[]): void {
  const head = path[0];
  if (data == null) return;
  if (head == null) {
    result.push(parent.slice());
  } else if (head === '@') {
    assert(Array.isArray(data), 'expected array when encountering `@`');
    for (const [i, value] of data.entries()) {
      parent.push(i);
      hydratePaths(parent, path.slice(1), value, result);
      parent.pop();
    }
  } else if (typeof head === 'string') {
    if (Array.isArray(data)) {
      for (const [i, value] of data.entries()) {
        parent.push(i);
        hydratePaths(parent, path, value, result);
        parent.pop();
      }
    } else if (hasOwn(data as object, head)) {
      parent.push(head);
      hydratePaths(parent, path.slice(1), (data as ResultMap)[head], result);
      parent.pop();
    }
  } else {
    assert(false, `unknown path part "${head}"`);
  }
}

function downstreamServiceError(original: GraphQLFormattedError, serviceName: string, errorPath: (path: ErrorPath) => ErrorPath): GraphQLError {
  const { extensions } = original;
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options: GraphQLErrorOptions = {
    originalError: original as Error,
    path: errorPath(original.path),
    extensions: { ...extensions, serviceName },
  };
  const codeDef = errorCodeDef(original);
  if (!codeDef && extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

/** An entity's representation: the fields `requires` names, read from what was fetched so far. */
function executeSelectionSet(schema: GraphQLSchema, source: ResultMap | null, selections: QueryPlanSelectionNode[]): ResultMap | null {
  if (source === null) return null;
  // a plain object: its keys are field names and `__typename`, never `__proto__`
  let result: ResultMap = {};
  let empty = true;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      const value = hasOwn(source, responseName) ? source[responseName] : undefined;
      // a missing input: fetching it failed, and the entity cannot be asked for
      if (value === undefined) return null;
      const inner = selection.selections;
      if (Array.isArray(value)) result[responseName] = value.map((item) => (inner ? executeSelectionSet(schema, item, inner) : item));
      else if (inner) result[responseName] = executeSelectionSet(schema, value as ResultMap | null, inner);
      else result[responseName] = value;
      empty = false;
    } else if (selection.typeCondition && isObjectOfType(schema, source, selection.typeCondition)) {
      const part = executeSelectionSet(schema, source, selection.selections);
      // merging a fresh object into an empty one gives that object (the usual `... on T { … }` of a representation)
      if (empty && part) result = part;
      else deepMerge(result, part);
      if (part) empty = false;
    }
  }
  return result;
}

function isMergeable(value: unknown): value is ResultMap {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** @apollo/gateway's deepMerge (utilities/deepMerge.ts): `source` written into `target`, objects and equal-length lists merged element by element. */
function deepMerge(target: ResultMap, source: unknown): ResultMap {
  if (source === undefined || source === null) return target;
  for (const key of Object.keys(source)) {
    const value = (source as ResultMap)[key];
    if (value === undefined) continue;
    defineOwn(target, key);
    const existing = target[key];
    if (existing && isMergeable(value)) {
      deepMerge(existing as ResultMap, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isMergeable(existing[i]) && isMergeable(value[i])) deepMerge(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}

function moveIntoCursor(cursor: Cursor, path: ResponsePath): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, path, 0);
  return data ? { path: cursor.path.concat(path), data: data as ResultMap | ResultMap[], fullResult: cursor.fullResult } : undefined;
}

/** The objects a Flatten path points at, one list for every '@' on the way (executeQueryPlan's flatMap, without a list per level). */
function flattenResultsAtPath(value: unknown, path: ResponsePath, from: number): unknown {
  if (from === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[from];
  if (current === '@') {
    const out: unknown[] = [];
    for (const element of value as unknown[]) {
      const inner = flattenResultsAtPath(element, path, from + 1);
      if (Array.isArray(inner)) for (const item of inner) out.push(item);
      else out.push(inner);
    }
    return out;
  }
  if (typeof current !== 'string') assert(false, () => `Unexpected ${typeof current} found in path`);
  if (Array.isArray(value)) assert(false, () => `Unexpected array in result for path element ${current}`);
  return flattenResultsAtPath(getOwn(value as object, current), path, from + 1);
}

const FRAGMENT_PREFIX = '... on ';

function applyRewrites(schema: GraphQLSchema, rewrites: FetchDataRewrite[] | undefined, value: ResultMap | null): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const parent = rewrite.path.slice(0, -1);
    const last = rewrite.path[rewrite.path.length - 1] as string;
    if (last.startsWith(FRAGMENT_PREFIX)) assert(false, () => `Unexpected fragment as last element of ${rewrite.path}`);
    applyAtPath(schema, parent, value, (object) => {
      if (rewrite.kind === 'ValueSetter') {
        defineOwn(object, last);
        object[last] = rewrite.setValueTo;
      } else {
        const atPath = getOwn(object, last);
        if (atPath) {
          defineOwn(object, rewrite.renameKeyTo);
          object[rewrite.renameKeyTo] = atPath;
          object[last] = undefined;
        }
      }
    });
  }
}

function applyAtPath(schema: GraphQLSchema, path: string[], value: unknown, apply: (object: ResultMap) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) applyAtPath(schema, path, item, apply);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (path.length === 0) {
    apply(value as ResultMap);
    return;
  }
  const [first, ...rest] = path as [string, ...string[]];
  if (first.startsWith(FRAGMENT_PREFIX)) {
    // without a __typename the rewrite still applies
    if (isObjectOfType(schema, value as ResultMap, first.slice(FRAGMENT_PREFIX.length), true)) applyAtPath(schema, rest, value, apply);
  } else {
    applyAtPath(schema, rest, getOwn(value, first), apply);
  }
}

function isObjectOfType(schema: GraphQLSchema, object: ResultMap, typeCondition: string, whenUnknown = false): boolean {
  const typename = object.__typename as string | undefined;
  if (!typename) return whenUnknown;
  if (typeCondition === typename) return true;
  const type = schema.getType(typename);
  if (!type) return false;
  const condition = schema.getType(typeCondition);
  if (!condition) return false;
  if (isAbstractType(condition)) return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
  return false;
}
