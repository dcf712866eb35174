import type { ExposureNode, MacroNode, ManifestNode, SourceNode } from '../manifest/nodes.js';
import type { NodeStateComparison, StateChange } from '../selection/selection-state.js';
import { MacroIndex, type MacroClosure } from './macro-index.js';
import { codeChecksum } from './normalize-code.js';
import { templateFacts, type TemplateFacts } from './template-facts.js';

/** The parts of a manifest.json that state comparison reads (ours, or dbt's for most fields). */
export interface ManifestLike {
  metadata: { adapter_type?: string; var_checksums?: Record<string, string>; [key: string]: unknown };
  nodes: Record<string, ManifestNode>;
  sources?: Record<string, SourceNode>;
  macros?: Record<string, MacroNode>;
  unit_tests?: Record<string, ManifestNode>;
  exposures?: Record<string, ExposureNode>;
}

type AnyManifestNode = ManifestNode | SourceNode | ExposureNode;

/** What both sides share: most code is the same text on both, so its facts are found once. */
class SharedFacts {
  private readonly byText = new Map<string, TemplateFacts | undefined>();

  of(text: string, file: string): TemplateFacts | undefined {
    if (!this.byText.has(text)) this.byText.set(text, templateFacts(text, file));
    return this.byText.get(text);
  }
}

/** One side of the comparison, with what is computed once per node cached. */
class Side {
  readonly macros: MacroIndex;
  private readonly facts = new Map<string, TemplateFacts | undefined>();
  private readonly closures = new Map<string, MacroClosure>();

  constructor(
    readonly manifest: ManifestLike,
    private readonly shared: SharedFacts,
  ) {
    this.macros = new MacroIndex(manifest.macros, manifest.metadata.adapter_type ?? '');
  }

  /** The macros a node reaches; nodes calling the same names share one closure. */
  closureOf(node: ManifestNode): MacroClosure {
    const names = this.calledNames(node);
    const key = names.join('\u0000');
    let closure = this.closures.get(key);
    if (!closure) this.closures.set(key, (closure = this.macros.closure(names)));
    return closure;
  }

  node(id: string): AnyManifestNode | undefined {
    const m = this.manifest;
    return m.nodes[id] ?? m.sources?.[id] ?? m.unit_tests?.[id] ?? m.exposures?.[id];
  }

  factsOf(node: ManifestNode): TemplateFacts | undefined {
    if (!this.facts.has(node.unique_id)) {
      this.facts.set(node.unique_id, node.language === 'sql' && node.raw_code ? this.shared.of(node.raw_code, node.original_file_path) : undefined);
    }
    return this.facts.get(node.unique_id);
  }

  /** The names a node calls: from its template, else (no template) from depends_on; generic tests call `test_<name>`. */
  calledNames(node: ManifestNode): string[] {
    const names = [...(this.factsOf(node)?.names ?? (node.depends_on?.macros ?? []).map((id) => id.slice(id.lastIndexOf('.') + 1)))];
    if (node.test_metadata?.name) names.push(`test_${node.test_metadata.name}`);
    return names.sort();
  }
}

/**
 * Compares the nodes of the current project with a previous run's manifest, as dbt's
 * `state:` method does, but by what would execute: bodies are compared with comments and
 * whitespace removed, and a node is also modified when a macro or a var it reads changed.
 */
export class ManifestComparison {
  private readonly previous: Side;
  private readonly current: Side;
  private readonly results = new Map<string, NodeStateComparison>();
  /** Said once to the user: a limit of this comparison (e.g. a state manifest without var checksums). */
  readonly notes: string[] = [];

  constructor(previous: ManifestLike, current: ManifestLike) {
    const shared = new SharedFacts();
    this.previous = new Side(previous, shared);
    this.current = new Side(current, shared);
    if (!previous.metadata.var_checksums) {
      this.notes.push('the state manifest records no var values (written by dbt or an older strata): a changed var is not seen as a modification');
    }
  }

  /** The comparison of a node of the current manifest (new when the state has no such unique_id). */
  compare(id: string): NodeStateComparison {
    let result = this.results.get(id);
    if (result) return result;
    // A placeholder breaks cycles through ephemeral parents (the DAG has none, but be safe).
    this.results.set(id, { status: 'unmodified', changes: [] });
    result = this.computeComparison(id);
    this.results.set(id, result);
    return result;
  }

