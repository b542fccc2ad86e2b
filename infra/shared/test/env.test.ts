import { describe, expect, it } from 'vitest';
import { baseEnvShape, EnvError, parseEnv } from '../src/env.ts';

const PUBLISHED = ['dev-internal-secret-change-me', 'dev-jwt-secret-change-me-please'];
const strong = { JWT_SECRET: 'j'.repeat(40), INTERNAL_SECRET: 'i'.repeat(40) };

describe('secrets', () => {
  it('outside production come from a secret generated for this checkout, the same for every process, never one written in the source', () => {
    const one = parseEnv(baseEnvShape, {});
    const other = parseEnv(baseEnvShape, { NODE_ENV: 'test' });
    for (const key of ['JWT_SECRET', 'INTERNAL_SECRET'] as const) {
      expect(PUBLISHED).not.toContain(one[key]);
      expect(one[key].length).toBeGreaterThanOrEqual(32);
      expect(other[key]).toBe(one[key]);
    }
    expect(one.JWT_SECRET).not.toBe(one.INTERNAL_SECRET);
    expect(parseEnv(baseEnvShape, strong).JWT_SECRET).toBe(strong.JWT_SECRET);
  });

  it('must be set in production, and not to a published development value', () => {
    expect(() => parseEnv(baseEnvShape, { NODE_ENV: 'production' })).toThrow(EnvError);
    expect(() => parseEnv(baseEnvShape, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => parseEnv(baseEnvShape, { NODE_ENV: 'production', ...strong, JWT_SECRET: PUBLISHED[1] })).toThrow(/JWT_SECRET/);
    expect(parseEnv(baseEnvShape, { NODE_ENV: 'production', ...strong }).INTERNAL_SECRET).toBe(strong.INTERNAL_SECRET);
  });
});
