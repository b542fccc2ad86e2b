import type { Logger } from '@fabline/shared/logger';

/**
 * The gateway's teardown as one list: each part is added as it is built and the list is
 * disposed in reverse, so nothing is closed while a part built after it may still use it
 * (the HTTP server stops before Apollo, Apollo before the Redis connections it reads through).
 */
export function createDisposer(logger: Logger) {
  const parts: { name: string; dispose: () => unknown }[] = [];
  let disposing: Promise<void> | null = null;
  return {
    add(name: string, dispose: () => unknown) {
      parts.push({ name, dispose });
    },
    /** Disposes every part once, last added first; a part that fails is logged and the rest still run. */
    dispose(): Promise<void> {
      disposing ??= (async () => {
        for (const { name, dispose } of parts.splice(0).reverse()) {
          try {
            await dispose();
          } catch (error) {
            logger.error({ err: error, part: name }, 'gateway part failed to stop');
          }
        }
      })();
      return disposing;
    },
  };
}

export type Disposer = ReturnType<typeof createDisposer>;
