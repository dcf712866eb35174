import type { Node as YamlNode, parseDocument, YAMLMap } from 'yaml';
import { yamlPackage } from '../project/lazy-yaml.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { criteriaFrom, parseSelectionString } from './parse-selection-args.js';
import type { IndirectSelection, SelectionCriteria, SelectionSpec } from './selection-spec.js';
import type { SelectorMethod } from './selector-method.js';
import { selectorMethods } from './selector-methods.js';

/** One named selector of selectors.yml. */
export interface SelectorDefinition {
  name: string;
  description: string;
  /** Applies when a command gets neither --select, --exclude nor --selector. */
  default: boolean;
  definition: SelectionSpec;
  file: string;
  line?: number;
}

/** The selectors of a project's selectors.yml, by name. */
export type SelectorDefinitions = ReadonlyMap<string, SelectorDefinition>;

const SELECTOR_KEYS = ['name', 'description', 'default', 'definition'];
const CRITERIA_KEYS = ['method', 'value', 'children', 'parents', 'children_depth', 'parents_depth', 'childrens_parents', 'indirect_selection', 'exclude'];
const INDIRECT_SELECTION: IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];

interface Entry {
  key: string;
  keyNode: YamlNode;
  value: YamlNode | null;
}

/**
 * Parses dbt's selectors.yml: `selectors: [{name, description, default, definition}]`, where a definition
 * is a CLI-syntax string, a `{method, value, ...}` mapping (or `{tag: nightly}`), or `union`/`intersection`
 * lists that may hold one `{exclude: [...]}`, nested freely; `method: selector` reuses another selector.
 * Mistakes throw a UserError with the file and line.
 */
export function parseSelectorsFile(text: string, file: string, methods: ReadonlyMap<string, SelectorMethod> = selectorMethods): SelectorDefinitions {
  return new SelectorsFileParser(text, file, methods).parse();
}

