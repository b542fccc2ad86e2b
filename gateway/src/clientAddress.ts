import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/**
 * The client's address, for per-IP limits (logIn attempts, the anonymous budget) and logs. Behind a
 * proxy (the web apps' servers proxy `/graphql`, an ingress in front of the pods) the socket's peer
 * is the proxy, so every browser would share one budget: a peer listed in TRUST_PROXY may name the
 * client in `X-Forwarded-For`, read from the right, up to the first address not trusted. Anyone else's
 * X-Forwarded-For is ignored, so a client cannot choose its own address.
 */
export type TrustProxy = (address: string, hop: number) => boolean;

const NAMES = 'loopback, linklocal, uniquelocal';
const list = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** TRUST_PROXY: addresses, CIDR ranges or the names loopback, linklocal, uniquelocal, comma-separated. */
export const trustProxyEnv = z
  .string()
  .optional()
  .refine(
    (value) => {
      try {
        proxyaddr.compile(list(value ?? ''));
        return true;
      } catch {
        return false;
      }
    },
    { message: `must be addresses, CIDR ranges or ${NAMES}, comma-separated` },
  );

/** Unset: `loopback` outside production (the web apps' servers run beside the gateway), no one in production. */
export function trustedProxies(env: { TRUST_PROXY?: string | undefined; NODE_ENV: string }): TrustProxy {
  return proxyaddr.compile(list(env.TRUST_PROXY ?? (env.NODE_ENV === 'production' ? '' : 'loopback')));
}

/** The address an upgrade (WebSocket) or plain request came from, by the rule above (express's `req.ip` for the rest). */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyaddr(req, trust);
}
