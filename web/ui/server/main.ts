// The web server process (the container's command for the apps): serves one built app with its
// API proxied, e.g. WEB_APP=shop GATEWAY_URL=http://gateway:4000/graphql.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@fabline/shared/logger';
import { loadEnv } from './env.ts';
import { serveApp } from './serveApp.ts';
import { webAppPorts } from './startWebApps.ts';

const env = loadEnv(process.env);
const logger = createLogger({ name: `web-${env.WEB_APP}`, level: env.LOG_LEVEL });
const dist = join(new URL('../../', import.meta.url).pathname, env.WEB_APP, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  logger.fatal({ dist }, `web/${env.WEB_APP} is not built: run \`pnpm --filter ./web/${env.WEB_APP} run build\``);
  process.exit(1);
}
const app = await serveApp({ dist, gatewayUrl: env.GATEWAY_URL, port: env.WEB_PORT ?? webAppPorts[env.WEB_APP], host: env.WEB_HOST });
logger.info({ port: app.port, gateway: env.GATEWAY_URL }, `web ${env.WEB_APP} listening`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
