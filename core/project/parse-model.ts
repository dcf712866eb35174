import * as crypto from 'node:crypto';
import { UserError } from '../errors/user-error.js';
import { setPrivate, type ManifestNode, type RefCall } from '../manifest/nodes.js';
import { findHelperCalls, findReferencedNames } from '../template/static-calls.js';
import { parseTemplate, type Template } from '../template/template-parser.js';
import { ConfigKeyError, defaultConfig, validateConfigEntry } from './node-config.js';

const STATIC_HELPERS = new Set(['ref', 'source', 'config']);

/** Hex sha256 of a text: the one-shot `crypto.hash` (about twice as fast per call) where Node has it. */
export const sha256: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** What a template says about itself without being rendered. */
export interface StaticFacts {
  refs: RefCall[];
  sources: [string, string][];
  /** `{{config ...}}` values, keys as written. */
  config: Record<string, unknown>;
  /**
   * Line of the first ref/source call of each name, as [`ref:name` or `source:src.table`, line]
   * pairs. A list, not an object keyed by name: 10,000 models' objects with 20,000 distinct keys
   * made V8 build a hidden class per key, on this thread and on each that copies them.
   */
  lines: [string, number][];
}

/** The line of the first `ref:name` or `source:src.table` call in a template's facts. */
export function callLine(lines: readonly [string, number][] | undefined, key: string): number | undefined {
  if (!lines) return undefined;
  for (const [k, line] of lines) if (k === key) return line;
  return undefined;
}

/** Finds refs, sources and config calls in a parsed template, validating their arguments. */
export function staticFacts(template: Template, resourceType: string): StaticFacts {
  const facts: StaticFacts = { refs: [], sources: [], config: {}, lines: [] };
  for (const call of findHelperCalls(template, STATIC_HELPERS)) {
    const where = { file: template.file, line: call.line };
    if (call.name === 'ref') {
      if (call.args.length < 1 || call.args.length > 2 || call.args.some((a) => typeof a !== 'string')) {
        throw new UserError('ref takes a model name, or a package and a model name', { ...where, hint: '{{ref "stg_orders"}}' });
      }
      const [first, second] = call.args as string[];
      const ref: RefCall = second === undefined ? { name: first } : { package: first, name: second };
      if (call.hash.version !== undefined) ref.version = call.hash.version as string | number;
      if (call.hash.v !== undefined) ref.version = call.hash.v as string | number;
      if (!facts.refs.some((r) => r.name === ref.name && r.package === ref.package)) facts.refs.push(ref);
      const key = `ref:${ref.name}`;
      if (callLine(facts.lines, key) === undefined) facts.lines.push([key, call.line]);
    } else if (call.name === 'source') {
      if (call.args.length !== 2 || call.args.some((a) => typeof a !== 'string')) {
        throw new UserError('source takes a source name and a table name', { ...where, hint: '{{source "shop" "orders"}}' });
      }
      const pair = call.args as [string, string];
      if (!facts.sources.some((s) => s[0] === pair[0] && s[1] === pair[1])) facts.sources.push(pair);
      const key = `source:${pair[0]}.${pair[1]}`;
      if (callLine(facts.lines, key) === undefined) facts.lines.push([key, call.line]);
    } else {
      if (call.args.length > 0) throw new UserError('config takes key=value pairs only', { ...where, hint: '{{config materialized="table"}}' });
      for (const [key, value] of Object.entries(call.hash)) {
        try {
          validateConfigEntry(resourceType, key, value);
        } catch (error) {
          if (error instanceof ConfigKeyError) throw new UserError(error.message, { ...where, hint: error.hint });
          throw error;
        }
        facts.config[key] = value;
      }
    }
  }
  return facts;
}

export interface ModelFileInput {
  projectName: string;
  /** `model` for models/, `test` for singular tests in tests/, `snapshot` for snapshots/. */
  resourceType?: 'model' | 'test' | 'snapshot';
  /** Project-relative path, e.g. `models/staging/stg_orders.sql`. */
  file: string;
  /** The model path it was found under, e.g. `models`. */
  resourcePath: string;
  source: string;
  /** The node's name when it is not the file's (a snapshot declared in YAML). */
  name?: string;
}

