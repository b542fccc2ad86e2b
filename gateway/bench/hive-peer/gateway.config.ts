import { defineConfig } from '@graphql-hive/gateway';

// As the public benchmark configures Hive Gateway.
export const gatewayConfig = defineConfig({
  inboundInflightRequestDeduplication: true,
  jit: true,
});
