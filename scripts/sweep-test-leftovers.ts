// `npm test`, before the tests: removes the databases, queues and Redis keys that test stacks of
// earlier runs left when they died before stopping (see infra/dev/src/cleanup.ts).
import { sweepStaleTestNamespaces } from '@fabline/dev/cleanup';

const swept = await sweepStaleTestNamespaces();
console.log(
  swept.length ? `removed what ${swept.length} test stacks of earlier runs left (databases, queues, Redis keys)` : 'no leftovers of earlier test runs',
);
