// Titles and descriptions for docs/configuration.md that the env shapes do not carry themselves
// (scripts/config-reference.ts). A JSDoc line on the property where its shape defines it wins over
// FALLBACK_DESCRIPTIONS: prefer adding one there.

/** Section titles by shape name (a process's own `envShape` is titled by its folder). */
export const SHAPE_TITLES: Record<string, string> = {
  baseEnvShape: 'Every process',
  tracingEnvShape: 'Tracing (OpenTelemetry)',
  uploadEnvShape: 'Uploads',
  storageEnvShape: 'Model storage',
  orderEventLogEnvShape: 'Order event log',
  perfEnvShape: 'Gateway: performance',
  trafficEnvShape: 'Gateway: traffic control',
  studioEnvShape: 'Gateway: Apollo GraphOS',
};
export const PACKAGE_TITLES: Record<string, string> = {
  gateway: 'Gateway',
  'subgraphs/shop': 'Shop subgraph',
  'subgraphs/crm': 'CRM subgraph',
  'subgraphs/mes': 'MES subgraph and price worker',
};

/** For properties whose definition carries no description of its own. */
export const FALLBACK_DESCRIPTIONS: Record<string, string> = {
  NODE_ENV:
    '`production` applies the production rules above, listens on 0.0.0.0 unless `HOST` says otherwise, turns persisted-queries-only and anonymous-introspection-off on (`auto`), and hides Apollo Sandbox.',
  LOG_LEVEL: 'Level of the JSON log lines (pino).',
  REDIS_URL: 'Redis: response cache, rate limits, APQ, pub/sub of status changes, quote cache and locks.',
  RABBITMQ_URL: 'RabbitMQ: events between the subgraphs and the price workers’ quote jobs.',
  HOST: 'Address the process listens on. Unset: 127.0.0.1, and 0.0.0.0 with `NODE_ENV=production` (the image, compose file and Kubernetes config set 0.0.0.0).',
  GATEWAY_PORT: 'Public port of the gateway: `/graphql` (HTTP, WebSocket, SSE), `/healthz`, `/readyz`, `/files/…`; 0 takes a free port.',
  SHOP_PORT: 'Port of the shop subgraph (`/graphql`, `/healthz`, `/readyz`, `/metrics`, `/files/…`); 0 takes a free port.',
  CRM_PORT: 'Port of the crm subgraph (`/graphql`, `/healthz`, `/readyz`, `/metrics`); 0 takes a free port.',
  MES_PORT: 'Port of the mes subgraph (`/graphql`, `/healthz`, `/readyz`, `/metrics`); 0 takes a free port.',
  SHOP_URL: 'The shop subgraph’s `/graphql`.',
  CRM_URL: 'The crm subgraph’s `/graphql` (also asked to verify partner API keys).',
  MES_URL: 'The mes subgraph’s `/graphql`.',
  SHOP_DATABASE_URL: 'PostgreSQL database of the shop subgraph.',
  CRM_DATABASE_URL: 'PostgreSQL database of the crm subgraph.',
  MES_DATABASE_URL: 'PostgreSQL database of the mes subgraph and the price workers.',
  OTEL_SERVICE_NAME: '`service.name` of the spans.',
  OTEL_TRACES_SAMPLER: 'Head sampler; `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` samples 10 % of requests.',
  MAX_UPLOAD_BYTES: 'Largest file accepted; over it HTTP 413 `PAYLOAD_TOO_LARGE` and nothing is kept.',
  MAX_UPLOAD_FILES: 'Most files in one multipart request; over it HTTP 413 before any file is read.',
  S3_ENDPOINT: 'An S3-compatible endpoint (MinIO, s3rver…); unset for AWS itself.',
  S3_BUCKET: 'Bucket holding the model files.',
  S3_REGION: 'Region of the bucket.',
  S3_ACCESS_KEY_ID: 'With `S3_SECRET_ACCESS_KEY`: static credentials; unset, the AWS SDK’s default chain (environment, instance role).',
  S3_SECRET_ACCESS_KEY: 'See `S3_ACCESS_KEY_ID`.',
  S3_FORCE_PATH_STYLE: 'Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need.',
  RATE_LIMIT_WINDOW_SECONDS: 'Length of the rate-limit window for `RATE_LIMIT_REQUESTS` and `RATE_LIMIT_COST_POINTS`.',
  PERSISTED_QUERY_MANIFEST_PATH: 'The persisted-query manifest (`npm run generate` writes it from `web/operations/*.graphql`).',
  MAX_DEPTH: 'Deepest selection in an operation, fragments inlined (introspection is counted apart, up to 20 levels).',
  MAX_ALIASES: 'Most aliases in an operation, fragments inlined.',
  MAX_ROOT_FIELDS: 'Most root fields in an operation.',
  MAX_DIRECTIVES_PER_FIELD: 'Most directives on one field.',
  QUOTE_VALID_DAYS: 'Days until a quote expires (`expiresAt`).',
};
