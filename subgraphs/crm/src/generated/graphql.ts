import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Account as AccountRow, Review as ReviewRow, Note as NoteRow, ApiKey as ApiKeyRow } from './prisma/client.ts';
import type { PersonPage } from '../customers.ts';
import type { CrmContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  DateTime: { input: Date; output: Date | string; }
  Decimal: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** Send as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  viewer: Viewer;
};

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type CreatePartnerKeyInput = {
  /** What admins call the key, e.g. the partner's company; 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** The partner account (role PARTNER) the key acts as; without it, a new partner account named `name` is created for the key. */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  plan?: PartnerPlan;
};

/** A new partner key: the only answer that ever carries the whole key. */
export type CreatedPartnerKey = {
  __typename?: 'CreatedPartnerKey';
  /** The whole key, sent as `X-Api-Key`. Shown this once: afterwards only its prefix is known. */
  key: Scalars['String']['output'];
  partnerKey: PartnerKey;
};

/** A message that failed every retry and was set aside. */
export type DeadLetter = {
  __typename?: 'DeadLetter';
  /** How many times it was handled and failed. */
  attempts: Scalars['Int']['output'];
  /** The message as published (JSON). */
  body: Scalars['String']['output'];
  deadLetteredAt?: Maybe<Scalars['DateTime']['output']>;
  /** The last failure. */
  error?: Maybe<Scalars['String']['output']>;
  messageId?: Maybe<Scalars['ID']['output']>;
  queue: Scalars['String']['output'];
  /** The event type, e.g. order.approved. */
  type?: Maybe<Scalars['String']['output']>;
};

/** An event queue of the bus (admin view). */
export type EventQueue = {
  __typename?: 'EventQueue';
  /** Messages in its dead-letter queue; null when it does not exist yet. */
  deadLetters?: Maybe<Scalars['Int']['output']>;
  /** Messages waiting; null when the queue does not exist yet. */
  depth?: Maybe<Scalars['Int']['output']>;
  name: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Staff: an internal note on an order. */
  addOrderNote: Note;
  /** Managers: approve a placed order; production starts. */
  approveOrder: Order;
  /** Admins: a new partner API key; the answer is the only time the whole key is shown. */
  createPartnerKey: CreatedPartnerKey;
  logIn: AuthPayload;
  /** Managers: reject a placed order with a reason the customer sees. */
  rejectOrder: Order;
  /** Admins: send one dead letter back to its queue, with a fresh attempt count. True when it was found. */
  replayDeadLetter: Scalars['Boolean']['output'];
  /** Admins: send every dead letter of a queue back to it. Returns how many. */
  replayDeadLetters: Scalars['Int']['output'];
  /**
   * Admins: revoke a partner key. New verifications refuse it at once; a gateway that verified it
   * before keeps it for at most its key cache time (API_KEY_CACHE_MS, 60 s by default). Revoking a
   * revoked key changes nothing.
   */
  revokePartnerKey: PartnerKey;
  /** Customer self-registration. */
  signUp: AuthPayload;
};


export type MutationAddOrderNoteArgs = {
  body: Scalars['String']['input'];
  orderId: Scalars['ID']['input'];
};


export type MutationApproveOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreatePartnerKeyArgs = {
  input: CreatePartnerKeyInput;
};


export type MutationLogInArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationRejectOrderArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationReplayDeadLetterArgs = {
  messageId: Scalars['ID']['input'];
  queue: Scalars['String']['input'];
};


export type MutationReplayDeadLettersArgs = {
  queue: Scalars['String']['input'];
};


export type MutationRevokePartnerKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSignUpArgs = {
  input: SignUpInput;
};

export type Note = {
  __typename?: 'Note';
  author: Person;
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The order the note is on. */
  order: Order;
};

