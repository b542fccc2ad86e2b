import { INTERNAL_HEADER, verifyInternalToken } from '@fabline/shared/auth';
import express, { type Express } from 'express';
import type { PrismaClient } from './db.ts';
import { hashApiKey } from './seed.ts';

/**
 * POST /internal/api-keys/verify { key } → { viewer, plan } or 404. Only the gateway (signed
 * internal header) may ask; the key itself is never stored, only its sha256.
 */
export function apiKeyRoutes(app: Express, prisma: PrismaClient, internalSecret: string) {
  app.post('/internal/api-keys/verify', express.json({ limit: '4kb' }), async (req, res) => {
    try {
      await verifyInternalToken(req.header(INTERNAL_HEADER), internalSecret);
    } catch {
      res.status(401).json({ error: 'only the gateway may verify API keys' });
      return;
    }
    const key = typeof req.body?.key === 'string' ? req.body.key : '';
    const found = key ? await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, include: { account: true } }) : null;
    if (!found || found.revokedAt || found.account.role !== 'PARTNER') {
      res.status(404).json({ error: 'unknown or revoked API key' });
      return;
    }
    // the gateway asks again only after its key cache time, so this is "last used" to that precision
    await prisma.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
    res.json({ viewer: { id: found.accountId, role: 'PARTNER' }, plan: found.plan });
  });
}