  private computeComparison(id: string): NodeStateComparison {
    const cur = this.current.node(id);
    const prev = this.previous.node(id);
    if (!cur) return { status: 'unmodified', changes: [] };
    if (!prev) return { status: 'new', changes: [] };
    const changes: StateChange[] = [];
    if (cur.resource_type === 'source') compareSources(prev as SourceNode, cur, changes);
    else if (cur.resource_type === 'exposure') compareExposures(prev as ExposureNode, cur, changes);
    else this.compareNodes(prev as ManifestNode, cur, changes);
    return { status: changes.length ? 'modified' : 'unmodified', changes };
  }

  private compareNodes(prev: ManifestNode, cur: ManifestNode, changes: StateChange[]): void {
    if (!sameBody(prev, cur)) {
      changes.push({ part: 'body', detail: cur.resource_type === 'seed' ? 'the seed file changed' : cur.raw_code ? 'the code changed (not only whitespace or comments)' : 'its definition changed' });
    }
    for (const parentId of cur.depends_on?.nodes ?? []) {
      const parent = this.current.manifest.nodes[parentId];
      // An ephemeral parent is inlined: when it changes, so does the SQL this node runs.
      if (parent?.config?.materialized === 'ephemeral' && this.compare(parentId).status !== 'unmodified') {
        changes.push({ part: 'body', detail: `it inlines ephemeral model '${parent.name}', which is ${this.compare(parentId).status}` });
      }
    }
    const configKeys = changedKeys(prev.config ?? {}, cur.config ?? {}, ['contract']);
    if (configKeys.length) changes.push({ part: 'configs', detail: `config changed: ${configKeys.join(', ')}` });
    const relation = changedKeys(pick(prev.config, ['database', 'schema', 'alias']), pick(cur.config, ['database', 'schema', 'alias']));
    if (relation.length) changes.push({ part: 'relation', detail: `its configured ${relation.join(', ')} changed, so it builds into another relation` });

    const prevMacros = this.previous.closureOf(prev);
    const curMacros = this.current.closureOf(cur);
    const macroNames = new Set([...prevMacros.macros.keys(), ...curMacros.macros.keys()]);
    const changedMacros = [...macroNames].filter((n) => prevMacros.macros.get(n)?.checksum !== curMacros.macros.get(n)?.checksum).sort();
    if (changedMacros.length) {
      changes.push({ part: 'macros', detail: `macro${changedMacros.length > 1 ? 's' : ''} ${changedMacros.map((n) => `'${n}'`).join(', ')} changed` });
    }

    const contract = contractChange(prev, cur);
    if (contract) changes.push({ part: 'contract', detail: contract });

    const prevVars = this.previous.manifest.metadata.var_checksums;
    const curVars = this.current.manifest.metadata.var_checksums ?? {};
    if (prevVars) {
      const facts = this.current.factsOf(cur);
      const dynamic = Boolean(facts?.dynamicVars || curMacros.dynamicVars);
      const names = dynamic ? new Set([...Object.keys(prevVars), ...Object.keys(curVars)]) : new Set([...(facts?.vars ?? []), ...curMacros.vars]);
      const changedVars = [...names].filter((v) => prevVars[v] !== curVars[v]).sort();
      if (changedVars.length) {
        changes.push({ part: 'vars', detail: `var${changedVars.length > 1 ? 's' : ''} ${changedVars.map((v) => `'${v}'`).join(', ')} ${changedVars.length > 1 ? 'have' : 'has'} a new value${dynamic ? ' (it reads vars by a computed name, so every var counts)' : ''}` });
      }
    }
  }
}

/** Whether two nodes run the same code: templated SQL without comments and layout, seeds and YAML-defined tests by their checksum. */
function sameBody(prev: ManifestNode, cur: ManifestNode): boolean {
  const templated = (n: ManifestNode) => n.language === 'sql' && Boolean(n.raw_code);
  if (templated(prev) !== templated(cur)) return false;
  if (!templated(cur)) return (prev.checksum?.checksum ?? '') === (cur.checksum?.checksum ?? '');
  // Most code is unchanged: the same text needs no normalizing.
  return prev.raw_code === cur.raw_code || codeChecksum(prev.raw_code) === codeChecksum(cur.raw_code);
}

