import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { PlanNode, QueryPlan, QueryPlanner, SubscriptionNode } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { type PlanRun, rootCursor, runNode } from './runPlan.ts';
import { compileShape, type Shape, shapeResponse } from './shape.ts';

/**
 * GATEWAY_EXECUTOR=fabline (the default): Fabline's executor for @apollo/gateway's query plans.
 * @apollo/gateway still composes, plans and manages the supergraph; per request, its executor also
 * rebuilds the operation's federation-internals objects, hashes the query for its plan cache, and
 * re-reads every field's directives, definition and type while it shapes the answer. Here all of
 * that is done once per operation (`compile`) and kept with the plan; a request runs the plan
 * (runPlan.ts) and applies the compiled shape (shape.ts). The answers are @apollo/gateway's: same
 * fetches, same merges, same data, errors and `valueCompletion` (differential.e2e.ts holds it to
 * that). What it does not compile goes to @apollo/gateway's own executor, untouched: requests that
 * capture Studio traces, introspection (`__schema`, `__type`), `@defer` and subscription plans, and
 * a `@skip`/`@include` variable that is not a boolean (Apollo's assertion answers it).
 */

/** The fields of ApolloGateway 2.14 this reads; `executor.test.ts` fails when an upgrade renames one. */
interface GatewayInternals {
  apiSchema?: Schema;
  schema?: GraphQLSchema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  serviceMap: Record<string, { url?: string; dataSource: GraphQLDataSource }>;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
}

interface Compiled {
  plan: QueryPlan;
  definition: OperationDefinitionNode;
  shape: Shape;
  /** Default values of the variables conditions read. */
  defaults: Record<string, unknown>;
  /** Variables the plan's Condition nodes read. */
  planConditions: string[];
}

/**
 * How many compiled steps (fields and fragments of the kept operations) stay in memory: the oldest
 * operations go first beyond it (@apollo/gateway's own plan cache is an LRU of about 30 MB). An
 * operation is at most MAX_FIELDS_LIMIT (20,000) fields, so many stay however large each is.
 */
const MAX_COMPILED_STEPS = 1_000_000;

/**
 * The span names and tracer of @apollo/gateway's executor, so traces read the same on either path.
 * Asked for on each request, not once at import: a tracer taken before tracing is registered (by
 * this module's copy of @opentelemetry/api) would stay a no-op.
 */
const tracerOf = () => trace.getTracer('apollo/gateway-js');

export function createPlanExecutor(gateway: ApolloGateway, { maxCompiledSteps = MAX_COMPILED_STEPS } = {}): ApolloGateway['executor'] {
  const apollo = gateway.executor;
  const internals = gateway as unknown as GatewayInternals;
  let compiledFor: Schema | undefined;
  let compiled = new Map<string, Compiled | null>();
  let steps = 0;
  const keep = (key: string, entry: Compiled | null) => {
    // two first requests of one operation at once both compile it: the second replaces the first
    if (compiled.has(key)) steps -= compiled.get(key)?.shape.size ?? 1;
    compiled.set(key, entry);
    steps += entry?.shape.size ?? 1;
    for (const [oldest, dropped] of compiled) {
      if (steps <= maxCompiledSteps || oldest === key) break;
      compiled.delete(oldest);
      steps -= dropped?.shape.size ?? 1;
    }
  };

  return async (requestContext) => {
    if (requestContext.metrics?.captureTraces) return apollo(requestContext);
    const apiSchema = internals.apiSchema;
    if (!apiSchema || !internals.schema || !internals.supergraphSchema || !internals.queryPlanner) return apollo(requestContext);
    if (compiledFor !== apiSchema) {
      compiled = new Map();
      steps = 0;
      compiledFor = apiSchema;
    }
    const { request } = requestContext;
    const key = `${request.operationName ?? ''}\n${requestContext.queryHash}`;
    let entry = compiled.get(key);
    if (entry === null) return apollo(requestContext);
    let conditions = entry ? conditionValues(entry, request.variables) : undefined;
    if (conditions === null) return apollo(requestContext);
    const tracer = tracerOf();
    const operationName = requestContext.operationName;
    const attributes = operationName ? { operationName, 'graphql.operation.name': operationName } : {};
    return tracer.startActiveSpan('gateway.request', { attributes }, (span) =>
      within(span, async () => {
        if (!entry) {
          // planned inside the request's span, as @apollo/gateway does on a plan-cache miss
          const made = compile(tracer, internals, apiSchema, requestContext.document, request.operationName, operationName);
          keep(key, made);
          conditions = made && conditionValues(made, request.variables);
          if (!made || !conditions) return apollo(requestContext);
          entry = made;
        }
        span.setAttribute('graphql.operation.type', entry.definition.operation);
        const invalid = validateVariables(tracer, internals.schema as GraphQLSchema, entry.definition, request.variables);
        if (invalid.length > 0) return { errors: invalid };
        const compiledEntry = entry;
        const values = conditions as Record<string, boolean>;
        return tracer.startActiveSpan('gateway.execute', (executeSpan) =>
          within(executeSpan, () => run(tracer, internals, compiledEntry, requestContext, values)),
        );
      }),
    );
  };
}

