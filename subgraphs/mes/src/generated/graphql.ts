import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Material as MaterialRow, Quote as QuoteRow, Printer as PrinterRow } from './prisma/client.ts';
import type { ProductionRow, MesContext } from '../context.ts';
import type { PrinterJobRow, PrinterQueuePage } from '../printerQueues.ts';
import type { ProductionQueuePage } from '../production.ts';
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

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type CreatePrinterInput = {
  /** In mm, each 1 to 5000. */
  buildVolume: DimensionsInput;
  /** Material codes (Material.code) it can print; at least one. */
  materials: Array<Scalars['String']['input']>;
  /** Unique among printers; 1 to 100 characters. */
  name: Scalars['String']['input'];
  status?: PrinterStatus;
  technology: PrintTechnology;
};

/** A size in millimetres along x, y and z (z is the build direction). */
export type Dimensions = {
  __typename?: 'Dimensions';
  xMm: Scalars['Float']['output'];
  yMm: Scalars['Float']['output'];
  zMm: Scalars['Float']['output'];
};

export type DimensionsInput = {
  xMm: Scalars['Int']['input'];
  yMm: Scalars['Int']['input'];
  zMm: Scalars['Int']['input'];
};

/** A printable material. */
export type Material = {
  __typename?: 'Material';
  /** PLA, PETG, ABS, PA12, RESIN, ... */
  code: Scalars['String']['output'];
  densityGCm3: Scalars['Float']['output'];
  name: Scalars['String']['output'];
  pricePerKg: Money;
};

export type Model3D = {
  __typename?: 'Model3D';
  /** Measured after the upload, off the request; a quote of an analysed model is priced at once. */
  analysis: ModelAnalysis;
  id: Scalars['ID']['output'];
  sha256: Scalars['String']['output'];
};

/** The geometry of an uploaded model, measured by the price workers after the upload (once per distinct file). */
export type ModelAnalysis = {
  __typename?: 'ModelAnalysis';
  /** Null unless FAILED. */
  failureCode?: Maybe<Scalars['String']['output']>;
  failureReason?: Maybe<Scalars['String']['output']>;
  /** Null unless READY. */
  geometry?: Maybe<QuoteAnalysis>;
  status: ModelAnalysisStatus;
};

export type ModelAnalysisStatus =
  /** The file is not a usable mesh; `failureReason` says why. */
  | 'FAILED'
  /** Not measured yet: upload-time analysis is queued, or the file is large and is measured at its first quote. */
  | 'PENDING'
  | 'READY';

/** An amount of money; `amount` is an exact decimal string. */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Operators: move an order to the next production stage. */
  advanceProduction: Order;
  /**
   * Operators and admins: put a queued order on a printer's queue (or move it to another printer). Refused
   * (BAD_USER_INPUT, saying why) when the printer is retired, cannot print one of the order's materials,
   * or a model's bounding box does not fit its build volume (a part may be turned about z, not tipped over).
   */
  assignPrinter: Order;
  /** Admins: a new printer. */
  createPrinter: Printer;
  /** Price a model; waits a bounded time, then answers PENDING (ask `quote(id)` later). */
  requestQuote: Quote;
  /** Admins: retire a printer; refused while jobs are queued on it (reassign them first). Retiring twice changes nothing. */
  retirePrinter: Printer;
  /** Admins: change a printer; only the fields given change. */
  updatePrinter: Printer;
};


export type MutationAdvanceProductionArgs = {
  orderId: Scalars['ID']['input'];
  stage: ProductionStage;
};


export type MutationAssignPrinterArgs = {
  orderId: Scalars['ID']['input'];
  printerId: Scalars['ID']['input'];
};


export type MutationCreatePrinterArgs = {
  input: CreatePrinterInput;
};


export type MutationRequestQuoteArgs = {
  input: QuoteInput;
};


export type MutationRetirePrinterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdatePrinterArgs = {
  id: Scalars['ID']['input'];
  input: UpdatePrinterInput;
};

