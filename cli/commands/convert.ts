import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findFiles } from '../../core/project/find-files.js';
import { readProjectFile } from '../../core/project/project-file.js';
import { isUserError } from '../../core/errors/user-error.js';
import { convertJinja, splitMacros, type LeftTag, type MacroSignature } from '../../core/template/jinja-convert.js';
import { parseTemplate } from '../../core/template/template-parser.js';
import type { Logger } from '../output/logger.js';

export interface ConvertOptions {
  projectDir?: string;
  dryRun?: boolean;
}

/** One file the conversion writes (or, for a macro file split into partials, removes). */
interface Change {
  file: string;
  /** The file it was converted from, which the lines of what is left refer to. */
  origin: string;
  /** Macros left in dbt's form, not a template to check. */
  keepJinja?: boolean;
  text?: string;
  remove?: boolean;
}

/** A macro whose body only dispatches: `{{ return(adapter.dispatch('name', 'pkg')(args)) }}`. */
const DISPATCH = /^\s*\{\{-?\s*return\(\s*adapter\.dispatch\(\s*(['"])(\w+)\1[^)]*\)\s*\([^)]*\)\s*\)\s*-?\}\}\s*$/;

const sqlFilesUnder = (root: string, dir: string) => findFiles(root, dir, ['.sql']);

/**
 * `convert`: rewrites a dbt project's Jinja as Handlebars, in place. Refs, sources, configs, vars,
 * `{% if %}`/`{% for %}` blocks and comments are rewritten; a macro file becomes one partial per
 * macro (its calls become `{{> name arg=...}}`), a `{% test %}` becomes macros/test_<name>.sql
 * and a `{% snapshot %}` its select alone. What has no one translation is listed, every tag at
 * once, by file and line with what to write. Exit code 0 when nothing is left, 1 otherwise.
 */
export async function runConvert(options: ConvertOptions, logger: Logger): Promise<number> {
  const root = path.resolve(options.projectDir ?? process.cwd());
  const project = readProjectFile(root);
  const changes: Change[] = [];
  const left: { file: string; tag: LeftTag }[] = [];
  let rewritten = 0;
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const taken = new Set<string>();

  // Macros first: their signatures turn calls into partials everywhere else.
  const macroDir = project.macroPaths[0] ?? 'macros';
  const signatures = new Map<string, MacroSignature>();
  const dispatchers = new Set<string>();
  const macroFiles: { file: string; split: NonNullable<ReturnType<typeof splitMacros>> }[] = [];
  const blockFiles = [...project.macroPaths, ...project.testPaths].flatMap((dir) => sqlFilesUnder(root, dir));
  for (const file of blockFiles) {
    // dbt's generic tests are macros named test_<name>, as Strata's are.
    const text = read(file).replace(/\{%(-?)\s*test\s+/g, '{%$1 macro test_').replace(/\{%(-?)\s*endtest\s*(-?)%\}/g, '{%$1 endmacro $2%}');
    const split = splitMacros(text);
    if (!split || split.macros.length === 0) continue;
    macroFiles.push({ file, split });
    for (const macro of split.macros) {
      signatures.set(macro.signature.name, macro.signature);
      if (DISPATCH.exec(macro.body)?.[2] === macro.signature.name) dispatchers.add(macro.signature.name);
    }
  }
  for (const { file, split } of macroFiles) {
    // Comments beside the macros (Jinja's, or SQL's, which dbt drops with the rest) go with the first of them.
    const COMMENT = /\{#[\s\S]*?#\}|--[^\n]*|\/\*[\s\S]*?\*\//g;
    const comments = [...split.rest.matchAll(COMMENT)].map((m) => (m[0].startsWith('{#') ? convertJinja(m[0]).text : `{{!-- ${m[0].replace(/^--\s*|^\/\*\s*|\s*\*\/$/g, '')} --}}`)).join('\n');
    if (split.rest.replace(COMMENT, '').trim() !== '') {
      left.push({ file, tag: { line: 1, message: 'this macro file holds more than its macros', hint: 'move what lies outside {% macro %} ... {% endmacro %} into a file of its own' } });
      continue;
    }
    const folder = project.macroPaths.some((dir) => file.startsWith(`${dir}/`)) ? path.posix.dirname(file) : macroDir;
    // Macros that stay in the file, as they were.
    const kept: string[] = [];
    for (const { signature, body, line, bodyLine, source } of split.macros) {
      if (/^generate_(schema|alias|database)_name$/.test(signature.name)) {
        kept.push(source);
        left.push({ file, tag: { line, message: `macro '${signature.name}' is one dbt calls itself; in Strata it is a JS helper`, hint: `write macros/${signature.name}.js exporting function ${signature.name}(custom_${signature.name.split('_')[1]}_name, { node, target }) that returns the name` } });
        continue;
      }
      // adapter.dispatch: the dispatching macro goes (Strata picks <adapter>__<name>.sql itself), and default__<name> is <name>.sql.
      if (dispatchers.has(signature.name)) {
        rewritten++;
        continue;
      }
      const base = /^default__(\w+)$/.exec(signature.name)?.[1];
      const name = base && dispatchers.has(base) ? base : signature.name;
      const target = path.posix.join(folder, `${name}.sql`);
      if (taken.has(target) || (target !== file && existsSync(path.join(root, target)))) {
        kept.push(source);
        left.push({ file, tag: { line, message: `macro '${signature.name}' would become ${target}, which exists`, hint: 'rename one of them' } });
        continue;
      }
      taken.add(target);
      const converted = convertJinja(body, signatures, signature.params.map((p) => p.name));
      rewritten += converted.rewritten + 2;
      for (const tag of converted.left) left.push({ file, tag: { ...tag, line: tag.line + bodyLine - 1 } });
      const first = !changes.some((c) => c.origin === file);
      changes.push({ file: target, origin: file, text: first && comments ? `${comments}\n${converted.text}` : converted.text });
    }
    if (kept.length && taken.has(file)) left.push({ file, tag: { line: 1, message: `macro file ${file} is also the partial of one of its macros`, hint: 'move the other macros to files of their own' } });
    else if (kept.length) {
      if (kept.length < split.macros.length) changes.push({ file, origin: file, text: `${kept.join('\n\n')}\n`, keepJinja: true });
    } else if (!taken.has(file)) changes.push({ file, origin: file, remove: true });
  }

  // Models, snapshots, analyses, singular tests, and partials already in Strata's form.
  const macroFileNames = new Set(macroFiles.map((m) => m.file));
  const templates = [...project.modelPaths, ...project.snapshotPaths, ...project.analysisPaths, ...project.testPaths, ...project.macroPaths].flatMap((dir) => sqlFilesUnder(root, dir));
  for (const file of [...new Set(templates)]) {
    if (macroFileNames.has(file) || taken.has(file)) continue;
    const original = read(file);
    let text = original;
    let target = file;
    // Lines before the text converted: a snapshot's select starts after its {% snapshot %} line.
    let linesBefore = 0;
    const snapshot = /^\s*\{%-?\s*snapshot\s+([A-Za-z_]\w*)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}\s*$/.exec(original);
    if (snapshot) {
      text = snapshot[2];
      linesBefore = original.slice(0, original.indexOf(snapshot[2], snapshot.index + 1)).split('\n').length - 1;
      target = path.posix.join(path.posix.dirname(file), `${snapshot[1]}.sql`);
      rewritten += 2;
    }
    const converted = convertJinja(text, signatures);
    rewritten += converted.rewritten;
    for (const tag of converted.left) left.push({ file, tag: { ...tag, line: tag.line + linesBefore } });
    const written = snapshot ? converted.text.replace(/^[ \t]*\n/, '').trimEnd() + '\n' : converted.text;
    if (written !== original || target !== file) {
      changes.push({ file: target, origin: file, text: written });
      if (target !== file) changes.push({ file, origin: file, remove: true });
    }
  }

  // What the conversion wrote must parse; a mistake no tag above explains is listed too.
  for (const change of changes) {
    if (change.remove || change.keepJinja) continue;
    try {
      parseTemplate(change.text!, change.file);
    } catch (error) {
      if (!isUserError(error)) throw error;
      // A file with tags left fails on the first of them, which is listed already.
      if (!left.some((l) => l.file === change.origin)) {
        left.push({ file: change.file, tag: { line: error.line ?? 1, message: `the rewritten file does not parse: ${error.message}`, hint: error.hint ?? 'fix it by hand' } });
      }
    }
  }
  for (const change of changes) {
    if (!options.dryRun) {
      if (change.remove) rmSync(path.join(root, change.file));
      else writeFileSync(path.join(root, change.file), change.text!);
    }
    logger.info(`${options.dryRun ? 'Would ' : ''}${change.remove ? (options.dryRun ? 'remove' : 'Removed') : options.dryRun ? 'write' : 'Wrote'} ${change.file}`, 'convert_file', { file: change.file, removed: Boolean(change.remove) });
  }
  for (const { file, tag } of left) logger.warn(`${file}:${tag.line}: ${tag.message}\n  hint: ${tag.hint}`, 'convert_left', { file, line: tag.line, message: tag.message, hint: tag.hint });
  const files = new Set(left.map((l) => l.file)).size;
  const written = changes.filter((c) => !c.remove).length;
  logger.info(
    `${options.dryRun ? 'Would rewrite' : 'Rewrote'} ${rewritten} Jinja tag${rewritten === 1 ? '' : 's'} in ${written} file${written === 1 ? '' : 's'}; ${left.length ? `${left.length} left for you in ${files} file${files === 1 ? '' : 's'} (listed above)` : 'nothing left in Jinja'}.`,
    'convert_done',
    { rewritten, left: left.length },
  );
  return left.length ? 1 : 0;
}