/** The operation's plan and shape, or null where @apollo/gateway's executor is to answer. */
function compile(
  tracer: Tracer,
  internals: GatewayInternals,
  apiSchema: Schema,
  document: DocumentNode,
  operationName: string | undefined,
  spanName: string | undefined | null,
): Compiled | null {
  let definition: OperationDefinitionNode | undefined;
  let definitions = 0;
  const fragments: FragmentDefinitionNode[] = [];
  for (const node of document.definitions) {
    if (node.kind === Kind.OPERATION_DEFINITION) {
      definitions++;
      if (!operationName || node.name?.value === operationName) definition = node;
    } else if (node.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.push(node);
    }
  }
  // Apollo's executor gives these requests their errors
  if (!definition || (!operationName && definitions > 1) || definition.operation === 'subscription') return null;
  const selected = definition;
  try {
    const plan = tracer.startActiveSpan('gateway.plan', spanName ? { attributes: { 'graphql.operation.name': spanName } } : {}, (span) => {
      try {
        const planned = operationFromDocument(apiSchema, document, { operationName });
        return (internals.queryPlanner as QueryPlanner).buildQueryPlan(planned, {
          recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled,
          nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled,
        });
      } finally {
        span.end();
      }
    });
    const planConditions: string[] = [];
    if (plan.node && !plannable(plan.node, planConditions)) return null;
    // the operation computeResponse shapes with: the selected operation and every fragment, unvalidated
    const operation = operationFromDocument(apiSchema, { kind: Kind.DOCUMENT, definitions: [selected, ...fragments] }, { validate: false });
    const shape = compileShape(operation);
    const defaults: Record<string, unknown> = Object.create(null);
    for (const name of [...planConditions, ...shape.conditionVariables]) defaults[name] = operation.variableDefinitions.definition(name)?.defaultValue;
    return { plan, definition: selected, shape, defaults, planConditions };
  } catch {
    // a shape left to Apollo (NotCompiled), or a plan that cannot be built: Apollo's executor
    // answers the request on its own path, as it would have
    return null;
  }
}

/** Whether every node is one runPlan.ts runs (no @defer, no subscription), collecting the Condition variables. */
function plannable(node: PlanNode | SubscriptionNode, conditions: string[]): boolean {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every((child) => plannable(child, conditions));
    case 'Flatten':
      return plannable(node.node, conditions);
    case 'Fetch':
      return true;
    case 'Condition':
      conditions.push(node.condition);
      return (!node.ifClause || plannable(node.ifClause, conditions)) && (!node.elseClause || plannable(node.elseClause, conditions));
    default:
      return false;
  }
}

const NO_CONDITIONS: Record<string, boolean> = Object.freeze(Object.create(null));

/**
 * The boolean of every variable the plan's conditions and the shape's `@skip`/`@include` read (a
 * value sent, else the default), or null when one is not a boolean: Apollo's executor asserts on
 * it, and answers that request.
 */
function conditionValues(entry: Compiled, variables: Record<string, unknown> | undefined): Record<string, boolean> | null {
  if (entry.planConditions.length === 0 && entry.shape.conditionVariables.size === 0) return NO_CONDITIONS;
  const values: Record<string, boolean> = Object.create(null);
  const read = (name: string) => {
    let value = variables && Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) value = entry.defaults[name];
    if (typeof value !== 'boolean') return false;
    values[name] = value;
    return true;
  };
  for (const name of entry.planConditions) if (!read(name)) return null;
  for (const name of entry.shape.conditionVariables) {
    // shapeResponse reads {...defaults, ...variables}: a null sent is not replaced by the default
    if (variables && Object.hasOwn(variables, name) && typeof variables[name] !== 'boolean') return null;
    if (!read(name)) return null;
  }
  return values;
}

/** @apollo/gateway's validateIncomingRequest: the variables against the operation's definitions. */
function validateVariables(
  tracer: Tracer,
  schema: GraphQLSchema,
  definition: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): readonly GraphQLError[] {
  return tracer.startActiveSpan('gateway.validate', (span) => {
    try {
      if (!definition.variableDefinitions) return [];
      const { errors } = getVariableValues(schema, definition.variableDefinitions, variables || {});
      if (errors) span.setStatus({ code: SpanStatusCode.ERROR });
      return errors ?? [];
    } finally {
      span.end();
    }
  });
}

async function run(
  tracer: Tracer,
  internals: GatewayInternals,
  entry: Compiled,
  requestContext: GatewayGraphQLRequestContext,
  conditions: Record<string, boolean>,
): Promise<GatewayExecutionResult> {
  const planRun: PlanRun = {
    services: internals.serviceMap,
    requestContext,
    supergraphSchema: internals.supergraphSchema as GraphQLSchema,
    conditions,
    errors: [],
    tracer,
  };
  const data: Record<string, unknown> = Object.create(null);
  if (entry.plan.node) await runNode(planRun, entry.plan.node, rootCursor(data));
  const { errors } = planRun;
  return tracer.startActiveSpan('gateway.postprocessing', (post): GatewayExecutionResult => {
    try {
      const shaped = shapeResponse(entry.shape, requestContext.request.variables, data);
      // errors of the shaping pass only reach the answer when the fetches had none, and then as
      // `valueCompletion` (see executeQueryPlan.ts: clients rely on not getting them as errors)
      if (errors.length === 0 && shaped.errors.length > 0) {
        post.setStatus({ code: SpanStatusCode.ERROR });
        return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
      }
      return errors.length === 0 ? { data: shaped.data } : { errors, data: shaped.data };
    } catch (error) {
      post.setStatus({ code: SpanStatusCode.ERROR });
      if (error instanceof GraphQLError) return { errors: [error] };
      if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
      return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
    } finally {
      post.end();
    }
  });
}

/** Runs `work` in `span`: an answer with errors, or a throw, marks the span failed; it ends either way. */
async function within(span: Span, work: () => Promise<GatewayExecutionResult>): Promise<GatewayExecutionResult> {
  try {
    const result = await work();
    if (result.errors) span.setStatus({ code: SpanStatusCode.ERROR });
    return result;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