export type Order = {
  __typename?: 'Order';
  id: Scalars['ID']['output'];
  /** Null until the order is approved. Not cached: it is queued on a bus event the gateway does not hear. */
  production?: Maybe<Production>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** How the price of an order line is made up: total = material + machineTime + setup - discount + minimumSurcharge. */
export type PriceBreakdown = {
  __typename?: 'PriceBreakdown';
  /** Quantity discount on material and machine time (zero or positive, subtracted). */
  discount: Money;
  discountPercent: Scalars['Float']['output'];
  /** Machine time for all parts at the material's hourly rate. */
  machineTime: Money;
  /** Deposited material (walls + infill) for all parts. */
  material: Money;
  /** Added when the line would cost less than the material's minimum price. */
  minimumSurcharge: Money;
  /** Setup fee, once per order line. */
  setup: Money;
};

export type PrintTechnology =
  /** Fused filament: PLA, PETG, ABS. */
  | 'FDM'
  /** Resin vat photopolymerisation. */
  | 'SLA'
  /** Powder bed fusion: PA12. */
  | 'SLS';

/** A machine on the shop floor (operators and admins). */
export type Printer = {
  __typename?: 'Printer';
  /** The largest part it can build, in mm. */
  buildVolume: Dimensions;
  id: Scalars['ID']['output'];
  /** The materials it can print. */
  materials: Array<Material>;
  name: Scalars['String']['output'];
  /** The jobs assigned to it that still need it: the one being printed first, then the queued ones in the order they were assigned. */
  queue: PrinterQueue;
  /** Retired printers take no new jobs. */
  retired: Scalars['Boolean']['output'];
  retiredAt?: Maybe<Scalars['DateTime']['output']>;
  status: PrinterStatus;
  technology: PrintTechnology;
};


/** A machine on the shop floor (operators and admins). */
export type PrinterQueueArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** An order assigned to a printer. */
export type PrinterJob = {
  __typename?: 'PrinterJob';
  assignedAt: Scalars['DateTime']['output'];
  /** Machine time of all the order's lines, from their quotes; null when a quote had none. */
  estimatedPrintSeconds?: Maybe<Scalars['Int']['output']>;
  order: Order;
  /** 1 for the next job the printer works on. */
  position: Scalars['Int']['output'];
  stage: ProductionStage;
};

/** A printer's queue. */
export type PrinterQueue = {
  __typename?: 'PrinterQueue';
  /** The sum of the estimated print times of every job in the queue, in seconds (jobs without an estimate count 0). */
  estimatedPrintSeconds: Scalars['Int']['output'];
  jobs: Array<PrinterJob>;
  /** How many jobs the queue holds in all. */
  totalCount: Scalars['Int']['output'];
};

export type PrinterStatus =
  | 'IDLE'
  | 'MAINTENANCE'
  | 'PRINTING';

/** An order's progress on the shop floor. */
export type Production = {
  __typename?: 'Production';
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Operators and admins: the printer the order is assigned to; null until it is. */
  printer?: Maybe<Printer>;
  queuedAt: Scalars['DateTime']['output'];
  stage: ProductionStage;
  updatedAt: Scalars['DateTime']['output'];
};

/** A page of the production queue: `edges` oldest first, `pageInfo.endCursor` is the `after` of the next page. */
export type ProductionQueueConnection = {
  __typename?: 'ProductionQueueConnection';
  edges: Array<ProductionQueueEdge>;
  pageInfo: PageInfo;
  /** How many jobs the queue holds in all (every page; at `stage` when given). */
  totalCount: Scalars['Int']['output'];
};

export type ProductionQueueEdge = {
  __typename?: 'ProductionQueueEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

export type ProductionStage =
  | 'POST_PROCESSING'
  | 'PRINTING'
  | 'QUALITY_CHECK'
  | 'QUEUED'
  | 'READY'
  | 'SHIPPED';

export type Query = {
  __typename?: 'Query';
  /** One active material by code (public, cacheable); null when unknown. */
  material?: Maybe<Material>;
  /** Every active material (public, cacheable). */
  materials: Array<Material>;
  /** Operators and admins: one printer (retired ones too); null when unknown. */
  printer?: Maybe<Printer>;
  /** Operators and admins: the printers by name; retired ones only with `includeRetired`, only those that print `material` when given. */
  printers: Array<Printer>;
  /**
   * Operators: orders in production (active work; shipped orders are archived), oldest first (by when
   * they were queued), optionally at one stage. `first` is 1 to 200; page on with `after` =
   * `pageInfo.endCursor` until `hasNextPage` is false: a job moved meanwhile keeps its place, none is
   * skipped or repeated.
   */
  productionQueue: ProductionQueueConnection;
  quote?: Maybe<Quote>;
};


export type QueryMaterialArgs = {
  code: Scalars['String']['input'];
};


export type QueryPrinterArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPrintersArgs = {
  includeRetired?: InputMaybe<Scalars['Boolean']['input']>;
  material?: InputMaybe<Scalars['String']['input']>;
};


export type QueryProductionQueueArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  stage?: InputMaybe<ProductionStage>;
};


export type QueryQuoteArgs = {
  id: Scalars['ID']['input'];
};

/** A price for a model in a material and quantity. */
export type Quote = {
  __typename?: 'Quote';
  /** The pricing algorithm that computed the price. */
  algorithmVersion: Scalars['String']['output'];
  analysis?: Maybe<QuoteAnalysis>;
  /** Null until READY. */
  breakdown?: Maybe<PriceBreakdown>;
  /** True when the price came from the cache of identical earlier quotes. */
  cached: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Machine time for all parts, from the shell + infill model. */
  estimatedPrintSeconds?: Maybe<Scalars['Int']['output']>;
  expiresAt: Scalars['DateTime']['output'];
  /** What kind of problem: TRUNCATED, COUNT_MISMATCH, NON_FINITE, EMPTY, TOO_MANY_TRIANGLES, NOT_A_MESH, ZIP_BOMB, UNSAFE_PATH, MALFORMED, MODEL_UNREADABLE, INTERNAL. */
  failureCode?: Maybe<Scalars['String']['output']>;
  /** Why a FAILED quote failed. */
  failureReason?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  material: Material;
  model: Model3D;
  /** True when the model is not watertight: a person checks the price before production. */
  needsReview: Scalars['Boolean']['output'];
  ownerId: Scalars['ID']['output'];
  /** Null until READY. */
  price?: Maybe<Money>;
  quantity: Scalars['Int']['output'];
  status: QuoteStatus;
};

/** What the price worker measured on the model. */
export type QuoteAnalysis = {
  __typename?: 'QuoteAnalysis';
  /** The model's bounding box as uploaded (z is the build direction); null for quotes priced before it was kept. */
  boundingBox?: Maybe<Dimensions>;
  /** Canonical hash of the geometry: the same solid in another file format hashes the same. */
  geometryHash: Scalars['String']['output'];
  surfaceAreaCm2: Scalars['Float']['output'];
  triangleCount: Scalars['Int']['output'];
  volumeCm3: Scalars['Float']['output'];
  watertight: Scalars['Boolean']['output'];
};

export type QuoteInput = {
  /** A Material.code */
  material: Scalars['String']['input'];
  modelId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

export type QuoteStatus =
  | 'FAILED'
  | 'PENDING'
  | 'READY';

/** Served by the gateway over graphql-ws (WebSocket) and server-sent events. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The quote once it is READY or FAILED (at once if it already is), then the subscription completes. */
  quoteReady: Quote;
};


/** Served by the gateway over graphql-ws (WebSocket) and server-sent events. */
export type SubscriptionQuoteReadyArgs = {
  quoteId: Scalars['ID']['input'];
};

/** Only the fields given change. */
export type UpdatePrinterInput = {
  buildVolume?: InputMaybe<DimensionsInput>;
  materials?: InputMaybe<Array<Scalars['String']['input']>>;
  name?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<PrinterStatus>;
  technology?: InputMaybe<PrintTechnology>;
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
  Material: Material;
  Model3D: Model3D;
  Order: Order;
  Printer: Printer;
  Quote: Quote;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Material:
    ( { __typename: 'Material' }
    & GraphQLRecursivePick<FederationTypes['Material'], {"code":true}> );
  Model3D:
    ( { __typename: 'Model3D' }
    & GraphQLRecursivePick<FederationTypes['Model3D'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Model3D'], {"sha256":true}> ) );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Printer:
    ( { __typename: 'Printer' }
    & GraphQLRecursivePick<FederationTypes['Printer'], {"id":true}> );
  Quote:
    ( { __typename: 'Quote' }
    & GraphQLRecursivePick<FederationTypes['Quote'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CacheControlScope: CacheControlScope;
  CreatePrinterInput: CreatePrinterInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Dimensions: ResolverTypeWrapper<Dimensions>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DimensionsInput: DimensionsInput;
  Material: ResolverTypeWrapper<MaterialRow>;
  Model3D: ResolverTypeWrapper<{ id: string; sha256?: string }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ModelAnalysis: ResolverTypeWrapper<ModelAnalysis>;
  ModelAnalysisStatus: ModelAnalysisStatus;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<{ id: string }>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceBreakdown: ResolverTypeWrapper<PriceBreakdown>;
  PrintTechnology: PrintTechnology;
  Printer: ResolverTypeWrapper<PrinterRow>;
  PrinterJob: ResolverTypeWrapper<PrinterJobRow>;
  PrinterQueue: ResolverTypeWrapper<PrinterQueuePage>;
  PrinterStatus: PrinterStatus;
  Production: ResolverTypeWrapper<ProductionRow>;
  ProductionQueueConnection: ResolverTypeWrapper<ProductionQueuePage>;
  ProductionQueueEdge: ResolverTypeWrapper<Omit<ProductionQueueEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  ProductionStage: ProductionStage;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Quote: ResolverTypeWrapper<QuoteRow>;
  QuoteAnalysis: ResolverTypeWrapper<QuoteAnalysis>;
  QuoteInput: QuoteInput;
  QuoteStatus: QuoteStatus;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdatePrinterInput: UpdatePrinterInput;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CreatePrinterInput: CreatePrinterInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Dimensions: Dimensions;
  Float: Scalars['Float']['output'];
  DimensionsInput: DimensionsInput;
  Material: MaterialRow;
  Model3D: { id: string; sha256?: string };
  ID: Scalars['ID']['output'];
  ModelAnalysis: ModelAnalysis;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: { id: string };
  PageInfo: PageInfo;
  PriceBreakdown: PriceBreakdown;
  Printer: PrinterRow;
  PrinterJob: PrinterJobRow;
  PrinterQueue: PrinterQueuePage;
  Production: ProductionRow;
  ProductionQueueConnection: ProductionQueuePage;
  ProductionQueueEdge: Omit<ProductionQueueEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  Query: Record<PropertyKey, never>;
  Quote: QuoteRow;
  QuoteAnalysis: QuoteAnalysis;
  QuoteInput: QuoteInput;
  Subscription: Record<PropertyKey, never>;
  UpdatePrinterInput: UpdatePrinterInput;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
};

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = MesContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type DimensionsResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Dimensions'] = ResolversParentTypes['Dimensions']> = {
  xMm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  yMm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  zMm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type MaterialResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Material'] = ResolversParentTypes['Material'], FederationReferenceType extends FederationReferenceTypes['Material'] = FederationReferenceTypes['Material']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Material']> | FederationReferenceType, FederationReferenceType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  densityGCm3?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pricePerKg?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export type Model3DResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Model3D'] = ResolversParentTypes['Model3D'], FederationReferenceType extends FederationReferenceTypes['Model3D'] = FederationReferenceTypes['Model3D']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Model3D']> | FederationReferenceType, FederationReferenceType, ContextType>;
  analysis?: Resolver<ResolversTypes['ModelAnalysis'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ModelAnalysisResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['ModelAnalysis'] = ResolversParentTypes['ModelAnalysis']> = {
  failureCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  geometry?: Resolver<Maybe<ResolversTypes['QuoteAnalysis']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ModelAnalysisStatus'], ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  advanceProduction?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationAdvanceProductionArgs, 'orderId' | 'stage'>>;
  assignPrinter?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationAssignPrinterArgs, 'orderId' | 'printerId'>>;
  createPrinter?: Resolver<ResolversTypes['Printer'], ParentType, ContextType, RequireFields<MutationCreatePrinterArgs, 'input'>>;
  requestQuote?: Resolver<ResolversTypes['Quote'], ParentType, ContextType, RequireFields<MutationRequestQuoteArgs, 'input'>>;
  retirePrinter?: Resolver<ResolversTypes['Printer'], ParentType, ContextType, RequireFields<MutationRetirePrinterArgs, 'id'>>;
  updatePrinter?: Resolver<ResolversTypes['Printer'], ParentType, ContextType, RequireFields<MutationUpdatePrinterArgs, 'id' | 'input'>>;
};

export type OrderResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  production?: Resolver<Maybe<ResolversTypes['Production']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PriceBreakdownResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['PriceBreakdown'] = ResolversParentTypes['PriceBreakdown']> = {
  discount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  discountPercent?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  machineTime?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  material?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  minimumSurcharge?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  setup?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export type PrinterResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Printer'] = ResolversParentTypes['Printer'], FederationReferenceType extends FederationReferenceTypes['Printer'] = FederationReferenceTypes['Printer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Printer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  buildVolume?: Resolver<ResolversTypes['Dimensions'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  materials?: Resolver<Array<ResolversTypes['Material']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  queue?: Resolver<ResolversTypes['PrinterQueue'], ParentType, ContextType, RequireFields<PrinterQueueArgs, 'first'>>;
  retired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  retiredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PrinterStatus'], ParentType, ContextType>;
  technology?: Resolver<ResolversTypes['PrintTechnology'], ParentType, ContextType>;
};

export type PrinterJobResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['PrinterJob'] = ResolversParentTypes['PrinterJob']> = {
  assignedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  estimatedPrintSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['ProductionStage'], ParentType, ContextType>;
};

export type PrinterQueueResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['PrinterQueue'] = ResolversParentTypes['PrinterQueue']> = {
  estimatedPrintSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  jobs?: Resolver<Array<ResolversTypes['PrinterJob']>, ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ProductionResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Production'] = ResolversParentTypes['Production']> = {
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  printer?: Resolver<Maybe<ResolversTypes['Printer']>, ParentType, ContextType>;
  queuedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['ProductionStage'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ProductionQueueConnectionResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['ProductionQueueConnection'] = ResolversParentTypes['ProductionQueueConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ProductionQueueEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ProductionQueueEdgeResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['ProductionQueueEdge'] = ResolversParentTypes['ProductionQueueEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  material?: Resolver<Maybe<ResolversTypes['Material']>, ParentType, ContextType, RequireFields<QueryMaterialArgs, 'code'>>;
  materials?: Resolver<Array<ResolversTypes['Material']>, ParentType, ContextType>;
  printer?: Resolver<Maybe<ResolversTypes['Printer']>, ParentType, ContextType, RequireFields<QueryPrinterArgs, 'id'>>;
  printers?: Resolver<Array<ResolversTypes['Printer']>, ParentType, ContextType, RequireFields<QueryPrintersArgs, 'includeRetired'>>;
  productionQueue?: Resolver<ResolversTypes['ProductionQueueConnection'], ParentType, ContextType, RequireFields<QueryProductionQueueArgs, 'first'>>;
  quote?: Resolver<Maybe<ResolversTypes['Quote']>, ParentType, ContextType, RequireFields<QueryQuoteArgs, 'id'>>;
};

export type QuoteResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Quote'] = ResolversParentTypes['Quote'], FederationReferenceType extends FederationReferenceTypes['Quote'] = FederationReferenceTypes['Quote']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Quote']> | FederationReferenceType, FederationReferenceType, ContextType>;
  algorithmVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  analysis?: Resolver<Maybe<ResolversTypes['QuoteAnalysis']>, ParentType, ContextType>;
  breakdown?: Resolver<Maybe<ResolversTypes['PriceBreakdown']>, ParentType, ContextType>;
  cached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  estimatedPrintSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  failureCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  material?: Resolver<ResolversTypes['Material'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model3D'], ParentType, ContextType>;
  needsReview?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  ownerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['QuoteStatus'], ParentType, ContextType>;
};

export type QuoteAnalysisResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['QuoteAnalysis'] = ResolversParentTypes['QuoteAnalysis']> = {
  boundingBox?: Resolver<Maybe<ResolversTypes['Dimensions']>, ParentType, ContextType>;
  geometryHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  surfaceAreaCm2?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  triangleCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  volumeCm3?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  watertight?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = MesContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  quoteReady?: SubscriptionResolver<ResolversTypes['Quote'], "quoteReady", ParentType, ContextType, RequireFields<SubscriptionQuoteReadyArgs, 'quoteId'>>;
};

export type Resolvers<ContextType = MesContext> = {
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Dimensions?: DimensionsResolvers<ContextType>;
  Material?: MaterialResolvers<ContextType>;
  Model3D?: Model3DResolvers<ContextType>;
  ModelAnalysis?: ModelAnalysisResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PriceBreakdown?: PriceBreakdownResolvers<ContextType>;
  Printer?: PrinterResolvers<ContextType>;
  PrinterJob?: PrinterJobResolvers<ContextType>;
  PrinterQueue?: PrinterQueueResolvers<ContextType>;
  Production?: ProductionResolvers<ContextType>;
  ProductionQueueConnection?: ProductionQueueConnectionResolvers<ContextType>;
  ProductionQueueEdge?: ProductionQueueEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Quote?: QuoteResolvers<ContextType>;
  QuoteAnalysis?: QuoteAnalysisResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = MesContext> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
};
