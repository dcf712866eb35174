import pc from 'picocolors';
import type { NodeResult } from '../../core/artifacts/run-results.js';
import type { ManifestNode } from '../../core/manifest/nodes.js';
import type { RunEvent } from '../../core/runner/run-nodes.js';
import type { Logger } from './logger.js';

const WIDTH = 80;

function describe(node: ManifestNode): string {
  const where = `${node.schema}.${node.alias}`;
  if (node.resource_type === 'seed') return `seed file ${where}`;
  if (node.resource_type === 'snapshot') return `snapshot ${where}`;
  if (node.resource_type === 'model') return `sql ${node.config.materialized} model ${where}`;
  if (node.resource_type === 'test' || node.resource_type === 'unit_test') return `${node.resource_type === 'unit_test' ? 'unit test' : 'test'} ${node.name}`;
  return `${node.resource_type} ${node.name}`;
}

function dots(left: string, right: string): string {
  return `${left} ${'.'.repeat(Math.max(3, WIDTH - left.length - 1))} ${right}`;
}

/** Prints one dbt-style line per node, a progress line on a terminal, and the closing summary. */
export class RunReporter {
  private readonly running = new Map<string, string>();
  private done = 0;

  constructor(private readonly logger: Logger) {}

  onEvent = (event: RunEvent): void => {
    const { node, index, total } = event;
    const counter = `${index} of ${total}`;
    if (event.type === 'node-start') {
      this.running.set(node.unique_id, node.name);
      if (!this.logger.tty) this.logger.info(dots(`${counter} START ${describe(node)}`, '[RUN]'), 'node_start', { unique_id: node.unique_id, index, total });
      this.showProgress(total);
      return;
    }
    this.running.delete(node.unique_id);
    this.done++;
    const result = event.result;
    const seconds = `${result.execution_time.toFixed(2)}s`;
    const data = { unique_id: node.unique_id, index, total, status: result.status, execution_time: result.execution_time, message: result.message };
    if (result.status === 'success' || result.status === 'pass') {
      const verb = node.resource_type === 'seed' ? 'loaded' : node.resource_type === 'test' ? '' : 'created';
      // dbt's wording for snapshots: `OK snapshotted snapshots.orders_snapshot`.
      const label = node.resource_type === 'test' || node.resource_type === 'unit_test' ? `PASS ${node.name}` : node.resource_type === 'snapshot' ? `OK snapshotted ${node.schema}.${node.alias}` : `OK ${verb} ${describe(node)}`;
      this.logger.info(dots(`${counter} ${this.logger.paint(pc.green, label)}`, `[${this.logger.paint(pc.green, result.status === 'pass' ? 'PASS' : result.message ?? 'OK')} in ${seconds}]`), 'node_finished', data);
    } else if (result.status === 'skipped') {
      this.logger.info(dots(`${counter} ${this.logger.paint(pc.yellow, 'SKIP')} ${describe(node)}`, `[${this.logger.paint(pc.yellow, 'SKIP')}]`), 'node_finished', data);
    } else if (result.status === 'warn') {
      const label = node.resource_type === 'test' ? `WARN ${result.failures ?? ''} ${node.name}` : `WARN ${describe(node)}`;
      this.logger.info(dots(`${counter} ${this.logger.paint(pc.yellow, label)}`, `[${this.logger.paint(pc.yellow, `WARN ${result.failures ?? ''}`.trim())} in ${seconds}]`), 'node_finished', data);
    } else if (result.status === 'fail') {
      this.logger.info(dots(`${counter} ${this.logger.paint(pc.red, `FAIL ${result.failures ?? ''} ${node.name}`)}`, `[${this.logger.paint(pc.red, `FAIL ${result.failures ?? ''}`.trim())} in ${seconds}]`), 'node_finished', data);
    } else {
      this.logger.info(dots(`${counter} ${this.logger.paint(pc.red, 'ERROR')} creating ${describe(node)}`, `[${this.logger.paint(pc.red, 'ERROR')} in ${seconds}]`), 'node_finished', data);
    }
    this.showProgress(total);
  };

  private showProgress(total: number): void {
    const names = [...this.running.values()];
    if (names.length === 0) return this.logger.clearProgress();
    this.logger.progress(`[${this.done}/${total}] running ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`);
  }

  /** The closing lines: what ran, the errors in full, and the PASS/WARN/ERROR/SKIP counts. */
  summary(results: NodeResult[], nodes: ReadonlyMap<string, ManifestNode>, elapsed: number): void {
    this.logger.clearProgress();
    const kinds = new Map<string, number>();
    for (const result of results) {
      const node = nodes.get(result.unique_id);
      if (!node) continue;
      const kind = node.resource_type === 'model' ? `${node.config.materialized} model` : node.resource_type;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const what = [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ') || 'nothing';
    this.logger.info('');
    this.logger.info(`Finished running ${what} in ${elapsed.toFixed(2)}s.`, 'run_finished', { elapsed });
    const count = (statuses: string[]) => results.filter((r) => statuses.includes(r.status)).length;
    const errors = count(['error', 'fail', 'runtime error']);
    const problems = results.filter((r) => ['error', 'fail', 'runtime error', 'warn'].includes(r.status));
    const warns = count(['warn']);
    const skips = count(['skipped']);
    if (errors === 0) {
      this.logger.info(this.logger.paint(pc.green, warns ? `Completed with ${warns} warning${warns === 1 ? '' : 's'}` : 'Completed successfully'));
    } else {
      this.logger.info(this.logger.paint(pc.red, `Completed with ${errors} error${errors === 1 ? '' : 's'} and ${warns} warning${warns === 1 ? '' : 's'}:`));
    }
    for (const result of problems) {
      const node = nodes.get(result.unique_id);
      const where = node?.declared_at ? `${node.declared_at.file}${node.declared_at.line() ? `:${node.declared_at.line()}` : ''}` : node?.original_file_path ?? '';
      const kind = result.status === 'warn' ? 'Warning' : result.status === 'fail' ? 'Failure' : 'Error';
      this.logger.info('');
      if (result.status === 'warn') this.logger.warn(`${kind} in ${node?.resource_type ?? ''} ${node?.name ?? result.unique_id} (${where})`);
      else this.logger.error(`${kind} in ${node?.resource_type ?? ''} ${node?.name ?? result.unique_id} (${where})`);
      // At the level of its heading, so that --quiet, which keeps only warnings and errors, keeps the reason too.
      this.logger.log(result.status === 'warn' ? 'warn' : 'error', `  ${(result.message ?? '').split('\n').join('\n  ')}`);
    }
    this.logger.info('');
    this.logger.info(`Done. PASS=${count(['success', 'pass'])} WARN=${warns} ERROR=${errors} SKIP=${skips} TOTAL=${results.length}`, 'run_summary', {
      pass: count(['success', 'pass']),
      warn: warns,
      error: errors,
      skip: skips,
      total: results.length,
    });
  }
}
