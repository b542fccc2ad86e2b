import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertRules, dashboards, exportedNames, metricsOf, queries } from './observedMetrics.ts';

const runbooks = readFileSync(new URL('../../../docs/runbooks.md', import.meta.url), 'utf8');
/** GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped. */
const anchors = new Set(
  [...runbooks.matchAll(/^#{2,3} (.+)$/gm)].map(([, h]) =>
    (h ?? '')
      .toLowerCase()
      .replace(/[^\w\s-]/g, '')
      .replace(/\s/g, '-'),
  ),
);

describe('dashboards and alert rules', () => {
  it('cover the gateway, each subgraph, the pipeline and the price workers', () => {
    expect(
      dashboards()
        .map((d) => d.file)
        .sort(),
    ).toEqual(['gateway.json', 'pipeline.json', 'price-workers.json', 'subgraph-crm.json', 'subgraph-mes.json', 'subgraph-shop.json']);
    for (const d of dashboards()) expect(d.panels.length, d.file).toBeGreaterThan(3);
  });

  it('alert on error rate, p99 latency, queue growth, outbox backlog, dead letters, cache hit ratio and event-loop lag', () => {
    const read = new Set(alertRules().flatMap((r) => metricsOf(r.expr).names));
    for (const name of [
      'fabline_gateway_operation_errors_total',
      'fabline_gateway_operation_duration_seconds_bucket',
      'fabline_bus_queue_depth',
      'fabline_outbox_backlog',
      'fabline_cache_lookups_total',
      'fabline_quote_cache_lookups_total',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(read).toContain(name);
  });

  it('link every rule to a runbook paragraph that exists', () => {
    for (const rule of alertRules()) {
      const url = rule.annotations?.runbook_url ?? '';
      expect(url, rule.alert).toMatch(/^docs\/runbooks\.md#/);
      expect(anchors, `${rule.alert} → ${url}`).toContain(url.split('#')[1]);
    }
  });

  it('read metric names from PromQL and expositions', () => {
    expect(metricsOf('histogram_quantile(0.99, sum by (le) (rate(fabline_x_bucket{service="mes"}[5m])))')).toEqual({
      names: ['fabline_x_bucket'],
      service: 'mes',
    });
    const names = exportedNames('# HELP h x\n# TYPE h histogram\n# TYPE c_total counter\nc_total 1\n');
    expect([...names].sort()).toEqual(['c_total', 'h', 'h_bucket', 'h_count', 'h_sum']);
    expect(queries().length).toBeGreaterThan(50);
  });
});
