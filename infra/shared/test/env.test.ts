import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseEnvShape, EnvError, parseEnv } from '../src/platform/env.ts';

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

  it("are kept in the checkout's .data/dev-secrets.json, where every process of the checkout (and npm start) finds them", () => {
    const env = parseEnv(baseEnvShape, {});
    const file = JSON.parse(readFileSync(new URL('../../../.data/dev-secrets.json', import.meta.url), 'utf8'));
    expect(file).toEqual({ INTERNAL_SECRET: env.INTERNAL_SECRET, JWT_SECRET: env.JWT_SECRET });
  });

  it('must be set in production, and not to a published development value', () => {
    expect(() => parseEnv(baseEnvShape, { NODE_ENV: 'production' })).toThrow(EnvError);
    expect(() => parseEnv(baseEnvShape, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => parseEnv(baseEnvShape, { NODE_ENV: 'production', ...strong, JWT_SECRET: PUBLISHED[1] })).toThrow(/JWT_SECRET/);
    expect(parseEnv(baseEnvShape, { NODE_ENV: 'production', ...strong }).INTERNAL_SECRET).toBe(strong.INTERNAL_SECRET);
  });
});