/** A node of a file under a resource path, with defaults everywhere; parsers fill in the rest. */
export function newNode(input: {
  resourceType: 'model' | 'seed' | 'test' | 'snapshot';
  projectName: string;
  file: string;
  resourcePath: string;
  name: string;
  rawCode: string;
  checksumOf: string;
  /** The sha256 of `checksumOf` when it is already known (computed on a worker thread). */
  checksum?: string;
  language: ManifestNode['language'];
  /** Given by nodes not named after their file (generic tests): then `file` and `resourcePath` only give original_file_path. */
  uniqueId?: string;
  path?: string;
  fqn?: string[];
  config?: ManifestNode['config'];
}): ManifestNode {
  const parts = input.path === undefined || input.fqn === undefined ? input.file.slice(input.resourcePath.replace(/\/$/, '').length + 1).split('/') : [];
  return {
    unique_id: input.uniqueId ?? `${input.resourceType}.${input.projectName}.${input.name}`,
    resource_type: input.resourceType,
    package_name: input.projectName,
    name: input.name,
    path: input.path ?? parts.join('/'),
    original_file_path: input.file,
    fqn: input.fqn ?? [input.projectName, ...parts.slice(0, -1), input.name],
    description: '',
    tags: [],
    meta: {},
    database: null,
    schema: '',
    relation_name: null,
    alias: input.name,
    checksum: { name: 'sha256', checksum: input.checksum ?? sha256(input.checksumOf) },
    config: input.config ?? defaultConfig(input.resourceType),
    unrendered_config: {},
    columns: {},
    patch_path: null,
    language: input.language,
    raw_code: input.rawCode,
    refs: [],
    sources: [],
    depends_on: { nodes: [], macros: [] },
    created_at: Date.now() / 1000,
  };
}

/** What one template file says without any project context: the part of parsing a worker thread can do. */
export interface ModelSourceFacts {
  template: Template;
  facts: StaticFacts;
  /** sha256 of the source. */
  checksum: string;
  /** Helper and partial names the template calls (macros among them are its macro dependencies). */
  helpers: string[];
  partials: string[];
}

/** Facts of a template analysed elsewhere (a worker thread), whose tree may not have been kept. */
export type AnalysedSource = Omit<ModelSourceFacts, 'template'> & { template?: Template };

/** Parses a model, test or snapshot template and finds its static facts; throws a UserError on a mistake. `checksum`: the source's sha256, when the caller has it already. */
export function analyseModelSource(source: string, file: string, resourceType: string, checksum = sha256(source)): ModelSourceFacts {
  const template = parseTemplate(source, file);
  const facts = staticFacts(template, resourceType);
  const names = findReferencedNames(template);
  return { template, facts, checksum, helpers: [...names.helpers], partials: [...names.partials] };
}

/** A model node from one `.sql` file, before project and YAML configs are applied. */
export function parseModelFile<A extends AnalysedSource = ModelSourceFacts>(input: ModelFileInput, analysed?: A): { node: ManifestNode; template: A['template']; facts: StaticFacts; names: { helpers: string[]; partials: string[] } } {
  const resourceType = input.resourceType ?? 'model';
  const { template, facts, checksum, helpers, partials } = (analysed ?? analyseModelSource(input.source, input.file, resourceType)) as A;
  const name = input.name ?? input.file.slice(input.file.lastIndexOf('/') + 1).replace(/\.sql$/, '');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UserError(`file name '${name}' is not a valid ${resourceType} name`, { file: input.file, hint: 'use letters, digits and underscores, starting with a letter' });
  }
  const node = newNode({ resourceType, projectName: input.projectName, file: input.file, resourcePath: input.resourcePath, name, rawCode: input.source, checksumOf: input.source, checksum, language: 'sql' });
  node.unrendered_config = { ...facts.config };
  node.refs = facts.refs;
  node.sources = facts.sources;
  setPrivate(node, 'ref_lines', facts.lines);
  return { node, template, facts, names: { helpers, partials } };
}
