import { didYouMean } from '../../core/errors/did-you-mean.js';
import { UserError } from '../../core/errors/user-error.js';
import type { AnyNode } from '../../core/manifest/nodes.js';
import { listedTypes, splitList, type SelectOptions } from '../options.js';
import { explainSelectedNodes, selectNodes, type Session } from '../session.js';

export interface LsOptions extends SelectOptions {
  output?: 'name' | 'path' | 'json' | 'selector';
  resourceType?: string[];
  /** With --output json: only these keys of each node (dbt's --output-keys). */
  outputKeys?: string[];
}

function selectorOf(node: AnyNode): string {
  if (node.resource_type === 'source') return `source:${node.fqn.join('.')}`;
  // dbt lists an exposure as `exposure:<package>.<name>`.
  if (node.resource_type === 'exposure') return `exposure:${node.package_name}.${node.name}`;
  return node.fqn.join('.');
}

/** `ls`: prints the selected resources, one a line, as names, paths, selectors or JSON. */
export async function runLs(session: Session, options: LsOptions): Promise<number> {
  const types = listedTypes(options.resourceType);
  const keys = splitList(options.outputKeys);
  if (keys?.length && options.output !== 'json') throw new UserError('--output-keys chooses the keys of --output json', { hint: 'add --output json' });
  const ids = selectNodes(session, options, types);
  const lines: string[] = [];
  // JSON says why each node is selected: the criterion, what changed (state:), or the match it is downstream of.
  const why = options.output === 'json' ? explainSelectedNodes(session, options) : undefined;
  const found = new Set<string>();
  for (const id of [...ids].sort()) {
    const node = session.project.all.get(id)!;
    switch (options.output ?? 'selector') {
      case 'name':
        lines.push(node.resource_type === 'source' ? `${node.source_name}.${node.name}` : node.name);
        break;
      case 'path':
        lines.push(node.original_file_path);
        break;
      case 'json': {
        const extra = {
          selected_because: why?.get(id) ?? ['a test of a selected node (indirect selection)'],
          ...(session.state ? { state: session.state.compare(id) } : {}),
        };
        if (keys?.length) {
          // Any key of the node as the manifest has it, in the manifest's order, then ours.
          const all: Record<string, unknown> = { ...(JSON.parse(JSON.stringify(node)) as Record<string, unknown>), ...extra };
          const picked: Record<string, unknown> = {};
          for (const key of Object.keys(all)) {
            if (!keys.includes(key)) continue;
            picked[key] = all[key];
            found.add(key);
          }
          lines.push(JSON.stringify(picked));
          break;
        }
        lines.push(JSON.stringify({
          name: node.name,
          resource_type: node.resource_type,
          package_name: node.package_name,
          ...(node.resource_type === 'source' ? { source_name: node.source_name } : {}),
          original_file_path: node.original_file_path,
          unique_id: node.unique_id,
          alias: 'alias' in node ? node.alias : node.name,
          config: node.config,
          tags: node.tags,
          depends_on: 'depends_on' in node ? node.depends_on : { nodes: [], macros: [] },
          ...extra,
        }));
        break;
      }
      default:
        lines.push(selectorOf(node));
    }
  }
  if (lines.length) session.logger.result(lines.join('\n'));
  else session.logger.warn('No nodes selected.');
  // A key no listed node has is most likely misspelled: say so rather than print objects without it.
  const missing = lines.length ? (keys ?? []).filter((key) => !found.has(key)) : [];
  if (missing.length) {
    const known = new Set(['selected_because', 'state', ...[...ids].flatMap((id) => Object.keys(session.project.all.get(id)!))]);
    for (const key of missing) {
      const guess = didYouMean(key, known);
      session.logger.warn(`--output-keys: no listed node has a key '${key}'${guess ? `: ${guess}` : ''}`);
    }
  }
  return 0;
}
