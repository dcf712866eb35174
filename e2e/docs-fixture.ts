import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { DocsGraphData, DocsNodePage } from '../core/docs/docs-site-data.js';
import { projectYml } from './harness.js';

/** A small shop project whose models exercise column lineage: CTEs, joins, star, ephemeral, DuckDB-only SQL. */
export const DOCS_PROJECT: Record<string, string> = {
  'project.yml': projectYml('models:\n  shop:\n    marts:\n      +materialized: table\n'),
  'seeds/raw_orders.csv': 'order_id,customer_id,amount_cents,status\n1,10,1250,paid\n2,11,500,open\n3,10,990,paid\n',
  'seeds/raw_customers.csv': 'customer_id,name,email\n10,Ada,ada@example.com\n11,Grace,grace@example.com\n',
  'models/staging/stg_orders.sql': 'select order_id, customer_id, amount_cents / 100.0 as amount, status from {{ref "raw_orders"}}\n',
  'models/staging/stg_customers.sql': 'select * exclude (email) from {{ref "raw_customers"}}\n',
  'models/staging/_staging.yml': `version: 2
models:
  - name: stg_orders
    description: Orders from the shop, amounts in dollars.
    columns:
      - name: order_id
        description: The order's key.
        data_tests: [unique, not_null]
      - name: status
        data_tests:
          - accepted_values:
              arguments: {values: [paid, open]}
`,
  'models/marts/fct_orders.sql': `with orders as (
    select order_id, customer_id, amount, status from {{ref "stg_orders"}}
),
customers as (
    select customer_id, name from {{ref "stg_customers"}}
)
select
    o.order_id,
    c.name as customer_name,
    o.amount,
    case when o.status = 'paid' then o.amount else 0 end as paid_amount,
    current_date as loaded_on
from orders o
left join customers c using (customer_id)
`,
  'models/marts/eph_paid.sql': `{{config materialized="ephemeral"}}
select order_id, amount from {{ref "stg_orders"}} where status = 'paid'
qualify row_number() over (partition by order_id order by amount desc) = 1
`,
  'models/marts/fct_paid.sql': 'select order_id, count(*) as paid_orders, sum(amount) as paid_total from {{ref "eph_paid"}} group by all\n',
  'models/marts/duckdb_only.sql': 'select * replace (amount * 2 as amount) from {{ref "stg_orders"}}\n',
  'models/marts/_marts.yml': `version: 2
models:
  - name: fct_orders
    description: One row per order, with the customer's name. Revenue lives here.
    config:
      tags: [finance]
      meta: {owner: analytics@example.com}
    columns:
      - name: customer_name
        description: Who placed the order.
      - name: amount
        description: Order total in dollars.
        data_tests: [not_null]
`,
};

/** The site's data, read back from the files the browser would load. */
export function readSiteData(dir: string): { graph: DocsGraphData; pages: DocsNodePage[]; search: string[] } {
  const docs = path.join(dir, 'target', 'docs', 'data');
  const context: Record<string, unknown> = vm.createContext({});
  let graph: DocsGraphData | undefined;
  const pages: DocsNodePage[][] = [];
  let search: string[] = [];
  vm.runInContext(readFileSync(path.join(dir, 'target', 'docs', 'graph-data.js'), 'utf8'), context);
  context.strataDocsGraph = (g: unknown) => (graph = (context.StrataGraphData as { expand(c: unknown): DocsGraphData }).expand(g));
  context.strataDocsPages = (k: number, chunk: DocsNodePage[]) => (pages[k] = chunk);
  context.strataDocsSearch = (s: string[]) => (search = s);
  for (const file of readdirSync(docs)) vm.runInContext(readFileSync(path.join(docs, file), 'utf8'), context);
  return { graph: graph!, pages: pages.flat(), search };
}

/** A page by unique_id, with its columns by name. */
export function pageOf(site: ReturnType<typeof readSiteData>, id: string) {
  const i = site.graph.id.indexOf(id);
  if (i === -1) throw new Error(`no node ${id} in the site`);
  const page = site.pages[i];
  const name = (n: number) => site.graph.id[n];
  const columns = Object.fromEntries(page.columns.map((c) => [c.name, { ...c, upstream: c.from?.map(([n, col]) => `${name(n)}.${col}`) ?? null, downstream: c.used_by.map(([n, col]) => `${name(n)}.${col}`) }]));
  return { ...page, columns };
}
