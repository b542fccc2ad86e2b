import { describe, expect, it } from 'vitest';
import { createPasswords, type Kdf, scryptKdf } from '../src/password.ts';

/** The real scrypt, counted: each call and the parameters it ran with. */
function countedScrypt() {
  const calls: { N: number; r: number; p: number }[] = [];
  const kdf: Kdf = (password, salt, params) => {
    calls.push(params);
    return scryptKdf(password, salt, params);
  };
  return { kdf, calls };
}

describe('password checks', () => {
  it('do the same scrypt work for an unknown account as for a known one', async () => {
    const { kdf, calls } = countedScrypt();
    const passwords = createPasswords(kdf);
    const stored = await passwords.hash('correct horse battery');
    calls.length = 0;

    expect(await passwords.verify('wrong horse battery', stored)).toBe(false);
    expect(calls).toHaveLength(1);
    const known = calls[0];

    calls.length = 0;
    expect(await passwords.verify('wrong horse battery', null)).toBe(false);
    expect(calls).toEqual([known]);
    expect(known).toEqual({ N: 2 ** 15, r: 8, p: 1 });
  });

  it('still accept the right password and refuse a stored value that is not a hash', async () => {
    const passwords = createPasswords();
    const stored = await passwords.hash('correct horse battery');
    expect(await passwords.verify('correct horse battery', stored)).toBe(true);
    expect(await passwords.verify('correct horse battery', 'plain-text')).toBe(false);
  });
});
