import { isStaff } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { notFound } from '@fabline/shared/ids';
import type { PersonResolvers } from '../generated/graphql.ts';

export const Person: PersonResolvers = {
  /** Staff see everyone; customers and partners see only themselves. */
  __resolveReference: async ({ id }, { viewer, loaders }) => {
    if (!viewer) throw userError('UNAUTHENTICATED', 'Log in to see people');
    if (!isStaff(viewer) && viewer.id !== id) throw notFound('Person', id);
    return loaders.account.load(id);
  },
};
