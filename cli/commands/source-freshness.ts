import path from 'node:path';
import pc from 'picocolors';
import { scrubSecrets, writeFileAtomic } from '../../core/artifacts/artifact-metadata.js';
import { checkSourceFreshness, type SourceFreshnessResult } from '../../core/freshness/check-source-freshness.js';
import { hasThreshold, type FreshnessCriteria, type FreshnessTime } from '../../core/freshness/freshness-criteria.js';
import { describeAge } from '../../core/freshness/freshness-status.js';
import { sourcesArtifact } from '../../core/freshness/sources-artifact.js';
import type { SourceNode } from '../../core/manifest/nodes.js';
import type { Logger } from '../output/logger.js';
import type { SelectOptions } from '../options.js';
import { selectNodes, writeManifest, type Session } from '../session.js';

export interface SourceFreshnessOptions extends SelectOptions {
  /** Where to write the results (default target/sources.json). */
  output?: string;
}

interface Check {
  source: SourceNode;
  criteria: FreshnessCriteria;
  loadedAtField: string;
}

const WIDTH = 80;
const LABELS: Record<SourceFreshnessResult['status'], [string, (s: string) => string]> = {
  pass: ['PASS', pc.green],
  warn: ['WARN', pc.yellow],
  error: ['ERROR STALE', pc.red],
  'runtime error': ['ERROR', pc.red],
};
const dots = (left: string, right: string) => `${left} ${'.'.repeat(Math.max(3, WIDTH - left.length - 1))} ${right}`;
const nameOf = (source: SourceNode) => `${source.source_name}.${source.name}`;
const timeText = (time: FreshnessTime) => `${time.count} ${time.period}${time.count === 1 ? '' : 's'}`;

/** `source freshness`: checks the selected sources' newest rows against their criteria. Returns the exit code. */
export async function runSourceFreshness(session: Session, options: SourceFreshnessOptions): Promise<number> {
  const { logger, project, adapter } = session;
  const checks: Check[] = [];
  const unchecked: string[] = [];
  const selected = [...selectNodes(session, options, ['source'])].map((id) => project.sources.get(id)).filter((s): s is SourceNode => Boolean(s));
  for (const source of selected.sort((a, b) => nameOf(a).localeCompare(nameOf(b)))) {
    // Merged at parse, as the manifest has them.
    const criteria = source.freshness;
    if (hasThreshold(criteria) && source.loaded_at_field) checks.push({ source, criteria, loadedAtField: source.loaded_at_field });
    else unchecked.push(nameOf(source));
  }
  const outputPath = options.output ? path.resolve(options.output) : path.join(session.targetDir, 'sources.json');
  logger.info(`Found ${checks.length} source${checks.length === 1 ? '' : 's'} to check for freshness`);
  // dbt leaves these out silently; saying so saves a search for why a source is missing.
  if (unchecked.length) logger.info(`Not checked, no freshness criteria or no loaded_at_field: ${unchecked.join(', ')}`, 'freshness_not_checked', { sources: unchecked });

  const started = performance.now();
  const writeResults = (results: SourceFreshnessResult[]) => {
    const artifact = sourcesArtifact({ invocationId: session.invocationId, results, elapsedTime: (performance.now() - started) / 1000 });
    writeFileAtomic(outputPath, scrubSecrets(JSON.stringify(artifact, null, 2), session.target.secrets));
  };
  try {
    if (checks.length === 0) {
      logger.warn('Nothing to do: no selected source has freshness criteria and a loaded_at_field. Try `strata ls --resource-type source` to see the sources.');
      writeResults([]);
      return 0;
    }
    logger.info(`Concurrency: ${session.threads} threads (target='${session.target.name}', ${adapter.describe()})`);
    logger.info('');
    await session.connect();
    const results = await checkAll(checks, session, new FreshnessReporter(logger, checks.length));
    summarize(logger, checks, results, (performance.now() - started) / 1000);
    writeResults(results);
    return results.some((r) => r.status === 'error' || r.status === 'runtime error') ? 1 : 0;
  } finally {
    writeManifest(session);
  }
}

