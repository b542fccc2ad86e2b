import { readFileSync } from 'node:fs';
import { buildASTSchema, buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualQueryCost, estimateQueryCost } from '../src/traffic/computeQueryCost.ts';
import { readCostDirectives } from '../src/traffic/costDirectives.ts';
import { countingReads, fragmentBomb } from './fragmentBomb.ts';

const BOMB = 30;

// The schema and operations of Apollo Router's demand-control documentation ("Calculating cost").
const directives = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;
const bookTypes = (addressCost: string) => `
  type Book { title: String author: Author publisher: Publisher }
  type Author { name: String }
  type Publisher { name: String address: Address }
  type Address ${addressCost} { zipCode: Int! }
`;
const docsSchema = (addressCost = '') => `${directives}
  type Query {
    book(id: ID): Book
    bestsellers: [Book] @listSize(assumedSize: 5)
    newestAdditions(after: ID, limit: Int!): [Book] @listSize(slicingArguments: ["limit"])
  }
  ${bookTypes(addressCost)}
`;
const bookFields = 'title author { name } publisher { name address { zipCode } }';

const estimate = (sdl: string, query: string, variables?: Record<string, unknown>) =>
  estimateQueryCost(buildSchema(sdl), readCostDirectives(sdl), parse(query), { variables });

describe('static cost estimate: Apollo documentation golden values', () => {
  it('BookQuery costs 4 with the default weights', () => {
    expect(estimate(docsSchema(), `query BookQuery { book(id: 1) { ${bookFields} } }`)).toBe(4);
  });

  it('Address @cost(weight: 5) raises BookQuery to 8', () => {
    expect(estimate(docsSchema('@cost(weight: 5)'), `query BookQuery { book(id: 1) { ${bookFields} } }`)).toBe(8);
  });

  it('bestsellers @listSize(assumedSize: 5) costs 40', () => {
    expect(estimate(docsSchema('@cost(weight: 5)'), `query BestsellersQuery { bestsellers { ${bookFields} } }`)).toBe(40);
  });

  it('newestAdditions sized by its slicing argument costs 24 for 3 and 56 for 7', () => {
    const sdl = docsSchema('@cost(weight: 5)');
    expect(estimate(sdl, `query NewestAdditions { newestAdditions(limit: 3) { ${bookFields} } }`)).toBe(24);
    expect(estimate(sdl, `query NewestAdditions { newestAdditions(limit: 7) { ${bookFields} } }`)).toBe(56);
    expect(estimate(sdl, `query NewestAdditions($n: Int!) { newestAdditions(limit: $n) { ${bookFields} } }`, { n: 7 })).toBe(56);
  });
});

