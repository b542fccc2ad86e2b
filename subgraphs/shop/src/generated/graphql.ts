import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Order as OrderRow, Model3D as Model3DRow, OrderStatusChange as OrderStatusChangeRow } from './prisma/client.ts';
import type { OrderLine } from '../resolvers/Order.ts';
import type { OrderPage } from '../orders.ts';
import type { ShopContext } from '../context.ts';
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
  Upload: { input: Promise<import('graphql-upload/processRequest.mjs').FileUpload>; output: never; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

/** A 3D model a customer uploaded. */
export type Model3D = {
  __typename?: 'Model3D';
  createdAt: Scalars['DateTime']['output'];
  /** A link to download the file, valid for a few minutes; only the owner and staff get one. */
  downloadUrl: Scalars['String']['output'];
  filename: Scalars['String']['output'];
  format: ModelFormat;
  id: Scalars['ID']['output'];
  ownerId: Scalars['ID']['output'];
  /** Hex SHA-256 of the uploaded bytes. */
  sha256: Scalars['String']['output'];
  sizeBytes: Scalars['Int']['output'];
  /** Where the bytes are stored; for the price workers, not clients. */
  storageKey: Scalars['String']['output'];
};

export type ModelFormat =
  | 'OBJ'
  | 'STL'
  | 'THREE_MF';

/** An amount of money; `amount` is an exact decimal string. */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Cancel an order that is not yet in production. */
  cancelOrder: Order;
  /** Registers a file PUT to a createUploadUrl link (same format, size and duplicate checks as uploadModel). */
  completeUpload: Model3D;
  /** Direct upload of a large file: PUT the bytes to the returned URL, then call completeUpload. */
  createUploadUrl: UploadTarget;
  /** Order the given READY quotes. */
  placeOrder: Order;
  /** Upload an STL, OBJ or 3MF file (GraphQL multipart request). */
  uploadModel: Model3D;
};


export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCompleteUploadArgs = {
  filename: Scalars['String']['input'];
  uploadId: Scalars['ID']['input'];
};


export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


export type MutationUploadModelArgs = {
  file: Scalars['Upload']['input'];
};

export type Order = {
  __typename?: 'Order';
  customer: Person;
  id: Scalars['ID']['output'];
  items: Array<OrderItem>;
  placedAt: Scalars['DateTime']['output'];
  status: OrderStatus;
  /** Every status the order went through, oldest first; with `after` (an `OrderStatusChange.id`), only the later ones. */
  statusHistory: Array<OrderStatusChange>;
  total: Money;
  updatedAt: Scalars['DateTime']['output'];
};


export type OrderStatusHistoryArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
  /** How many orders the list holds in all (every page). */
  totalCount: Scalars['Int']['output'];
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

/** Which order events a staff feed carries. */
export type OrderEventKind =
  /** Managers and admins: every status change. */
  | 'ALL'
  /**
   * Managers: orders placed (status PLACED), and each leaving review once decided by anyone or cancelled
   * (previousStatus PLACED), so a review queue can add and drop them.
   */
  | 'AWAITING_REVIEW'
  /**
   * Operators: approved orders moving through production, every stage move included (one that keeps the
   * status, PRINTING → POST_PROCESSING, comes with `previousStatus` equal to `status`).
   */
  | 'PRODUCTION';

export type OrderItem = {
  __typename?: 'OrderItem';
  id: Scalars['ID']['output'];
  material: Scalars['String']['output'];
  model: Model3D;
  /** Price of this line when the order was placed. */
  price: Money;
  quantity: Scalars['Int']['output'];
  quote: Quote;
};

/** The order of the staff-wide order list. */
export type OrderSort =
  | 'NEWEST_FIRST'
  | 'OLDEST_FIRST';

export type OrderStatus =
  | 'APPROVED'
  | 'CANCELLED'
  | 'IN_PRODUCTION'
  | 'PLACED'
  | 'QUALITY_CHECK'
  | 'READY'
  | 'REJECTED'
  | 'SHIPPED';

/** One step in an order's life. */
export type OrderStatusChange = {
  __typename?: 'OrderStatusChange';
  at: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  previousStatus?: Maybe<OrderStatus>;
  status: OrderStatus;
};

/**
 * A change of an order's status, pushed by subscription. `id` is the status-history id: pass the last
 * one seen as `after` to resume `orderStatusChanged`. `cursor` is the position in the staff feeds'
 * event log: pass the last one seen as `after` to resume `orderEvents`.
 */
