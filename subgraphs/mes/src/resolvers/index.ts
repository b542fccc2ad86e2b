import { DateTimeScalar, DecimalScalar } from '@fabline/shared/scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { Material } from './Material.ts';
import { Model3D } from './Model3D.ts';
import { Mutation } from './Mutation.ts';
import { Order, ProductionQueueConnection } from './Order.ts';
import { Printer, PrinterJob, PrinterMutation, PrinterQuery, Production } from './Printer.ts';
import { Query } from './Query.ts';
import { Quote } from './Quote.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Query: { ...Query, ...PrinterQuery },
  Mutation: { ...Mutation, ...PrinterMutation },
  Quote,
  Material,
  Order,
  ProductionQueueConnection,
  Model3D,
  Printer,
  PrinterJob,
  Production,
};
