import { defineConfig } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

// Hive Gateway with the Rust query planner (@graphql-hive/router-runtime), as the ChilliCream
// benchmark's "Hive Gateway + Rust QP" row. HIVE_INBOUND_DEDUPE=false (a bench variant:
// hive-router+HIVE_INBOUND_DEDUPE=false) measures it without sharing whole responses between identical requests.
export const gatewayConfig = defineConfig({
  unifiedGraphHandler,
  inboundInflightRequestDeduplication: process.env.HIVE_INBOUND_DEDUPE !== 'false',
  // graphql-jit is not used with the Rust planner: with `jit: true` (or --jit) every root field came back null
  // without a single subgraph fetch (2.15.1 + router-runtime 1.4.23)
  jit: false,
});
