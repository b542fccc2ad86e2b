import { loadReferenced } from '@fabline/shared/loaders';
import { listCustomers } from '../customers.ts';
import type { MutationResolvers, PartnerKeyResolvers, PersonConnectionResolvers, QueryResolvers } from '../generated/graphql.ts';
import { createPartnerKey, listPartnerKeys, planOf, revokePartnerKey } from '../partnerKeys.ts';

export const StaffQuery: QueryResolvers = {
  customers: (_, { first, after, search }, ctx) => listCustomers(ctx, first, after, search),
  partnerKeys: (_, { first, includeRevoked }, ctx) => listPartnerKeys(ctx, first, includeRevoked),
};

export const StaffMutation: MutationResolvers = {
  createPartnerKey: (_, { input }, ctx) => createPartnerKey(ctx, input),
  revokePartnerKey: (_, { id }, ctx) => revokePartnerKey(ctx, id),
};

export const PartnerKey: PartnerKeyResolvers = {
  plan: (key) => planOf(key.plan),
  partner: (key, _, { loaders }) => loadReferenced(loaders.account, key.accountId, `Account ${key.accountId} of API key ${key.id}`),
  revoked: (key) => key.revokedAt !== null,
};

export const PersonConnection: PersonConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};
