// Starts the platform on the fixed local ports with the demo data, prints where it is, keeps every
// process running (a process that dies is restarted, loudly) and stops on Ctrl-C.
import { startStack, supervise } from '@fabline/dev';
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
A process that dies is restarted; one that keeps dying (5 times within a minute) stops everything.
Ctrl-C stops everything.
`);

supervise({
  processes: stack.processes,
  restart: (name) => stack.restart(name),
  log: (line) => console.error(`\n${line}\n`),
  onStop: async (reason) => {
    console.log(reason.kind === 'signal' ? '\nstopping…' : '\nstopping the platform');
    await Promise.all([...web.values()].map((app) => app.close()));
    await stack.stop();
    process.exit(reason.kind === 'crashes' ? 1 : 0);
  },
});
