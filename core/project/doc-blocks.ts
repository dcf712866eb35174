// dbt's doc blocks: `{% docs name %} ... {% enddocs %}` in .md files, used in YAML descriptions
// as `{{ doc("name") }}`. The .md files are markdown, not templates, so dbt's syntax is kept as is.
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import type { PropertyFile } from './property-files.js';
import { lineAt } from './yaml-file.js';

/** A doc block, as dbt's manifest lists it under `docs`. */
export interface DocBlock {
  name: string;
  resource_type: 'doc';
  package_name: string;
  path: string;
  original_file_path: string;
  unique_id: string;
  block_contents: string;
}

const BLOCK = /\{%-?\s*(docs|enddocs)\b\s*([^%]*?)\s*-?%\}/g;

/** The doc blocks of the project's .md files (project-relative paths with their text), by unique_id. */
export function readDocBlocks(files: { file: string; text: string; resourcePath: string }[], projectName: string): Map<string, DocBlock> {
  const docs = new Map<string, DocBlock>();
  for (const { file, text, resourcePath } of files) {
    let open: { name: string; start: number; line: number } | undefined;
    for (const match of text.matchAll(BLOCK)) {
      const [tag, kind, rest] = match;
      if (kind === 'docs') {
        if (open) throw new UserError(`doc block '${open.name}' is not closed before the next one starts`, { file, line: open.line, hint: 'end it with {% enddocs %}' });
        if (!/^[A-Za-z_]\w*$/.test(rest)) throw new UserError(`a doc block needs a name made of letters, digits and underscores, got '${rest}'`, { file, line: lineAt(text, match.index), hint: '{% docs orders_status %}' });
        open = { name: rest, start: match.index + tag.length, line: lineAt(text, match.index) };
      } else {
        if (!open) throw new UserError('{% enddocs %} without a {% docs name %} before it', { file, line: lineAt(text, match.index) });
        const uniqueId = `doc.${projectName}.${open.name}`;
        const twin = docs.get(uniqueId);
        if (twin) throw new UserError(`two doc blocks are named '${open.name}'`, { file, line: open.line, hint: `the other is in ${twin.original_file_path}` });
        const relative = resourcePath && file.startsWith(`${resourcePath}/`) ? file.slice(resourcePath.length + 1) : file;
        docs.set(uniqueId, { name: open.name, resource_type: 'doc', package_name: projectName, path: relative, original_file_path: file, unique_id: uniqueId, block_contents: text.slice(open.start, match.index).trim() });
        open = undefined;
      }
    }
    if (open) throw new UserError(`doc block '${open.name}' is never closed`, { file, line: open.line, hint: 'end it with {% enddocs %}' });
  }
  return docs;
}

// `{{ doc("name") }}`, `{{ doc('package', 'name') }}` (dbt's) and `{{doc "name"}}` (a Handlebars call).
const REFERENCE = /\{\{-?\s*doc(?:\(\s*(?:(['"])(\w+)\1\s*,\s*)?(['"])(\w+)\3\s*\)|\s+(['"])(\w+)\5)\s*-?\}\}/g;

/** Replaces the doc references in every description of the property files with the blocks' contents. */
export function resolveDocReferences(files: readonly PropertyFile[], docs: ReadonlyMap<string, DocBlock>, projectName: string): void {
  for (const properties of files) {
    const resolve = (text: string | undefined): string | undefined => {
      if (!text || !text.includes('doc')) return text;
      return text.replace(REFERENCE, (reference, _q1, pkg: string | undefined, _q2, name1: string | undefined, _q3, name2: string | undefined) => {
        const name = (name1 ?? name2)!;
        const block = docs.get(`doc.${pkg ?? projectName}.${name}`);
        if (block) return block.block_contents;
        const names = [...docs.values()].map((d) => d.name);
        throw new UserError(`${reference} names no doc block`, {
          file: properties.yaml.file,
          line: properties.yaml.lineOfText(reference),
          hint: didYouMean(name, names) || `write {% docs ${name} %} ... {% enddocs %} in a .md file beside the models`,
        });
      });
    };
    const columns = (list: Record<string, { description: string }>) => {
      for (const column of Object.values(list)) column.description = resolve(column.description) ?? '';
    };
    for (const patch of properties.patches) {
      patch.description = resolve(patch.description);
      columns(patch.columns);
    }
    for (const source of properties.sources) {
      source.description = resolve(source.description) ?? '';
      source.source_description = resolve(source.source_description) ?? '';
      columns(source.columns);
    }
    for (const exposure of properties.exposures) exposure.node.description = resolve(exposure.node.description) ?? '';
  }
}
