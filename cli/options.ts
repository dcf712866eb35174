import { Option, type Command } from 'commander';
import { didYouMean } from '../core/errors/did-you-mean.js';
import { UserError } from '../core/errors/user-error.js';
import { loadYaml } from '../core/project/yaml-file.js';
import { varsLookSecret } from '../core/state/var-checksums.js';

/** Options every command shares, as dbt spells them. */
export interface CommonOptions {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  vars?: string;
  threads?: string;
  debug?: boolean;
  logFormat?: 'text' | 'json';
  /** False with --no-partial-parse: parse every file again, without target/partial_parse.jsonl. */
  partialParse?: boolean;
  /** --warn-error: a test that would warn fails, and any other warning ends the command with exit code 2. */
  warnError?: boolean;
  /** -q: print only warnings, errors and the command's result. */
  quiet?: boolean;
  /** False with --no-write-json: leave target/manifest.json and run_results.json as they were. */
  writeJson?: boolean;
}

export interface SelectOptions {
  select?: string[];
  exclude?: string[];
  selector?: string;
  indirectSelection?: 'eager' | 'cautious' | 'empty';
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('--project-dir <dir>', 'the project folder (default: the current folder)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml (default: the project folder, then ~/.strata)')
    .option('-t, --target <name>', 'target in profiles.yml to use')
    .option('--vars <yaml>', 'variables as YAML or JSON, overriding project vars')
    .option('--threads <n>', 'how many nodes run at once')
    .option('--no-partial-parse', 'parse every file again instead of reusing target/partial_parse.jsonl')
    .option('--no-write-json', 'do not write target/manifest.json and run_results.json (faster in a large project; the previous ones stay)')
    .option('-d, --debug', 'show stack traces and debug output')
    .option('--warn-error', 'treat warnings as errors: a test that would warn fails, any other warning makes the exit code 2')
    .option('-q, --quiet', "print only warnings, errors and the command's result (what ls, show and compile -s print)")
    .addOption(new Option('--log-format <format>', 'text for people, json for machines').choices(['text', 'json']).default('text'));
}

export function addSelectOptions(command: Command): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return command
    .option('-s, --select <selector...>', 'nodes to include (dbt selection syntax)', collect)
    .option('--models <selector...>', 'alias of --select', collect)
    .option('--exclude <selector...>', 'nodes to leave out', collect)
    .option('--selector <name>', 'a named selector from selectors.yml')
    .addOption(new Option('--indirect-selection <mode>', "which tests of selected nodes to include").choices(['eager', 'cautious', 'empty']));
}

/** --state, --defer and --favor-state, as dbt spells them. */
export interface StateOptions {
  /** Folder of a previous run's artifacts (manifest.json, run_results.json, sources.json). */
  state?: string;
  defer?: boolean;
  favorState?: boolean;
}

/** Adds --state; with `defer`, also --defer and --favor-state. */
export function addStateOptions(command: Command, defer = true): Command {
  command.option('--state <dir>', "a previous run's artifacts, for state:, result: and source_status: selection" + (defer ? ' and --defer' : ''));
  if (!defer) return command;
  return command
    .option('--defer', 'refs to nodes this run does not build read the --state relations when this target lacks them')
    .option('--favor-state', 'with --defer: read the --state relations even when this target has them');
}

/** Parses --vars (YAML or JSON) into an object. */
export function parseVars(text: string | undefined): Record<string, unknown> {
  return parseMapping(text, '--vars', `--vars '{start_date: "2024-01-01"}'`);
}

/** --vars as run_results.json records it for `strata retry`: left out (and said so) when it names a secret-looking var. */
export function recordedVars(text: string | undefined): { vars: string | null; vars_omitted?: true } {
  return text && varsLookSecret(parseVars(text)) ? { vars: null, vars_omitted: true } : { vars: text ?? null };
}

/** Parses a flag's YAML or JSON mapping (--vars, run-operation's --args) into an object. */
export function parseMapping(text: string | undefined, flag: string, example: string): Record<string, unknown> {
  if (!text) return {};
  const value = loadYaml(text, flag);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${flag} must be a mapping, got ${JSON.stringify(value)}`, { hint: example });
  }
  return value as Record<string, unknown>;
}

/** Parses --threads. */
export function parseThreads(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--threads must be a whole number of at least 1, got '${text}'`);
  return n;
}

/** What `ls` lists, and `build` runs, by default, as in dbt: every resource type (dbt leaves out analyses, which Strata does not have). */
const DEFAULT_TYPES = ['model', 'seed', 'source', 'test', 'unit_test', 'snapshot', 'exposure'];
/** dbt's other resource types: accepted by --resource-type, and matched by nothing here. */
const OTHER_DBT_TYPES = ['analysis', 'semantic_model', 'metric', 'saved_query', 'function'];

/** The values of a repeatable flag that may also hold several values each, split on spaces and commas (dbt's lists). */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
}

/** --resource-type (or --exclude-resource-type) as dbt reads it: a list of types (spaces or commas between them), where `default` and `all` mean every type. */
export function listedTypes(given: string[] | undefined, flag = '--resource-type'): string[] {
  const names = splitList(given);
  if (!names.length) return DEFAULT_TYPES;
  const out = new Set<string>();
  for (const name of names) {
    if (name === 'default' || name === 'all') for (const type of DEFAULT_TYPES) out.add(type);
    else if (DEFAULT_TYPES.includes(name) || OTHER_DBT_TYPES.includes(name)) out.add(name);
    else throw new UserError(`${flag}: unknown resource type '${name}'`, { hint: didYouMean(name, [...DEFAULT_TYPES, ...OTHER_DBT_TYPES, 'default', 'all']) || `one of ${[...DEFAULT_TYPES, 'default', 'all'].join(', ')}` });
  }
  return [...out];
}
