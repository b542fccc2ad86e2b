import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per hash, which makes GPU guessing expensive.
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAXMEM = 64 * 1024 * 1024;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** Derives a key from a password (scrypt); injectable so tests can count the work done. */
export type Kdf = (password: string, salt: Buffer, params: ScryptParams) => Promise<Buffer>;

export const scryptKdf: Kdf = (password, salt, { N, r, p }) =>
  new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key)));
  });

const encode = (salt: Buffer, key: Buffer) => ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');

/** Hashing and checking passwords as `scrypt$N$r$p$salt$hash`, all parameters stored so they can be raised later. */
export function createPasswords(kdf: Kdf = scryptKdf) {
  /**
   * Checked instead when there is no hash to check (unknown email, account without a password):
   * the same scrypt work, so the time of an answer does not tell whether an account exists. Its
   * key is random, not derived from anything: no password matches it.
   */
  const dummy = encode(randomBytes(16), randomBytes(KEY_LENGTH));

  async function hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    return encode(salt, await kdf(password, salt, PARAMS));
  }

  /** Whether `password` matches `stored`; false, after the same work, when there is no usable hash. */
  async function verify(password: string, stored: string | null): Promise<boolean> {
    const parts = stored?.split('$') ?? [];
    const usable = parts.length === 6 && parts[0] === 'scrypt' && parts.every(Boolean);
    const [, n, r, p, salt, expected] = (usable ? parts : dummy.split('$')) as [string, string, string, string, string, string];
    const wanted = Buffer.from(expected, 'base64url');
    const actual = await kdf(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
    return usable && actual.length === wanted.length && timingSafeEqual(actual, wanted);
  }

  return { hash, verify };
}

export type Passwords = ReturnType<typeof createPasswords>;

const passwords = createPasswords();
export const hashPassword = passwords.hash;
export const verifyPassword = passwords.verify;
