import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

const deploy = new URL('../', import.meta.url).pathname;

/** A PromQL expression and where it comes from (dashboard panel or alert rule). */
export interface Query {
  source: string;
  expr: string;
}

interface Dashboard {
  title: string;
  panels: { title: string; targets?: { expr: string }[] }[];
}
interface RuleFile {
  groups: { name: string; rules: { alert: string; expr: string; annotations?: { runbook_url?: string } }[] }[];
}

export const dashboards = () =>
  readdirSync(`${deploy}grafana`)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(`${deploy}grafana/${file}`, 'utf8')) as Dashboard) }));

export const alertRules = () => (parse(readFileSync(`${deploy}prometheus/alerts.yml`, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);

/** Every PromQL expression in the Grafana dashboards and the alert rules. */
export function queries(): Query[] {
  const fromDashboards = dashboards().flatMap((d) =>
    d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ source: `${d.file}: ${p.title}`, expr: t.expr }))),
  );
  const fromRules = alertRules().map((r) => ({ source: `alerts.yml: ${r.alert}`, expr: r.expr }));
  return [...fromDashboards, ...fromRules];
}

const METRIC = /\b((?:fabline|nodejs|process)_[A-Za-z0-9_]+)\b/g;

/** Metric names an expression reads, and the `service` it selects (if one). */
export function metricsOf(expr: string): { names: string[]; service?: string } {
  return { names: [...new Set([...expr.matchAll(METRIC)].map((m) => m[1] as string))], service: /service="([^"]+)"/.exec(expr)?.[1] };
}

/**
 * The series names a /metrics page can produce: every `# TYPE` (registered even before a first
 * observation), with `_bucket`, `_sum` and `_count` for histograms and `_sum`/`_count` for summaries.
 */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!name) continue;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}
