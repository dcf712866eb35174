import { DirectedGraph } from 'graphology';
import type { AnyNode, ManifestNode, NodeConfig, SourceNode } from '../../manifest/nodes.js';

/** A test project's graph and nodes, as `resolveSelection` takes them. */
export interface ShopProject {
  graph: DirectedGraph;
  nodes: Map<string, AnyNode>;
}

interface NodeSpec {
  path: string;
  tags?: string[];
  config?: Partial<NodeConfig>;
  parents?: string[];
  packageName?: string;
  patchPath?: string;
}

/**
 * A small shop project for selection tests. Edges, parent -> child:
 *   seed raw_customers -> stg_customers -> customers -> customer_ltv
 *   source shop.orders -> stg_orders -> orders; source shop.payments -> stg_payments -> orders
 *   orders -> customers; seed country_codes -> customers
 *   orders -> daily_revenue; source stripe.charges -> stg_charges -> daily_revenue
 *   model audit_utils.audit_log, another package, stands alone.
 */
export function shopProject(): ShopProject {
  const nodes = new Map<string, AnyNode>();
  const add = (node: AnyNode) => nodes.set(node.unique_id, node);

  add(seed('raw_customers', { path: 'seeds/raw_customers.csv', tags: ['raw'] }));
  add(seed('country_codes', { path: 'seeds/lookups/country_codes.csv' }));
  add(source('shop', 'orders', 'models/staging/sources.yml', ['pii']));
  add(source('shop', 'payments', 'models/staging/sources.yml'));
  add(source('stripe', 'charges', 'models/staging/stripe/sources.yml'));

  const view = { materialized: 'view' };
  add(model('stg_orders', { path: 'models/staging/stg_orders.sql', tags: ['staging', 'nightly'], config: view, parents: ['source.shop.shop.orders'], patchPath: 'shop://models/staging/schema.yml' }));
  add(model('stg_payments', { path: 'models/staging/stg_payments.sql', tags: ['staging'], config: view, parents: ['source.shop.shop.payments'] }));
  add(model('stg_customers', { path: 'models/staging/stg_customers.sql', tags: ['staging', 'nightly'], config: view, parents: ['seed.shop.raw_customers'] }));
  add(model('stg_charges', { path: 'models/staging/stripe/stg_charges.sql', tags: ['staging'], config: view, parents: ['source.shop.stripe.charges'] }));

  add(model('orders', {
    path: 'models/marts/orders.sql',
    tags: ['nightly', 'finance'],
    config: { materialized: 'table', unique_key: ['order_id'], meta: { owner: 'finance' }, full_refresh: false },
    parents: ['model.shop.stg_orders', 'model.shop.stg_payments'],
  }));
  add(model('customers', {
    path: 'models/marts/customers.sql',
    tags: ['nightly'],
    config: { materialized: 'table', unique_key: 'customer_id' },
    parents: ['model.shop.stg_customers', 'model.shop.orders', 'seed.shop.country_codes'],
  }));
  add(model('daily_revenue', {
    path: 'models/marts/daily_revenue.sql',
    tags: ['finance'],
    config: { materialized: 'incremental', unique_key: ['day', 'currency'], meta: { owner: 'finance', tier: 1 }, full_refresh: true },
    parents: ['model.shop.orders', 'model.shop.stg_charges'],
  }));
  add(model('customer_ltv', {
    path: 'models/marts/finance/customer_ltv.sql',
    config: { materialized: 'table', meta: { owner: 'growth' } },
    parents: ['model.shop.customers'],
  }));
  add(model('audit_log', { path: 'models/audit_log.sql', packageName: 'audit_utils', config: { materialized: 'incremental' } }));

  const graph = new DirectedGraph();
  for (const id of nodes.keys()) graph.addNode(id);
  for (const node of nodes.values()) {
    if (node.resource_type === 'source') continue;
    for (const parent of node.depends_on.nodes) graph.addEdge(parent, node.unique_id);
  }
  return { graph, nodes };
}

/**
 * A large layered project, `layers * width` models named `m_<layer>_<i>`: each depends on three models
 * of the layer above (i, i+1 and i+7, wrapping), so there are many paths between few nodes.
 */
export function layeredProject(layers: number, width: number): ShopProject {
  const nodes = new Map<string, AnyNode>();
  const graph = new DirectedGraph();
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      const parents = layer === 0 ? [] : [i, (i + 1) % width, (i + 7) % width].map((j) => `model.big.m_${layer - 1}_${j}`);
      const node = model(`m_${layer}_${i}`, { path: `models/layer_${layer}/m_${layer}_${i}.sql`, packageName: 'big', parents });
      nodes.set(node.unique_id, node);
      graph.addNode(node.unique_id);
      for (const parent of new Set(parents)) graph.addEdge(parent, node.unique_id);
    }
  }
  return { graph, nodes };
}

/** The fqn dbt gives a node: package, folders under the resource folder, then the name. */
function fqnOf(packageName: string, path: string, name: string): string[] {
  const folders = path.split('/').slice(1, -1);
  return [packageName, ...folders, name];
}

function model(name: string, spec: NodeSpec): ManifestNode {
  return manifestNode('model', name, spec);
}

function seed(name: string, spec: NodeSpec): ManifestNode {
  return manifestNode('seed', name, { ...spec, config: { materialized: 'seed', ...spec.config } });
}

function manifestNode(resourceType: 'model' | 'seed', name: string, spec: NodeSpec): ManifestNode {
  const packageName = spec.packageName ?? 'shop';
  const tags = spec.tags ?? [];
  return {
    unique_id: `${resourceType}.${packageName}.${name}`,
    resource_type: resourceType,
    package_name: packageName,
    name,
    path: spec.path.split('/').slice(1).join('/'),
    original_file_path: spec.path,
    fqn: fqnOf(packageName, spec.path, name),
    description: '',
    tags,
    meta: {},
    database: null,
    schema: 'main',
    relation_name: `"main"."${name}"`,
    alias: name,
    checksum: { name: 'sha256', checksum: '' },
    config: { enabled: true, materialized: 'view', tags, meta: {}, 'pre-hook': [], 'post-hook': [], ...spec.config },
    unrendered_config: {},
    columns: {},
    patch_path: spec.patchPath ?? null,
    language: resourceType === 'seed' ? 'csv' : 'sql',
    raw_code: '',
    refs: [],
    sources: [],
    depends_on: { nodes: spec.parents ?? [], macros: [] },
    created_at: 0,
  };
}

function source(sourceName: string, table: string, path: string, tags: string[] = []): SourceNode {
  return {
    unique_id: `source.shop.${sourceName}.${table}`,
    resource_type: 'source',
    package_name: 'shop',
    name: table,
    path,
    original_file_path: path,
    fqn: [...fqnOf('shop', path, sourceName).slice(0, -1), sourceName, table],
    description: '',
    tags,
    meta: {},
    database: null,
    schema: sourceName,
    relation_name: `"${sourceName}"."${table}"`,
    source_name: sourceName,
    source_description: '',
    identifier: table,
    loader: '',
    columns: {},
    config: { enabled: true, tags, meta: {} },
    source_meta: {},
  };
}

/** Short, sorted names for a selection: models and seeds by name, sources as `source_name.table`. */
export function labels(ids: Iterable<string>, nodes: ReadonlyMap<string, AnyNode>): string[] {
  return [...ids]
    .map((id) => {
      const node = nodes.get(id);
      if (!node) return id;
      return node.resource_type === 'source' ? `${node.source_name}.${node.name}` : node.name;
    })
    .sort();
}
