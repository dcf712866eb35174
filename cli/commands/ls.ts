import type { AnyNode } from '../../core/manifest/nodes.js';
import type { SelectOptions } from '../options.js';
import { explainSelectedNodes, selectNodes, type Session } from '../session.js';

export interface LsOptions extends SelectOptions {
  output?: 'name' | 'path' | 'json' | 'selector';
  resourceType?: string[];
}

const ALL_TYPES = ['model', 'seed', 'source', 'test', 'snapshot', 'analysis', 'exposure'];

function selectorOf(node: AnyNode): string {
  if (node.resource_type === 'source') return `source:${node.fqn.join('.')}`;
  // dbt lists an exposure as `exposure:<package>.<name>`.
  if (node.resource_type === 'exposure') return `exposure:${node.package_name}.${node.name}`;
  return node.fqn.join('.');
}

/** `ls`: prints the selected resources, one a line, as names, paths, selectors or JSON. */
export async function runLs(session: Session, options: LsOptions): Promise<number> {
  const types = options.resourceType?.length ? options.resourceType : ALL_TYPES;
  const ids = selectNodes(session, options, types);
  const lines: string[] = [];
  // JSON says why each node is selected: the criterion, what changed (state:), or the match it is downstream of.
  const why = options.output === 'json' ? explainSelectedNodes(session, options) : undefined;
  for (const id of [...ids].sort()) {
    const node = session.project.all.get(id)!;
    switch (options.output ?? 'selector') {
      case 'name':
        lines.push(node.resource_type === 'source' ? `${node.source_name}.${node.name}` : node.name);
        break;
      case 'path':
        lines.push(node.original_file_path);
        break;
      case 'json':
        lines.push(JSON.stringify({
          name: node.name,
          resource_type: node.resource_type,
          package_name: node.package_name,
          original_file_path: node.original_file_path,
          unique_id: node.unique_id,
          alias: 'alias' in node ? node.alias : node.name,
          config: node.config,
          tags: node.tags,
          depends_on: 'depends_on' in node ? node.depends_on : { nodes: [], macros: [] },
          selected_because: why?.get(id) ?? ['a test of a selected node (indirect selection)'],
          ...(session.state ? { state: session.state.compare(id) } : {}),
        }));
        break;
      default:
        lines.push(selectorOf(node));
    }
  }
  if (lines.length) session.logger.result(lines.join('\n'));
  else session.logger.warn('No nodes selected.');
  return 0;
}
