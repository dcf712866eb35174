import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TargetConfig } from '../adapter/adapter.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { YamlFile } from './yaml-file.js';

/** The target a command runs against, with secrets resolved from the environment. */
export interface ResolvedTarget {
  name: string;
  profileName: string;
  config: TargetConfig;
  /** Where it came from: a profiles.yml path, or 'default' for the embedded DuckDB. */
  source: string;
  /** Secret values resolved from the environment (passwords, tokens...), so logs and artifacts mask them. */
  secrets: string[];
}

export interface ProfileOptions {
  projectRoot: string;
  profileName: string;
  projectName: string;
  targetPath: string;
  target?: string;
  profilesDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** Where profiles.yml is looked for, first hit wins. */
export function profileSearchPath(options: ProfileOptions): string[] {
  const env = options.env ?? process.env;
  const dirs = [options.profilesDir, env.STRATA_PROFILES_DIR, options.projectRoot, path.join(os.homedir(), '.strata')];
  return dirs.filter((d): d is string => Boolean(d)).map((d) => path.resolve(options.projectRoot, d, 'profiles.yml'));
}

/** Field or variable names whose values are secrets: masked in logs and artifacts. */
/** Environment variables with this prefix are secrets: profiles.yml may read them, nothing else. */
export const SECRET_ENV_PREFIX = 'STRATA_ENV_SECRET_';
export const SECRET_NAME = /password|passphrase|secret|token|private_key|key_id|access_key|api_key|credential|^STRATA_ENV_SECRET_/i;

/**
 * `{{env "NAME"}}` or `{{env "NAME" "default"}}`, and dbt's `{{ env_var('NAME', 'default') }}` as a
 * profiles.yml copied from dbt writes it. Groups: 1-2 the Handlebars form's name and default, 4 and 6 the call's.
 */
export const ENV_CALL = /\{\{-?\s*(?:env|env_var)(?:\s+"([^"]+)"(?:\s+"([^"]*)")?|\s*\(\s*(['"])([^'"]+)\3(?:\s*,\s*(['"])([^'"]*)\5)?\s*\))\s*-?\}\}/g;

/**
 * Chooses the target: profiles.yml beside the project or in ~/.strata/, or, with no
 * profiles.yml anywhere, DuckDB in a file under target/.
 */
export function resolveTarget(options: ProfileOptions): ResolvedTarget {
  const env = options.env ?? process.env;
  const file = profileSearchPath(options).find((p) => existsSync(p));
  if (!file) {
    const name = options.target ?? 'dev';
    if (options.target && options.target !== 'dev') {
      throw new UserError(`target '${options.target}' was asked for, but there is no profiles.yml`, {
        hint: `looked in: ${profileSearchPath(options).join(', ')}`,
      });
    }
    return {
      name,
      profileName: options.profileName,
      config: { type: 'duckdb', path: path.join(options.targetPath, `${options.projectName}.duckdb`), schema: 'main' },
      source: 'default',
      secrets: [],
    };
  }
  const shown = path.relative(options.projectRoot, file) || file;
  const yaml = new YamlFile(shown.startsWith('..') ? file : shown, readFileSync(file, 'utf8'));
  const profiles = (yaml.data ?? {}) as Record<string, unknown>;
  const profile = profiles[options.profileName] as Record<string, unknown> | undefined;
  if (!profile || typeof profile !== 'object') {
    throw yaml.error([], `no profile '${options.profileName}' in ${yaml.file}`, didYouMean(options.profileName, Object.keys(profiles)) || `add a '${options.profileName}:' entry, or set 'profile:' in project.yml`);
  }
  const outputs = profile.outputs as Record<string, unknown> | undefined;
  if (!outputs || typeof outputs !== 'object') throw yaml.error([options.profileName], `profile '${options.profileName}' has no 'outputs'`);
  const name = options.target ?? (typeof profile.target === 'string' ? profile.target : undefined);
  if (!name) throw yaml.error([options.profileName], `profile '${options.profileName}' names no default 'target'`, 'add target: <name>, or pass --target');
  const raw = outputs[name] as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object') {
    throw yaml.error([options.profileName, 'outputs'], `no target '${name}' in profile '${options.profileName}'`, didYouMean(name, Object.keys(outputs)) || `targets: ${Object.keys(outputs).join(', ')}`);
  }
  const secrets: string[] = [];
  const config = resolveEnv(raw, env, secrets, (key, variable) =>
    yaml.error([options.profileName, 'outputs', name, ...key], `environment variable ${variable} is not set`, `export ${variable}=..., or give a default: {{env "${variable}" "value"}}`),
  ) as TargetConfig;
  if (typeof config.type !== 'string') throw yaml.error([options.profileName, 'outputs', name], `target '${name}' has no 'type'`, 'e.g. type: duckdb');
  if (config.schema === undefined) config.schema = config.type === 'duckdb' ? 'main' : 'public';
  if (config.type === 'duckdb' && config.path === undefined) config.path = path.join(options.targetPath, `${options.projectName}.duckdb`);
  return { name, profileName: options.profileName, config, source: yaml.file, secrets };
}

/**
 * Renders `{{env "NAME"}}` in every string of a YAML value; values of secret-looking fields or
 * variables are pushed to `secrets` (for masking). `missing` builds the error for an unset variable.
 */
export function resolveEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  secrets: string[],
  missing: (key: (string | number)[], variable: string) => UserError,
  key: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_CALL, (_match, name: string | undefined, hbsDefault: string | undefined, _q: string, callName: string | undefined, _q2: string, callDefault: string | undefined) => {
      const variable = (name ?? callName)!;
      const fallback = hbsDefault ?? callDefault;
      const resolved = env[variable] ?? fallback;
      if (resolved === undefined) throw missing(key, variable);
      const field = String(key[key.length - 1] ?? '');
      if (env[variable] !== undefined && resolved.length > 0 && (SECRET_NAME.test(variable) || SECRET_NAME.test(field))) secrets.push(resolved);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnv(v, env, secrets, missing, [...key, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v, env, secrets, missing, [...key, k])]));
  }
  return value;
}
