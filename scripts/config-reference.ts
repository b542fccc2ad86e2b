// Writes docs/configuration.md from the zod env shapes every process validates its environment
// with (each process's `env.ts`), so the reference cannot drift from the code: `npm run generate`
// runs this, `npm run check:generated` fails when the committed page differs.
//
// Types, allowed values and defaults come from the shapes themselves; descriptions from the JSDoc
// on each property where its shape is defined (found by reading the TypeScript sources), else from
// FALLBACK_DESCRIPTIONS (config-descriptions.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { envShape as gatewayShape } from '../gateway/src/env.ts';
import { envShape as crmShape } from '../subgraphs/crm/src/env.ts';
import { envShape as mesShape } from '../subgraphs/mes/src/env.ts';
import { envShape as shopShape } from '../subgraphs/shop/src/env.ts';
import { FALLBACK_DESCRIPTIONS, PACKAGE_TITLES, SHAPE_TITLES } from './config-descriptions.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The checkout as the env shapes spell paths (`new URL(…).pathname`: percent-encoded). */
const rootPathname = new URL('..', import.meta.url).pathname;
const OUTPUT = join(root, 'docs/configuration.md');

/** Each process and the shape its `loadEnv` validates (the price worker parses the mes subgraph's env). */
const PROCESSES: { name: string; shape: Record<string, unknown> }[] = [
  { name: 'gateway', shape: gatewayShape },
  { name: 'shop', shape: shopShape },
  { name: 'crm', shape: crmShape },
  { name: 'mes', shape: mesShape },
  { name: 'price worker', shape: mesShape },
];

/** Where shapes are defined; the package folder orders the sections. */
const SOURCE_DIRS = ['infra/shared/src', 'gateway/src', 'subgraphs/shop/src', 'subgraphs/crm/src', 'subgraphs/mes/src'];

interface Definition {
  name: string;
  shape: string;
  file: string;
  description: string;
  defaultText?: string;
  /** The `.default(…)` argument is a function: its value is computed at start, never evaluated here. */
  computedDefault: boolean;
}

interface ShapeInfo {
  shape: string;
  file: string;
  description: string;
  definitions: Definition[];
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function jsDocOf(node: ts.Node): { description: string; defaultText?: string } {
  const parts: string[] = [];
  let defaultText: string | undefined;
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(doc)) continue;
    const comment = ts.getTextOfJSDocComment(doc.comment);
    if (comment) parts.push(comment);
    for (const tag of doc.tags ?? []) {
      const text = ts.getTextOfJSDocComment(tag.comment) ?? '';
      if (tag.tagName.text === 'default') defaultText = collapse(text);
      // not a tag: text such as `@apollo/gateway` that the JSDoc parser reads as one
      else parts.push(`@${tag.tagName.text}${text}`);
    }
  }
  return { description: collapse(parts.join(' ')), defaultText };
}

