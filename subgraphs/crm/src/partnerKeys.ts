import { randomBytes, randomUUID } from 'node:crypto';
import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { assertId, notFound } from '@fabline/shared/ids';
import type { CrmContext } from './context.ts';
import { hashApiKey } from './seed.ts';

/** Shown in lists instead of the key: enough to recognise it, far too little to use it. */
export const KEY_PREFIX_LENGTH = 12;
export const PLANS = { STANDARD: 'standard', PREMIUM: 'premium' } as const;
export type PartnerPlan = keyof typeof PLANS;

/** `fbl_` and 32 random bytes (base64url): 256 bits, so a sha256 of it is all that needs storing. */
const newKey = () => `fbl_${randomBytes(32).toString('base64url')}`;

export const planOf = (stored: string): PartnerPlan => (stored === PLANS.PREMIUM ? 'PREMIUM' : 'STANDARD');

export async function listPartnerKeys(ctx: CrmContext, first: number, includeRevoked: boolean) {
  requireViewer(ctx.viewer, ['ADMIN']);
  if (first < 1 || first > 200) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 200');
  return ctx.prisma.apiKey.findMany({
    where: includeRevoked ? {} : { revokedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: first,
  });
}

/**
 * A new key for an existing partner account, or for a new one named like the key. The whole key
 * leaves the process once, in this answer; only its sha256 is stored.
 */
export async function createPartnerKey(ctx: CrmContext, input: { name: string; plan?: PartnerPlan | null; partnerId?: string | null }) {
  requireViewer(ctx.viewer, ['ADMIN']);
  const name = input.name.trim();
  if (!name || name.length > 200) throw userError('BAD_USER_INPUT', 'name must be 1 to 200 characters');
  const key = newKey();
  const data = { name, plan: PLANS[input.plan ?? 'STANDARD'], prefix: key.slice(0, KEY_PREFIX_LENGTH), keyHash: hashApiKey(key) };
  const partnerKey = await ctx.prisma.$transaction(async (tx) => {
    if (input.partnerId) {
      assertId(input.partnerId, 'person');
      const partner = await tx.account.findUnique({ where: { id: input.partnerId } });
      if (!partner) throw notFound('Person', input.partnerId);
      if (partner.role !== 'PARTNER') throw userError('BAD_USER_INPUT', `Person ${partner.id} is a ${partner.role}; API keys are for PARTNER accounts`);
      return tx.apiKey.create({ data: { ...data, accountId: partner.id } });
    }
    // an API-only account: no password, so nobody logs in as it; the address is a reserved, undeliverable one
    const id = randomUUID();
    await tx.account.create({ data: { id, name, role: 'PARTNER', email: `partner-${id}@partners.fabline.invalid` } });
    return tx.apiKey.create({ data: { ...data, accountId: id } });
  });
  ctx.log.info({ apiKeyId: partnerKey.id, prefix: partnerKey.prefix, partnerId: partnerKey.accountId }, 'partner key created');
  return { key, partnerKey };
}

/** Verification refuses the key from now on; revoking twice keeps the first time. */
export async function revokePartnerKey(ctx: CrmContext, id: string) {
  requireViewer(ctx.viewer, ['ADMIN']);
  assertId(id, 'partner key');
  await ctx.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  const key = await ctx.prisma.apiKey.findUnique({ where: { id } });
  if (!key) throw notFound('PartnerKey', id);
  ctx.log.info({ apiKeyId: key.id, prefix: key.prefix }, 'partner key revoked');
  return key;
}
