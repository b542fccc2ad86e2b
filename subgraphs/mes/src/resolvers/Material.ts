import type { MaterialResolvers } from '../generated/graphql.ts';

export const Material: MaterialResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.material.load(code),
  densityGCm3: (material) => material.densityGCm3.toNumber(),
  pricePerKg: (material) => ({ amount: material.pricePerKg.toFixed(2), currency: 'EUR' }),
};
