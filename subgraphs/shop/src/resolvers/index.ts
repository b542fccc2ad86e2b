import { DateTimeScalar, DecimalScalar } from '@fabline/shared/scalars';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { Resolvers } from '../generated/graphql.ts';
import { Mutation } from './Mutation.ts';
import { Model3D, Order, OrderConnection, OrderItem, OrderStatusChange } from './Order.ts';
import { Person } from './Person.ts';
import { Query } from './Query.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Upload: GraphQLUpload,
  Query,
  Mutation,
  Order,
  OrderConnection,
  OrderItem,
  Model3D,
  OrderStatusChange,
  Person,
};
