import { useCallback, useEffect, useState } from 'react';

/** How long a live change stays highlighted (the `fl-flash` animation's length). */
export const FLASH_MS = 1600;

/**
 * The short highlight of something a live event just changed: `flash` is true for FLASH_MS after
 * each `trigger()` (a new trigger starts it again). Put `fl-flash` on the element while it is true.
 */
export function useFlash(): [flash: boolean, trigger: () => void] {
  const [since, setSince] = useState<number | null>(null);
  useEffect(() => {
    if (since === null) return;
    const timer = setTimeout(() => setSince(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [since]);
  const trigger = useCallback(() => setSince(performance.now()), []);
  return [since !== null, trigger];
}
