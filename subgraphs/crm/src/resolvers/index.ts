import { DateTimeScalar, DecimalScalar } from '@fabline/shared/scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { DeadLetterMutation, DeadLetterQuery } from './DeadLetter.ts';
import { Mutation } from './Mutation.ts';
import { Note } from './Note.ts';
import { Order } from './Order.ts';
import { PartnerKey, PersonConnection, StaffMutation, StaffQuery } from './PartnerKey.ts';
import { Person } from './Person.ts';
import { Query } from './Query.ts';
import { Review } from './Review.ts';
import { Viewer } from './Viewer.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Query: { ...Query, ...DeadLetterQuery, ...StaffQuery },
  Mutation: { ...Mutation, ...DeadLetterMutation, ...StaffMutation },
  Person,
  Viewer,
  Order,
  Review,
  Note,
  PartnerKey,
  PersonConnection,
};
