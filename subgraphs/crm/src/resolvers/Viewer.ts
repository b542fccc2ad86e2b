import { userError } from '@fabline/shared/errors';
import type { CrmContext } from '../context.ts';
import type { Account } from '../generated/prisma/client.ts';

const account = async ({ id }: { id: string }, loaders: CrmContext['loaders']): Promise<Account> => {
  const found = await loaders.account.load(id);
  if (!found) throw userError('UNAUTHENTICATED', 'Your account no longer exists; log in again');
  return found;
};

export const Viewer = {
  role: async (v: { id: string }, _: unknown, { loaders }: CrmContext) => (await account(v, loaders)).role,
  name: async (v: { id: string }, _: unknown, { loaders }: CrmContext) => (await account(v, loaders)).name,
  email: async (v: { id: string }, _: unknown, { loaders }: CrmContext) => (await account(v, loaders)).email,
  person: (v: { id: string }, _: unknown, { loaders }: CrmContext) => account(v, loaders),
};
