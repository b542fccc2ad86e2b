import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';

const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), INTERNAL_SECRET: 'i'.repeat(40) };

describe('mes environment', () => {
  it('refuses the test switches MES_AUTO_ADVANCE_TO and MES_CONSUMER_DELAY_MS in production, and takes them elsewhere', () => {
    expect(() => loadEnv({ ...production, MES_AUTO_ADVANCE_TO: 'READY' })).toThrow(/MES_AUTO_ADVANCE_TO: .*test/);
    expect(() => loadEnv({ ...production, MES_CONSUMER_DELAY_MS: '50' })).toThrow(/MES_CONSUMER_DELAY_MS: .*test/);
    expect(loadEnv(production).MES_AUTO_ADVANCE_TO).toBe('');
    const test = loadEnv({ ...production, NODE_ENV: 'test', MES_AUTO_ADVANCE_TO: 'READY', MES_CONSUMER_DELAY_MS: '50' });
    expect([test.MES_AUTO_ADVANCE_TO, test.MES_CONSUMER_DELAY_MS]).toEqual(['READY', 50]);
  });
});
