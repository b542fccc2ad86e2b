import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

// GraphQL documents generated from the real supergraph: a random walk over its types driven by a
// tape of numbers, so fast-check shrinks a failing document by shortening and lowering the tape.
// The walk mixes valid selections with the mistakes clients make: unknown fields and fragments,
// fragment cycles, conflicting aliases, wrong variable types, missing variables.

const SUPERGRAPH = new URL('../../../schema/supergraph.graphql', import.meta.url).pathname;

/** The supergraph as graphql-js sees it; fields marked @inaccessible are left to the invalid picks. */
export const supergraph: GraphQLSchema = buildSchema(readFileSync(SUPERGRAPH, 'utf8'), { assumeValidSDL: true });

const accessible = (field: { astNode?: { directives?: readonly { name: { value: string } }[] } | null }) =>
  !field.astNode?.directives?.some((directive) => directive.name.value === 'inaccessible');

/** One generated GraphQL request, before it is put on the wire. */
export interface GeneratedOperation {
  query: string;
  variables: Record<string, unknown>;
  operationName?: unknown;
}

/** Reads the tape; past its end every choice is 0, which is always the simplest option. */
class Tape {
  private at = 0;
  /** A clean document makes no deliberate mistake (half of them: the other half exercise refusals). */
  readonly clean: boolean;
  constructor(private readonly values: readonly number[]) {
    this.clean = this.pick(2) === 0;
  }
  pick(n: number): number {
    const value = this.values[this.at++];
    return value === undefined || n <= 1 ? 0 : value % n;
  }
  chance(percent: number): boolean {
    return this.pick(100) >= 100 - percent;
  }
  /** A deliberate mistake, never in a clean document. */
  mistake(percent: number): boolean {
    return !this.clean && this.chance(percent);
  }
  oneOf<T>(items: readonly T[]): T {
    return items[this.pick(items.length)] as T;
  }
}

const ALIASES = ['a', 'b', 'x', 'materials', 'id', 'a1'];
const JUNK_STRINGS = ['', 'PLA', 'nul\u0000byte', '\u{1F600}🙂', '\ud800', 'x'.repeat(2000), '"quoted"', '\\', 'ünïcödé', 'a\nb'];
// JSON has no Infinity (1e400 in a raw body is the raw-body property's); the largest doubles stand in here
const JUNK_NUMBERS = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_VALUE, -Number.MAX_VALUE, 0.5, Number.MAX_SAFE_INTEGER + 2, 1e21];

/** A value of any JSON shape, for variables of the wrong type. */
function junkValue(tape: Tape, depth = 0): unknown {
  switch (tape.pick(depth > 3 ? 4 : 7)) {
    case 0:
      return tape.oneOf(JUNK_STRINGS);
    case 1:
      return tape.oneOf(JUNK_NUMBERS);
    case 2:
      return tape.chance(50);
    case 3:
      return null;
    case 4:
      return [junkValue(tape, depth + 1), junkValue(tape, depth + 1)];
    case 5:
      return { [tape.oneOf(['quoteId', 'modelId', 'x', '__proto__', 'constructor'])]: junkValue(tape, depth + 1) };
    default: {
      // deep nesting, far below the JSON body limit
      let value: unknown = 1;
      const levels = tape.oneOf([50, 500, 1500]);
      for (let i = 0; i < levels; i++) value = tape.chance(50) ? [value] : { a: value };
      return value;
    }
  }
}

/** A plausible value for an input type (sometimes wrong on purpose), as JSON for `variables`. */
function inputValue(type: GraphQLInputType, tape: Tape, depth = 0): unknown {
  if (tape.mistake(8) || depth > 4) return junkValue(tape);
  if (isNonNullType(type)) return inputValue(type.ofType, tape, depth);
  if (isListType(type)) return Array.from({ length: tape.pick(3) }, () => inputValue(type.ofType, tape, depth + 1));
  if (isEnumType(type)) return tape.mistake(10) ? 'NOT_A_VALUE' : tape.oneOf(type.getValues().map((value) => value.name));
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, inputValue(field.type, tape, depth + 1)]));
  }
  switch (type.name) {
    case 'Int':
      return tape.mistake(15) ? tape.oneOf(JUNK_NUMBERS) : tape.oneOf([1, 5, 20, 0]);
    case 'Float':
      return tape.oneOf([1.5, 0, -3]);
    case 'Boolean':
      return tape.chance(50);
    case 'ID':
      return tape.oneOf(['1', 'cl0000000000000000000000', '00000000-0000-0000-0000-000000000000', 'x', 42]);
    default:
      return tape.chance(25)
        ? tape.oneOf(JUNK_STRINGS.filter((text) => !text.includes('\ud800')))
        : tape.oneOf(['PLA', 'PETG', 'orders.placed', 'manager@fabline.dev']);
  }
}