describe('static cost estimate: the other rules', () => {
  const sdl = `${directives}
    input Filter { text: String range: Range }
    input Range { from: Int to: Int }
    type Query {
      items(filter: Filter): [Item]
      grid: [[Item]]
      page(first: Int): Connection @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
      costly: Int @cost(weight: 7)
    }
    type Mutation { touch: Item }
    type Item { id: ID name: String }
    type Connection { edges: [Item] }
  `;

  it('a mutation has a base cost of 10', () => {
    expect(estimate(sdl, 'mutation { touch { id } }')).toBe(11);
  });

  it('lists use the default size; only the outer list of [[T]] multiplies', () => {
    expect(estimate(sdl, '{ items { id } }')).toBe(10);
    expect(estimate(sdl, '{ grid { id } }')).toBe(10);
  });

  it('sizedFields pass the slicing argument down to the list inside a connection', () => {
    expect(estimate(sdl, '{ page(first: 3) { edges { id } } }')).toBe(1 + 3);
  });

  it('an input object argument costs 1 plus its input-object fields; scalars cost nothing', () => {
    expect(estimate(sdl, '{ items(filter: { text: "a", range: { from: 1 } }) { id } }')).toBe(2 + 10);
  });

  it('__typename, @skip(if: true) and @include(if: false) fields cost nothing; @cost on a scalar field counts', () => {
    expect(estimate(sdl, '{ __typename items @skip(if: true) { id } grid @include(if: false) { id } costly }')).toBe(7);
  });

  it('@include/@skip read variables as execution coerces them: a default applies when the variable is not sent', () => {
    const query = 'query ($b: Boolean = false, $s: Boolean! = true) { items @include(if: $b) { id } grid @skip(if: $s) { id } costly }';
    expect(estimate(sdl, query)).toBe(7);
    expect(estimate(sdl, query, { b: true })).toBe(7 + 10);
    const schema = buildSchema(sdl);
    expect(actualQueryCost(schema, readCostDirectives(sdl), parse(query), { costly: 1 })).toBe(7);
  });

  it('invalid variables never throw: the request fails in graphql-js, the estimate stays finite', () => {
    expect(estimate(sdl, 'query ($n: Int) { page(first: $n) { edges { id } } }', { n: Number.POSITIVE_INFINITY })).toBe(1 + 10);
    expect(estimate(sdl, 'query ($b: Boolean!) { items @include(if: $b) { id } }', {})).toBe(10);
  });

  it('walks fragments that spread each other twice once per selection, not 2^n times', () => {
    const schema = buildSchema(sdl);
    const query = fragmentBomb(BOMB, 'Item', 'id name', '{ items { ...F0 } }');
    const estimated = countingReads(query);
    expect(estimateQueryCost(schema, readCostDirectives(sdl), estimated.document)).toBe(10);
    expect(estimated.reads()).toBeLessThanOrEqual(BOMB + 1);
    const actual = countingReads(query);
    expect(actualQueryCost(schema, readCostDirectives(sdl), actual.document, { items: [{ id: '1', name: 'a' }] })).toBe(1);
    expect(actual.reads()).toBeLessThanOrEqual(BOMB + 1);
  });

  it('actual cost counts the lists that came back', () => {
    const schema = buildSchema(sdl);
    const data = { items: [{ id: '1' }, { id: '2' }], page: { edges: [{ id: '3' }] } };
    expect(actualQueryCost(schema, readCostDirectives(sdl), parse('{ items { id } page(first: 5) { edges { id } } }'), data)).toBe(2 + 1 + 1);
  });

  it('actual cost follows runtime types, fragments, aliases, nested lists, arguments, weights and nulls', () => {
    const shapes = `${directives}
      input Filter { text: String range: Range }
      input Range { from: Int to: Int }
      interface Node { id: ID }
      type Part implements Node { id: ID material: Material @cost(weight: 4) }
      type Order implements Node { id: ID lines: [Line] }
      type Line { part: Part qty: Int }
      type Material { code: String }
      type Query { nodes(filter: Filter): [Node] grid: [[Part]] }
    `;
    const query = parse(`
      query($f: Filter) {
        nodes(filter: $f) { id ...P ... on Order { lines { part { ...P } qty } again: lines { qty } } }
        grid { id }
      }
      fragment P on Part { material { code } }
    `);
    const data = {
      nodes: [
        { __typename: 'Part', id: '1', material: { code: 'PLA' } },
        {
          __typename: 'Order',
          id: '2',
          lines: [
            { part: { material: null }, qty: 1 },
            { part: null, qty: 2 },
          ],
          again: [{ qty: 1 }, { qty: 2 }],
        },
        null,
      ],
      grid: [[{ id: 'a' }, { id: 'b' }], [{ id: 'c' }]],
    };
    // nodes: filter {text} 1 + range 1; Part 1 + material 4; Order 1 + lines 2 × (1 + part: 1 + null material 0, null part 0) + again 2 × 1; grid 3 parts
    const expected = 2 + (1 + 4) + (1 + (1 + 1) + 1 + 2) + 3;
    const variables = { f: { text: 'x', range: { from: 1 } } };
    expect(actualQueryCost(buildSchema(shapes), readCostDirectives(shapes), query, data, { variables })).toBe(expected);
  });
});

describe('the supergraph', () => {
  const supergraph = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

  it('carries @cost and @listSize from the subgraphs', () => {
    const { weights, listSizes } = readCostDirectives(supergraph);
    expect(weights.get('Mutation.requestQuote')).toBe(20);
    expect(listSizes.get('Query.myOrders')).toMatchObject({ slicingArguments: ['first'], sizedFields: ['edges'] });
    expect(listSizes.get('Query.productionQueue')).toMatchObject({ slicingArguments: ['first'], sizedFields: ['edges'] });
  });

  it('prices a small order query', () => {
    const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
    const cost = estimateQueryCost(schema, readCostDirectives(supergraph), parse('{ myOrders(first: 5) { edges { node { id items { id } } } } }'));
    // connection 1 + 5 edges × (edge 1 + node 1 + 10 items × 1)
    expect(cost).toBe(1 + 5 * (1 + 1 + 10));
  });
});