/** Runs the checks on up to `threads` workers, in order of name. */
async function checkAll(checks: Check[], session: Session, reporter: FreshnessReporter): Promise<SourceFreshnessResult[]> {
  const results: SourceFreshnessResult[] = new Array(checks.length);
  let next = 0;
  const worker = async (thread: number) => {
    while (next < checks.length) {
      const i = next++;
      const { source, criteria, loadedAtField } = checks[i];
      const index = reporter.start(source);
      results[i] = await checkSourceFreshness(session.adapter, source, criteria, loadedAtField, `Thread-${thread}`);
      reporter.end(source, index, results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(session.threads, checks.length) }, (_, t) => worker(t + 1)));
  return results;
}

/** One dbt-style line per source as it starts and ends, and a progress line on a terminal. */
class FreshnessReporter {
  private started = 0;
  private done = 0;
  private readonly running = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly total: number,
  ) {}

  start(source: SourceNode): number {
    const index = ++this.started;
    this.running.add(nameOf(source));
    if (!this.logger.tty) this.logger.info(dots(`${index} of ${this.total} START freshness of ${nameOf(source)}`, '[RUN]'), 'freshness_start', { unique_id: source.unique_id, index, total: this.total });
    this.progress();
    return index;
  }

  end(source: SourceNode, index: number, result: SourceFreshnessResult): void {
    this.running.delete(nameOf(source));
    this.done++;
    const { logger } = this;
    const [label, style] = LABELS[result.status];
    const age = result.max_loaded_at_time_ago_in_s === null ? '' : ` (age ${describeAge(result.max_loaded_at_time_ago_in_s)})`;
    const line = dots(`${index} of ${this.total} ${logger.paint(style, label)} freshness of ${nameOf(source)}${age}`, `[${logger.paint(style, label)} in ${result.execution_time.toFixed(2)}s]`);
    logger.info(line, 'freshness_finished', {
      unique_id: source.unique_id,
      index,
      total: this.total,
      status: result.status,
      max_loaded_at: result.max_loaded_at,
      snapshotted_at: result.snapshotted_at,
      age_seconds: result.max_loaded_at_time_ago_in_s,
      criteria: result.criteria,
      execution_time: result.execution_time,
      error: result.error,
    });
    this.progress();
  }

  private progress(): void {
    const names = [...this.running];
    if (names.length === 0) return this.logger.clearProgress();
    this.logger.progress(`[${this.done}/${this.total}] checking ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`);
  }
}

/** The closing lines: each error in full, then the PASS/WARN/ERROR counts. */
function summarize(logger: Logger, checks: Check[], results: SourceFreshnessResult[], elapsed: number): void {
  logger.clearProgress();
  logger.info('');
  logger.info(`Finished checking ${results.length} source${results.length === 1 ? '' : 's'} in ${elapsed.toFixed(2)}s.`, 'run_finished', { elapsed });
  results.forEach((result, i) => {
    if (result.status !== 'error' && result.status !== 'runtime error') return;
    const { source } = checks[i];
    logger.info('');
    if (result.status === 'runtime error') {
      logger.error(`Error checking freshness of source ${nameOf(source)} (${source.original_file_path})`);
      logger.info(`  ${result.error}`);
    } else {
      logger.error(`Source ${nameOf(source)} is stale (${source.original_file_path})`);
      logger.info(`  newest ${checks[i].loadedAtField} is ${result.max_loaded_at}, ${describeAge(result.max_loaded_at_time_ago_in_s ?? 0)} old; error_after is ${timeText(result.criteria.error_after)}`);
    }
  });
  const count = (...statuses: string[]) => results.filter((r) => statuses.includes(r.status)).length;
  const totals = { pass: count('pass'), warn: count('warn'), error: count('error', 'runtime error'), skip: 0, total: results.length };
  logger.info('');
  logger.info(`Done. PASS=${totals.pass} WARN=${totals.warn} ERROR=${totals.error} SKIP=${totals.skip} TOTAL=${totals.total}`, 'run_summary', totals);
}