/** The same value written as a GraphQL literal. */
function literal(value: unknown, depth = 0): string {
  if (value === null || depth > 300) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as object).filter(([key]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(key));
    return `{${entries.map(([key, item]) => `${key}: ${literal(item, depth + 1)}`).join(', ')}}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '1e400';
  return JSON.stringify(value);
}

class DocumentBuilder {
  readonly variableDefinitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly fragments = new Map<string, { on: string; body: string | null }>();
  private counter = 0;

  constructor(
    private readonly tape: Tape,
    private readonly maxDepth: number,
  ) {}

  /** A variable of `type` (declared with or without a default, sometimes under a wrong type, sometimes not declared or not sent). */
  variable(type: string, value: () => unknown, literalDefault: () => string): string {
    const name = `v${this.counter++}`;
    if (this.tape.mistake(10)) return `$${name}`; // not declared: a validation error
    const declaredType = this.tape.mistake(10) ? this.tape.oneOf(['String', 'Int!', '[Boolean]', 'Upload', 'NoSuchType']) : type;
    const withDefault = this.tape.chance(40) ? ` = ${literalDefault()}` : '';
    this.variableDefinitions.push(`$${name}: ${declaredType}${withDefault}`);
    if (!this.tape.chance(20)) this.variables[name] = value(); // else missing from `variables`
    return `$${name}`;
  }

  arguments(args: readonly GraphQLArgument[]): string {
    const parts: string[] = [];
    for (const arg of args) {
      if (!isNonNullType(arg.type) && this.tape.chance(50)) continue;
      const how = this.tape.pick(6);
      if (how === 0 && isNonNullType(arg.type) && this.tape.mistake(30)) continue; // a required argument left out
      const enumLiteral = isEnumType(getNamedType(arg.type));
      const asLiteral = (value: unknown) => (enumLiteral && typeof value === 'string' && /^[A-Z_]+$/.test(value) ? value : literal(value));
      const value =
        how <= 2
          ? asLiteral(inputValue(arg.type, this.tape))
          : this.variable(
              String(arg.type),
              () => inputValue(arg.type, this.tape),
              () => asLiteral(inputValue(arg.type, this.tape)),
            );
      parts.push(`${arg.name}: ${value}`);
    }
    if (this.tape.mistake(5)) parts.push(`${this.tape.oneOf(['nope', 'first', 'id'])}: ${literal(junkValue(this.tape))}`);
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  directives(): string {
    const out: string[] = [];
    const count = this.tape.pick(10) < 7 ? 0 : this.tape.mistake(15) ? this.tape.pick(4) + 2 : 1;
    for (let i = 0; i < count; i++) {
      const kind = this.tape.pick(this.tape.clean ? 6 : 8);
      if (kind === 6) out.push('@unknownDirective');
      else if (kind === 7) out.push(`@include(if: ${literal(junkValue(this.tape))})`);
      else {
        const name = kind % 2 === 0 ? 'include' : 'skip';
        const condition =
          kind < 2
            ? String(this.tape.chance(50))
            : this.variable(
                this.tape.clean ? 'Boolean!' : this.tape.oneOf(['Boolean', 'Boolean!']),
                () => (this.tape.mistake(15) ? junkValue(this.tape) : this.tape.chance(50)),
                () => String(this.tape.chance(50)),
              );
        out.push(`@${name}(if: ${condition})`);
      }
    }
    return out.length ? ` ${out.join(' ')}` : '';
  }

  /** A selection set on `type`: fields, `__typename`, unknown fields, spreads and inline fragments. */
  selectionSet(type: GraphQLObjectType, depth: number, inFragments: string[] = []): string {
    const fields = Object.values(type.getFields()).filter(accessible);
    const count = 1 + this.tape.pick(depth >= this.maxDepth ? 1 : 4);
    const selections: string[] = [];
    for (let i = 0; i < count; i++) {
      const kind = this.tape.pick(20);
      if (kind < 13) selections.push(this.field(this.tape.oneOf(fields), depth, inFragments));
      else if (kind === 13) selections.push(`__typename${this.directives()}`);
      else if (kind === 14 && !this.tape.clean)
        selections.push(this.tape.oneOf(['notAField', 'password', '__schema { queryType { name } }', '_entities', '_service { sdl }']));
      else if (kind === 14) selections.push('__typename');
      else if (kind < 18) selections.push(this.spread(type, depth, inFragments));
      else selections.push(this.inlineFragment(type, depth, inFragments));
    }
    return `{ ${selections.join(' ')} }`;
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number, inFragments: string[]): string {
    const alias = this.tape.chance(20) ? `${this.tape.oneOf(ALIASES)}: ` : '';
    const named = getNamedType(field.type) as GraphQLNamedType;
    const head = `${alias}${field.name}${this.arguments(field.args)}${this.directives()}`;
    if (isObjectType(named)) {
      if (depth >= this.maxDepth && this.tape.chance(90)) return `${head} { __typename }`;
      return this.tape.mistake(3) ? head : `${head} ${this.selectionSet(named, depth + 1, inFragments)}`; // sometimes no selection: invalid
    }
    return isScalarType(named) && this.tape.mistake(2) ? `${head} { id }` : head;
  }

  private spread(type: GraphQLObjectType, depth: number, inFragments: string[]): string {
    const choice = this.tape.pick(10);
    if (choice === 0 && !this.tape.clean) return `...Unknown${this.tape.pick(3)}`;
    const existing = [...this.fragments.keys()];
    // an existing fragment, possibly one being defined around this spread (a cycle) or on another type
    const fits = this.tape.clean ? existing.filter((fragment) => this.fragments.get(fragment)?.on === type.name && !inFragments.includes(fragment)) : existing;
    if (choice < 5 && fits.length) return `...${this.tape.oneOf(fits)}${this.directives()}`;
    const name = `F${this.fragments.size}`;
    const on = this.tape.mistake(10) ? this.tape.oneOf(['Order', 'Material', 'Query', 'NoSuchType', 'String']) : type.name;
    this.fragments.set(name, { on, body: null });
    const target = supergraph.getType(on);
    const body = isObjectType(target) ? this.selectionSet(target, depth, [...inFragments, name]) : '{ __typename }';
    this.fragments.set(name, { on, body });
    return `...${name}${this.directives()}`;
  }

  private inlineFragment(type: GraphQLObjectType, depth: number, inFragments: string[]): string {
    const condition = this.tape.pick(6);
    const on = condition === 0 ? '' : condition === 1 && !this.tape.clean ? ` on ${this.tape.oneOf(['Order', 'Quote', 'NoSuchType'])}` : ` on ${type.name}`;
    return `...${on}${this.directives()} ${this.selectionSet(type, depth, inFragments)}`;
  }
}

/** Builds one operation (and sometimes a second) from a tape. */
export function buildOperation(values: readonly number[]): GeneratedOperation {
  const tape = new Tape(values);
  const builder = new DocumentBuilder(tape, 2 + tape.pick(5));
  const rootKind = tape.pick(20);
  const root = rootKind < 16 ? 'query' : rootKind < 19 ? 'mutation' : 'subscription';
  const rootType = (
    root === 'query' ? supergraph.getQueryType() : root === 'mutation' ? supergraph.getMutationType() : supergraph.getSubscriptionType()
  ) as GraphQLObjectType;
  const selection = builder.selectionSet(rootType, 1);
  const naming = tape.pick(4);
  const name = naming === 0 ? '' : ` Op${naming}`;
  const variables = builder.variableDefinitions.length ? `(${builder.variableDefinitions.join(', ')})` : '';
  const head = root === 'query' && !name && !variables && tape.chance(50) ? '' : `${root}${name}${variables} `;
  let query = `${head}${selection}`;
  for (const [fragmentName, { on, body }] of builder.fragments) query += `\nfragment ${fragmentName} on ${on} ${body ?? '{ __typename }'}`;
  const second = tape.pick(8);
  if (second === 1) query += '\n{ materials { code } }'; // two operations, maybe two anonymous ones
  if (second === 2) query += '\nquery Other { __typename }';
  const operationName = tape.oneOf([undefined, undefined, name.trim() || undefined, 'Other', 'Missing', 7, null, { x: 1 }]);
  return { query, variables: builder.variables, ...(operationName === undefined ? {} : { operationName }) };
}

/** Operations built from the schema by a random walk of at most `tapeLength` choices. */
export const operationArbitrary = (tapeLength = 400): fc.Arbitrary<GeneratedOperation> =>
  fc.array(fc.nat({ max: 1_000_000 }), { maxLength: tapeLength, size: 'max' }).map(buildOperation);

/** Hand-shaped documents that stress the gateway's own walks over a document. */
export const hostileOperationArbitrary: fc.Arbitrary<GeneratedOperation> = fc.oneof(
  // a ladder of fragments, each spreading the one below twice: 2^n fields once inlined
  fc.record({ width: fc.integer({ min: 2, max: 4 }), depth: fc.integer({ min: 1, max: 40 }) }).map(({ width, depth }) => {
    const rungs = Array.from({ length: depth }, (_, i) => `fragment F${i + 1} on Query { ${Array(width).fill(`...F${i}`).join(' ')} }`);
    return { query: `query { ...F${depth} }\nfragment F0 on Query { materials { code } }\n${rungs.join('\n')}`, variables: {} };
  }),
  // fragment cycles of any length
  fc.integer({ min: 1, max: 30 }).map((length) => {
    const fragments = Array.from({ length }, (_, i) => `fragment C${i} on Query { __typename ...C${(i + 1) % length} }`);
    return { query: `{ ...C0 }\n${fragments.join('\n')}`, variables: {} };
  }),
  // deep nesting of inline fragments, selections or list literals
  fc.record({ kind: fc.constantFrom('inline', 'list', 'object'), depth: fc.integer({ min: 10, max: 2400 }) }).map(({ kind, depth }) => {
    if (kind === 'inline') return { query: `{ ${'... { '.repeat(depth)}__typename${' }'.repeat(depth)} }`, variables: {} };
    if (kind === 'list') return { query: `{ material(code: ${'['.repeat(depth)}"PLA"${']'.repeat(depth)}) { code } }`, variables: {} };
    return {
      query: `{ ${'myOrders { edges { node { items { model { '.repeat(Math.ceil(depth / 10))}id${' } } } } }'.repeat(Math.ceil(depth / 10))} }`,
      variables: {},
    };
  }),
  // many aliases of one field, many directives on one field, conflicting aliases
  fc.record({ count: fc.integer({ min: 1, max: 400 }), kind: fc.constantFrom('aliases', 'directives', 'conflict') }).map(({ count, kind }) => {
    if (kind === 'aliases') return { query: `{ ${Array.from({ length: count }, (_, i) => `m${i}: materials { code }`).join(' ')} }`, variables: {} };
    if (kind === 'directives') return { query: `{ materials ${'@include(if: true) '.repeat(count)}{ code } }`, variables: {} };
    return { query: `{ ${Array.from({ length: count }, (_, i) => `a: material(code: "${i}") { code }`).join(' ')} }`, variables: {} };
  }),
  // @include/@skip with variables that have defaults, sent or not
  fc
    .record({
      dir: fc.constantFrom('include', 'skip'),
      type: fc.constantFrom('Boolean', 'Boolean!'),
      def: fc.constantFrom('', ' = true', ' = false', ' = null'),
      value: fc.constantFrom(undefined, true, false, null, 'yes', 1),
    })
    .map(({ dir, type, def, value }) => ({
      query: `query($c: ${type}${def}) { materials @${dir}(if: $c) { code } viewer { id } }`,
      variables: value === undefined ? {} : { c: value },
    })),
  // huge numbers, strings and odd characters in literals and variables
  fc.constantFrom(
    { query: '{ productionQueue(first: 1e400) { totalCount } }', variables: {} },
    { query: 'query($n: Int) { myOrders(first: $n) { edges { cursor } } }', variables: { n: Number.MAX_VALUE } },
    { query: 'query($n: Int) { ordersAwaitingReview(first: $n) { id } }', variables: { n: 1e20 } },
    { query: '{ material(code: "nul\u0000in a string") { code } }', variables: {} },
    { query: '{ materials { code } }\u0000', variables: {} },
    { query: 'query($c: String!) { material(code: $c) { code } }', variables: { c: 'x'.repeat(400_000) } },
    { query: 'query($c: String!) { material(code: $c) { code } }', variables: { c: '\ud800\udfff\ufffe\u0000' } },
    { query: `{ material(code: "${'é'.repeat(3000)}") { code } }`, variables: {} },
    { query: '{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }', variables: {} },
    { query: 'subscription($s: Boolean = true) { quoteReady(quoteId: "1") @skip(if: $s) { id } }', variables: {} },
    { query: 'subscription { quoteReady(quoteId: "1") { id } }', variables: {} },
  ),
);
