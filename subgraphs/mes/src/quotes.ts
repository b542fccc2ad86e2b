import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { QUOTE_JOBS_QUEUE, type QuoteJob, type QuoteReadyMessage, quoteReadyChannel } from '@fabline/shared/events';
import { notFound } from '@fabline/shared/ids';
import { channelName } from '@fabline/shared/redis';
import { z } from 'zod';
import type { MesContext } from './context.ts';
import type { Quote } from './generated/prisma/client.ts';
import { quoteOutcome } from './priceJob.ts';
import { PRICING_ALGORITHM_VERSION } from './pricing.ts';

const quoteInput = z.object({
  modelId: z.uuid({ message: 'modelId is not a model id' }),
  material: z.string().trim().toUpperCase().min(1, 'material must be a Material.code'),
  quantity: z.number().int().min(1, 'quantity must be at least 1').max(10_000, 'quantity must be at most 10000'),
});

interface ModelForQuote {
  id: string;
  ownerId: string;
  sha256: string;
  storageKey: string;
}
const MODELS = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Model3D { id ownerId sha256 storageKey } } }`;

/** A quote that failed on the customer's file: the error names the problem (and the FAILED quote keeps it). */
function badModel(quote: Quote) {
  return userError('BAD_USER_INPUT', `The model cannot be priced: ${quote.failureReason ?? 'it could not be analysed'}`, {
    quoteId: quote.id,
    reason: quote.failureCode,
  });
}

export function assertCanSeeQuote(quote: Quote, ctx: MesContext) {
  const me = requireViewer(ctx.viewer);
  if (!isStaff(me) && quote.ownerId !== me.id) throw notFound('Quote', quote.id);
  return quote;
}

/**
 * A model whose file was analysed before (same sha256) is priced at once from the cache, with
 * no job. Otherwise: records a PENDING quote, hands it to the price workers, and waits up to
 * QUOTE_WAIT_MS for the result; a slower worker leaves it PENDING for `quote(id)` to pick up
 * later. A file that is not a usable mesh is a BAD_USER_INPUT error naming the problem.
 */
export async function requestQuote(ctx: MesContext, input: unknown) {
  const me = requireViewer(ctx.viewer, ['CUSTOMER', 'PARTNER', 'MANAGER', 'ADMIN']);
  const parsed = quoteInput.safeParse(input);
  if (!parsed.success) throw userError('BAD_USER_INPUT', parsed.error.issues.map((i) => i.message).join('; '));
  const { modelId, material, quantity } = parsed.data;
  const mat = await ctx.loaders.material.load(material);
  if (!mat?.active) {
    const codes = (await ctx.prisma.material.findMany({ where: { active: true }, select: { code: true } })).map((m) => m.code);
    throw userError('BAD_USER_INPUT', `Unknown material "${material}"; choose one of ${codes.join(', ')}`);
  }
  const { _entities: models } = await ctx.shop<{ _entities: (ModelForQuote | null)[] }>(
    MODELS,
    { representations: [{ __typename: 'Model3D', id: modelId }] },
    me,
    ctx.requestId,
  );
  const model = models[0];
  if (!model || (model.ownerId !== me.id && !isStaff(me))) throw notFound('Model', modelId);

  const base = {
    ownerId: model.ownerId,
    modelId,
    modelSha256: model.sha256,
    storageKey: model.storageKey,
    materialCode: mat.code,
    quantity,
    algorithmVersion: PRICING_ALGORITHM_VERSION,
    expiresAt: new Date(Date.now() + ctx.env.QUOTE_VALID_DAYS * 86_400_000),
  };

  const known = await ctx.quoteCache.getAnalysis(model.sha256);
  if (known) {
    const outcome = await quoteOutcome(ctx.quoteCache, known, mat, quantity);
    const quote = await ctx.prisma.quote.create({ data: { ...base, ...outcome, completedAt: new Date() } });
    if (outcome.status === 'FAILED') {
      ctx.quoteMetrics.failures.inc({ reason: String(outcome.failureCode) });
      throw badModel(quote);
    }
    return quote;
  }

  const quote = await ctx.prisma.quote.create({ data: base });
  const done = ctx.listeners.waitFor<QuoteReadyMessage>(channelName(ctx.env.NAMESPACE, quoteReadyChannel(quote.id)), () => true, ctx.env.QUOTE_WAIT_MS);
  await done.ready;
  try {
    await ctx.bus.send<QuoteJob>(QUOTE_JOBS_QUEUE, { quoteId: quote.id }, quote.id);
  } catch (error) {
    await ctx.prisma.quote.update({ where: { id: quote.id }, data: { status: 'FAILED', failureReason: 'the price workers could not be reached' } });
    ctx.log.error({ err: error, quoteId: quote.id }, 'could not publish quote job');
    throw userError('SERVICE_UNAVAILABLE', 'The price workers cannot be reached right now; try again shortly');
  }
  const message = await done.result;
  if (!message) return quote;
  const finished = await ctx.prisma.quote.findUniqueOrThrow({ where: { id: quote.id } });
  // an INTERNAL failure is ours, not the customer's: the FAILED quote is the answer
  if (finished.status === 'FAILED' && finished.failureCode !== 'INTERNAL') throw badModel(finished);
  return finished;
}
