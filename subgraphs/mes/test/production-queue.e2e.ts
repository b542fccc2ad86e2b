import { eventually, gql, graphql, type Stack, startStack } from '@fabline/dev';
import { closeDbs, openDbs, type PipelineDbs, placeOrders } from '@fabline/dev/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The operators' queue through the gateway, a page at a time: 450 jobs (more than two pages of 200)
// queued by the real pipeline (orders written to the shop's database, approved by the automatic
// manager, queued by the MES), read page after page while another operator moves jobs: every job
// once, none skipped, in queue order, with the count; and the page limit told as an error.
const JOBS = 450;
let stack: Stack;
let url: string;
let dbs: PipelineDbs;
const operator = { token: '' };
const codeOf = (result: { errors?: readonly { extensions?: { code?: unknown } }[] }) => result.errors?.[0]?.extensions?.code;
const logIn = async (email: string) =>
  (await gql(url, 'mutation($e: String!) { logIn(email: $e, password: "fabline-demo-2026") { token } }', { e: email })).logIn.token as string;

const PAGE = `query($first: Int, $after: String, $stage: ProductionStage) {
  productionQueue(first: $first, after: $after, stage: $stage) {
    edges { cursor node { id production { stage queuedAt } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  } }`;
type Page = {
  edges: { cursor: string; node: { id: string; production: { stage: string; queuedAt: string } } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
};
const page = async (variables: Record<string, unknown>) => (await gql<{ productionQueue: Page }>(url, PAGE, variables, operator)).productionQueue;

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn', CRM_AUTO_APPROVE: 'true' } });
  url = stack.urls.gateway;
  operator.token = await logIn('operator@fabline.dev');
  dbs = openDbs(stack);
  await placeOrders(dbs, JOBS);
  const queued = async () => Number((await dbs.mes.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM production_orders'))[0]?.n ?? 0);
  await eventually(async () => ((await queued()) >= JOBS ? true : undefined), { timeoutMs: 170_000, intervalMs: 250 });
});
afterAll(async () => {
  if (dbs) await closeDbs(dbs);
  await stack?.stop();
});

describe('productionQueue, paginated', () => {
  it(`pages through ${JOBS} jobs while others move them: each job once, none skipped, oldest first, with the count`, async () => {
    const seen: Page['edges'] = [];
    const first = await page({ first: 200 });
    expect(first.edges).toHaveLength(200);
    expect(first.totalCount).toBe(JOBS);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges.at(-1)?.cursor });
    seen.push(...first.edges);
    // another operator moves a job already read and one not read yet: a move keeps a job's place in the queue
    const advance = 'mutation($id: ID!) { advanceProduction(orderId: $id, stage: PRINTING) { id } }';
    const early = first.edges[0]?.node.id;
    await gql(url, advance, { id: early }, operator);
    let current = first;
    let pages = 1;
    while (current.pageInfo.hasNextPage) {
      current = await page({ first: 200, after: current.pageInfo.endCursor });
      pages++;
      if (pages === 2) await gql(url, advance, { id: current.edges.at(-1)?.node.id }, operator);
      seen.push(...current.edges);
      expect(pages).toBeLessThanOrEqual(3);
    }
    expect(pages).toBe(3);
    expect(current.edges).toHaveLength(JOBS - 400);
    expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)?.cursor);

    const ids = seen.map((edge) => edge.node.id);
    expect(new Set(ids).size).toBe(JOBS);
    const inDb = await dbs.mes.$queryRawUnsafe<{ id: string }[]>('SELECT order_id::text AS id FROM production_orders ORDER BY queued_at, order_id');
    expect(ids).toEqual(inDb.map((row) => row.id));
    // oldest first; each read as it stood when its page was read (both moves came after)
    const times = seen.map((edge) => Date.parse(edge.node.production.queuedAt));
    expect(times.every((time, i) => i === 0 || time >= (times[i - 1] as number))).toBe(true);
    expect(seen.every((edge) => edge.node.production.stage === 'QUEUED')).toBe(true);

    // one stage: its own count and pages
    const printing = await page({ first: 1, stage: 'PRINTING' });
    expect(printing.totalCount).toBe(2);
    expect(printing.edges.map((edge) => edge.node.id)).toEqual([early]);
    const rest = await page({ first: 1, stage: 'PRINTING', after: printing.pageInfo.endCursor });
    expect(rest.edges.map((edge) => edge.node.id)).toEqual([ids[399]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a page size outside 1 to 200 and a cursor not from the list with BAD_USER_INPUT, and the board query at 200 fits the operator cost budget', async () => {
    for (const variables of [
      { first: 201 },
      { first: 0 },
      { first: 50, after: 'not-a-cursor' },
      { first: 50, after: Buffer.from('["x","y"]').toString('base64url') },
    ]) {
      const result = await graphql(url, PAGE, variables, operator);
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.data?.productionQueue ?? null).toBeNull();
    }
    const tooLarge = await graphql(url, PAGE, { first: 201 }, operator);
    expect(tooLarge.errors?.[0]?.message).toMatch(/between 1 and 200/);
    // the board's page with everything a card shows: under the operator's budget (5,000) at first = 200
    const board = `query($after: String) { productionQueue(first: 200, after: $after) { edges { cursor node { id status placedAt
      production { stage queuedAt updatedAt printer { id name } } items { id material quantity quote { id estimatedPrintSeconds needsReview } } } }
      pageInfo { hasNextPage endCursor } totalCount } materials { code name } printers { id name } }`;
    const result = await graphql(url, board, {}, operator);
    expect(result.errors).toBeUndefined();
    expect((result.data as { productionQueue: Page }).productionQueue.edges).toHaveLength(200);
  });

  it('is for staff: a customer is refused, and a partner does not see it at all', async () => {
    const { signUp } = await gql(url, 'mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
      i: { email: `queue-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Quinn' },
    });
    const customer = await graphql(url, PAGE, { first: 10 }, { token: signUp.token });
    expect(codeOf(customer)).toBe('FORBIDDEN');
    const partner = await graphql(url, PAGE, { first: 10 }, { apiKey: 'fbl_demo_partner_0001' });
    expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(partner.status).toBe(400);
  });
});
