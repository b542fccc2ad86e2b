import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';

const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), INTERNAL_SECRET: 'i'.repeat(40) };

describe('crm environment', () => {
  it('refuses the test switch CRM_AUTO_APPROVE in production, and takes it elsewhere', () => {
    expect(() => loadEnv({ ...production, CRM_AUTO_APPROVE: 'true' })).toThrow(/CRM_AUTO_APPROVE: .*test/);
    expect(loadEnv({ ...production, CRM_AUTO_APPROVE: 'false' }).CRM_AUTO_APPROVE).toBe(false);
    expect(loadEnv({ ...production, NODE_ENV: 'test', CRM_AUTO_APPROVE: 'true' }).CRM_AUTO_APPROVE).toBe(true);
  });
});
