import type { PrismaClient } from './db.ts';
import type { ProductionOrder } from './generated/prisma/client.ts';

/** A printer needs the job while it waits for it or is printing it. */
export const ON_PRINTER = ['QUEUED', 'PRINTING'] as const;

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
