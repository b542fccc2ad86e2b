import type { RequestHandler } from 'express';
import { type DocumentNode, type FragmentDefinitionNode, getOperationAST, Kind, type OperationDefinitionNode, parse, type SelectionSetNode } from 'graphql';

/** Parsed only when the text could hold one; Apollo's own parser refuses longer documents first. */
const MAX_TOKENS = 50_000;

const TRANSPORTS =
  'Subscriptions are served over a WebSocket (graphql-transport-ws) or as Server-Sent Events (POST with Accept: text/event-stream), not as a plain HTTP request';
const VARIABLE_SKIP = "A subscription's root fields may not be skipped or included on a variable (@skip/@include(if: $variable)); use a literal";

/** Whether a root selection of the subscription (through its fragments) has @skip or @include on a variable. */
function skipsRootOnVariable(document: DocumentNode, operation: OperationDefinitionNode) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const seen = new Set<string>();
  const pending: SelectionSetNode[] = [operation.selectionSet];
  while (pending.length) {
    for (const selection of (pending.pop() as SelectionSetNode).selections) {
      const onVariable = selection.directives?.some(
        (directive) =>
          (directive.name.value === 'skip' || directive.name.value === 'include') && directive.arguments?.some((arg) => arg.value.kind === Kind.VARIABLE),
      );
      if (onVariable) return true;
      if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      if (selection.kind !== Kind.FRAGMENT_SPREAD || seen.has(selection.name.value)) continue;
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) pending.push(fragment.selectionSet);
    }
  }
  return false;
}

/** Why a plain HTTP request carrying this document cannot be served, or null (also when it does not parse: Apollo answers that). */
function subscriptionProblem(query: unknown, operationName: unknown): string | null {
  if (typeof query !== 'string' || !query.includes('subscription')) return null;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS, noLocation: true });
  } catch {
    return null;
  }
  if (getOperationAST(document, typeof operationName === 'string' ? operationName : undefined)?.operation === 'subscription') return TRANSPORTS;
  return variableSkipProblem(document);
}

/**
 * graphql-js's SingleFieldSubscriptionsRule throws out of validation (no error list, no code) when a
 * subscription's root field has `@skip`/`@include` on a variable, for every operation of the
 * document: every transport (HTTP, WebSocket, SSE) asks this first and refuses with BAD_USER_INPUT.
 */
export function variableSkipProblem(document: DocumentNode): string | null {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription' && skipsRootOnVariable(document, definition))
      return VARIABLE_SKIP;
  }
  return null;
}

/**
 * A subscription that reaches the HTTP handler (not upgraded to a WebSocket, not asking for
 * `text/event-stream`) has no transport to stream on. Apollo Server with @apollo/gateway answers
 * it with a 500: the gateway's executor throws "Execution of subscriptions not supported", and
 * graphql-js's SingleFieldSubscriptionsRule throws out of validation when a subscription's root
 * field has `@skip(if: $var)`, whichever operation the request selects. Both are the client's
 * mistakes: a 400 saying what to do instead, before Apollo.
 */
export const refuseHttpSubscriptions: RequestHandler = (req, res, next) => {
  const source = req.method === 'GET' ? req.query : req.body;
  const items: unknown[] = Array.isArray(source) ? source : [source];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const { query, operationName } = item as { query?: unknown; operationName?: unknown };
    const problem = subscriptionProblem(query, operationName);
    if (!problem) continue;
    res.status(400).json({ errors: [{ message: problem, extensions: { code: 'BAD_USER_INPUT' } }] });
    return;
  }
  next();
};