/** The argument of the outermost `.default(…)` call in an initializer, if any. */
function defaultArgument(expression: ts.Expression): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'default') {
      found = node.arguments[0];
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** Every `const xEnvShape = { … }` (or `envShape`) and `testOnly: [...]` in the sources. */
function readSources() {
  const shapes: ShapeInfo[] = [];
  const testOnly = new Set<string>();
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    const text = readFileSync(join(root, file), 'utf8');
    if (!/EnvShape|envShape|testOnly/.test(text)) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isVariableStatement(node)) {
        for (const declaration of node.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name) || !/(^e|E)nvShape$/.test(declaration.name.text)) continue;
          if (!declaration.initializer || !ts.isObjectLiteralExpression(declaration.initializer)) continue;
          const shape = declaration.name.text;
          const definitions: Definition[] = [];
          for (const property of declaration.initializer.properties) {
            if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
            const argument = defaultArgument(property.initializer);
            definitions.push({
              name: property.name.text,
              shape,
              file,
              ...jsDocOf(property),
              computedDefault: !!argument && (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)),
            });
          }
          shapes.push({ shape, file, description: jsDocOf(node).description, definitions });
        }
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'testOnly' && ts.isArrayLiteralExpression(node.initializer)) {
        for (const element of node.initializer.elements) if (ts.isStringLiteral(element)) testOnly.add(element.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { shapes, testOnly };
}

// --- zod schemas, read through their public `def` (zod 4) ---

interface ZodLike {
  def: Record<string, unknown> & { type: string };
}
interface CheckDef {
  check: string;
  format?: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  pattern?: RegExp;
}
const checksOf = (schema: ZodLike) => ((schema.def.checks as { _zod: { def: CheckDef } }[] | undefined) ?? []).map((check) => check._zod.def);
const code = (text: string) => `\`${text}\``;

function describeNumber(schema: ZodLike): string {
  const checks = checksOf(schema);
  const integer = checks.some((check) => check.check === 'number_format' && check.format?.includes('int'));
  let min: number | undefined;
  let max: number | undefined;
  for (const check of checks) {
    if (check.value === undefined) continue;
    const step = check.inclusive ? 0 : integer ? 1 : 0;
    if (check.check === 'greater_than') min = check.value + step;
    if (check.check === 'less_than') max = check.value - step;
  }
  const kind = integer ? 'integer' : 'number';
  if (min !== undefined && max !== undefined) return `${kind} ${min}–${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

function describeString(schema: ZodLike): string {
  const parts: string[] = [];
  for (const check of checksOf(schema)) {
    if (check.check === 'string_format' && check.format === 'url') return 'URL';
    if (check.check === 'string_format' && check.format === 'regex' && check.pattern) parts.push(`matching ${code(String(check.pattern))}`);
    if (check.check === 'min_length' && check.minimum !== undefined && check.minimum > 1) parts.push(`at least ${check.minimum} characters`);
    if (check.check === 'min_length' && check.minimum === 1) parts.unshift('non-empty');
  }
  return ['string', ...parts].join(', ').replace('string, non-empty', 'non-empty string');
}

function describeType(schema: ZodLike): string {
  const def = schema.def;
  switch (def.type) {
    case 'default':
    case 'optional':
      return describeType(def.innerType as ZodLike);
    case 'pipe': {
      const input = def.in as ZodLike;
      const output = def.out as ZodLike;
      if (output.def.type === 'transform') return describeType(input);
      // text parsed by a transform, then validated: JSON
      if (input.def.type === 'pipe' && (input.def.out as ZodLike).def.type === 'transform') return `JSON: ${describeType(output)}`;
      return describeType(output);
    }
    case 'record':
      return `object of ${describeType(def.valueType as ZodLike)}`;
    case 'enum': {
      const values = Object.values(def.entries as Record<string, string>);
      if (values.length === 4 && ['true', 'false', '1', '0'].every((value) => values.includes(value))) return 'boolean: `true`/`1`, `false`/`0`';
      return values.map((value) => code(value === '' ? "''" : value)).join(', ');
    }
    case 'number':
      return describeNumber(schema);
    case 'string':
      return describeString(schema);
    default:
      return def.type;
  }
}

/** The default a schema applies to a missing variable; undefined when it has none. */
function defaultValueOf(schema: ZodLike): { value: unknown } | undefined {
  const def = schema.def;
  if (def.type === 'default') return { value: def.defaultValue };
  if (def.type === 'pipe') return defaultValueOf(def.in as ZodLike);
  return undefined;
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return code("''");
    // paths under the checkout differ per machine: shown relative to it
    if (value.startsWith(rootPathname)) return code(`<repo>/${value.slice(rootPathname.length)}`);
    return code(value.startsWith(root) ? `<repo>/${relative(root, value)}` : value);
  }
  return code(JSON.stringify(value));
}

function renderDefault(schema: ZodLike, definition: Definition | undefined): string {
  const text = definition?.defaultText;
  const found = definition?.computedDefault ? undefined : defaultValueOf(schema);
  if (!found) return text ? (/^[\w.:/-]+$/.test(text) ? code(text) : text) : definition?.computedDefault ? 'computed at start' : 'unset';
  const value = renderValue(found.value);
  if (!text) return value;
  const plain = typeof found.value === 'string' ? found.value : JSON.stringify(found.value);
  if (text === plain || text === `'${plain}'`) return value;
  if (text.startsWith(`${plain} `)) return `${value} ${text.slice(plain.length + 1)}`;
  return `${value} (${text})`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function render(): string {
  const { shapes, testOnly } = readSources();
  const readers = new Map<string, string[]>();
  const schemas = new Map<string, ZodLike>();
  for (const { name, shape } of PROCESSES) {
    for (const [variable, schema] of Object.entries(shape)) {
      readers.set(variable, [...(readers.get(variable) ?? []), name]);
      if (!schemas.has(variable)) schemas.set(variable, schema as ZodLike);
    }
  }
  // a process's own shape first, then the shared ones in the order of SHAPE_TITLES
  const shapeRank = (shape: string) => (shape === 'envShape' ? -1 : Object.keys(SHAPE_TITLES).indexOf(shape) + 1 || Number.MAX_SAFE_INTEGER);
  const packageOf = (file: string) => SOURCE_DIRS.findIndex((dir) => file.startsWith(`${dir}/`));
  const sections = shapes
    .map((info) => ({ ...info, definitions: info.definitions.filter((definition) => readers.has(definition.name)) }))
    .filter((info) => info.definitions.length > 0)
    .map((info, index) => ({ ...info, index }))
    .sort((a, b) => packageOf(a.file) - packageOf(b.file) || shapeRank(a.shape) - shapeRank(b.shape) || a.index - b.index);
  const defined = new Set(sections.flatMap((section) => section.definitions.map((definition) => definition.name)));
  const undefinedVariables = [...readers.keys()].filter((variable) => !defined.has(variable));
  const undescribed: string[] = [];

  const written = new Set<string>();
  /** A table row, or nothing when the same row (a variable defined alike in two shapes, e.g. `HOST`) is already written. */
  const row = (variable: string, definition: Definition | undefined) => {
    const schema = schemas.get(variable) as ZodLike;
    let description = definition?.description || FALLBACK_DESCRIPTIONS[variable] || '';
    if (!description) undescribed.push(variable);
    if (testOnly.has(variable)) description = `${description} **Test switch:** production refuses any value but the default.`.trim();
    const columns = [code(variable), (readers.get(variable) ?? []).join(', '), describeType(schema), renderDefault(schema, definition), description];
    const line = `| ${columns.map(cell).join(' | ')} |`;
    if (written.has(line)) return [];
    written.add(line);
    return [line];
  };

  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated by scripts/config-reference.ts from the zod env shapes (`npm run generate`); do not edit. -->',
    '',
    'Every process reads its environment once, in its `env.ts` (zod, with defaults for local use):',
    '`gateway/src/env.ts`, `subgraphs/shop/src/env.ts`, `subgraphs/crm/src/env.ts` and',
    '`subgraphs/mes/src/env.ts` (which the price worker, `subgraphs/mes/src/worker.ts`, parses too).',
    'Shared shapes (`baseEnvShape` and the others below) are spread into them. A value that does not',
    'validate stops the process at start with one line per variable naming what is wrong.',
    '',
    'With `NODE_ENV=production` a process also refuses to start when `JWT_SECRET` or `INTERNAL_SECRET`',
    'is unset or a value once published as a development default, or when a test switch (marked',
    'below) is set to anything but its default. Outside production an unset secret is generated once',
    'per checkout into `.data/dev-secrets.json` (readable by its owner only) and shared by all the',
    'processes of that checkout. `npm start` and the test stacks (`startStack()` in `infra/dev`) set',
    'ports, URLs, databases and `NAMESPACE` themselves.',
    '',
    'Columns: the variable, the processes that read it, the values it accepts, its default (`<repo>` is',
    'the checkout), and what it does.',
  ];
  for (const section of sections) {
    const folder = SOURCE_DIRS[packageOf(section.file)]?.replace(/\/src$/, '') ?? '';
    const title = section.shape === 'envShape' ? (PACKAGE_TITLES[folder] ?? folder) : (SHAPE_TITLES[section.shape] ?? section.shape);
    lines.push('', `## ${title}`, '', `\`${section.shape}\` in \`${section.file}\`.${section.description ? ` ${section.description}` : ''}`, '');
    lines.push('| variable | read by | values | default | description |', '| --- | --- | --- | --- | --- |');
    for (const definition of section.definitions) lines.push(...row(definition.name, definition));
  }
  if (undefinedVariables.length) {
    lines.push('', '## Other', '', 'Read by a process whose shape defines them in no file scanned here.', '');
    lines.push('| variable | read by | values | default | description |', '| --- | --- | --- | --- | --- |');
    for (const variable of undefinedVariables) lines.push(...row(variable, undefined));
  }
  if (undescribed.length) console.warn(`config-reference: no description for ${[...new Set(undescribed)].join(', ')} (add JSDoc where the shape defines it)`);
  return `${lines.join('\n')}\n`;
}

writeFileSync(OUTPUT, render());
console.log(`wrote ${relative(root, OUTPUT)}`);