export type Order = {
  __typename?: 'Order';
  id: Scalars['ID']['output'];
  /** The manager's review; null until the CRM has opened it. Not cached: it opens on a bus event the gateway does not hear. */
  review?: Maybe<Review>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** A partner API key as admins see it: never the key itself (only its sha256 is stored), only its first characters. */
export type PartnerKey = {
  __typename?: 'PartnerKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** When the gateway last verified the key; the gateway remembers a verified key for its key cache time (60 s by default), so this is as precise as that. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** What admins call the key. */
  name: Scalars['String']['output'];
  /** The partner account the key acts as. */
  partner: Person;
  plan: PartnerPlan;
  /** The key's first 12 characters, to recognise it. */
  prefix: Scalars['String']['output'];
  revoked: Scalars['Boolean']['output'];
  /** When it was revoked; null while the key works. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** A partner's plan: the gateway's cost budget and rate limit for its keys (`plan:<name>` in its budgets). */
export type PartnerPlan =
  | 'PREMIUM'
  | 'STANDARD';

/** A person who uses Fabline: a customer, a staff member or a partner. */
export type Person = {
  __typename?: 'Person';
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Staff: the internal notes on this person's orders, newest first (empty for anyone else). */
  orderNotes: Array<Note>;
  role: Role;
};


/** A person who uses Fabline: a customer, a staff member or a partner. */
export type PersonOrderNotesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of people: `edges` in order, `pageInfo.endCursor` is the `after` of the next page. */
export type PersonConnection = {
  __typename?: 'PersonConnection';
  edges: Array<PersonEdge>;
  pageInfo: PageInfo;
  /** How many people the list holds in all (every page). */
  totalCount: Scalars['Int']['output'];
};

export type PersonEdge = {
  __typename?: 'PersonEdge';
  cursor: Scalars['String']['output'];
  node: Person;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Managers and admins: the people who order (customers and partners) by name; with `search`, only
   * those whose name or email contains it, in any case.
   */
  customers: PersonConnection;
  /** Admins: messages that kept failing in a queue (named as in eventQueues), oldest first. Looking does not remove them. */
  deadLetters: Array<DeadLetter>;
  /** Admins: every event queue of the bus and how many messages wait in it and in its dead-letter queue. */
  eventQueues: Array<EventQueue>;
  /** Managers: orders waiting for a decision, oldest first. */
  ordersAwaitingReview: Array<Order>;
  /** Admins: partner API keys, newest first, revoked ones too unless `includeRevoked` is false. */
  partnerKeys: Array<PartnerKey>;
  /** Staff only (or the person themself). */
  person?: Maybe<Person>;
  /** Who is calling; null when anonymous. */
  viewer?: Maybe<Viewer>;
};


export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDeadLettersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  queue: Scalars['String']['input'];
};


export type QueryOrdersAwaitingReviewArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPartnerKeysArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  includeRevoked?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryPersonArgs = {
  id: Scalars['ID']['input'];
};

/** A manager's review of an order. */
export type Review = {
  __typename?: 'Review';
  decidedAt?: Maybe<Scalars['DateTime']['output']>;
  decision: ReviewDecision;
  /** Not cached: a new note names no entity the gateway could invalidate. */
  notes: Array<Note>;
  reason?: Maybe<Scalars['String']['output']>;
  reviewer?: Maybe<Person>;
};

export type ReviewDecision =
  | 'APPROVED'
  /** The customer cancelled the order before a decision. */
  | 'CANCELLED'
  | 'PENDING'
  | 'REJECTED';

export type Role =
  | 'ADMIN'
  | 'CUSTOMER'
  | 'MANAGER'
  | 'OPERATOR'
  | 'PARTNER';

export type SignUpInput = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  /** At least 10 characters. */
  password: Scalars['String']['input'];
};

