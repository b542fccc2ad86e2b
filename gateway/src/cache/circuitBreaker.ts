export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  threshold?: number;
  /** How long an open circuit skips Redis before one request tries again. @default 1000 */
  openMs?: number;
  now?: () => number;
  onChange?: (open: boolean) => void;
}

/**
 * Stops asking a Redis that keeps failing, so a dead cache costs requests nothing rather than a
 * timeout each; after `openMs` one request probes it (half-open) and a success closes the circuit.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.openMs = options.openMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  get open() {
    return this.failures >= this.threshold;
  }

  /** Whether a call may go to Redis now. */
  allow(): boolean {
    if (!this.open) return true;
    if (this.now() < this.openUntil || this.probing) return false;
    this.probing = true;
    return true;
  }

  success() {
    const wasOpen = this.open;
    this.failures = 0;
    this.probing = false;
    if (wasOpen) this.options.onChange?.(false);
  }

  failure() {
    const wasOpen = this.open;
    this.failures++;
    this.probing = false;
    if (this.open) this.openUntil = this.now() + this.openMs;
    if (!wasOpen && this.open) this.options.onChange?.(true);
  }
}
