import { readFileSync } from 'node:fs';
import { CONSUMER_QUEUES, rabbitDefinitions } from '@fabline/shared/topology';
import { describe, expect, it } from 'vitest';

// The broker definitions an operator imports are the ones the services assert at start: both come from topology.ts.
const file = JSON.parse(readFileSync(new URL('../rabbitmq/definitions.json', import.meta.url), 'utf8'));

describe('RabbitMQ definitions', () => {
  it('equal what the services declare (regenerate with npx tsx infra/deploy/rabbitmq/generate.ts)', () => {
    expect(file).toEqual(rabbitDefinitions('fabline'));
  });

  it('give every consumer queue retry queues with growing delays and a dead-letter queue', () => {
    const names = file.queues.map((q: { name: string }) => q.name);
    for (const spec of CONSUMER_QUEUES) {
      expect(names).toContain(`fabline.${spec.queue}.dlq`);
      // quote jobs retry by redelivery and are dead-lettered by the broker (see topology.ts)
      if ('brokerDeadLetter' in spec && spec.brokerDeadLetter) continue;
      const delays = file.queues
        .filter((q: { name: string }) => q.name.startsWith(`fabline.${spec.queue}.retry.`))
        .map((q: { arguments: Record<string, number> }) => q.arguments['x-message-ttl']);
      expect(delays.length).toBeGreaterThan(1);
      expect([...delays].sort((a, b) => a - b)).toEqual(delays);
    }
  });

  it('bound the queue into the MES so the CRM gets nacks instead of flooding it', () => {
    const queue = file.queues.find((q: { name: string }) => q.name === 'fabline.mes.order-approved.v2');
    expect(queue.arguments).toMatchObject({ 'x-queue-type': 'quorum', 'x-overflow': 'reject-publish' });
    expect(queue.arguments['x-max-length']).toBeGreaterThan(0);
  });
});
