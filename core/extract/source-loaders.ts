import { UserError } from '../errors/user-error.js';
import type { SourceNode } from '../manifest/nodes.js';
import { ENV_CALL, resolveEnv, SECRET_NAME } from '../project/profiles.js';
import type { PropertyFile } from '../project/property-files.js';
import { isLoaderBlock, readTableLoadSettings } from '../project/source-loader-block.js';
import { lineOf } from '../project/yaml-file.js';
import type { SourceLoaderConfig } from './source-adapter.js';

/** The extract settings of every source with a `loader:` block, and the secrets they resolved. */
export interface SourceLoaders {
  sources: SourceLoaderConfig[];
  /** Values resolved from secret-looking variables or fields: masked in logs and artifacts. */
  secrets: string[];
  /** The source node of each table, by `<source>.<table>`. */
  nodes: Map<string, SourceNode>;
}

export interface ReadSourceLoadersOptions {
  propertyFiles: PropertyFile[];
  /** Enabled source tables by unique id (project.sources). */
  sourceNodes: Map<string, SourceNode>;
  env?: NodeJS.ProcessEnv;
  /** Settings the target (profile) gives per source name, e.g. `sources: {shop_mysql: {password: ...}}`; win over the YAML. */
  targetSources?: Record<string, unknown>;
}

/**
 * Reads the `loader:` blocks of the project's sources: `{{env "NAME"}}` rendered, a secret written
 * literally refused (secrets come only from the environment or the profile), disabled tables left out.
 */
export function readSourceLoaders(options: ReadSourceLoadersOptions): SourceLoaders {
  const env = options.env ?? process.env;
  const secrets: string[] = [];
  const out: SourceLoaderConfig[] = [];
  const nodes = new Map<string, SourceNode>();
  const bySourceTable = new Map<string, SourceNode>();
  for (const node of options.sourceNodes.values()) bySourceTable.set(`${node.original_file_path}\0${node.source_name}\0${node.name}`, node);
  for (const file of options.propertyFiles) {
    const top = file.yaml.data as Record<string, unknown> | null;
    const sources = top && Array.isArray(top.sources) ? (top.sources as unknown[]) : [];
    sources.forEach((rawSource, i) => {
      const source = rawSource as Record<string, unknown>;
      if (!isLoaderBlock(source?.loader)) return;
      const sourcePath = ['sources', i];
      const name = String(source.name);
      const render = (value: unknown, path: (string | number)[]) => {
        refuseLiteralSecrets(value, path, (p, key) => {
          const variable = `${name}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
          return new UserError(`'${key}' of source '${name}' is written in the file; secrets come only from the environment or the profile`, {
            file: file.yaml.file,
            line: lineOf(file.yaml.text, p),
            hint: `${key}: '{{env "${variable}"}}'`,
          });
        });
        return resolveEnv(value, env, secrets, (key, variable) =>
          file.yaml.error([...path, ...key], `environment variable ${variable} is not set (source '${name}')`, `export ${variable}=..., or give a default: {{env "${variable}" "value"}}`),
        ) as Record<string, unknown>;
      };
      const { type, ...sourceSettings } = render(source.loader, [...sourcePath, 'loader']);
      const fromTarget = options.targetSources?.[name];
      const settings = { ...sourceSettings, ...(isLoaderBlock(fromTarget) ? fromTarget : {}) };
      const tables = Array.isArray(source.tables) ? (source.tables as Record<string, unknown>[]) : [];
      const tablePaths = new Map<string, (string | number)[]>();
      const config: SourceLoaderConfig = {
        name,
        type: String(type),
        settings,
        tables: [],
        file: file.yaml.file,
        locate: (table, key) => {
          const base = table !== undefined ? tablePaths.get(table) : [...sourcePath, 'loader'];
          if (!base) return undefined;
          const path = table !== undefined ? [...base, ...(key !== undefined ? ['loader', key] : [])] : [...base, ...(key !== undefined ? [key] : [])];
          return lineOf(file.yaml.text, path);
        },
      };
      tables.forEach((table, j) => {
        const node = bySourceTable.get(`${file.yaml.file}\0${name}\0${String(table?.name)}`);
        if (!node) return;
        const tablePath = [...sourcePath, 'tables', j];
        tablePaths.set(node.name, tablePath);
        const block = isLoaderBlock(table.loader) ? table.loader : {};
        const tableSettings = render(block, [...tablePath, 'loader']);
        const load = readTableLoadSettings(file.yaml, source.loader as Record<string, unknown>, block, [...sourcePath, 'loader'], [...tablePath, 'loader']);
        // The line is found (with the slower YAML parser) only when a message needs it.
        let line: number | undefined | null = null;
        config.tables.push({
          name: node.name,
          settings: tableSettings,
          get line() {
            return line === null ? (line = lineOf(file.yaml.text, tablePath)) : line;
          },
          load,
        });
        nodes.set(`${name}.${node.name}`, node);
      });
      out.push(config);
    });
  }
  return { sources: out, secrets, nodes };
}

/** Throws for a secret-looking key whose value is written in the file rather than `{{env "..."}}`. */
function refuseLiteralSecrets(value: unknown, path: (string | number)[], fail: (path: (string | number)[], key: string) => UserError): void {
  if (Array.isArray(value)) return value.forEach((v, i) => refuseLiteralSecrets(v, [...path, i], fail));
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_NAME.test(key) && typeof v === 'string' && v !== '') {
      ENV_CALL.lastIndex = 0;
      // The whole value must come from the environment: a literal part would be a secret in the file.
      const rest = v.replace(ENV_CALL, '').trim();
      if (rest !== '' || !v.includes('{{')) throw fail([...path, key], key);
    } else if (typeof v === 'object') {
      refuseLiteralSecrets(v, [...path, key], fail);
    }
  }
}
