import type { MacroNode } from '../manifest/nodes.js';
import { codeChecksum } from './normalize-code.js';
import { templateFacts, type TemplateFacts } from './template-facts.js';

/** One macro a node ends up calling, as dispatched for the manifest's adapter. */
export interface UsedMacro {
  unique_id: string;
  checksum: string;
}

/** What a node's macros read: the macros by called name, and the vars their templates use. */
export interface MacroClosure {
  macros: Map<string, UsedMacro>;
  vars: Set<string>;
  dynamicVars: boolean;
}

const ADAPTER_PREFIX = /^([a-z0-9]+)__(.+)$/;

/**
 * The macros of one manifest, looked up the way rendering dispatches them (`duckdb__x`, then
 * `default__x`, then `x`), with the transitive closure of what a set of called names reaches.
 */
export class MacroIndex {
  private readonly byName = new Map<string, MacroNode>();
  private readonly facts = new Map<string, TemplateFacts | undefined>();
  private readonly checksums = new Map<string, string>();

  constructor(
    macros: Record<string, MacroNode> | undefined,
    private readonly adapterType: string,
  ) {
    for (const macro of Object.values(macros ?? {})) this.byName.set(macro.name, macro);
  }

  /** The macro a call of `name` renders, or undefined for built-ins and unknown names. */
  resolve(name: string): MacroNode | undefined {
    const base = ADAPTER_PREFIX.exec(name)?.[2] ?? name;
    if (base !== name) return this.byName.get(name);
    return this.byName.get(`${this.adapterType}__${base}`) ?? this.byName.get(`default__${base}`) ?? this.byName.get(base);
  }

  /** Every macro reachable from the called names, with the vars their SQL templates read. */
  closure(names: Iterable<string>): MacroClosure {
    const out: MacroClosure = { macros: new Map(), vars: new Set(), dynamicVars: false };
    const todo = [...names];
    while (todo.length) {
      const name = todo.pop()!;
      if (out.macros.has(name)) continue;
      const macro = this.resolve(name);
      if (!macro) continue;
      out.macros.set(name, { unique_id: macro.unique_id, checksum: this.checksum(macro) });
      if (macro.language !== 'sql') continue;
      const facts = this.factsOf(macro);
      if (!facts) continue;
      for (const v of facts.vars) out.vars.add(v);
      out.dynamicVars ||= facts.dynamicVars;
      for (const called of facts.names) if (!out.macros.has(called)) todo.push(called);
    }
    return out;
  }

  private checksum(macro: MacroNode): string {
    let sum = this.checksums.get(macro.unique_id);
    if (sum === undefined) this.checksums.set(macro.unique_id, (sum = codeChecksum(macro.macro_sql ?? '', macro.language === 'javascript' ? 'javascript' : 'sql')));
    return sum;
  }

  private factsOf(macro: MacroNode): TemplateFacts | undefined {
    if (!this.facts.has(macro.unique_id)) this.facts.set(macro.unique_id, templateFacts(macro.macro_sql ?? '', macro.original_file_path));
    return this.facts.get(macro.unique_id);
  }
}
