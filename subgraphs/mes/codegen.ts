import { subgraphCodegen } from '@fabline/dev/codegen';

export default subgraphCodegen({
  contextType: '../context.ts#MesContext',
  prismaModels: { Material: 'Material', Quote: 'Quote', Printer: 'Printer' },
  mappers: {
    // mes adds production to an order it knows by id; shop owns the rest
    Order: '{ id: string }',
    // shop owns models: Quote.model gives the id, the gateway adds sha256 where a field @requires it
    Model3D: '{ id: string; sha256?: string }',
    // an order's production row, active or archived
    Production: '../context.ts#ProductionRow',
    PrinterJob: '../printerQueues.ts#PrinterJobRow',
    PrinterQueue: '../printerQueues.ts#PrinterQueuePage',
    ProductionQueueConnection: '../production.ts#ProductionQueuePage',
  },
});
