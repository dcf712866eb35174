import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { YamlFile } from './yaml-file.js';

/** project.yml, validated, with defaults filled in. */
export interface ProjectFile {
  root: string;
  yaml: YamlFile;
  name: string;
  version: string;
  profile: string;
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  testPaths: string[];
  snapshotPaths: string[];
  analysisPaths: string[];
  /** Where `{% docs %}` blocks (`.md` files) are found: `docs-paths`, or as in dbt every resource path. */
  docsPaths: string[];
  targetPath: string;
  /** The lake root external sources read from (`lake-path`, default `lake`), relative to the project root unless absolute. */
  lakePath: string;
  cleanTargets: string[];
  vars: Record<string, unknown>;
  /** Folder-level config trees, as written under `models:`, `seeds:`... */
  folderConfigs: Record<'models' | 'seeds' | 'tests' | 'sources' | 'snapshots' | 'exposures' | 'unit_tests', Record<string, unknown>>;
  onRunStart: string[];
  onRunEnd: string[];
}

const DEFAULT_PATHS: Record<string, string> = { 'model-paths': 'models', 'seed-paths': 'seeds', 'macro-paths': 'macros', 'test-paths': 'tests', 'snapshot-paths': 'snapshots', 'analysis-paths': 'analyses' };

export const PROJECT_FILE_NAMES = ['project.yml', 'strata_project.yml', 'dbt_project.yml'];

const KEYS = new Set([
  'name', 'version', 'config-version', 'profile', 'model-paths', 'seed-paths', 'macro-paths', 'test-paths',
  'snapshot-paths', 'analysis-paths', 'docs-paths', 'asset-paths', 'target-path', 'clean-targets', 'vars',
  'models', 'seeds', 'tests', 'data_tests', 'sources', 'snapshots', 'exposures', 'unit_tests', 'on-run-start', 'on-run-end',
  'require-dbt-version', 'require-strata-version', 'quoting', 'dispatch', 'flags', 'query-comment', 'packages-install-path',
  'lake-path',
  // dbt's keys for what Strata has no part of: dbt Cloud's CLI, the log folder, model groups' access, the semantic layer.
  'dbt-cloud', 'log-path', 'restrict-access', 'metrics', 'semantic-models', 'saved-queries',
]);

/** Finds and reads the project file in `root`. */
export function readProjectFile(root: string): ProjectFile {
  const name = PROJECT_FILE_NAMES.find((n) => existsSync(path.join(root, n)));
  if (!name) {
    throw new UserError(`no project.yml in ${root}`, { hint: 'run strata from the project folder, pass --project-dir, or start one with strata init NAME' });
  }
  const yaml = new YamlFile(name, readFileSync(path.join(root, name), 'utf8'));
  const data = yaml.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw yaml.error([], 'project.yml must be a mapping with at least a name', "start with 'name: my_project'");
  }
  const raw = data as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!KEYS.has(key)) throw yaml.error([key], `unknown key '${key}' in ${name}`, didYouMean(key, KEYS) || undefined);
  }
  if (typeof raw.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.name)) {
    throw yaml.error(['name'], `'name' must be a name made of letters, digits and underscores`, "e.g. 'name: shop'");
  }
  const paths = (key: string, fallback: string[]): string[] => {
    const value = raw[key];
    if (value === undefined) return fallback;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw yaml.error([key], `'${key}' must be a list of folders`);
    return value as string[];
  };
  const tree = (key: string): Record<string, unknown> => {
    const value = raw[key];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw yaml.error([key], `'${key}' must be a mapping of folder configs`);
    return value as Record<string, unknown>;
  };
  const hooks = (key: string): string[] => {
    const value = raw[key];
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    throw yaml.error([key], `'${key}' must be a SQL statement or a list of them`);
  };
  const vars = raw.vars ?? {};
  if (typeof vars !== 'object' || Array.isArray(vars)) throw yaml.error(['vars'], `'vars' must be a mapping`);
  const targetPath = typeof raw['target-path'] === 'string' ? raw['target-path'] : 'target';
  const lakePath = raw['lake-path'] ?? 'lake';
  if (typeof lakePath !== 'string' || !lakePath.trim()) throw yaml.error(['lake-path'], `'lake-path' must be a folder`, "e.g. 'lake-path: lake'");
  return {
    root,
    yaml,
    name: raw.name,
    version: raw.version === undefined ? '1.0' : String(raw.version),
    profile: typeof raw.profile === 'string' ? raw.profile : raw.name,
    modelPaths: paths('model-paths', ['models']),
    seedPaths: paths('seed-paths', ['seeds']),
    macroPaths: paths('macro-paths', ['macros']),
    testPaths: paths('test-paths', ['tests']),
    snapshotPaths: paths('snapshot-paths', ['snapshots']),
    analysisPaths: paths('analysis-paths', ['analyses']),
    docsPaths: paths('docs-paths', [...new Set(['model-paths', 'seed-paths', 'macro-paths', 'test-paths', 'snapshot-paths', 'analysis-paths'].flatMap((key) => paths(key, [DEFAULT_PATHS[key]])))]),
    targetPath,
    lakePath,
    cleanTargets: paths('clean-targets', [targetPath]),
    vars: vars as Record<string, unknown>,
    folderConfigs: {
      models: tree('models'),
      seeds: tree('seeds'),
      tests: { ...tree('data_tests'), ...tree('tests') },
      sources: tree('sources'),
      snapshots: tree('snapshots'),
      exposures: tree('exposures'),
      unit_tests: tree('unit_tests'),
    },
    onRunStart: hooks('on-run-start'),
    onRunEnd: hooks('on-run-end'),
  };
}
