/**
 * Operations for the differential test: each runs on plain @apollo/gateway and on Fabline's
 * gateway, and the answers must be the same. Written for the subgraphs in `subgraphs.ts`; the kinds
 * of case follow The Guild's federation-gateway-audit (abstract types, requires, provides,
 * interfaceObject, override, shareable, inaccessible, include/skip, null propagation, mutations).
 */
export interface DifferentialCase {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** An operation name the document lacks: Apollo Server answers it as its own failure, Fabline as the client's mistake it is. */
export const unknownOperation: DifferentialCase = {
  name: 'an operation name that is not in the document',
  query: 'query A { products { upc } }',
  operationName: 'B',
};

export const corpus: DifferentialCase[] = [
  // abstract types and fragments across subgraphs
  {
    name: 'interface with inline fragments and a field from an @interfaceObject subgraph',
    query: '{ media { __typename id title rating ... on Book { pages } ... on Movie { minutes } } }',
  },
  {
    name: 'interfaceObject field returning the interface, resolved to concrete types by the owner',
    query: '{ media { id similar { __typename id title ... on Book { pages } ... on Movie { minutes rating } } } }',
  },
  {
    name: 'union with fragments on an interface and on an entity from other subgraphs',
    query: `query Search($term: String) { search(term: $term) { __typename
      ... on Media { title rating }
      ... on Product { upc name inStock reviews { body author { name } } }
      ... MovieLength } }
      fragment MovieLength on Movie { minutes }`,
    variables: { term: 'a' },
    operationName: 'Search',
  },
  {
    name: 'argument default of the root field (term = "e") and named fragments nested in fragments',
    query: `{ search { ...Hit } }
      fragment Hit on SearchResult { __typename ...Titled ... on Product { ...ProductBits } }
      fragment Titled on Media { id title }
      fragment ProductBits on Product { upc warehouse { code city } }`,
  },
  { name: 'only __typename of union members', query: '{ search(term: "") { __typename } }' },
  // @requires
  {
    name: '@requires with a nested selection and arguments, aliased twice with different arguments',
    query: '{ products { upc eu: shippingEstimate(zone: "EU") us: shippingEstimate(zone: "US", express: true) } }',
  },
  {
    name: '@requires whose selection has fragments on a union, argument default and variable',
    query: 'query ($p: String) { products { upc a: bundleLabel b: bundleLabel(prefix: $p) feature { __typename ... on Book { title } } } }',
    variables: { p: '~' },
  },
  {
    name: '@requires with an argument from a variable with a default, not sent',
    query: 'query ($zone: String! = "US", $fast: Boolean = true) { product(upc: "2") { name shippingEstimate(zone: $zone, express: $fast) } }',
  },
  // @provides
  { name: '@provides: the author name from reviews, no accounts call', query: '{ reviews { id author { id name } } }' },
  { name: 'a provided field beside one that is not provided', query: '{ reviews { id author { name username } } }' },
  { name: 'the same entity reached without @provides', query: '{ users { id name reviews { body author { name } } } }' },
  // @override and @shareable
  { name: '@override: inStock from inventory', query: '{ products { upc inStock } }' },
  { name: '@shareable field from the catalog side', query: '{ products { name upc } }' },
  { name: '@shareable field from the inventory side, with a field the catalog owns', query: '{ stock { name inStock price dimensions { length width } } }' },
  // @inaccessible
  { name: '@inaccessible field is not queryable', query: '{ products { upc internalCode } }' },
  { name: '@inaccessible root field is not queryable', query: '{ hiddenCount }' },
  {
    name: '@inaccessible fields are absent from introspection',
    query: '{ __type(name: "Product") { name fields { name } } q: __type(name: "Query") { fields { name } } }',
  },
  // @include / @skip
  {
    name: '@include and @skip with variables given',
    query: `query ($withReviews: Boolean!, $noStock: Boolean!) { products { upc
      reviews @include(if: $withReviews) { body }
      inStock @skip(if: $noStock)
      warehouse @include(if: $withReviews) { code } } }`,
    variables: { withReviews: false, noStock: true },
  },
  {
    name: '@include and @skip with variable defaults only',
    query: `query ($withReviews: Boolean = true, $noStock: Boolean = false, $deep: Boolean = false) { products { upc
      reviews @include(if: $withReviews) { body author @include(if: $deep) { username } }
      inStock @skip(if: $noStock) } }`,
  },
  {
    name: 'a default overridden by a variable, on a fragment spread and an inline fragment',
    query: `query ($on: Boolean = false) { products { upc ...Stock @include(if: $on) ... @skip(if: $on) { name } } }
      fragment Stock on Product { inStock warehouse { city } }`,
    variables: { on: true },
  },
  {
    name: 'a literal @skip on an entity-only field',
    query: '{ product(upc: "1") { name reviews @skip(if: true) { body } shippingEstimate(zone: "EU") @include(if: false) } }',
  },
  {
    name: 'null sent for a defaulted @include variable (the executor leaves it to Apollo)',
    query: 'query ($on: Boolean = true) { products { upc inStock @include(if: $on) } }',
    variables: { on: null },
  },
  // the same field reached twice: fragments merge into the first place it appears
  {
    name: 'a field repeated through an inline fragment and a named fragment, with __typename aliased',
    query: `{ t: __typename products { upc ... on Product { upc name tn: __typename } ...More __typename } }
      fragment More on Product { name reviews { body } upc }`,
  },
  // aliases
  {
    name: 'aliases on entity fields and on the same field twice',
    query:
      '{ first: product(upc: "1") { n: name r: reviews { b: body s: rating } w: warehouse { c: code } } second: product(upc: "2") { n: name stock: inStock } }',
  },
  { name: 'an alias named like another field', query: '{ products { name: upc upc: name inStock: warehouse { code } } }' },
  // errors and nulls from one subgraph inside another's entities
  { name: 'an entity another subgraph does not know (null from _entities, non-null field)', query: '{ products { upc name inStock } }' },
  { name: 'the unknown entity under a nullable field', query: '{ product(upc: "4") { upc name warehouse { code } } }' },
  { name: 'a NOT_FOUND error in a non-null field nulls the nullable parent', query: '{ product(upc: "3") { name topReview { body } } }' },
  { name: 'a NOT_FOUND error in a non-null list item bubbles to data', query: '{ products { upc topReview { body rating } } }' },
  { name: 'an unexpected error from a subgraph in a nullable field', query: '{ products { upc flaky } }' },
  { name: 'null for a non-null field in the owning subgraph of a nested entity', query: '{ reviews { id author { username email } } }' },
  { name: 'an author the accounts subgraph does not know', query: '{ review(id: "r4") { body author { username } product { name } } }' },
  { name: 'a subgraph answering 503 without GraphQL', query: '{ products { upc name outage } }' },
  { name: 'errors from two subgraphs in one answer', query: '{ products { upc flaky inStock } media { id title } }' },
  { name: 'a root field that is null beside one that is not', query: '{ product(upc: "9") { name } me { name } }' },
  // mutations
  {
    name: 'mutations across subgraphs run one after another, in document order',
    query: `mutation { a: appendLog(entry: "a") { seq entries }
      r: addReview(upc: "2", body: "Sturdy") { id seq body product { name inStock } author { name username } }
      b: appendLog(entry: "b") { seq entries }
      s: reserve(upc: "1") { seq quantity product { name reviews { body } } }
      c: appendLog(entry: "c") { seq entries } }`,
  },
  {
    name: 'a failing mutation between others',
    query:
      'mutation ($q: Int) { a: appendLog(entry: "x") { seq } s: reserve(upc: "3", quantity: $q) { seq product { topReview { body } } } b: appendLog(entry: "y") { seq entries } }',
    variables: { q: 2 },
  },
  // client mistakes
  { name: 'an unknown field', query: '{ products { nope } }' },
  { name: 'a missing required variable', query: 'query ($upc: ID!) { product(upc: $upc) { name } }' },
  { name: 'a variable of the wrong type', query: 'query ($upc: ID!) { product(upc: $upc) { name } }', variables: { upc: { a: 1 } } },
];
