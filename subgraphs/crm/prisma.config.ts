import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // only `prisma migrate deploy` (where the engine binary exists) reads this
  datasource: { url: process.env.CRM_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/fabline_crm' },
});
