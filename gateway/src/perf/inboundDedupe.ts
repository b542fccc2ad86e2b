import { type ApolloServerPlugin, type GraphQLRequestContext, HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { viewerKey } from './token.ts';

type Context = { viewer: { id: string; role: string } | null };

interface Execution {
  result: Promise<FormattedExecutionResult | undefined>;
  /** The change clock when it started: a request that arrives after a change never joins it. */
  clock: number;
}

/**
 * GATEWAY_INBOUND_DEDUPE (on by default): a query that arrives while an identical one (same
 * document, operation, variables and viewer) is being executed waits for that one's result
 * instead of running again. Nothing outlives the request: it shares an answer, it caches none.
 * It is what Hive Gateway's `inboundInflightRequestDeduplication` does. Every request is still
 * admitted and charged on its own (traffic control runs before this), and a request never joins
 * an execution that started before a change it could have seen: any mutation through this
 * gateway and every order status or quote event the response cache hears advance a clock that
 * a joining request must find unchanged.
 */
export function inboundDedupePlugin<C extends Context>(): ApolloServerPlugin<C> & { noteChange(): void } {
  const inFlight = new Map<string, Execution>();
  let clock = 0;
  const noteChange = () => {
    clock++;
  };
  return {
    noteChange,
    async requestDidStart() {
      let key: string | undefined;
      let share: ((result: FormattedExecutionResult | undefined) => void) | undefined;
      let mutation = false;
      let mine: Execution | undefined;
      return {
        async didResolveOperation({ operation }) {
          mutation = operation?.operation === 'mutation';
          if (mutation) noteChange();
        },
        async responseForOperation(context: GraphQLRequestContext<C>) {
          if (context.operation?.operation !== 'query') return null;
          const candidate = `${viewerKey(context.contextValue.viewer)}\n${context.operationName ?? ''}\n${context.queryHash}\n${JSON.stringify(context.request.variables ?? {})}`;
          const pending = inFlight.get(candidate);
          if (pending && pending.clock === clock) {
            const shared = await pending.result;
            if (!shared) return null;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: sharedPart(shared) } };
          }
          key = candidate;
          mine = { result: new Promise((resolve) => (share = resolve)), clock };
          inFlight.set(key, mine);
          return null;
        },
        async willSendResponse({ response }) {
          if (mutation) noteChange();
          if (!key) return;
          if (inFlight.get(key) === mine) inFlight.delete(key);
          share?.(response.body.kind === 'single' ? response.body.singleResult : undefined);
        },
      };
    },
  };
}

/** Extensions a plugin adds for one request only (traffic/plugin.ts's cost report): each request adds its own. */
const PER_REQUEST_EXTENSIONS = new Set(['cost']);

/**
 * What a joining request gets of a shared answer: data, errors and the execution's own extensions
 * (@apollo/gateway's `valueCompletion`, the nulls it propagated); a plain @apollo/gateway answers
 * the second request with them too (differential.e2e.ts).
 */
function sharedPart({ data, errors, extensions }: FormattedExecutionResult): FormattedExecutionResult {
  const kept = extensions ? Object.entries(extensions).filter(([name]) => !PER_REQUEST_EXTENSIONS.has(name)) : [];
  return { data, ...(errors ? { errors } : {}), ...(kept.length ? { extensions: Object.fromEntries(kept) } : {}) };
}

const serialized = new WeakMap<object, string>();

/**
 * Apollo Server's `stringifyResult`: the answers shared by inboundDedupePlugin are the same
 * object, so the ~80 kB JSON of a shared answer is produced once, not once per waiting request.
 */
export function stringifyResult(value: FormattedExecutionResult): string {
  if (value.errors || value.extensions || !value.data) return JSON.stringify(value);
  let text = serialized.get(value.data);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialized.set(value.data, text);
  } else if (!encoded.some((e) => e.text === text)) {
    // asked a second time: the answer is shared, so its bytes are worth keeping too
    encoded.push({ text, bytes: Buffer.from(text) });
    if (encoded.length > ENCODED_KEPT) encoded.shift();
  }
  return text;
}

/** UTF-8 bytes of the last few shared answers (see sharedBytes). */
const encoded: { text: string; bytes: Buffer }[] = [];
const ENCODED_KEPT = 4;

/**
 * The bytes of a shared answer's text, when it is one: express would encode the same ~80 kB text
 * again for every request that shares it (6 % of the gateway's CPU in bench:federation). A text
 * that is not shared comes back as it is. Shared answers are the same string object, so the
 * comparison is by reference in the common case.
 */
export function sharedBytes(text: string): string | Buffer {
  for (const e of encoded) if (e.text === text) return e.bytes;
  return text;
}