export type OrderStatusEvent = {
  __typename?: 'OrderStatusEvent';
  at: Scalars['DateTime']['output'];
  /**
   * On `orderEvents`: this event's position in the feed, in the order events were published across all
   * orders. Pass the last one received as `orderEvents(after:)` to get what was missed. Null on
   * `orderStatusChanged`, which resumes with `id`.
   */
  cursor?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  /** The order now; select fields from any subgraph. */
  order: Order;
  previousStatus?: Maybe<OrderStatus>;
  status: OrderStatus;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Person = {
  __typename?: 'Person';
  id: Scalars['ID']['output'];
  /** The person's orders, newest first (the person themself or staff). */
  orders: OrderConnection;
};


export type PersonOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type PlaceOrderInput = {
  items: Array<PlaceOrderItemInput>;
};

export type PlaceOrderItemInput = {
  quoteId: Scalars['ID']['input'];
};

export type Query = {
  __typename?: 'Query';
  model?: Maybe<Model3D>;
  /** The caller's orders, newest first. */
  myOrders: OrderConnection;
  /** An order; customers see only their own, staff see all. */
  order?: Maybe<Order>;
  /**
   * Managers and admins: every customer's orders, newest first unless `sort` says otherwise; only those
   * in one of `status` when given, and only those whose models need (true) or do not need (false) a
   * manager's check when `needsReview` is given (a model that is not watertight needs one).
   */
  orders: OrderConnection;
  /** What an upload may be, so a client can refuse a file before sending a byte. */
  uploadLimits: UploadLimits;
};


export type QueryModelArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMyOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  needsReview?: InputMaybe<Scalars['Boolean']['input']>;
  sort?: InputMaybe<OrderSort>;
  status?: InputMaybe<Array<OrderStatus>>;
};

export type Quote = {
  __typename?: 'Quote';
  id: Scalars['ID']['output'];
};

/** Served by the gateway over graphql-ws (WebSocket) and server-sent events; events come from shop's status changes. */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Staff: status changes of every order, filtered by `kind` (managers: AWAITING_REVIEW, operators:
   * PRODUCTION), in publish order. With `after` (the `cursor` of the last event seen), the events missed
   * since then come first, then live ones, with no gap and no duplicate. A cursor older than the feed
   * still keeps fails with RESUME_WINDOW_EXPIRED: subscribe again without `after` and reload the list.
   */
  orderEvents: OrderStatusEvent;
  /**
   * Status changes of one order (its customer or staff). With `after` (the `id` of the last event
   * seen), the events missed since then come first, then live ones, with no gap and no duplicate.
   */
  orderStatusChanged: OrderStatusEvent;
};


/** Served by the gateway over graphql-ws (WebSocket) and server-sent events; events come from shop's status changes. */
export type SubscriptionOrderEventsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  kind: OrderEventKind;
};


/** Served by the gateway over graphql-ws (WebSocket) and server-sent events; events come from shop's status changes. */
export type SubscriptionOrderStatusChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  orderId: Scalars['ID']['input'];
};

/** The limits uploadModel and completeUpload enforce. */
export type UploadLimits = {
  __typename?: 'UploadLimits';
  /** The formats accepted. */
  formats: Array<ModelFormat>;
  /** Files larger than this many bytes are refused. */
  maxBytes: Scalars['Float']['output'];
};

