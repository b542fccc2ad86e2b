import { execFileSync } from 'node:child_process';

/**
 * `rabbitmqctl list_queues <columns>` as rows of strings, one per queue (the only way to list queues
 * without the management plugin). Throws where rabbitmqctl is missing or not allowed.
 */
export function listQueues(columns: readonly string[]): string[][] {
  const out = execFileSync('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', ...columns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((row) => row[0]);
}
