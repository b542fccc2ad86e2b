import type { ApolloServerPlugin } from '@apollo/server';
import { requestError } from '@fabline/shared/errors';
import type { RequestHandler } from 'express';
import { BREAK, type DocumentNode, type FieldNode, GraphQLError, Kind, parse, type SelectionSetNode, visit } from 'graphql';

/**
 * How deep a request body may nest (its variables two levels below the top). GraphQL inputs
 * nest a handful of levels; JSON.stringify, graphql-js's coercion and every other recursive
 * walk of the variables run out of stack a few thousand levels down.
 */
export const MAX_BODY_DEPTH = 100;

const NUL = '\u0000';
const NUL_MESSAGE = 'String values may not contain the NUL character (U+0000)';

/**
 * What is wrong with a request body or variables value, walked without recursion: nesting deeper
 * than MAX_BODY_DEPTH, or a string holding NUL (which no subgraph database stores).
 */
export function inspectBody(value: unknown): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === 'string') {
      if (item.includes(NUL)) return NUL_MESSAGE;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    // JSON is arrays and plain objects; anything else (a multipart request's Upload) is not walked
    const prototype = Object.getPrototypeOf(item);
    if (!Array.isArray(item) && prototype !== Object.prototype && prototype !== null) continue;
    if (depth >= MAX_BODY_DEPTH) return `The request nests values more than ${MAX_BODY_DEPTH} levels deep`;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return null;
}

/** GET requests carry variables and extensions as JSON text; Apollo parses them, this looks first. */
function inspectQueryString(query: Record<string, unknown>): string | null {
  for (const name of ['variables', 'extensions']) {
    const text = query[name];
    if (typeof text !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue; // Apollo answers that it is not JSON
    }
    const problem = inspectBody(parsed);
    if (problem) return problem;
  }
  return null;
}

/** Tokens the guard parses at most; Apollo's own parser refuses documents over MAX_TOKENS (5,000 by default). */
const GUARD_MAX_TOKENS = 50_000;
/** Query texts whose verdict is remembered: at most this many, of at most this many characters. */
const REMEMBERED_QUERIES = 1000;
const REMEMBERED_QUERY_LENGTH = 8 * 1024;
const verdicts = new Map<string, string | null>();

/**
 * What makes a query text expensive for graphql-js's validation, which Apollo runs before any
 * plugin may refuse a request (a plugin hook that throws before validation is a 500): null when
 * nothing, or when it does not parse (Apollo then answers the syntax error).
 */
export function inspectQuery(query: string): string | null {
  const known = verdicts.get(query);
  if (known !== undefined) return known;
  let verdict: string | null = null;
  try {
    const most = mostRepeatedField(parse(query, { maxTokens: GUARD_MAX_TOKENS, noLocation: true }));
    if (most.count > MAX_FIELD_REPEATS)
      verdict = `The operation selects "${most.name}" ${most.count} times in one place; at most ${MAX_FIELD_REPEATS} are allowed`;
  } catch {}
  if (query.length <= REMEMBERED_QUERY_LENGTH) {
    if (verdicts.size >= REMEMBERED_QUERIES) verdicts.clear();
    verdicts.set(query, verdict);
  }
  return verdict;
}

/** The query texts of a request: a body, a batch of them, or a GET request's `query` parameter. */
function queriesOf(body: unknown): string[] {
  const items = Array.isArray(body) ? body : [body];
  return items.flatMap((item) =>
    item && typeof item === 'object' && typeof (item as { query?: unknown }).query === 'string' ? [(item as { query: string }).query] : [],
  );
}

/**
 * Refuses, with a 400 and a code, request bodies no part of the gateway should walk (BAD_USER_INPUT)
 * and documents that would hold the event loop in validation (MAX_FIELDS_LIMIT): it runs after the
 * body is parsed and before the cache's fast path, traffic control and Apollo.
 */