/** The caller, as seen by the platform. */
export type Viewer = {
  __typename?: 'Viewer';
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  person: Person;
  role: Role;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Order: Order;
  Person: Person;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Person:
    ( { __typename: 'Person' }
    & GraphQLRecursivePick<FederationTypes['Person'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AuthPayload: ResolverTypeWrapper<Omit<AuthPayload, 'viewer'> & { viewer: ResolversTypes['Viewer'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CacheControlScope: CacheControlScope;
  CreatePartnerKeyInput: CreatePartnerKeyInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CreatedPartnerKey: ResolverTypeWrapper<Omit<CreatedPartnerKey, 'partnerKey'> & { partnerKey: ResolversTypes['PartnerKey'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<DeadLetter>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  EventQueue: ResolverTypeWrapper<EventQueue>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Note: ResolverTypeWrapper<NoteRow>;
  Order: ResolverTypeWrapper<{ id: string }>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PartnerKey: ResolverTypeWrapper<ApiKeyRow>;
  PartnerPlan: PartnerPlan;
  Person: ResolverTypeWrapper<AccountRow>;
  PersonConnection: ResolverTypeWrapper<PersonPage>;
  PersonEdge: ResolverTypeWrapper<Omit<PersonEdge, 'node'> & { node: ResolversTypes['Person'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Review: ResolverTypeWrapper<ReviewRow>;
  ReviewDecision: ReviewDecision;
  Role: Role;
  SignUpInput: SignUpInput;
  Viewer: ResolverTypeWrapper<{ id: string }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AuthPayload: Omit<AuthPayload, 'viewer'> & { viewer: ResolversParentTypes['Viewer'] };
  String: Scalars['String']['output'];
  CreatePartnerKeyInput: CreatePartnerKeyInput;
  ID: Scalars['ID']['output'];
  CreatedPartnerKey: Omit<CreatedPartnerKey, 'partnerKey'> & { partnerKey: ResolversParentTypes['PartnerKey'] };
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: DeadLetter;
  Decimal: Scalars['Decimal']['output'];
  EventQueue: EventQueue;
  Mutation: Record<PropertyKey, never>;
  Note: NoteRow;
  Order: { id: string };
  PageInfo: PageInfo;
  PartnerKey: ApiKeyRow;
  Person: AccountRow;
  PersonConnection: PersonPage;
  PersonEdge: Omit<PersonEdge, 'node'> & { node: ResolversParentTypes['Person'] };
  Query: Record<PropertyKey, never>;
  Review: ReviewRow;
  SignUpInput: SignUpInput;
  Viewer: { id: string };
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
};

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = CrmContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AuthPayloadResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = {
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  viewer?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
};

export type CreatedPartnerKeyResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['CreatedPartnerKey'] = ResolversParentTypes['CreatedPartnerKey']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  partnerKey?: Resolver<ResolversTypes['PartnerKey'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeadLetterResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['DeadLetter'] = ResolversParentTypes['DeadLetter']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deadLetteredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  messageId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  queue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type EventQueueResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['EventQueue'] = ResolversParentTypes['EventQueue']> = {
  deadLetters?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  depth?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addOrderNote?: Resolver<ResolversTypes['Note'], ParentType, ContextType, RequireFields<MutationAddOrderNoteArgs, 'body' | 'orderId'>>;
  approveOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationApproveOrderArgs, 'id'>>;
  createPartnerKey?: Resolver<ResolversTypes['CreatedPartnerKey'], ParentType, ContextType, RequireFields<MutationCreatePartnerKeyArgs, 'input'>>;
  logIn?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLogInArgs, 'email' | 'password'>>;
  rejectOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationRejectOrderArgs, 'id' | 'reason'>>;
  replayDeadLetter?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationReplayDeadLetterArgs, 'messageId' | 'queue'>>;
  replayDeadLetters?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationReplayDeadLettersArgs, 'queue'>>;
  revokePartnerKey?: Resolver<ResolversTypes['PartnerKey'], ParentType, ContextType, RequireFields<MutationRevokePartnerKeyArgs, 'id'>>;
  signUp?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignUpArgs, 'input'>>;
};

export type NoteResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Note'] = ResolversParentTypes['Note']> = {
  author?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
};

export type OrderResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  review?: Resolver<Maybe<ResolversTypes['Review']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PartnerKeyResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['PartnerKey'] = ResolversParentTypes['PartnerKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  plan?: Resolver<ResolversTypes['PartnerPlan'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revoked?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type PersonResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Person'] = ResolversParentTypes['Person'], FederationReferenceType extends FederationReferenceTypes['Person'] = FederationReferenceTypes['Person']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Person']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orderNotes?: Resolver<Array<ResolversTypes['Note']>, ParentType, ContextType, RequireFields<PersonOrderNotesArgs, 'first'>>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
};

export type PersonConnectionResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['PersonConnection'] = ResolversParentTypes['PersonConnection']> = {
  edges?: Resolver<Array<ResolversTypes['PersonEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PersonEdgeResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['PersonEdge'] = ResolversParentTypes['PersonEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  customers?: Resolver<ResolversTypes['PersonConnection'], ParentType, ContextType, RequireFields<QueryCustomersArgs, 'first'>>;
  deadLetters?: Resolver<Array<ResolversTypes['DeadLetter']>, ParentType, ContextType, RequireFields<QueryDeadLettersArgs, 'first' | 'queue'>>;
  eventQueues?: Resolver<Array<ResolversTypes['EventQueue']>, ParentType, ContextType>;
  ordersAwaitingReview?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrdersAwaitingReviewArgs, 'first'>>;
  partnerKeys?: Resolver<Array<ResolversTypes['PartnerKey']>, ParentType, ContextType, RequireFields<QueryPartnerKeysArgs, 'first' | 'includeRevoked'>>;
  person?: Resolver<Maybe<ResolversTypes['Person']>, ParentType, ContextType, RequireFields<QueryPersonArgs, 'id'>>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type ReviewResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Review'] = ResolversParentTypes['Review']> = {
  decidedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  decision?: Resolver<ResolversTypes['ReviewDecision'], ParentType, ContextType>;
  notes?: Resolver<Array<ResolversTypes['Note']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reviewer?: Resolver<Maybe<ResolversTypes['Person']>, ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = CrmContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  person?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
};

export type Resolvers<ContextType = CrmContext> = {
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  CreatedPartnerKey?: CreatedPartnerKeyResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  Decimal?: GraphQLScalarType;
  EventQueue?: EventQueueResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Note?: NoteResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PartnerKey?: PartnerKeyResolvers<ContextType>;
  Person?: PersonResolvers<ContextType>;
  PersonConnection?: PersonConnectionResolvers<ContextType>;
  PersonEdge?: PersonEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Review?: ReviewResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = CrmContext> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
};
