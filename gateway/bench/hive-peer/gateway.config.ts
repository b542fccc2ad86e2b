import { defineConfig } from '@graphql-hive/gateway';

// As the public benchmark configures Hive Gateway. HIVE_INBOUND_DEDUPE=false (a bench variant:
// hive+HIVE_INBOUND_DEDUPE=false) measures it without sharing whole responses between identical requests.
export const gatewayConfig = defineConfig({
  inboundInflightRequestDeduplication: process.env.HIVE_INBOUND_DEDUPE !== 'false',
  jit: true,
});