export const requestBodyGuard: RequestHandler = (req, res, next) => {
  const get = req.method === 'GET';
  const problem = get ? inspectQueryString(req.query as Record<string, unknown>) : inspectBody(req.body);
  if (problem) {
    res.status(400).json({ errors: [{ message: problem, extensions: { code: 'BAD_USER_INPUT' } }] });
    return;
  }
  for (const query of queriesOf(get ? req.query : req.body)) {
    const expensive = inspectQuery(query);
    if (!expensive) continue;
    res.status(400).json({ errors: [{ message: expensive, extensions: { code: 'MAX_FIELDS_LIMIT' } }] });
    return;
  }
  next();
};

/** documentHasNul's answers: Apollo Server hands every request of one query text the same parsed document. */
const nulChecked = new WeakMap<DocumentNode, boolean>();

/**
 * Whether a string literal of the document holds NUL (written `\u0000` in the query text); a
 * document is walked once, not on every request (4 % of the gateway's CPU in bench:federation).
 */
function documentHasNul(document: DocumentNode) {
  const known = nulChecked.get(document);
  if (known !== undefined) return known;
  const found = findNul(document);
  nulChecked.set(document, found);
  return found;
}

function findNul(document: DocumentNode) {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!node.value.includes(NUL)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * How many fields one place of a document may select under one response name (`a: x a: x …`,
 * through inline fragments and the merged selections of same-named fields). graphql-js's
 * OverlappingFieldsCanBeMerged compares every pair of them: 350 such fields in 5,000 tokens hold
 * the event loop for a second. Real operations repeat a name a few times (one per union member).
 */
export const MAX_FIELD_REPEATS = 50;

/**
 * The most fields found under one response name in one place of the document, with its name,
 * counted as execution merges them (inline fragments flattened, same-named fields' selections
 * merged; named fragments measured where they are defined). Each field is looked at once.
 */
export function mostRepeatedField(document: DocumentNode): { name: string; count: number } {
  let most = { name: '', count: 0 };
  const measure = (selectionSets: readonly SelectionSetNode[]) => {
    const groups = new Map<string, FieldNode[]>();
    const pending = [...selectionSets];
    while (pending.length) {
      for (const selection of (pending.pop() as SelectionSetNode).selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
        if (selection.kind !== Kind.FIELD) continue;
        const name = selection.alias?.value ?? selection.name.value;
        const group = groups.get(name);
        if (group) group.push(selection);
        else groups.set(name, [selection]);
      }
    }
    for (const [name, fields] of groups) {
      if (fields.length > most.count) most = { name, count: fields.length };
      const children = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
      if (children.length) measure(children);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) measure([definition.selectionSet]);
  }
  return most;
}

/** Apollo Server's APQ refusals: 400s without a code, which the gateway's error masking would turn into "Internal server error". */
const PERSISTED_QUERY_REFUSALS = new Set(['provided sha does not match query', 'Unsupported persisted query version']);

/**
 * Client mistakes Apollo Server with a gateway answers as server errors, answered as what they are:
 * an operation name that names no operation of the document (the gateway's executor throws, a 500)
 * is 400 OPERATION_RESOLUTION_FAILURE, as Apollo Server answers it without a gateway; a string with
 * NUL is 400 BAD_USER_INPUT; an APQ hash that does not match its query, or an APQ version other than 1
 * (400s without a code, which the gateway's error masking turns into "Internal server error"), get
 * BAD_REQUEST and keep their message.
 */
export function requestChecksPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) {
            const name = request.operationName;
            throw new GraphQLError(name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
            });
          }
          if (documentHasNul(document)) throw requestError('BAD_USER_INPUT', NUL_MESSAGE);
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (PERSISTED_QUERY_REFUSALS.has(error.message) && error.extensions.code === undefined) {
              (error.extensions as Record<string, unknown>).code = 'BAD_REQUEST';
            }
          }
        },
      };
    },
  };
}
