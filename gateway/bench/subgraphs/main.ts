import { createServer, type IncomingMessage } from 'node:http';
import { type DocumentNode, execute, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { buildSchemas, SUBGRAPHS, type SubgraphName } from './schemas.ts';

/**
 * The four benchmark subgraphs in one process on plain node:http, one path each (`/accounts` …),
 * as the original serves its Rust subgraphs. They must never be the bottleneck: documents are
 * parsed and validated once per query string, and since the data never changes, the answer to a
 * request body already seen is sent again from memory (BENCH_SUBGRAPH_MEMO=0 turns that off).
 */
const port = Number(process.env.PORT ?? 0);
const memoize = process.env.BENCH_SUBGRAPH_MEMO !== '0';
const schemas = buildSchemas();
const documents = new Map<string, DocumentNode>();
const answers = new Map<string, Buffer>();

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

async function answer(schema: GraphQLSchema, name: SubgraphName, body: string): Promise<{ status: number; payload: Buffer }> {
  const key = `${name}\n${body}`;
  const hit = memoize ? answers.get(key) : undefined;
  if (hit) return { status: 200, payload: hit };
  const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
  const docKey = `${name}\n${query}`;
  let document = documents.get(docKey);
  if (!document) {
    document = parse(query);
    const errors = validate(schema, document, specifiedRules);
    if (errors.length > 0) return { status: 400, payload: Buffer.from(JSON.stringify({ errors })) };
    documents.set(docKey, document);
  }
  const result = await execute({ schema, document, variableValues: variables, operationName });
  const payload = Buffer.from(JSON.stringify(result));
  if (memoize && !result.errors && answers.size < 10_000) answers.set(key, payload);
  return { status: 200, payload };
}

const server = createServer(async (req, res) => {
  const name = req.url?.slice(1).split('?')[0] as SubgraphName;
  if (req.method === 'GET' && req.url === '/health') return void res.end('OK');
  const schema = schemas[name];
  if (req.method !== 'POST' || !schema) {
    res.writeHead(404).end();
    return;
  }
  try {
    const { status, payload } = await answer(schema, name, await readBody(req));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length }).end(payload);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`${JSON.stringify({ ready: true, port: bound, subgraphs: SUBGRAPHS })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
