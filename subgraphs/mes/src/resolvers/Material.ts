import type { MesContext } from '../context.ts';
import type { Material as MaterialRow } from '../generated/prisma/client.ts';

export const Material = {
  __resolveReference: ({ code }: { code: string }, { loaders }: MesContext) => loaders.material.load(code),
  densityGCm3: (material: MaterialRow) => material.densityGCm3.toNumber(),
  pricePerKg: (material: MaterialRow) => ({ amount: material.pricePerKg.toFixed(2), currency: 'EUR' }),
};
