import { userError } from '@fabline/shared/errors';
import type { CrmContext } from '../context.ts';
import type { ViewerResolvers } from '../generated/graphql.ts';
import type { Account } from '../generated/prisma/client.ts';

const account = async ({ id }: { id: string }, loaders: CrmContext['loaders']): Promise<Account> => {
  const found = await loaders.account.load(id);
  if (!found) throw userError('UNAUTHENTICATED', 'Your account no longer exists; log in again');
  return found;
};

export const Viewer: ViewerResolvers = {
  role: async (v, _, { loaders }) => (await account(v, loaders)).role,
  name: async (v, _, { loaders }) => (await account(v, loaders)).name,
  email: async (v, _, { loaders }) => (await account(v, loaders)).email,
  person: (v, _, { loaders }) => account(v, loaders),
};
