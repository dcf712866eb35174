import type { DocsGraphData } from './docs-site-data.js';

/**
 * The graph data as written to data/graph.js: the long, repetitive string columns (ids, paths,
 * fqns, tags) become dictionaries and small per-node numbers, which halves the file that stands
 * between opening the site and an interactive graph. site/graph-data.js expands it back.
 */
export interface CompactGraphData extends Omit<DocsGraphData, 'id' | 'path' | 'fqn' | 'tags'> {
  /** What follows `<type>.<package>.[<source>.]<name>` in the unique_id ('' for most nodes, `.hash` for tests). */
  id_suffix: string[];
  /** unique_ids that do not follow that pattern at all, by node number. */
  id_full: Record<number, string>;
  paths: string[];
  path: number[];
  /** fqn without its last part; the last part is the node's name. */
  fqn_prefixes: string[];
  fqn: number[];
  /** fqns whose last part is not the name, by node number. */
  fqn_full: Record<number, string>;
  tag_sets: string[];
  tags: number[];
}

export function compactGraph(graph: DocsGraphData): CompactGraphData {
  const { id, path, fqn, tags, ...rest } = graph;
  const dictionary = () => {
    const values: string[] = [];
    const at = new Map<string, number>();
    return { values, of: (v: string) => at.get(v) ?? (values.push(v), at.set(v, values.length - 1), values.length - 1) };
  };
  const paths = dictionary();
  const prefixes = dictionary();
  const tagSets = dictionary();
  const out: CompactGraphData = { ...rest, id_suffix: [], id_full: {}, paths: paths.values, path: [], fqn_prefixes: prefixes.values, fqn: [], fqn_full: {}, tag_sets: tagSets.values, tags: [] };
  for (let i = 0; i < id.length; i++) {
    const stem = `${graph.types[graph.type[i]]}.${graph.packages[graph.package[i]]}.${graph.source[i] ? `${graph.source[i]}.` : ''}${graph.name[i]}`;
    if (id[i].startsWith(stem)) out.id_suffix.push(id[i].slice(stem.length));
    else (out.id_suffix.push(''), (out.id_full[i] = id[i]));
    out.path.push(paths.of(path[i]));
    const name = graph.name[i];
    if (fqn[i] === name || fqn[i].endsWith(`.${name}`)) out.fqn.push(prefixes.of(fqn[i].slice(0, Math.max(0, fqn[i].length - name.length - 1))));
    else (out.fqn.push(-1), (out.fqn_full[i] = fqn[i]));
    out.tags.push(tagSets.of(tags[i]));
  }
  return out;
}
