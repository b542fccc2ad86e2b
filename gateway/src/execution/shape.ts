import {
  assert,
  type CompositeType,
  ERRORS,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  type Operation,
  type OperationElement,
  type Schema,
  type SelectionSet,
  type Type,
  Variable,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';
import { hasOwn, inheritedNames } from './own.ts';

/**
 * The answer's shape, compiled once per operation: what @apollo/gateway's `computeResponse`
 * (resultShaping.ts) works out again on every request from the operation's federation-internals
 * objects (directive lookups, field definitions, response names, type wrappers) is read here once
 * into plain steps, and `shapeResponse` applies them to the merged subgraph data with the same
 * rules: the client's fields in the client's order, `@skip`/`@include`, type conditions on the
 * runtime `__typename`, root `__typename`s, leaf values checked, nulls propagated through non-null
 * fields, and the same `valueCompletion` errors with the same messages and paths.
 */

/** A `@skip`/`@include` argument: a literal, or the name of the variable that holds it. */
type IfArgument = boolean | string;

interface Condition {
  skip?: IfArgument;
  include?: IfArgument;
}

const NON_NULL = 0;
const LIST = 1;
const COMPOSITE = 2;
const LEAF = 3;

type TypeStep =
  | { kind: typeof NON_NULL; of: TypeStep; inner: Type }
  | { kind: typeof LIST; of: TypeStep; type: Type }
  | { kind: typeof COMPOSITE; type: CompositeType }
  | { kind: typeof LEAF; type: Type; valid: (value: unknown) => boolean };

interface FieldStep {
  kind: 'field';
  condition: Condition | null;
  responseName: string;
  /** The name is also one of Object.prototype's: read only own properties. */
  inherited: boolean;
  typename: boolean;
  type: TypeStep;
  selections: Step[] | undefined;
}

interface FragmentStep {
  kind: 'fragment';
  condition: Condition | null;
  typeCondition: CompositeType | undefined;
  selections: Step[];
  /** typeConditionApplies by runtime `__typename`, worked out once per type. */
  applies: Map<string, boolean>;
}

type Step = FieldStep | FragmentStep;

export interface Shape {
  steps: Step[];
  rootType: CompositeType;
  schema: Schema;
  /** Variables read by `@skip`/`@include`: their values must be booleans for the compiled path. */
  conditionVariables: Set<string>;
  /** The operation's variable defaults (`Operation.collectDefaultedVariableValues`). */
  defaults: Record<string, unknown>;
  /** Steps compiled (a selection set spread in many places counted once): what the shape weighs in memory. */
  size: number;
}

/** Why an operation is left to @apollo/gateway's own executor (rare shapes, same answer either way). */
export class NotCompiled extends Error {}

export function compileShape(operation: Operation): Shape {
  const schema = operation.schema();
  const conditionVariables = new Set<string>();
  let size = 0;
  // a named fragment spread in many places is one selection set: compiled once
  const compiled = new Map<SelectionSet, Step[]>();

  const condition = (element: OperationElement): Condition | null => {
    const read = (name: 'skip' | 'include'): IfArgument | undefined => {
      const directive = element.appliedDirectivesOf(name === 'skip' ? schema.skipDirective() : schema.includeDirective())[0];
      if (!directive) return undefined;
      const value = (directive.arguments() as { if: boolean | Variable }).if;
      if (value instanceof Variable) {
        conditionVariables.add(value.name);
        return value.name;
      }
      return value;
    };
    const skip = read('skip');
    const include = read('include');
    return skip === undefined && include === undefined ? null : { skip, include };
  };

  const typeStep = (type: Type): TypeStep => {
    if (isNonNullType(type)) return { kind: NON_NULL, of: typeStep(type.ofType), inner: type.ofType };
    if (isListType(type)) return { kind: LIST, of: typeStep(type.ofType), type };
    if (isCompositeType(type)) return { kind: COMPOSITE, type };
    return { kind: LEAF, type, valid: leafCheck(schema, type) };
  };

  const steps = (set: SelectionSet): Step[] => {
    const known = compiled.get(set);
    if (known) return known;
    const out: Step[] = [];
    compiled.set(set, out);
    size += set.selections().length;
    for (const selection of set.selections()) {
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        const definition = field.definition;
        if (definition.isSchemaIntrospectionField()) throw new NotCompiled('introspection');
        const responseName = field.responseName();
        if (responseName === '__proto__') throw new NotCompiled('__proto__');
        const type = definition.type;
        assert(type, () => `No type for ${definition.coordinate}`);
        out.push({
          kind: 'field',
          condition: condition(field),
          responseName,
          inherited: inheritedNames.has(responseName),
          typename: field.name === '__typename',
          type: typeStep(type),
          selections: selection.selectionSet ? steps(selection.selectionSet) : undefined,
        });
      } else {
        const fragment = selection.element;
        out.push({
          kind: 'fragment',
          condition: condition(fragment),
          typeCondition: fragment.typeCondition,
          selections: steps(selection.selectionSet),
          applies: new Map(),
        });
      }
    }
    return out;
  };

  const rootType = schema.schemaDefinition.rootType(operation.rootKind);
  assert(rootType, () => `No root type for ${operation.rootKind}`);
  const root = steps(operation.selectionSet);
  return { steps: root, rootType, schema, conditionVariables, defaults: operation.collectDefaultedVariableValues(), size };
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * federation-internals' isValidLeafValue for one type, with the schema's built-in types looked up
 * once: any value for a custom scalar; a boolean for Boolean; a finite number for Float, an integer
 * for Int and ID; a string for String and ID, or one of an enum's values.
 */
function leafCheck(schema: Schema, type: Type): (value: unknown) => boolean {
  if (isCustomScalarType(type)) return () => true;
  const isBoolean = type === schema.booleanType();
  const isInt = type === schema.intType();
  const isId = type === schema.idType();
  const isFloat = type === schema.floatType();
  const enumType = isEnumType(type) ? type : undefined;
  return (value) => {
    if (typeof value === 'boolean') return isBoolean;
    if (typeof value === 'number' && Number.isFinite(value)) return isInt || isId ? INTEGER.test(String(value)) : isFloat;
    if (typeof value === 'string') return enumType ? enumType.value(value) !== undefined : !isBoolean && !isInt && !isFloat;
    return false;
  };
}

const OK = 0;
const BUBBLE = 1;

// The checks below are computeResponse's assertions with its messages; each builds its message
// only when it fails (a closure per call showed as garbage in profiles).

interface Run {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  /** What the last updateOutputValue said besides its value (computeResponse returns them in an object each time). */
  invalid: boolean;
  hasErrors: boolean;
}

/**
 * computeResponse with a compiled shape. The caller has checked that every variable in
 * `shape.conditionVariables` holds a boolean (computeResponse asserts it as it goes).
 */
export function shapeResponse(
  shape: Shape,
  variables: Record<string, unknown> | undefined,
  input: Record<string, unknown>,
): { data: Record<string, unknown> | null; errors: GraphQLError[] } {
  const run: Run = {
    schema: shape.schema,
    variables: shape.conditionVariables.size ? { __proto__: null, ...shape.defaults, ...variables } : {},
    errors: [],
    invalid: false,
    hasErrors: false,
  };
  const data: Record<string, unknown> = {};
  const result = applySelectionSet(input, shape.steps, data, run, [], shape.rootType);
  return { data: result === BUBBLE ? null : data, errors: run.errors };
}

function skipped(condition: Condition, variables: Record<string, unknown>): boolean {
  const { skip, include } = condition;
  if (skip !== undefined && (typeof skip === 'boolean' ? skip : variables[skip] === true)) return true;
  return include !== undefined && !(typeof include === 'boolean' ? include : variables[include] === true);
}

function typeConditionApplies(schema: Schema, step: FragmentStep, typename: string | undefined, parentType: CompositeType): boolean {
  const condition = step.typeCondition;
  if (!condition) return true;
  if (!typename) return isSubtype(condition, parentType);
  let applies = step.applies.get(typename);
  if (applies === undefined) {
    const type = schema.type(typename);
    applies = !!type && isSubtype(condition, type);
    step.applies.set(typename, applies);
  }
  return applies;
}

function applySelectionSet(
  input: Record<string, unknown>,
  steps: Step[],
  output: Record<string, unknown>,
  run: Run,
  path: (string | number)[],
  parentType: CompositeType,
): typeof OK | typeof BUBBLE {
  for (const step of steps) {
    if (step.condition && skipped(step.condition, run.variables)) continue;
    if (step.kind === 'field') {
      const name = step.responseName;
      const outputValue = step.inherited && !hasOwn(output, name) ? undefined : output[name];
      let inputValue = (step.inherited && !hasOwn(input, name) ? undefined : input[name]) ?? null;
      if (step.typename) {
        // repeated in another fragment: already answered
        if (outputValue === undefined) {
          if (inputValue === null && name !== '__typename') inputValue = input.__typename ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (run.schema.type(inputValue) ?? parentType) : parentType;
          if (!isObjectType(type)) return BUBBLE;
          output[name] = type.name;
        }
        continue;
      }
      path.push(name);
      const updated = updateOutputValue(outputValue, step.type, inputValue, step.selections, path, run, parentType);
      output[name] = updated;
      path.pop();
      if (run.invalid) return BUBBLE;
    } else {
      const typename = input.__typename;
      if (typename && typeof typename !== 'string') assert(false, () => `Got unexpected value for __typename: ${typename}`);
      if (typeConditionApplies(run.schema, step, typename as string | undefined, parentType)) {
        if (applySelectionSet(input, step.selections, output, run, path, step.typeCondition ?? parentType) === BUBBLE) return BUBBLE;
      }
    }
  }
  return OK;
}

function describe(path: (string | number)[], currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

function done(run: Run, value: unknown, invalid: boolean, hasErrors: boolean): unknown {
  run.invalid = invalid;
  run.hasErrors = hasErrors;
  return value;
}

function updateOutputValue(
  outputValue: unknown,
  type: TypeStep,
  inputValue: unknown,
  selections: Step[] | undefined,
  path: (string | number)[],
  run: Run,
  parentType: CompositeType,
): unknown {
  assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
  // a repeated selection of a leaf, or a null already settled
  if (outputValue === null || (outputValue !== undefined && !selections)) return done(run, outputValue, false, false);

  if (type.kind === NON_NULL) {
    const updated = updateOutputValue(outputValue, type.of, inputValue, selections, path, run, parentType);
    if (updated === null) {
      if (!run.hasErrors) {
        run.errors.push(
          ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${describe(path, type.inner, parentType)}.`, { path: Array.from(path) }),
        );
      }
      return done(run, null, true, true);
    }
    return done(run, updated, false, false);
  }

  if (inputValue === null) return done(run, null, false, false);

  if (type.kind === LIST) {
    if (!Array.isArray(inputValue)) assert(false, () => `Invalid non-list value ${inputValue} returned by subgraph for list type ${type.type}`);
    if (outputValue !== undefined && !Array.isArray(outputValue))
      assert(false, () => `Invalid non-list value ${outputValue} returned by subgraph for list type ${type.type}`);
    // the list built by an earlier selection of the same field, if any (computeResponse starts from one of undefineds)
    const previous = outputValue as unknown[] | undefined;
    if (previous && inputValue.length !== previous.length)
      assert(false, () => `[${inputValue}].length (${inputValue.length}) !== [${previous}].length (${previous.length})`);
    let nullify = false;
    let hasErrors = false;
    // a fresh list, as computeResponse's map makes one: the earlier one is still the output's until the caller replaces it
    const updated = new Array(inputValue.length);
    for (let i = 0; i < inputValue.length; i++) {
      path.push(i);
      updated[i] = updateOutputValue(previous?.[i], type.of, inputValue[i], selections, path, run, parentType);
      path.pop();
      nullify ||= run.invalid;
      hasErrors ||= run.hasErrors;
    }
    return done(run, nullify ? null : updated, false, hasErrors);
  }

  if (type.kind === COMPOSITE) {
    if (!selections) assert(false, () => `Invalid empty selection set for composite type ${type.type}`);
    if (typeof inputValue !== 'object') assert(false, () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type.type}`);
    if (outputValue !== undefined && typeof outputValue !== 'object')
      assert(false, () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type.type}`);
    const object = inputValue as Record<string, unknown>;
    const inputTypename = object.__typename;
    if (inputTypename !== undefined && typeof inputTypename !== 'string')
      assert(false, () => `Invalid non-string value ${inputTypename} for __typename at ${path}`);
    let objectType: CompositeType = type.type;
    if (inputTypename) {
      const named = run.schema.type(inputTypename);
      if (!named || !isCompositeType(named)) {
        // the API schema lacks it (an @inaccessible type): its name is not told
        run.errors.push(
          ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${describe(path, type.type, parentType)}.`, { path: Array.from(path) }),
        );
        return done(run, null, false, true);
      }
      objectType = named;
    }
    const output = outputValue === undefined ? {} : (outputValue as Record<string, unknown>);
    const bubbled = applySelectionSet(object, selections, output, run, path, objectType) === BUBBLE;
    return done(run, bubbled ? null : output, false, bubbled);
  }

  if (outputValue !== undefined) assert(false, () => `Excepted output to be undefined but got ${type.type} for type ${type.type}`);
  const valid = type.valid(inputValue);
  if (!valid) {
    run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describe(path, type.type, parentType)}.`, { path: Array.from(path) }));
  }
  return done(run, valid ? inputValue : null, false, !valid);
}
