import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';

// @apollo/subgraph builds its schema with the CommonJS build of graphql; the test runner would give an
// `import` the ES module build, a second realm whose execute() refuses that schema
const { execute, GraphQLError, parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * Four small Federation 2 subgraphs for the differential test (differential.e2e.ts), chosen for
 * what gateways get wrong: an entity interface with an @interfaceObject extension, a union across
 * subgraphs, @requires with arguments, nested selections and fragments, @provides, @override,
 * @shareable fields and root fields, @inaccessible, entities one subgraph does not know, errors
 * with and without a client code inside another subgraph's entities, and an unavailable subgraph.
 * All four share one process and one mutation sequence, so the order of mutations shows.
 */
const link = (imports: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ${JSON.stringify(imports)})`;

export const sdl = {
  catalog: `${link(['@key', '@shareable', '@inaccessible'])}
type Query {
  products: [Product!]!
  product(upc: ID!): Product
  media: [Media!]!
  search(term: String = "e"): [SearchResult!]!
  hiddenCount: Int @inaccessible
}
interface Media @key(fields: "id") { id: ID! title: String! }
type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
union SearchResult = Book | Movie | Product
union Feature = Book | Movie
type Dimensions @shareable { length: Int! width: Int! }
type Product @key(fields: "upc") {
  upc: ID!
  name: String! @shareable
  price: Int!
  weight: Int!
  dimensions: Dimensions!
  feature: Feature
  inStock: Boolean!
  internalCode: String @inaccessible
}`,
  reviews: `${link(['@key', '@external', '@requires', '@provides', '@shareable'])}
type Query { reviews: [Review!]! review(id: ID!): Review }
type Mutation { addReview(upc: ID!, body: String!): Review! }
type Review @key(fields: "id") {
  id: ID!
  body: String!
  rating: Int!
  seq: Int
  author: User @provides(fields: "name")
  product: Product!
}
type User @key(fields: "id") { id: ID! name: String! @external reviews: [Review!]! }
type Dimensions @shareable { length: Int! width: Int! }
union Feature = Book | Movie
type Book @key(fields: "id", resolvable: false) { id: ID! pages: Int! @external }
type Movie @key(fields: "id", resolvable: false) { id: ID! minutes: Int! @external }
type Product @key(fields: "upc") {
  upc: ID!
  reviews: [Review!]!
  price: Int! @external
  weight: Int! @external
  dimensions: Dimensions! @external
  feature: Feature @external
  shippingEstimate(zone: String!, express: Boolean = false): Int! @requires(fields: "price weight dimensions { length width }")
  bundleLabel(prefix: String = "#"): String @requires(fields: "feature { ... on Book { pages } ... on Movie { minutes } }")
  topReview: Review!
  flaky: String
  outage: String
}`,
  inventory: `${link(['@key', '@shareable', '@override', '@interfaceObject'])}
type Query { stock: [Product!]! }
type Mutation { reserve(upc: ID!, quantity: Int = 1): Reservation! }
type Reservation { upc: ID! quantity: Int! seq: Int! product: Product }
type Warehouse { code: String! city: String }
type Product @key(fields: "upc") {
  upc: ID!
  name: String! @shareable
  inStock: Boolean! @override(from: "catalog")
  warehouse: Warehouse
}
type Media @key(fields: "id") @interfaceObject { id: ID! rating: Float similar: [Media!]! }`,
  accounts: `${link(['@key', '@shareable'])}
type Query { me: User users: [User!]! }
type Mutation { appendLog(entry: String!): LogEntry! }
type LogEntry { seq: Int! entries: [String!]! }
type User @key(fields: "id") { id: ID! name: String! @shareable username: String! email: String! }`,
} as const;

export type SubgraphName = keyof typeof sdl;

type Product = { upc: string; name: string; price: number; weight: number; dimensions: { length: number; width: number }; feature: string | null };
const products: Product[] = [
  { upc: '1', name: 'Table', price: 100, weight: 10, dimensions: { length: 2, width: 3 }, feature: 'b1' },
  { upc: '2', name: 'Chair', price: 50, weight: 5, dimensions: { length: 1, width: 1 }, feature: 'm1' },
  { upc: '3', name: 'Lamp', price: 30, weight: 2, dimensions: { length: 1, width: 2 }, feature: null },
  // only the catalog knows product 4: inventory answers null for it
  { upc: '4', name: 'Ghost', price: 1, weight: 1, dimensions: { length: 1, width: 1 }, feature: 'b2' },
];
const media = [
  { __typename: 'Book', id: 'b1', title: 'Dune', pages: 412 },
  { __typename: 'Movie', id: 'm1', title: 'Alien', minutes: 117 },
  { __typename: 'Book', id: 'b2', title: 'Emma', pages: 300 },
];
const mediaRating: Record<string, { rating: number | null; similar: string[] }> = {
  b1: { rating: 4.5, similar: ['m1'] },
  m1: { rating: 3.9, similar: ['b1', 'b2'] },
  b2: { rating: null, similar: [] },
};
const users = [
  { id: 'u1', name: 'Ada', username: 'ada', email: 'ada@example.com' },
  { id: 'u2', name: 'Bob', username: 'bob', email: null },
];
type Review = { id: string; body: string; rating: number; author: string; upc: string; seq?: number };
const initialReviews: Review[] = [
  { id: 'r1', body: 'Solid', rating: 5, author: 'u1', upc: '1' },
  { id: 'r2', body: 'Wobbly', rating: 2, author: 'u2', upc: '1' },
  { id: 'r3', body: 'Comfy', rating: 4, author: 'u1', upc: '2' },
  // u3 is unknown to accounts
  { id: 'r4', body: 'Dim', rating: 1, author: 'u3', upc: '3' },
];
const warehouses: Record<string, { code: string; city: string | null } | null> = {
  '1': { code: 'W1', city: 'Oslo' },
  '2': { code: 'W2', city: null },
  '3': null,
};

/** What mutations change; `reset()` puts it back, so each gateway sees the same start. */
const state = { seq: 0, reviews: [...initialReviews], log: [] as string[] };
export function reset() {
  state.seq = 0;
  state.reviews = [...initialReviews];
  state.log = [];
}

const productByUpc = (upc: string) => products.find((p) => p.upc === upc) ?? null;
const mediaById = (id: string) => media.find((m) => m.id === id) ?? null;
const notFound = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });

const resolvers = {
  catalog: {
    Query: {
      products: () => products,
      product: (_: unknown, { upc }: { upc: string }) => productByUpc(upc),
      media: () => media,
      search: (_: unknown, { term }: { term: string }) => [
        ...media.filter((m) => m.title.toLowerCase().includes(term)),
        ...products.filter((p) => p.name.toLowerCase().includes(term)),
      ],
      hiddenCount: () => products.length,
    },
    Media: { __resolveReference: ({ id }: { id: string }) => mediaById(id), __resolveType: (m: { __typename: string }) => m.__typename },
    Book: { __resolveReference: ({ id }: { id: string }) => mediaById(id) },
    Movie: { __resolveReference: ({ id }: { id: string }) => mediaById(id) },
    SearchResult: { __resolveType: (v: { __typename?: string }) => v.__typename ?? 'Product' },
    Feature: { __resolveType: (v: { __typename: string }) => v.__typename },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => productByUpc(upc),
      feature: (p: Product) => (p.feature ? mediaById(p.feature) : null),
      // overridden by inventory: never asked for
      inStock: () => false,
      internalCode: (p: Product) => `IC-${p.upc}`,
    },
  },
  reviews: {
    Query: { reviews: () => state.reviews, review: (_: unknown, { id }: { id: string }) => state.reviews.find((r) => r.id === id) ?? null },
    Mutation: {
      addReview: (_: unknown, { upc, body }: { upc: string; body: string }) => {
        const review = { id: `r${state.reviews.length + 1}`, body, rating: 3, author: 'u1', upc, seq: ++state.seq };
        state.reviews.push(review);
        return review;
      },
    },
    Review: {
      __resolveReference: ({ id }: { id: string }) => state.reviews.find((r) => r.id === id) ?? null,
      // the provided name differs from accounts' own, so the answer shows which subgraph gave it
      author: (r: Review) => ({ id: r.author, name: `${users.find((u) => u.id === r.author)?.name ?? 'Unknown'} (from reviews)` }),
      product: (r: Review) => ({ upc: r.upc }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: (u: { id: string }) => state.reviews.filter((r) => r.author === u.id),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ref,
      reviews: (p: { upc: string }) => state.reviews.filter((r) => r.upc === p.upc),
      shippingEstimate: (p: Product, { zone, express }: { zone: string; express: boolean }) => {
        const base = p.price > 60 ? 0 : p.weight * p.dimensions.length * p.dimensions.width;
        return (zone === 'EU' ? base : base * 2) + (express ? 10 : 0);
      },
      bundleLabel: (p: { feature: { pages?: number; minutes?: number } | null }, { prefix }: { prefix: string }) =>
        p.feature ? `${prefix}${p.feature.pages ?? p.feature.minutes}` : null,
      topReview: (p: { upc: string }) => {
        const found = state.reviews.filter((r) => r.upc === p.upc).sort((a, b) => b.rating - a.rating)[0];
        if (!found) throw notFound(`No review of product ${p.upc}`);
        if (found.author === 'u3') throw notFound(`The top review of product ${p.upc} was withdrawn`);
        return found;
      },
      // an unexpected failure, not a client's mistake
      flaky: (p: { upc: string }) => {
        if (p.upc === '2') throw new Error('reviews database timed out');
        return `ok-${p.upc}`;
      },
      outage: () => 'never answered',
    },
  },
  inventory: {
    Query: { stock: () => products.filter((p) => p.upc !== '4') },
    Mutation: { reserve: (_: unknown, { upc, quantity }: { upc: string; quantity: number }) => ({ upc, quantity, seq: ++state.seq, product: { upc } }) },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => (upc === '4' ? null : productByUpc(upc)),
      inStock: (p: { upc: string }) => p.upc !== '2',
      warehouse: (p: { upc: string }) => warehouses[p.upc] ?? null,
    },
    Media: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      rating: (m: { id: string }) => mediaRating[m.id]?.rating ?? null,
      similar: (m: { id: string }) => (mediaRating[m.id]?.similar ?? []).map((id) => ({ id })),
    },
  },
  accounts: {
    Query: { me: () => users[0], users: () => users },
    Mutation: {
      appendLog: (_: unknown, { entry }: { entry: string }) => {
        state.log.push(entry);
        return { seq: ++state.seq, entries: [...state.log] };
      },
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => users.find((u) => u.id === id) ?? null,
      // null for a non-null field: the error and the null travel up from here
      email: (u: { email: string | null }) => u.email,
    },
  },
};

const schemas = Object.fromEntries(
  (Object.keys(sdl) as SubgraphName[]).map((name) => [name, buildSubgraphSchema([{ typeDefs: parse(sdl[name]), resolvers: resolvers[name] as never }])]),
) as Record<SubgraphName, GraphQLSchema>;

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Subgraph calls by subgraph name since the last `reset()` of the counter; fields under a false @include must cause none. */
export const calls: Record<string, string[]> = {};

/**
 * Serves the four subgraphs on one free port (`/catalog`, `/reviews`, …). A reviews query that
 * selects `outage` is answered 503 with a text body, as a subgraph behind a failing proxy is.
 */
export async function startSubgraphs(): Promise<{ server: Server; supergraphSdl: string }> {
  const server = createServer(async (req, res) => {
    const name = req.url?.slice(1) as SubgraphName;
    const schema = schemas[name];
    if (req.method !== 'POST' || !schema) return void res.writeHead(404).end();
    const { query, variables, operationName } = JSON.parse(await readBody(req)) as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    calls[name] = [...(calls[name] ?? []), query];
    if (name === 'reviews' && /\boutage\b/.test(query)) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream down');
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      const result = errors.length ? { errors } : await execute({ schema, document, variableValues: variables, operationName });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      // a fault of this test's own server: loud, never a hung request
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message: `test subgraph failed: ${(error as Error).message}` }] }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const composed = composeServices(
    (Object.keys(sdl) as SubgraphName[]).map((name) => ({ name, url: `http://127.0.0.1:${port}/${name}`, typeDefs: parse(sdl[name]) })),
  );
  if (composed.errors) throw new Error(`the differential test's subgraphs do not compose:\n${composed.errors.map((e) => e.message).join('\n')}`);
  return { server, supergraphSdl: composed.supergraphSdl };
}
