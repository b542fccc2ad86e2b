import {
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLSchema,
  responsePathAsArray,
} from 'graphql';
import { SUBJECT_VARIABLE, type SubscriptionPlan } from './plan.ts';

/** What a federated query answered (errors already masked by the gateway's formatError). */
export interface FederatedResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Runs a query through the gateway (query planner, subgraph fetches) as `viewer` would. */
export type FederatedExecutor = (query: string, variables: Record<string, unknown>) => Promise<FederatedResult>;

/** The event fields the gateway knows without asking a subgraph. */
export interface OrderEventFields {
  id: string;
  orderId: string;
  previousStatus: string | null;
  status: string;
  at: string;
  /** Position in the order event log, on staff feed events (null elsewhere). */
  cursor: string | null;
}

const OWN = Symbol('eventFields');
type EventSource = { [OWN]: true } & Record<string, unknown>;

/**
 * The payload for one event: the federated query answers what comes from subgraphs, then the
 * client's own document is executed over the event and those answers, so aliases, fragments,
 * `__typename` and @include behave exactly as in a query.
 */
export async function resolveEvent(
  schema: GraphQLSchema,
  plan: SubscriptionPlan,
  subjectId: string,
  event: OrderEventFields | null,
  federate: FederatedExecutor,
): Promise<ExecutionResult> {
  const federated: FederatedResult = plan.federatedQuery ? await federate(plan.federatedQuery, { ...plan.variables, [SUBJECT_VARIABLE]: subjectId }) : {};
  const data = federated.data ?? {};
  const errorAt = new Map((federated.errors ?? []).map((e) => [JSON.stringify(e.path ?? []), e]));
  // the event wrapper adds one level to the client's paths; a bare entity payload (quoteReady) does not
  const depth = event ? 1 : 0;
  const fail = (path: (string | number)[]) => {
    const own = path.slice(depth);
    const error = errorAt.get(JSON.stringify(own)) ?? (own.length === 1 ? federated.errors?.[0] : undefined);
    if (error) throw new GraphQLError(error.message, { extensions: error.extensions });
  };
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    const record = source as Record<string, unknown>;
    let value: unknown;
    if (info.parentType === schema.getSubscriptionType()) value = record[info.fieldName];
    else if ((source as EventSource)[OWN]) value = info.fieldName === 'order' ? data[info.path.key as string] : record[info.fieldName];
    else value = record[info.path.key as string];
    if (value == null) fail(responsePathAsArray(info.path));
    return value;
  };
  const root = event ? { [OWN]: true, ...event } : data[plan.responseKey];
  return execute({
    schema,
    document: plan.document,
    operationName: plan.operationName,
    variableValues: plan.variables,
    rootValue: { [plan.field]: root },
    fieldResolver,
  }) as ExecutionResult;
}
