import { requireViewer, type Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { assertId, notFound } from '@fabline/shared/ids';
import type { MesContext } from './context.ts';
import type { PrismaClient } from './db.ts';
import { type Printer, Prisma, type ProductionOrder, type Quote } from './generated/prisma/client.ts';

/** Who may see printers and assign work to them. */
export const PRINTER_READERS = ['OPERATOR', 'ADMIN'] as const;
/** A printer needs the job while it waits for it or is printing it. */
const ON_PRINTER = ['QUEUED', 'PRINTING'] as const;

/** A job in a printer's queue; position 1 is the next the printer works on. */
export type PrinterJobRow = ProductionOrder & { position: number };

export interface PrinterQueuePage {
  jobs: PrinterJobRow[];
  totalCount: number;
  estimatedPrintSeconds: number;
}

/** The queues of many printers in two queries: their jobs (the one printing first, then by assignment), and their sums. */
export async function loadPrinterQueues(prisma: PrismaClient, keys: readonly { printerId: string; first: number }[]): Promise<PrinterQueuePage[]> {
  const printerIds = [...new Set(keys.map((k) => k.printerId))];
  const where = { printerId: { in: printerIds }, stage: { in: [...ON_PRINTER] } };
  const [rows, sums] = await Promise.all([
    // PRINTING sorts after QUEUED in the enum: descending puts the job being printed first
    prisma.productionOrder.findMany({ where, orderBy: [{ stage: 'desc' }, { assignedAt: 'asc' }, { orderId: 'asc' }] }),
    prisma.productionOrder.groupBy({ by: ['printerId'], where, _count: { _all: true }, _sum: { printSeconds: true } }),
  ]);
  return keys.map(({ printerId, first }) => {
    const sum = sums.find((s) => s.printerId === printerId);
    return {
      jobs: rows
        .filter((r) => r.printerId === printerId)
        .slice(0, first)
        .map((row, index) => ({ ...row, position: index + 1 })),
      totalCount: sum?._count._all ?? 0,
      estimatedPrintSeconds: sum?._sum.printSeconds ?? 0,
    };
  });
}

const mm = (d: { xMm: number; yMm: number; zMm: number }) => `${d.xMm} × ${d.yMm} × ${d.zMm} mm`;
const round1 = (value: number) => Math.round(value * 10) / 10;
export const buildVolume = (p: Printer) => ({ xMm: p.buildXMm, yMm: p.buildYMm, zMm: p.buildZMm });

/**
 * Why a quoted model cannot go on a printer, or null when it can. The part may be turned about z
 * (x and y swap) but not tipped over: its height decides its layers, so its print time and price.
 * A quote priced before the x/y extents were kept is checked on its height only.
 */
export function whyNotFits(printer: Printer, quote: Pick<Quote, 'id' | 'materialCode' | 'widthMm' | 'depthMm' | 'heightMm'>): string | null {
  if (!printer.materials.includes(quote.materialCode)) {
    return `Printer "${printer.name}" cannot print ${quote.materialCode}; it prints ${printer.materials.join(', ')}`;
  }
  const volume = buildVolume(printer);
  const z = quote.heightMm ?? 0;
  const x = quote.widthMm ?? 0;
  const y = quote.depthMm ?? 0;
  const fits = z <= volume.zMm && ((x <= volume.xMm && y <= volume.yMm) || (x <= volume.yMm && y <= volume.xMm));
  if (fits) return null;
  const size = quote.widthMm === null ? `${round1(z)} mm high` : mm({ xMm: round1(x), yMm: round1(y), zMm: round1(z) });
  return `The model of quote ${quote.id} (${size}) does not fit the build volume of printer "${printer.name}" (${mm(volume)})`;
}

interface OrderLines {
  id: string;
  items: { quote: { id: string } }[];
}
const ORDER_LINES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id items { quote { id } } } } }`;

/** The quotes of each order's lines: the lines from shop (one call for all), the quotes from the MES database. */
async function quotesOfOrders(ctx: MesContext, viewer: Viewer, orderIds: string[]) {
  const { _entities: orders } = await ctx.shop<{ _entities: (OrderLines | null)[] }>(
    ORDER_LINES,
    { representations: orderIds.map((id) => ({ __typename: 'Order', id })) },
    viewer,
    ctx.requestId,
  );
  const quoteIds = orders.flatMap((o) => o?.items.map((i) => i.quote.id) ?? []);
  const quotes = new Map((await ctx.prisma.quote.findMany({ where: { id: { in: quoteIds } } })).map((q) => [q.id, q]));
  return new Map(
    orderIds.map((id, index) => [id, (orders[index]?.items ?? []).flatMap((i) => quotes.get(i.quote.id) ?? []).sort((a, b) => a.id.localeCompare(b.id))]),
  );
}

/**
 * Puts a QUEUED order on a printer's queue (again, on another printer, is allowed). Every line's
 * material and bounding box must suit the printer; the printer row is locked while the job is
 * written, so a concurrent edit or retirement cannot slip a job past the checks.
 */
export async function assignPrinter(ctx: MesContext, orderId: string, printerId: string) {
  const me = requireViewer(ctx.viewer, PRINTER_READERS);
  assertId(orderId, 'order');
  assertId(printerId, 'printer');
  const job = await ctx.prisma.productionOrder.findUnique({ where: { orderId } });
  if (!job) {
    if (await ctx.prisma.archivedProductionOrder.findUnique({ where: { orderId } })) throw userError('BAD_USER_INPUT', `Order ${orderId} is already SHIPPED`);
    throw userError('NOT_FOUND', `Order ${orderId} is not in production (not approved yet, or unknown)`);
  }
  if (job.stage !== 'QUEUED')
    throw userError('BAD_USER_INPUT', `Order ${orderId} is ${job.stage}; only QUEUED orders can be assigned to a printer`, { currentStage: job.stage });
  if (!(await ctx.loaders.printer.load(printerId))) throw notFound('Printer', printerId);

  const { _entities: orders } = await ctx.shop<{ _entities: (OrderLines | null)[] }>(
    ORDER_LINES,
    { representations: [{ __typename: 'Order', id: orderId }] },
    me,
    ctx.requestId,
  );
  const quoteIds = orders[0]?.items.map((i) => i.quote.id) ?? [];
  const quotes = await ctx.prisma.quote.findMany({ where: { id: { in: quoteIds } }, orderBy: { id: 'asc' } });
  if (quotes.length === 0) throw userError('NOT_FOUND', `Order ${orderId} has no lines the MES knows`);
  const printSeconds = quotes.every((q) => q.printSeconds !== null) ? quotes.reduce((sum, q) => sum + (q.printSeconds ?? 0), 0) : null;

  await ctx.prisma.$transaction(async (tx) => {
    // FOR SHARE: assignments to one printer run side by side; an edit or retirement (FOR UPDATE) waits for them
    await tx.$queryRaw`SELECT id FROM printers WHERE id = ${printerId}::uuid FOR SHARE`;
    const printer = await tx.printer.findUniqueOrThrow({ where: { id: printerId } });
    if (printer.retiredAt) throw userError('BAD_USER_INPUT', `Printer "${printer.name}" is retired; choose another`);
    for (const quote of quotes) {
      const reason = whyNotFits(printer, quote);
      if (reason) throw userError('BAD_USER_INPUT', reason, { printerId, quoteId: quote.id });
    }
    const { count } = await tx.productionOrder.updateMany({
      where: { orderId, stage: 'QUEUED' },
      data: { printerId, assignedAt: new Date(), printSeconds },
    });
    if (count === 0) throw userError('CONFLICT', `Order ${orderId} was moved by someone else; reload and try again`);
  });
  ctx.loaders.production.clear(orderId);
  return { id: orderId };
}

/** Locks a printer for a change: waits for assignments in flight, keeps new ones out until the change commits. */
async function lockPrinter(tx: Prisma.TransactionClient, id: string) {
  await tx.$queryRaw`SELECT id FROM printers WHERE id = ${id}::uuid FOR UPDATE`;
  const printer = await tx.printer.findUnique({ where: { id } });
  if (!printer) throw notFound('Printer', id);
  return printer;
}

export async function retirePrinter(ctx: MesContext, id: string) {
  requireViewer(ctx.viewer, ['ADMIN']);
  assertId(id, 'printer');
  return ctx.prisma.$transaction(async (tx) => {
    const printer = await lockPrinter(tx, id);
    if (printer.retiredAt) return printer;
    const waiting = await tx.productionOrder.count({ where: { printerId: id, stage: { in: [...ON_PRINTER] } } });
    if (waiting > 0)
      throw userError('BAD_USER_INPUT', `Printer "${printer.name}" still has ${waiting} job(s) queued or printing; assign them to another printer first`);
    return tx.printer.update({ where: { id }, data: { retiredAt: new Date() } });
  });
}

export interface PrinterFields {
  name?: string | null;
  technology?: Printer['technology'] | null;
  materials?: readonly string[] | null;
  buildVolume?: { xMm: number; yMm: number; zMm: number } | null;
  status?: Printer['status'] | null;
}

/** Validated columns for the fields given; material codes must be active materials. */
async function printerData(ctx: MesContext, input: PrinterFields) {
  const data: Prisma.PrinterUpdateInput = {};
  if (input.name != null) {
    const name = input.name.trim();
    if (!name || name.length > 100) throw userError('BAD_USER_INPUT', 'name must be 1 to 100 characters');
    data.name = name;
  }
  if (input.technology != null) data.technology = input.technology;
  if (input.status != null) data.status = input.status;
  if (input.materials != null) {
    const codes = [...new Set(input.materials.map((c) => c.trim().toUpperCase()))];
    if (codes.length === 0) throw userError('BAD_USER_INPUT', 'materials must name at least one Material.code');
    const known = (await ctx.prisma.material.findMany({ where: { active: true }, select: { code: true } })).map((m) => m.code);
    const unknown = codes.filter((c) => !known.includes(c));
    if (unknown.length) throw userError('BAD_USER_INPUT', `Unknown material ${unknown.join(', ')}; choose from ${known.join(', ')}`);
    data.materials = codes;
  }
  if (input.buildVolume != null) {
    const { xMm, yMm, zMm } = input.buildVolume;
    if ([xMm, yMm, zMm].some((v) => v < 1 || v > 5000)) throw userError('BAD_USER_INPUT', 'buildVolume: each of xMm, yMm, zMm must be 1 to 5000 (mm)');
    Object.assign(data, { buildXMm: xMm, buildYMm: yMm, buildZMm: zMm });
  }
  return data;
}

const nameTaken = (error: unknown, name: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
    ? userError('CONFLICT', `A printer named "${String(name)}" already exists`)
    : error;

export async function createPrinter(ctx: MesContext, input: PrinterFields & { name: string; technology: Printer['technology']; materials: readonly string[] }) {
  requireViewer(ctx.viewer, ['ADMIN']);
  if (!input.buildVolume) throw userError('BAD_USER_INPUT', 'buildVolume is required');
  const data = (await printerData(ctx, input)) as Prisma.PrinterCreateInput;
  return ctx.prisma.printer.create({ data }).catch((error: unknown) => {
    throw nameTaken(error, data.name);
  });
}

/**
 * Changes a printer. Narrowing what it prints or how large is refused while a job on it would no
 * longer fit: those are reassigned first, as for retiring it.
 */
export async function updatePrinter(ctx: MesContext, id: string, input: PrinterFields) {
  const me = requireViewer(ctx.viewer, ['ADMIN']);
  assertId(id, 'printer');
  const data = await printerData(ctx, input);
  return ctx.prisma
    .$transaction(
      async (tx) => {
        const printer = await lockPrinter(tx, id);
        if (data.materials !== undefined || data.buildXMm !== undefined) {
          const jobs = await tx.productionOrder.findMany({ where: { printerId: id, stage: { in: [...ON_PRINTER] } }, select: { orderId: true } });
          if (jobs.length > 0) {
            const next = { ...printer, ...data } as Printer;
            for (const [orderId, quotes] of await quotesOfOrders(
              ctx,
              me,
              jobs.map((j) => j.orderId),
            )) {
              const reason = quotes.map((q) => whyNotFits(next, q)).find((r) => r !== null);
              if (reason)
                throw userError(
                  'BAD_USER_INPUT',
                  `Order ${orderId} is on this printer and would no longer fit (${reason}); assign it to another printer first`,
                  { orderId },
                );
            }
          }
        }
        return tx.printer.update({ where: { id }, data });
      },
      // the check asks shop for the jobs' lines while the printer is locked
      { timeout: 20_000 },
    )
    .catch((error: unknown) => {
      throw nameTaken(error, data.name);
    });
}
