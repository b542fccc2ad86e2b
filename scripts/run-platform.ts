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
  // the gateway's /metrics on its internal port (never on :4000), where a local Prometheus expects it
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', METRICS_PORT: '9464' },
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
  health    http://localhost:4000/healthz  /readyz (every process on its port)
  metrics   http://127.0.0.1:9464/metrics (gateway), /metrics on each subgraph's port

Demo logins (password fabline-demo-2026): manager@fabline.dev, operator@fabline.dev, admin@fabline.dev
Staff CRM: open ${web.get('crm')?.url ?? 'http://localhost:3001'} and log in as manager@fabline.dev or admin@fabline.dev
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
