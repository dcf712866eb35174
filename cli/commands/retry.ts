import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import { readProjectFile } from '../../core/project/project-file.js';
import type { CommonOptions } from '../options.js';
import type { Session } from '../session.js';
import { runBuild, type BuildOptions } from './build.js';
import { runClone } from './clone.js';

/** Statuses `strata retry` reruns, as dbt's retry: what failed and what it kept from running. */
export const RETRYABLE_STATUSES = new Set(['error', 'fail', 'skipped', 'runtime error']);

/** The resource types of each command retry can repeat. */
export const COMMAND_RESOURCE_TYPES: Record<string, readonly string[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  snapshot: ['snapshot'],
  build: ['seed', 'snapshot', 'model', 'test', 'unit_test'],
};

/** What the last run was and what to rerun, read from target/run_results.json. */
export interface RetryPlan {
  command: string;
  ids: Set<string>;
  /** The last run's flags as options of the command (the CLI's own flags on top). */
  options: CommonOptions & BuildOptions;
  /** The last run's --vars named secrets, so they were not recorded, and retry was given none. */
  varsOmitted: boolean;
  /** For a run-operation: the macro and its --args. */
  operation?: { macro: string; args: string };
}

/** Reads the last run's run_results.json and turns it into the command, flags and nodes to rerun. */
export function planRetry(cli: CommonOptions): RetryPlan {
  const root = path.resolve(cli.projectDir ?? process.cwd());
  const file = path.join(root, readProjectFile(root).targetPath, 'run_results.json');
  if (!existsSync(file)) throw new UserError('nothing to retry: there is no run_results.json from a previous run', { file: path.relative(process.cwd(), file) || file, hint: 'run strata build (or run, test, seed, snapshot, clone) first' });
  let artifact: { results?: { unique_id: string; status: string }[]; args?: Record<string, unknown> };
  try {
    artifact = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`run_results.json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { file, hint: 'run the command again instead of retrying it' });
  }
  const args = artifact.args ?? {};
  const command = String(args.which ?? '');
  if (!COMMAND_RESOURCE_TYPES[command] && command !== 'clone' && command !== 'run-operation') {
    throw new UserError(`the last run was '${command || 'unknown'}', which retry cannot repeat`, { file, hint: 'retry repeats build, run, seed, test, snapshot, clone and run-operation' });
  }
  let operation: RetryPlan['operation'];
  if (command === 'run-operation') {
    if (typeof args.macro !== 'string') throw new UserError('run_results.json of the last run-operation names no macro', { file, hint: 'run the operation again instead of retrying it' });
    // Args named like secrets were kept out of the artifact: retry cannot know them.
    if (typeof args.args !== 'string') throw new UserError(`the last run-operation's --args named secrets, which run_results.json does not keep`, { file, hint: `run strata run-operation ${args.macro} --args '...' again` });
    operation = { macro: args.macro, args: args.args };
  }
  const ids = new Set((artifact.results ?? []).filter((r) => RETRYABLE_STATUSES.has(r.status)).map((r) => r.unique_id));
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
  const options: CommonOptions & BuildOptions = {
    select: strings(args.select),
    exclude: strings(args.exclude),
    selector: typeof args.selector === 'string' ? args.selector : undefined,
    indirectSelection: ['eager', 'cautious', 'empty'].includes(String(args.indirect_selection)) ? (args.indirect_selection as BuildOptions['indirectSelection']) : undefined,
    fullRefresh: args.full_refresh === true,
    failFast: args.fail_fast === true,
    warnError: args.warn_error === true,
    storeFailures: args.store_failures === true,
    empty: args.empty === true,
    target: typeof args.target === 'string' ? args.target : undefined,
    vars: typeof args.vars === 'string' ? args.vars : undefined,
    threads: typeof args.threads === 'number' ? String(args.threads) : undefined,
    state: typeof args.state === 'string' ? args.state : undefined,
    defer: args.defer === true,
    favorState: args.favor_state === true,
    // Flags given to retry itself win (a different --threads, --target or --vars).
    ...Object.fromEntries(Object.entries(cli).filter(([, v]) => v !== undefined)),
  };
  const varsOmitted = args.vars_omitted === true && cli.vars === undefined;
  return { command, ids, options, varsOmitted, operation };
}

/** `strata retry`: reruns the nodes of the last run that errored, failed or were skipped, with its flags. */
export async function runRetry(session: Session, plan: RetryPlan): Promise<number> {
  const { logger, project } = session;
  if (plan.operation) {
    if (plan.ids.size === 0) {
      logger.info(`Nothing to retry: the last \`strata run-operation ${plan.operation.macro}\` succeeded`, 'retry_nothing');
      return 0;
    }
    logger.info(`Retrying the last \`strata run-operation ${plan.operation.macro}\`, which failed`, 'retry', { command: plan.command, ids: [...plan.ids] });
    return (await import('./run-operation.js')).runOperation(session, plan.operation.macro, { args: plan.operation.args });
  }
  const gone = [...plan.ids].filter((id) => !project.nodes.has(id));
  for (const id of gone) logger.warn(`${id} ran last time but is no longer in the project: not retried`);
  const ids = new Set([...plan.ids].filter((id) => project.nodes.has(id)));
  if (ids.size === 0) {
    logger.info(`Nothing to retry: every node of the last \`strata ${plan.command}\` succeeded`, 'retry_nothing');
    return 0;
  }
  if (plan.varsOmitted) logger.warn("The last run's --vars named secret-like vars, which run_results.json does not keep: pass the same --vars to retry");
  logger.info(`Retrying ${ids.size} node${ids.size === 1 ? '' : 's'} of the last \`strata ${plan.command}\` (errored, failed or skipped)`, 'retry', { command: plan.command, ids: [...ids] });
  if (plan.command === 'clone') return runClone(session, { ...plan.options, onlyIds: ids });
  return runBuild(session, { ...plan.options, onlyIds: ids }, COMMAND_RESOURCE_TYPES[plan.command], plan.command);
}
