import type { RequestHandler } from 'express';
import { getOperationAST, parse } from 'graphql';

/** Parsed only when the text could hold one; Apollo's own parser refuses longer documents first. */
const MAX_TOKENS = 50_000;

/** Whether the operation a request selects is a subscription (false when it does not parse: Apollo answers that). */
function selectsSubscription(query: unknown, operationName: unknown) {
  if (typeof query !== 'string' || !query.includes('subscription')) return false;
  try {
    const document = parse(query, { maxTokens: MAX_TOKENS, noLocation: true });
    return getOperationAST(document, typeof operationName === 'string' ? operationName : undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

const MESSAGE =
  'Subscriptions are served over a WebSocket (graphql-transport-ws) or as Server-Sent Events (POST with Accept: text/event-stream), not as a plain HTTP request';

/**
 * A subscription that reaches the HTTP handler (not upgraded to a WebSocket, not asking for
 * `text/event-stream`) has no transport to stream on. Apollo Server with @apollo/gateway answers
 * it with a 500: the gateway's executor throws "Execution of subscriptions not supported", and
 * graphql-js's SingleFieldSubscriptionsRule throws out of validation when a root field has
 * `@skip(if: $var)`. It is the client's mistake: a 400 naming the transports, before Apollo.
 */
export const refuseHttpSubscriptions: RequestHandler = (req, res, next) => {
  const source = req.method === 'GET' ? req.query : req.body;
  const items: unknown[] = Array.isArray(source) ? source : [source];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const { query, operationName } = item as { query?: unknown; operationName?: unknown };
    if (!selectsSubscription(query, operationName)) continue;
    res.status(400).json({ errors: [{ message: MESSAGE, extensions: { code: 'BAD_USER_INPUT' } }] });
    return;
  }
  next();
};
