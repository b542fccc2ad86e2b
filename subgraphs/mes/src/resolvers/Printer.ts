import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { assertId } from '@fabline/shared/ids';
import { loadReferenced } from '@fabline/shared/loaders';
import type { MutationResolvers, PrinterJobResolvers, PrinterResolvers, ProductionResolvers, QueryResolvers } from '../generated/graphql.ts';
import { assignPrinter, buildVolume, createPrinter, PRINTER_READERS, retirePrinter, updatePrinter } from '../printers.ts';

export const PrinterQuery: QueryResolvers = {
  printers: async (_, { includeRetired, material }, { viewer, prisma }) => {
    requireViewer(viewer, PRINTER_READERS);
    return prisma.printer.findMany({
      where: { ...(includeRetired ? {} : { retiredAt: null }), ...(material ? { materials: { has: material.trim().toUpperCase() } } : {}) },
      orderBy: { name: 'asc' },
      take: 500,
    });
  },
  printer: async (_, { id }, { viewer, loaders }) => {
    requireViewer(viewer, PRINTER_READERS);
    assertId(id, 'printer');
    return loaders.printer.load(id);
  },
};

export const PrinterMutation: MutationResolvers = {
  assignPrinter: (_, { orderId, printerId }, ctx) => assignPrinter(ctx, orderId, printerId),
  createPrinter: (_, { input }, ctx) => createPrinter(ctx, input),
  updatePrinter: (_, { id, input }, ctx) => updatePrinter(ctx, id, input),
  retirePrinter: (_, { id }, ctx) => retirePrinter(ctx, id),
};

export const Printer: PrinterResolvers = {
  __resolveReference: ({ id }, { viewer, loaders }) => {
    requireViewer(viewer, PRINTER_READERS);
    return loaders.printer.load(id);
  },
  materials: async (printer, _, { loaders }) =>
    Promise.all(printer.materials.map((code) => loadReferenced(loaders.material, code, `Material ${code} of printer ${printer.id}`))),
  buildVolume: (printer) => buildVolume(printer),
  retired: (printer) => printer.retiredAt !== null,
  queue: (printer, { first }, { loaders }) => {
    if (first < 1 || first > 500) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 500');
    return loaders.printerQueue.load({ printerId: printer.id, first });
  },
};

export const PrinterJob: PrinterJobResolvers = {
  order: (job) => ({ id: job.orderId }),
  assignedAt: (job) => job.assignedAt ?? job.queuedAt,
  estimatedPrintSeconds: (job) => job.printSeconds,
};

export const Production: ProductionResolvers = {
  printer: (row, _, { viewer, loaders }) => {
    requireViewer(viewer, PRINTER_READERS);
    return row.printerId ? loaders.printer.load(row.printerId) : null;
  },
};