function compareSources(prev: SourceNode, cur: SourceNode, changes: StateChange[]): void {
  const relation = changedKeys(pick(prev, ['schema', 'identifier']), pick(cur, ['schema', 'identifier']));
  if (relation.length) changes.push({ part: 'relation', detail: `its ${relation.join(', ')} changed` });
  const keys = ['loaded_at_field', 'external', 'config', 'loader'] as const;
  const configs = changedKeys({ ...pick(prev, keys), freshness: sameFreshnessShape(prev.freshness) }, { ...pick(cur, keys), freshness: sameFreshnessShape(cur.freshness) });
  if (configs.length) changes.push({ part: 'configs', detail: `${configs.join(', ')} changed` });
}

/**
 * A source's freshness with every key written out, and null when nothing is set: older Strata
 * manifests held the innermost block as written (null when none), newer ones the merged criteria
 * with unset thresholds, as dbt's do. The same settings compare equal.
 */
function sameFreshnessShape(value: unknown): unknown {
  if (!value || typeof value !== 'object') return null;
  const block = value as Record<string, unknown>;
  const time = (t: unknown) => {
    const { count = null, period = null } = (t && typeof t === 'object' ? t : {}) as Record<string, unknown>;
    return { count, period };
  };
  const shaped = { warn_after: time(block.warn_after), error_after: time(block.error_after), filter: block.filter ?? null };
  const unset = shaped.warn_after.count === null && shaped.error_after.count === null && shaped.filter === null;
  return unset ? null : shaped;
}

/** dbt compares an exposure's YAML entry field by field (its `same_contents`): what it uses, and what it says. */
function compareExposures(prev: ExposureNode, cur: ExposureNode, changes: StateChange[]): void {
  const definition = ['type', 'owner', 'label', 'description', 'maturity', 'url'] as const;
  const parents = (n: ExposureNode) => ({ depends_on: [...(n.depends_on?.nodes ?? [])].sort() });
  const body = [...changedKeys(parents(prev), parents(cur)), ...changedKeys(pick(prev, definition), pick(cur, definition))];
  if (body.length) changes.push({ part: 'body', detail: `its definition changed: ${body.join(', ')}` });
  const configs = changedKeys(pick(prev, ['config', 'tags', 'meta']), pick(cur, ['config', 'tags', 'meta']));
  if (configs.length) changes.push({ part: 'configs', detail: `${configs.join(', ')} changed` });
}

function contractChange(prev: ManifestNode, cur: ManifestNode): string | undefined {
  const enforced = (n: ManifestNode) => (n.config?.contract as { enforced?: unknown } | undefined)?.enforced === true;
  if (!enforced(prev) && !enforced(cur)) return undefined;
  if (enforced(prev) !== enforced(cur)) return `its contract is ${enforced(cur) ? 'now' : 'no longer'} enforced`;
  const shape = (n: ManifestNode) => {
    const out: Record<string, unknown> = {};
    for (const column of Object.values(n.columns ?? {})) {
      out[column.name.toLowerCase()] = { data_type: column.data_type ?? null, constraints: (column as { constraints?: unknown }).constraints ?? [] };
    }
    out['(model constraints)'] = (n as { constraints?: unknown }).constraints ?? n.config?.constraints ?? [];
    return out;
  };
  const columns = changedKeys(shape(prev), shape(cur));
  return columns.length ? `contracted column${columns.length > 1 ? 's' : ''} ${columns.join(', ')} changed` : undefined;
}

function pick(value: object | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (value as Record<string, unknown> | undefined)?.[key];
  return out;
}

/** Top-level keys whose values differ (missing, undefined and null are the same), leaving out `ignore`. */
export function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>, ignore: readonly string[] = []): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of ignore) keys.delete(key);
  return [...keys].filter((key) => !sameValue(a[key], b[key])).sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b || ((a === undefined || a === null) && (b === undefined || b === null))) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  // Both sides are built by the same code, so key order nearly always matches: sorting is the fallback.
  return JSON.stringify(a) === JSON.stringify(b) || stableJson(a) === stableJson(b);
}

/** JSON with object keys sorted and undefined left out, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
