import { requireViewer } from '@fabline/shared/auth';
import { deadLetterQueues, listDeadLetters, replayDeadLetters } from '@fabline/shared/deadLetters';
import { userError } from '@fabline/shared/errors';
import { deadLetterQueue } from '@fabline/shared/topology';
import type { MutationResolvers, QueryResolvers } from '../generated/graphql.ts';

/** The CRM answers for every queue of the namespace: dead letters are a broker matter, not a subgraph's. */
function assertQueue(queue: string) {
  const known = deadLetterQueues();
  if (!known.includes(queue)) throw userError('BAD_USER_INPUT', `Unknown queue "${queue}"; the event queues are ${known.join(', ')}`);
}

export const DeadLetterQuery: QueryResolvers = {
  eventQueues: async (_, __, { viewer, bus }) => {
    requireViewer(viewer, ['ADMIN']);
    return Promise.all(
      deadLetterQueues().map(async (name) => ({
        name,
        depth: await bus.queueDepth(name),
        deadLetters: await bus.queueDepth(deadLetterQueue(name)),
      })),
    );
  },
  deadLetters: async (_, { queue, first }, { viewer, bus }) => {
    requireViewer(viewer, ['ADMIN']);
    assertQueue(queue);
    if (first < 1 || first > 100) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 100');
    return listDeadLetters(bus, queue, first);
  },
};

export const DeadLetterMutation: MutationResolvers = {
  replayDeadLetter: async (_, { queue, messageId }, { viewer, bus }) => {
    requireViewer(viewer, ['ADMIN']);
    assertQueue(queue);
    return (await replayDeadLetters(bus, queue, messageId)) > 0;
  },
  replayDeadLetters: async (_, { queue }, { viewer, bus }) => {
    requireViewer(viewer, ['ADMIN']);
    assertQueue(queue);
    return replayDeadLetters(bus, queue);
  },
};
