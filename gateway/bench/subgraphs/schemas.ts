import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { AUTHOR_ID, inStock, type Product, products, type Review, reviews, reviewsOfProduct, reviewsOfUser, shippingEstimate, users } from './data.ts';

const link = (imports: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ${JSON.stringify(imports)})`;

/** SDL of each subgraph, the same types and ownership as the original benchmark (Federation 2 syntax). */
export const sdl = {
  accounts: `${link(['@key', '@shareable'])}
type Query { me: User user(id: ID!): User users: [User] }
type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
  inventory: `${link(['@key', '@external', '@requires'])}
type Product @key(fields: "upc") {
  upc: String!
  weight: Int @external
  price: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}`,
  products: `${link(['@key'])}
type Query { topProducts(first: Int = 5): [Product] }
type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  reviews: `${link(['@key', '@external', '@provides'])}
type Review @key(fields: "id") { id: ID! body: String product: Product author: User @provides(fields: "username") }
type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
} as const;

export type SubgraphName = keyof typeof sdl;
export const SUBGRAPHS = Object.keys(sdl) as SubgraphName[];

const byId = new Map(users.map((u) => [u.id, u]));
const byUpc = new Map(products.map((p) => [p.upc, p]));
const reviewById = new Map(reviews.map((r) => [r.id, r]));

const resolvers = {
  accounts: {
    Query: { me: () => byId.get('1'), user: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null, users: () => users },
    User: { __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null },
  },
  inventory: {
    Product: {
      __resolveReference: ({ upc, price, weight }: { upc: string; price?: number; weight?: number }) => ({ upc, price, weight, inStock: inStock[upc] ?? null }),
      shippingEstimate: ({ price, weight }: { price?: number; weight?: number }) => shippingEstimate(price, weight),
    },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
    Product: { __resolveReference: ({ upc }: { upc: string }) => byUpc.get(upc) ?? null },
  },
  reviews: {
    Review: {
      __resolveReference: ({ id }: { id: string }) => reviewById.get(id) ?? null,
      product: (r: Review) => ({ upc: r.productUpc }),
      author: () => ({ id: AUTHOR_ID, username: byId.get(AUTHOR_ID)?.username }),
    },
    User: { reviews: ({ id }: { id: string }) => reviewsOfUser(id) },
    Product: { reviews: ({ upc }: Pick<Product, 'upc'>) => reviewsOfProduct(upc) },
  },
};

export function buildSchemas(): Record<SubgraphName, GraphQLSchema> {
  return Object.fromEntries(
    SUBGRAPHS.map((name) => [name, buildSubgraphSchema({ typeDefs: parse(sdl[name]), resolvers: resolvers[name] as never })]),
  ) as Record<SubgraphName, GraphQLSchema>;
}
