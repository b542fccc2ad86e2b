// `npm start`'s web half: builds each app that exists (vite build) and serves it on its port with
// /graphql proxied to the gateway. The shop takes 3000, the CRM 3001, the MES 3002.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ServedApp, serveApp } from './serveApp.ts';

const webRoot = new URL('../../', import.meta.url).pathname;

export const webAppPorts = { shop: 3000, crm: 3001, mes: 3002 } as const;
export type WebAppName = keyof typeof webAppPorts;

export interface StartWebAppsOptions {
  gatewayUrl: string;
  /** @default webAppPorts */
  ports?: Partial<Record<WebAppName, number>>;
  /** @default '127.0.0.1' */
  host?: string;
}

/** Builds and serves every app folder present under web/ (an app not yet written is skipped). */
export async function startWebApps(options: StartWebAppsOptions): Promise<Map<WebAppName, ServedApp>> {
  const { build } = await import('vite');
  const served = new Map<WebAppName, ServedApp>();
  for (const [name, defaultPort] of Object.entries(webAppPorts) as [WebAppName, number][]) {
    const root = join(webRoot, name);
    const config = join(root, 'vite.config.ts');
    if (!existsSync(config)) continue;
    await build({ root, configFile: config, logLevel: 'warn' });
    const app = await serveApp({
      dist: join(root, 'dist'),
      gatewayUrl: options.gatewayUrl,
      port: options.ports?.[name] ?? defaultPort,
      host: options.host ?? '127.0.0.1',
    });
    served.set(name, { ...app, url: `http://localhost:${app.port}` });
  }
  return served;
}
