import type { Logger } from '@fabline/shared/logger';
import type { GatewayContext } from './dataSource.ts';

/**
 * The context of every operation the gateway's Apollo Server runs: what subgraph fetches need
 * (`GatewayContext`) and the request's logger. Plugins, the cache and subscriptions all use this one.
 */
export type GatewayRequestContext = GatewayContext & { log: Logger };
