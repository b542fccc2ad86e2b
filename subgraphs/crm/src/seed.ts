import { createHash } from 'node:crypto';
import type { PrismaClient } from './db.ts';
import { hashPassword, verifyPassword } from './password.ts';

/** Demo data the README lists and outside tests rely on. Production refuses to start while it is active. */
export const DEMO = {
  password: 'fabline-demo-2026',
  staff: [
    { email: 'manager@fabline.dev', name: 'Maria Manager', role: 'MANAGER' },
    { email: 'operator@fabline.dev', name: 'Oleg Operator', role: 'OPERATOR' },
    { email: 'admin@fabline.dev', name: 'Ada Admin', role: 'ADMIN' },
  ],
  partner: { email: 'partner@fabline.dev', name: 'Demo Partner GmbH', apiKey: 'fbl_demo_partner_0001' },
} as const;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Idempotent: creates what is missing, leaves existing rows alone. */
export async function seed(prisma: PrismaClient) {
  for (const person of DEMO.staff) {
    const existing = await prisma.account.findUnique({ where: { email: person.email } });
    if (!existing) await prisma.account.create({ data: { ...person, passwordHash: await hashPassword(DEMO.password) } });
  }
  const partner = await prisma.account.upsert({
    where: { email: DEMO.partner.email },
    create: { email: DEMO.partner.email, name: DEMO.partner.name, role: 'PARTNER' },
    update: {},
  });
  const keyHash = hashApiKey(DEMO.partner.apiKey);
  await prisma.apiKey.upsert({
    where: { keyHash },
    create: { accountId: partner.id, name: DEMO.partner.name, keyHash, prefix: DEMO.partner.apiKey.slice(0, 12), plan: 'standard' },
    update: {},
  });
}

/** Names the demo credentials still active, so production can refuse to start. */
export async function activeDemoCredentials(prisma: PrismaClient): Promise<string[]> {
  const found: string[] = [];
  for (const person of DEMO.staff) {
    const account = await prisma.account.findUnique({ where: { email: person.email } });
    if (account?.passwordHash && (await verifyPassword(DEMO.password, account.passwordHash))) found.push(person.email);
  }
  const key = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(DEMO.partner.apiKey) } });
  if (key && !key.revokedAt) found.push(`API key ${DEMO.partner.apiKey}`);
  return found;
}
