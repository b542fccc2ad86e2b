// Plain Node: the closing line of `npm test`, from vitest's JSON report.

/**
 * Counts from a vitest JSON report. A suite that failed on its own (a beforeAll error, an import that
 * threw) leaves its tests skipped and numFailedTests at 0: it counts as one failure and is named.
 */
export function summarize(report) {
  const { numPassedTests = 0, numFailedTests = 0, numPendingTests = 0, numTodoTests = 0, testResults = [] } = report;
  const brokenSuites = testResults
    .filter((suite) => suite.status === 'failed' && !(suite.assertionResults ?? []).some((test) => test.status === 'failed'))
    .map((suite) => ({ file: suite.name, message: String(suite.message ?? '').split('\n')[0] }));
  const failed = numFailedTests + brokenSuites.length;
  const lines = [`tests: ${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped`];
  for (const suite of brokenSuites) lines.push(`  suite failed before its tests ran: ${suite.file}: ${suite.message}`);
  return { passed: numPassedTests, failed, ok: failed === 0 && numPassedTests > 0 && report.success !== false, text: lines.join('\n') };
}