/** A signed link to PUT a model file to, for files too large for a multipart request. */
export type UploadTarget = {
  __typename?: 'UploadTarget';
  expiresAt: Scalars['DateTime']['output'];
  /** Files larger than this are refused by completeUpload. */
  maxBytes: Scalars['Float']['output'];
  /** The HTTP method to send the file with. */
  method: Scalars['String']['output'];
  uploadId: Scalars['ID']['output'];
  url: Scalars['String']['output'];
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
  Model3D: Model3D;
  Order: Order;
  Person: Person;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Model3D:
    ( { __typename: 'Model3D' }
    & GraphQLRecursivePick<FederationTypes['Model3D'], {"id":true}> );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Person:
    ( { __typename: 'Person' }
    & GraphQLRecursivePick<FederationTypes['Person'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CacheControlScope: CacheControlScope;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Model3D: ResolverTypeWrapper<Model3DRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ModelFormat: ModelFormat;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderRow>;
  OrderConnection: ResolverTypeWrapper<OrderPage>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderEventKind: OrderEventKind;
  OrderItem: ResolverTypeWrapper<OrderLine>;
  OrderSort: OrderSort;
  OrderStatus: OrderStatus;
  OrderStatusChange: ResolverTypeWrapper<OrderStatusChangeRow>;
  OrderStatusEvent: ResolverTypeWrapper<Omit<OrderStatusEvent, 'order'> & { order: ResolversTypes['Order'] }>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Person: ResolverTypeWrapper<{ id: string }>;
  PlaceOrderInput: PlaceOrderInput;
  PlaceOrderItemInput: PlaceOrderItemInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Quote: ResolverTypeWrapper<Quote>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Upload: ResolverTypeWrapper<Scalars['Upload']['output']>;
  UploadLimits: ResolverTypeWrapper<UploadLimits>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  UploadTarget: ResolverTypeWrapper<UploadTarget>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Model3D: Model3DRow;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: OrderRow;
  OrderConnection: OrderPage;
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderItem: OrderLine;
  OrderStatusChange: OrderStatusChangeRow;
  OrderStatusEvent: Omit<OrderStatusEvent, 'order'> & { order: ResolversParentTypes['Order'] };
  PageInfo: PageInfo;
  Person: { id: string };
  PlaceOrderInput: PlaceOrderInput;
  PlaceOrderItemInput: PlaceOrderItemInput;
  Query: Record<PropertyKey, never>;
  Quote: Quote;
  Subscription: Record<PropertyKey, never>;
  Upload: Scalars['Upload']['output'];
  UploadLimits: UploadLimits;
  Float: Scalars['Float']['output'];
  UploadTarget: UploadTarget;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
};

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = ShopContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type Model3DResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Model3D'] = ResolversParentTypes['Model3D'], FederationReferenceType extends FederationReferenceTypes['Model3D'] = FederationReferenceTypes['Model3D']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Model3D']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  downloadUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  filename?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  format?: Resolver<ResolversTypes['ModelFormat'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ownerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sizeBytes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  storageKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  completeUpload?: Resolver<ResolversTypes['Model3D'], ParentType, ContextType, RequireFields<MutationCompleteUploadArgs, 'filename' | 'uploadId'>>;
  createUploadUrl?: Resolver<ResolversTypes['UploadTarget'], ParentType, ContextType>;
  placeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
  uploadModel?: Resolver<ResolversTypes['Model3D'], ParentType, ContextType, RequireFields<MutationUploadModelArgs, 'file'>>;
};

export type OrderResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  customer?: Resolver<ResolversTypes['Person'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderItem']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  statusHistory?: Resolver<Array<ResolversTypes['OrderStatusChange']>, ParentType, ContextType, Partial<OrderStatusHistoryArgs>>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type OrderConnectionResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = {
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OrderEdgeResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
};

export type OrderItemResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['OrderItem'] = ResolversParentTypes['OrderItem']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  material?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model3D'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quote?: Resolver<ResolversTypes['Quote'], ParentType, ContextType>;
};

export type OrderStatusChangeResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['OrderStatusChange'] = ResolversParentTypes['OrderStatusChange']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  previousStatus?: Resolver<Maybe<ResolversTypes['OrderStatus']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
};

export type OrderStatusEventResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['OrderStatusEvent'] = ResolversParentTypes['OrderStatusEvent']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  cursor?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  previousStatus?: Resolver<Maybe<ResolversTypes['OrderStatus']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PersonResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Person'] = ResolversParentTypes['Person'], FederationReferenceType extends FederationReferenceTypes['Person'] = FederationReferenceTypes['Person']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Person']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<PersonOrdersArgs, 'first'>>;
};

export type QueryResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  model?: Resolver<Maybe<ResolversTypes['Model3D']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'id'>>;
  myOrders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryMyOrdersArgs, 'first'>>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first' | 'sort'>>;
  uploadLimits?: Resolver<ResolversTypes['UploadLimits'], ParentType, ContextType>;
};

export type QuoteResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Quote'] = ResolversParentTypes['Quote']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  orderEvents?: SubscriptionResolver<ResolversTypes['OrderStatusEvent'], "orderEvents", ParentType, ContextType, RequireFields<SubscriptionOrderEventsArgs, 'kind'>>;
  orderStatusChanged?: SubscriptionResolver<ResolversTypes['OrderStatusEvent'], "orderStatusChanged", ParentType, ContextType, RequireFields<SubscriptionOrderStatusChangedArgs, 'orderId'>>;
};

export interface UploadScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Upload'], any> {
  name: 'Upload';
}

export type UploadLimitsResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['UploadLimits'] = ResolversParentTypes['UploadLimits']> = {
  formats?: Resolver<Array<ResolversTypes['ModelFormat']>, ParentType, ContextType>;
  maxBytes?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type UploadTargetResolvers<ContextType = ShopContext, ParentType extends ResolversParentTypes['UploadTarget'] = ResolversParentTypes['UploadTarget']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  maxBytes?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  uploadId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ShopContext> = {
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Model3D?: Model3DResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderItem?: OrderItemResolvers<ContextType>;
  OrderStatusChange?: OrderStatusChangeResolvers<ContextType>;
  OrderStatusEvent?: OrderStatusEventResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Person?: PersonResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Quote?: QuoteResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Upload?: GraphQLScalarType;
  UploadLimits?: UploadLimitsResolvers<ContextType>;
  UploadTarget?: UploadTargetResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = ShopContext> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
};
