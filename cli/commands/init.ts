import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import type { Logger } from '../output/logger.js';

/** A project name as dbt allows it: letters, digits and underscores, not starting with a digit. */
const PROJECT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The files of a new project: a seed, a staging view with tests, a mart table, on the embedded DuckDB target. */
function starterFiles(name: string): Record<string, string> {
  return {
    'project.yml': `name: ${name}
version: "1.0"

model-paths: [models]
seed-paths: [seeds]
macro-paths: [macros]
test-paths: [tests]
snapshot-paths: [snapshots]

# Folder configs: staging models are views, marts are tables.
models:
  ${name}:
    staging:
      +materialized: view
    marts:
      +materialized: table
`,
    'seeds/raw_orders.csv': 'order_id,customer_id,status,amount_cents,ordered_at\n1,1,placed,1250,2024-01-05 10:00:00\n2,2,shipped,4000,2024-01-05 11:30:00\n3,1,completed,990,2024-01-06 09:15:00\n',
    'models/staging/stg_orders.sql': `select
    order_id,
    customer_id,
    status,
    amount_cents / 100.0 as amount,
    cast(ordered_at as date) as order_date
from {{ref "raw_orders"}}
`,
    'models/staging/_staging.yml': `models:
  - name: stg_orders
    description: One row per order, amounts in currency units.
    columns:
      - name: order_id
        data_tests: [unique, not_null]
      - name: status
        data_tests:
          - accepted_values:
              arguments: {values: [placed, shipped, completed]}
`,
    'models/marts/daily_revenue.sql': `select order_date, count(*) as orders, sum(amount) as revenue
from {{ref "stg_orders"}}
group by order_date
`,
    'macros/.gitkeep': '',
    'tests/.gitkeep': '',
    'snapshots/.gitkeep': '',
    '.gitignore': 'target/\n',
  };
}

/**
 * `init NAME`: a new project folder that builds as it is, on the embedded DuckDB target (no
 * profiles.yml needed). Refuses a folder that exists and is not empty, and a name dbt would refuse.
 */
export async function runInit(name: string, logger: Logger): Promise<number> {
  if (!PROJECT_NAME.test(name)) {
    throw new UserError(`'${name}' cannot name a project: use letters, digits and underscores, not starting with a digit`, { hint: 'e.g. strata init shop_analytics' });
  }
  const dir = path.resolve(name);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UserError(`${dir} already exists and is not empty`, { hint: 'choose another name, or run init from another folder' });
  }
  for (const [file, text] of Object.entries(starterFiles(name))) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  logger.info(`Created the project ${name} in ${path.relative(process.cwd(), dir) || '.'}: a seed, a staging model with tests and a mart`);
  logger.info(`Next: npx strata build --project-dir ${path.relative(process.cwd(), dir) || '.'}`);
  return 0;
}