class SelectorsFileParser {
  private readonly counter = new (yamlPackage().LineCounter)();
  private readonly items = new Map<string, { entries: Map<string, Entry>; line?: number }>();
  private readonly parsed = new Map<string, SelectionSpec>();
  private readonly inProgress: string[] = [];
  private doc?: ReturnType<typeof parseDocument>;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly methods: ReadonlyMap<string, SelectorMethod>,
  ) {}

  parse(): SelectorDefinitions {
    const doc = yamlPackage().parseDocument(this.text, { lineCounter: this.counter, prettyErrors: false, uniqueKeys: true });
    this.doc = doc;
    const syntax = doc.errors[0];
    if (syntax) {
      throw new UserError(`invalid YAML: ${syntax.message}`, {
        file: this.file,
        line: this.counter.linePos(syntax.pos[0]).line,
        hint: 'check indentation and quoting on that line',
      });
    }
    const root = doc.contents as YamlNode | null;
    if (root === null || (yamlPackage().isScalar(root) && root.value === null)) return new Map();
    const top = this.entries(root, 'selectors.yml must be a mapping with a selectors: list');
    this.refuseUnknown(top, ['selectors']);
    const list = top.get('selectors')?.value;
    if (!list) throw this.error(root, 'selectors.yml has no selectors: list', 'start the file with selectors: and a list of {name, definition}');
    if (!yamlPackage().isSeq(list)) throw this.error(list, 'selectors: must be a list of selectors');

    for (const item of list.items as YamlNode[]) this.collect(item);
    const result = new Map<string, SelectorDefinition>();
    let defaultName: string | undefined;
    for (const [name, { entries, line }] of this.items) {
      const isDefault = this.optionalBoolean(entries.get('default'), false);
      if (isDefault && defaultName !== undefined) {
        throw this.error(entries.get('default')!.keyNode, `selectors '${defaultName}' and '${name}' both have default: true`, 'only one selector can be the default');
      }
      if (isDefault) defaultName = name;
      const description = entries.get('description')?.value;
      result.set(name, {
        name,
        description: description && yamlPackage().isScalar(description) && description.value !== null ? String(description.value) : '',
        default: isDefault,
        definition: this.selector(name, undefined),
        file: this.file,
        line,
      });
    }
    return result;
  }

  private collect(item: YamlNode): void {
    const entries = this.entries(item, 'each selector must be a mapping with name: and definition:');
    this.refuseUnknown(entries, SELECTOR_KEYS);
    const nameEntry = entries.get('name');
    if (!nameEntry?.value || !yamlPackage().isScalar(nameEntry.value) || typeof nameEntry.value.value !== 'string' || nameEntry.value.value === '') {
      throw this.error(nameEntry?.value ?? item, 'a selector needs a name:', 'write e.g. name: nightly_models');
    }
    const name = nameEntry.value.value;
    if (this.items.has(name)) throw this.error(nameEntry.value, `selector '${name}' is defined twice`);
    if (!entries.get('definition')?.value) {
      throw this.error(item, `selector '${name}' has no definition:`, "add e.g. definition: 'tag:nightly'");
    }
    this.items.set(name, { entries, line: this.line(item) });
  }

  /** The definition of a named selector, parsed once; `from` is where it is referenced. */
  private selector(name: string, from: YamlNode | undefined): SelectionSpec {
    const done = this.parsed.get(name);
    if (done) return done;
    const item = this.items.get(name);
    if (!item) {
      throw this.error(from!, `unknown selector '${name}'`, didYouMean(name, this.items.keys()) || `selectors defined: ${[...this.items.keys()].join(', ')}`);
    }
    if (this.inProgress.includes(name)) {
      const cycle = [...this.inProgress.slice(this.inProgress.indexOf(name)), name].join(' -> ');
      throw this.error(from!, `selectors refer to each other in a cycle: ${cycle}`);
    }
    this.inProgress.push(name);
    const spec = this.definition(item.entries.get('definition')!.value!, true);
    this.inProgress.pop();
    this.parsed.set(name, spec);
    return spec;
  }

  private definition(aliasOrNode: YamlNode, root: boolean): SelectionSpec {
    // `- *nightly` reuses an anchored definition.
    const node = yamlPackage().isAlias(aliasOrNode) ? ((aliasOrNode.resolve(this.doc!) as YamlNode | undefined) ?? aliasOrNode) : aliasOrNode;
    if (yamlPackage().isScalar(node)) {
      if (typeof node.value !== 'string') throw this.error(node, `expected a selector, got ${JSON.stringify(node.value)}`, "write e.g. 'tag:nightly'");
      return parseSelectionString(node.value, { file: this.file, line: this.line(node) }, this.methods);
    }
    if (yamlPackage().isSeq(node)) {
      throw this.error(node, 'a definition cannot be a plain list', 'wrap the list in union: or intersection:');
    }
    const entries = this.entries(node, 'expected a selector string or mapping');
    const setKey = entries.has('union') ? 'union' : entries.has('intersection') ? 'intersection' : undefined;
    if (setKey) {
      if (entries.size > 1) {
        const other = [...entries.values()].find((entry) => entry.key !== setKey)!;
        const where = root ? 'at the root of a definition' : `beside ${setKey}:`;
        throw this.error(other.keyNode, `'${other.key}' is not allowed ${where}`, `a definition has a single union: or intersection: key; put {exclude: [...]} inside its list`);
      }
      return this.setOperation(setKey, entries.get(setKey)!);
    }
    if (entries.has('exclude') && entries.size === 1) {
      throw this.error(node, 'exclude: must be an item of a union: or intersection: list, or sit beside method: and value:');
    }
    return this.criteria(node, entries);
  }

  private setOperation(kind: 'union' | 'intersection', entry: Entry): SelectionSpec {
    if (!entry.value || !yamlPackage().isSeq(entry.value)) throw this.error(entry.value ?? entry.keyNode, `${kind}: must be a list`);
    const include: SelectionSpec[] = [];
    let exclude: SelectionSpec | undefined;
    for (const item of entry.value.items as YamlNode[]) {
      if (yamlPackage().isMap(item) && item.items.some((pair) => yamlPackage().isScalar(pair.key) && pair.key.value === 'exclude') && item.items.length === 1) {
        if (exclude) throw this.error(item, `only one exclude: is allowed in a ${kind}: list`, 'list everything to exclude under that one exclude:');
        exclude = this.excludeList(this.entries(item, '').get('exclude')!);
      } else {
        include.push(this.definition(item, false));
      }
    }
    const spec: SelectionSpec = { kind, specs: include };
    return exclude ? { kind: 'difference', include: spec, exclude } : spec;
  }

  private excludeList(entry: Entry): SelectionSpec {
    if (!entry.value || !yamlPackage().isSeq(entry.value)) throw this.error(entry.value ?? entry.keyNode, 'exclude: must be a list');
    const specs = (entry.value.items as YamlNode[]).map((item) => this.definition(item, false));
    return specs.length === 1 ? specs[0] : { kind: 'union', specs };
  }

  private criteria(node: YamlNode, entries: Map<string, Entry>): SelectionSpec {
    // dbt's shorthand: a one-key mapping `{tag: nightly}` is `{method: tag, value: nightly}`.
    if (entries.size === 1 && !CRITERIA_KEYS.includes([...entries.keys()][0])) {
      const [entry] = entries.values();
      return this.atom(node, entry.key, entry.keyNode, entry.value, new Map());
    }
    this.refuseUnknown(entries, CRITERIA_KEYS);
    const method = entries.get('method');
    if (!method?.value || !yamlPackage().isScalar(method.value) || typeof method.value.value !== 'string') {
      throw this.error(method?.value ?? node, 'a selector mapping needs method: and value:', 'write e.g. {method: tag, value: nightly}');
    }
    const base = this.atom(node, method.value.value, method.value, entries.get('value')?.value ?? null, entries);
    const exclude = entries.get('exclude');
    return exclude ? { kind: 'difference', include: base, exclude: this.excludeList(exclude) } : base;
  }

  private atom(node: YamlNode, method: string, methodNode: YamlNode, valueNode: YamlNode | null, entries: Map<string, Entry>): SelectionSpec {
    if (!valueNode || !yamlPackage().isScalar(valueNode) || valueNode.value === null || valueNode.value === '' || typeof valueNode.value === 'object') {
      throw this.error(valueNode ?? node, `method '${method}' needs a value:`, `write e.g. {method: ${method}, value: ...}`);
    }
    const value = String(valueNode.value);
    const operators = ['children', 'parents', 'children_depth', 'parents_depth', 'childrens_parents'].filter((key) => entries.has(key));
    if (method === 'selector') {
      if (operators.length > 0) throw this.error(entries.get(operators[0])!.keyNode, `'${operators[0]}' cannot be used with method: selector`);
      return this.selector(value, valueNode);
    }
    const at = { file: this.file, line: this.line(methodNode) };
    const criteria: SelectionCriteria = criteriaFrom(`${method}:${value}`, { method, value }, this.methods, at);
    criteria.parents = this.optionalBoolean(entries.get('parents'), false);
    criteria.children = this.optionalBoolean(entries.get('children'), false);
    criteria.childrensParents = this.optionalBoolean(entries.get('childrens_parents'), false);
    criteria.parentsDepth = this.depth(entries.get('parents_depth'), criteria.parents, 'parents');
    criteria.childrenDepth = this.depth(entries.get('children_depth'), criteria.children, 'children');
    if (criteria.children && criteria.childrensParents) {
      throw this.error(entries.get('childrens_parents')!.keyNode, 'childrens_parents and children cannot both be true', 'childrens_parents already selects all descendants');
    }
    const indirect = entries.get('indirect_selection');
    if (indirect) {
      const mode = indirect.value && yamlPackage().isScalar(indirect.value) ? String(indirect.value.value) : '';
      if (!(INDIRECT_SELECTION as string[]).includes(mode)) {
        throw this.error(indirect.value ?? indirect.keyNode, `indirect_selection must be one of ${INDIRECT_SELECTION.join(', ')}`, didYouMean(mode, INDIRECT_SELECTION) || undefined);
      }
      criteria.indirectSelection = mode as IndirectSelection;
    }
    return criteria;
  }

  private depth(entry: Entry | undefined, enabled: boolean, operator: 'parents' | 'children'): number | null {
    if (!entry) return null;
    const value = entry.value && yamlPackage().isScalar(entry.value) ? entry.value.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw this.error(entry.value ?? entry.keyNode, `${entry.key} must be a whole number, 0 or more`);
    }
    // dbt silently ignores a depth without `parents: true`/`children: true`; refusing it avoids a surprise.
    if (!enabled) throw this.error(entry.keyNode, `${entry.key} has no effect without ${operator}: true`, `add ${operator}: true`);
    return value;
  }

  private optionalBoolean(entry: Entry | undefined, fallback: boolean): boolean {
    if (!entry) return fallback;
    const value = entry.value && yamlPackage().isScalar(entry.value) ? entry.value.value : undefined;
    if (typeof value !== 'boolean') throw this.error(entry.value ?? entry.keyNode, `${entry.key} must be true or false`);
    return value;
  }

  private entries(node: YamlNode, message: string): Map<string, Entry> {
    if (!yamlPackage().isMap(node)) throw this.error(node, message);
    const result = new Map<string, Entry>();
    for (const pair of (node as YAMLMap<YamlNode, YamlNode | null>).items) {
      if (!yamlPackage().isScalar(pair.key) || typeof pair.key.value !== 'string') throw this.error(pair.key ?? node, 'keys must be strings');
      result.set(pair.key.value, { key: pair.key.value, keyNode: pair.key, value: pair.value ?? null });
    }
    return result;
  }

  private refuseUnknown(entries: Map<string, Entry>, known: string[]): void {
    for (const entry of entries.values()) {
      if (known.includes(entry.key)) continue;
      throw this.error(entry.keyNode, `unknown key '${entry.key}'`, didYouMean(entry.key, known) || `expected one of: ${known.join(', ')}`);
    }
  }

  private line(node: YamlNode | null | undefined): number | undefined {
    return node?.range ? this.counter.linePos(node.range[0]).line : undefined;
  }

  private error(node: YamlNode | null | undefined, message: string, hint?: string): UserError {
    return new UserError(message, { file: this.file, line: this.line(node), hint });
  }
}
