import { requireViewer, signUserToken, type Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { EVENTS, type OrderReviewed, type OrderStatusMessage, orderStatusChannel } from '@fabline/shared/events';
import { assertId } from '@fabline/shared/ids';
import { outboxEvent } from '@fabline/shared/outbox';
import { channelName } from '@fabline/shared/redis';
import { z } from 'zod';
import type { CrmContext } from '../context.ts';
import type { MutationResolvers } from '../generated/graphql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { hashPassword, verifyPassword } from '../password.ts';

const signUpInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'email is not a valid address' })),
  password: z.string().min(10, 'password must have at least 10 characters').max(200, 'password must have at most 200 characters'),
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must have at most 200 characters'),
});

async function authPayload(viewer: Viewer, { env }: CrmContext) {
  return { token: await signUserToken(viewer, env.JWT_SECRET), viewer: { id: viewer.id } };
}

/** Records a manager's decision, publishes it, and waits (bounded) until the shop shows the new status. */
async function decide(ctx: CrmContext, orderId: string, decision: 'APPROVED' | 'REJECTED', reason: string | null) {
  const me = requireViewer(ctx.viewer, ['MANAGER', 'ADMIN']);
  assertId(orderId, 'order');
  const { prisma, outbox, listeners, env } = ctx;
  const review = await prisma.review.findUnique({ where: { orderId } });
  if (!review) throw userError('NOT_FOUND', `Order ${orderId} is not awaiting review (unknown, or not yet received by the CRM)`);
  if (review.decision !== 'PENDING') throw userError('CONFLICT', `Order ${orderId} was already ${review.decision.toLowerCase()}`);
  const shopSaw = listeners.waitFor<OrderStatusMessage>(
    channelName(env.NAMESPACE, orderStatusChannel(orderId)),
    (m) => m.status === decision,
    env.STATUS_WAIT_MS,
  );
  await shopSaw.ready;
  const event: OrderReviewed = { orderId, customerId: review.customerId, reviewerId: me.id, decision, reason, at: new Date().toISOString() };
  // the decision and its event commit together; the conditional update makes a concurrent second decision lose
  // a refused decision stops waiting at once instead of holding a listener until the timeout
  await prisma
    .$transaction(async (tx) => {
      const { count } = await tx.review.updateMany({
        where: { orderId, decision: 'PENDING' },
        data: { decision, reason, reviewerId: me.id, decidedAt: new Date() },
      });
      if (count === 0) throw userError('CONFLICT', `Order ${orderId} was decided by someone else a moment ago`);
      await tx.outboxEvent.create({ data: outboxEvent(decision === 'APPROVED' ? EVENTS.orderApproved : EVENTS.orderRejected, event) });
    })
    .catch((error: unknown) => {
      shopSaw.cancel();
      throw error;
    });
  outbox.nudge();
  await shopSaw.result;
  return { id: orderId };
}

export const Mutation: MutationResolvers = {
  signUp: async (_, { input }, ctx, info) => {
    await ctx.fieldLimits?.(ctx, info, { input }, { max: ctx.env.SIGNUP_LIMIT_PER_MINUTE, by: 'ip' });
    const parsed = signUpInput.safeParse(input);
    if (!parsed.success) throw userError('BAD_USER_INPUT', parsed.error.issues.map((i) => i.message).join('; '));
    const { email, password, name } = parsed.data;
    try {
      const account = await ctx.prisma.account.create({ data: { email, name, role: 'CUSTOMER', passwordHash: await hashPassword(password) } });
      return authPayload({ id: account.id, role: account.role }, ctx);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw userError('CONFLICT', 'An account with this email already exists; log in instead');
      }
      throw error;
    }
  },
  logIn: async (_, { email, password }, ctx, info) => {
    await ctx.fieldLimits?.(ctx, info, { email }, { max: ctx.env.LOGIN_LIMIT_PER_MINUTE, by: 'ip' });
    const account = await ctx.prisma.account.findUnique({ where: { email: email.trim().toLowerCase() } });
    // an unknown email costs the same scrypt work as a wrong password: timing does not tell them apart
    const ok = await verifyPassword(password, account?.passwordHash ?? null);
    if (!account || !ok) throw userError('UNAUTHENTICATED', 'Wrong email or password');
    return authPayload({ id: account.id, role: account.role }, ctx);
  },
  approveOrder: (_, { id }, ctx) => decide(ctx, id, 'APPROVED', null),
  rejectOrder: (_, { id, reason }, ctx) => {
    const trimmed = reason.trim();
    if (!trimmed || trimmed.length > 2000) throw userError('BAD_USER_INPUT', 'reason must be 1 to 2000 characters');
    return decide(ctx, id, 'REJECTED', trimmed);
  },
  addOrderNote: async (_, { orderId, body }, ctx) => {
    const me = requireViewer(ctx.viewer, ['MANAGER', 'OPERATOR', 'ADMIN']);
    assertId(orderId, 'order');
    const text = body.trim();
    if (!text || text.length > 5000) throw userError('BAD_USER_INPUT', 'body must be 1 to 5000 characters');
    return ctx.prisma.note.create({ data: { orderId, authorId: me.id, body: text } });
  },
};
