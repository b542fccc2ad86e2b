import type { Field } from './prismaSchema.ts';

type Renderings = (args: readonly string[]) => string[];

/** A type with optional arguments (`varchar(20)`); `defaultArg` is what PostgreSQL shows when none was given. */
const withArgs =
  (pgName: string, defaultArg?: string): Renderings =>
  (args) =>
    args.length > 0 ? [`${pgName}(${args.join(',')})`] : defaultArg === undefined ? [pgName] : [pgName, `${pgName}(${defaultArg})`];

/** A time type: precision goes before the zone (`timestamp(3) without time zone`), 6 by default. */
const timeType =
  (pgName: string, zone: string): Renderings =>
  (args) =>
    args.length > 0 ? [`${pgName}(${args.join(',')}) ${zone}`] : [`${pgName} ${zone}`, `${pgName}(6) ${zone}`];

const fixed =
  (...names: string[]): Renderings =>
  () =>
    names;

/** `@db.X` native types → their `format_type()` renderings. */
const NATIVE_TYPES: Record<string, Renderings> = {
  Text: fixed('text'),
  Char: withArgs('character', '1'),
  VarChar: withArgs('character varying'),
  Bit: withArgs('bit', '1'),
  VarBit: withArgs('bit varying'),
  Uuid: fixed('uuid'),
  Xml: fixed('xml'),
  Inet: fixed('inet'),
  Citext: fixed('citext'),
  Boolean: fixed('boolean'),
  SmallInt: fixed('smallint'),
  Integer: fixed('integer'),
  BigInt: fixed('bigint'),
  Oid: fixed('oid'),
  Real: fixed('real'),
  DoublePrecision: fixed('double precision'),
  Decimal: withArgs('numeric'),
  Money: fixed('money'),
  Timestamp: timeType('timestamp', 'without time zone'),
  Timestamptz: timeType('timestamp', 'with time zone'),
  Time: timeType('time', 'without time zone'),
  Timetz: timeType('time', 'with time zone'),
  Date: fixed('date'),
  Json: fixed('json'),
  JsonB: fixed('jsonb'),
  ByteA: fixed('bytea'),
};

/** Prisma scalar types without `@db.X` → the column type Prisma creates for them. */
const PRISMA_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** Acceptable `format_type()` renderings of a scalar field's column type (element type for lists); empty when unknown. */
export function expectedScalarTypes(field: Field): string[] {
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    return Object.hasOwn(NATIVE_TYPES, name) ? (NATIVE_TYPES[name]?.(args) ?? []) : [];
  }
  const type = Object.hasOwn(PRISMA_TYPES, field.type) ? PRISMA_TYPES[field.type] : undefined;
  return type ? [type] : [];
}
