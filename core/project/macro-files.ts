import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors/user-error.js';
import type { MacroNode } from '../manifest/nodes.js';
import type { Helper } from '../template/render-template.js';
import { parseTemplate, type Template } from '../template/template-parser.js';
import { findFiles } from './find-files.js';
import { sha256 } from './parse-model.js';

const ADAPTER_PREFIX = /^([a-z0-9]+)__(.+)$/;

/** Macros of a project: template partials (`.sql`) and JS/TS helpers, with per-adapter overrides. */
export class MacroSet {
  readonly nodes = new Map<string, MacroNode>();
  private readonly partials = new Map<string, Template>();
  private readonly helpers = new Map<string, Helper>();

  addPartial(node: MacroNode, template: Template): void {
    this.add(node);
    this.partials.set(node.name, template);
  }

  addHelper(node: MacroNode, fn: Helper): void {
    this.add(node);
    this.helpers.set(node.name, fn);
  }

  private add(node: MacroNode): void {
    const existing = this.nodes.get(node.unique_id);
    if (existing) {
      throw new UserError(`macro '${node.name}' is defined twice`, { file: node.original_file_path, hint: `also in ${existing.original_file_path}` });
    }
    this.nodes.set(node.unique_id, node);
  }

  /** Partials as seen from an adapter: `duckdb__x` wins over `default__x`, which wins over `x`. */
  partialsFor(adapterType: string): Record<string, Template> {
    return dispatch(this.partials, adapterType);
  }

  /** Helpers as seen from an adapter, with the same precedence as partials. */
  helpersFor(adapterType: string): Record<string, Helper> {
    return dispatch(this.helpers, adapterType);
  }

  /** Every macro name a template may call, without adapter prefixes. */
  names(): Set<string> {
    const out = new Set<string>();
    for (const name of [...this.partials.keys(), ...this.helpers.keys()]) out.add(ADAPTER_PREFIX.exec(name)?.[2] ?? name);
    return out;
  }
}

function dispatch<T>(entries: Map<string, T>, adapterType: string): Record<string, T> {
  const out: Record<string, T> = {};
  const rank = new Map<string, number>();
  for (const [name, value] of entries) {
    const match = ADAPTER_PREFIX.exec(name);
    if (match) out[name] = value;
    const base = match ? match[2] : name;
    const score = !match ? 1 : match[1] === 'default' ? 2 : match[1] === adapterType ? 3 : 0;
    if (score > (rank.get(base) ?? 0)) {
      rank.set(base, score);
      out[base] = value;
    }
  }
  return out;
}

function macroNode(projectName: string, name: string, file: string, resourcePath: string, source: string, language: MacroNode['language']): MacroNode {
  const match = ADAPTER_PREFIX.exec(name);
  return {
    unique_id: `macro.${projectName}.${name}`,
    resource_type: 'macro',
    package_name: projectName,
    name,
    path: file.slice(resourcePath.length + 1),
    original_file_path: file,
    macro_sql: source,
    language,
    adapter: match ? match[1] : null,
    description: '',
    depends_on: { macros: [] },
  };
}

/** Loads every macro file under the project's macro paths. JS/TS modules are imported. */
export async function loadMacros(root: string, projectName: string, macroPaths: string[], targetPath: string): Promise<MacroSet> {
  const macros = new MacroSet();
  for (const dir of macroPaths) {
    for (const file of findFiles(root, dir, ['.sql', '.js', '.mjs', '.ts'])) {
      if (file.endsWith('.d.ts') || file.endsWith('.test.ts')) continue;
      const source = readFileSync(path.join(root, file), 'utf8');
      const base = path.basename(file).replace(/\.(sql|js|mjs|ts)$/, '');
      if (file.endsWith('.sql')) {
        // An editor's final newline is not part of the macro: `{{> x}} as y` stays on one line.
        macros.addPartial(macroNode(projectName, base, file, dir, source, 'sql'), parseTemplate(source.replace(/\r?\n$/, ''), file));
        continue;
      }
      const exports = await importMacroModule(root, file, source, targetPath);
      for (const [exportName, value] of Object.entries(exports)) {
        if (typeof value !== 'function') continue;
        const name = exportName === 'default' ? base : exportName;
        macros.addHelper(macroNode(projectName, name, file, dir, source, 'javascript'), value as Helper);
      }
    }
  }
  return macros;
}

async function importMacroModule(root: string, file: string, source: string, targetPath: string): Promise<Record<string, unknown>> {
  let modulePath = path.join(root, file);
  if (file.endsWith('.ts')) {
    // Node 20 cannot import TypeScript; transpile (types stripped, no checking) into target/.
    const ts = await import('typescript');
    const output = ts.default.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.default.ModuleKind.ESNext, target: ts.default.ScriptTarget.ES2022 },
    });
    modulePath = path.join(root, targetPath, 'macros', file.replace(/\.ts$/, '.mjs'));
    mkdirSync(path.dirname(modulePath), { recursive: true });
    writeFileSync(modulePath, output.outputText);
  }
  try {
    // The checksum in the URL makes a changed file load anew in a long-lived process.
    return (await import(`${pathToFileURL(modulePath).href}?v=${sha256(source).slice(0, 12)}`)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node throws a SyntaxError; a bundler-based loader (vitest) says "Parse failure".
    const syntax = error instanceof SyntaxError || /parse fail|syntax/i.test(message);
    const line = syntax ? await syntaxErrorLine(source, file) : undefined;
    throw new UserError(`macro module failed to load: ${message.split('\n')[0]}`, { file, line, hint: 'a macro module exports functions; run it with node to see the full error' });
  }
}

/** The line of a syntax error: Node 20 does not say where in an ES module, TypeScript's parser does. */
async function syntaxErrorLine(source: string, file: string): Promise<number | undefined> {
  const ts = (await import('typescript')).default;
  const output = ts.transpileModule(source, { fileName: file.replace(/\.m?js$/, '.ts'), reportDiagnostics: true });
  const first = output.diagnostics?.find((d) => d.start !== undefined);
  return first?.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start).line + 1 : undefined;
}
