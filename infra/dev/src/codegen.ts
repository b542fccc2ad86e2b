import type { CodegenConfig } from '@graphql-codegen/cli';

/** Where a subgraph's resolver types go; mapper and context paths below are relative to it. */
const OUTPUT = 'src/generated/graphql.ts';

export interface SubgraphCodegenOptions {
  /** The resolvers' context, as `file#Type` relative to `src/generated/`, e.g. `../context.ts#ShopContext`. */
  contextType: string;
  /**
   * GraphQL object type → the Prisma model its resolvers get as parent (`Order: 'Order'`), imported from the
   * subgraph's Prisma client as `<Model>Row` so it does not clash with the GraphQL type of the same name.
   * @default {}
   */
  prismaModels?: Record<string, string>;
  /**
   * GraphQL object type → any other parent type: a TypeScript type, or `file#Type` relative to `src/generated/`.
   * @default {}
   */
  mappers?: Record<string, string>;
  /**
   * Scalars besides DateTime and Decimal (shared by every subgraph, see `@fabline/shared/scalars`).
   * @default {}
   */
  scalars?: Record<string, string | { input: string; output: string }>;
}

/**
 * The graphql-codegen config of a subgraph (its `codegen.ts`): resolver types for `src/schema.graphql`
 * in `src/generated/graphql.ts`, with Federation's `__resolveReference` and reference types.
 * The SDL's `@link`ed directives need no definitions: codegen reads the SDL without validating directives.
 */
export function subgraphCodegen({ contextType, prismaModels = {}, mappers = {}, scalars = {} }: SubgraphCodegenOptions): CodegenConfig {
  const models = Object.fromEntries(Object.entries(prismaModels).map(([type, model]) => [type, `./prisma/client.ts#${model} as ${model}Row`]));
  return {
    schema: 'src/schema.graphql',
    // a generated artefact checked for drift: plain output, no timestamps
    overwrite: true,
    generates: {
      [OUTPUT]: {
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          // string unions, like Prisma's enums, so a row's status is a GraphQL enum value as it is
          enumsAsTypes: true,
          contextType,
          mappers: { ...models, ...mappers },
          scalars: {
            // DateTimeScalar parses to a Date and serializes a Date or an ISO string
            DateTime: { input: 'Date', output: 'Date | string' },
            // DecimalScalar passes exact decimal strings through both ways
            Decimal: { input: 'string', output: 'string' },
            ...scalars,
          },
        },
      },
    },
  };
}
