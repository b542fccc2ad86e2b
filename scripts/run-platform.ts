// Starts the platform on the fixed local ports with the demo data, prints where it is, and stops on Ctrl-C.
import { startStack } from '@fabline/dev';
import { startWebApps } from '@fabline/ui/server/startWebApps';

const stack = await startStack({
  namespace: 'fabline',
  databasePrefix: 'fabline',
  ports: { gateway: 4000, shop: 4001, crm: 4002, mes: 4003 },
  logs: 'inherit',
  dropDatabasesOnStop: false,
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
});

// the web apps, built and served on their own origins with /graphql proxied to the gateway
const web = await startWebApps({ gatewayUrl: stack.urls.gateway });
const webLines = [...web].map(([name, app]) => `  web ${name.padEnd(6)}${app.url}`).join('\n');

console.log(`
Fabline is running.
${webLines}
  gateway   http://localhost:4000/graphql   (Apollo Sandbox in the browser)
  shop      ${stack.urls.shop}
  crm       ${stack.urls.crm}
  mes       ${stack.urls.mes}
  health    http://localhost:4000/healthz  /readyz  /metrics (every process)

Demo logins (password fabline-demo-2026): manager@fabline.dev, operator@fabline.dev, admin@fabline.dev
Partner API key (header X-Api-Key): fbl_demo_partner_0001
Ctrl-C stops everything.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await Promise.all([...web.values()].map((app) => app.close()));
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const [name, child] of stack.processes) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${name} exited (code ${code}); stopping the platform`);
      void stop();
    }
  });
}
