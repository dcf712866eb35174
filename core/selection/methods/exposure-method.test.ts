import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors/user-error.js';
import type { Project } from '../../project/load-project.js';
import { loadTestProject } from '../../project/test-project.js';
import { resolveSelection } from '../resolve-selection.js';

const FILES = {
  'project.yml': 'name: shop\n',
  'models/sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n      - name: products\n',
  'models/staging/stg_orders.sql': 'select * from {{source "shop" "orders"}}',
  'models/staging/stg_products.sql': 'select * from {{source "shop" "products"}}',
  'models/marts/fct_revenue.sql': 'select * from {{ref "stg_orders"}}',
  'models/marts/dim_products.sql': 'select * from {{ref "stg_products"}}',
  'models/marts/exposures.yml': [
    'version: 2',
    'exposures:',
    '  - name: weekly_kpis',
    '    type: dashboard',
    '    tags: [finance]',
    '    owner: {name: Finance}',
    '    depends_on:',
    "      - ref('fct_revenue')",
    '  - name: weekly_inventory',
    '    type: notebook',
    '    owner: {email: ops@example.com}',
    '    depends_on:',
    "      - ref('dim_products')",
    "      - source('shop', 'products')",
    '',
  ].join('\n'),
};

let project: Project;
beforeAll(async () => {
  project = await loadTestProject(FILES);
});

const select = (...args: string[]) => [...resolveSelection({ graph: project.dag, nodes: project.all, select: args })].sort();

describe('exposure: selection', () => {
  it('exposure:<name> selects that exposure only', () => {
    expect(select('exposure:weekly_kpis')).toEqual(['exposure.shop.weekly_kpis']);
    expect(select('exposure:shop.weekly_kpis')).toEqual(['exposure.shop.weekly_kpis']);
    expect(select('exposure:other_pkg.weekly_kpis')).toEqual([]);
  });

  it('wildcards match exposure names', () => {
    expect(select('exposure:*')).toEqual(['exposure.shop.weekly_inventory', 'exposure.shop.weekly_kpis']);
    expect(select('exposure:weekly_i*')).toEqual(['exposure.shop.weekly_inventory']);
  });

  it('+exposure:<name> selects everything upstream of it', () => {
    expect(select('+exposure:weekly_kpis')).toEqual(['exposure.shop.weekly_kpis', 'model.shop.fct_revenue', 'model.shop.stg_orders', 'source.shop.shop.orders']);
    expect(select('1+exposure:weekly_inventory')).toEqual(['exposure.shop.weekly_inventory', 'model.shop.dim_products', 'source.shop.shop.products']);
  });

  it('exposures are children of their parents for `x+`', () => {
    expect(select('stg_products+')).toEqual(['exposure.shop.weekly_inventory', 'model.shop.dim_products', 'model.shop.stg_products']);
  });

  it('resource_type:exposure, tag:, path: and a bare name find exposures, as in dbt', () => {
    expect(select('resource_type:exposure')).toEqual(['exposure.shop.weekly_inventory', 'exposure.shop.weekly_kpis']);
    expect(select('tag:finance')).toEqual(['exposure.shop.weekly_kpis']);
    expect(select('path:models/marts/exposures.yml')).toEqual(['exposure.shop.weekly_inventory', 'exposure.shop.weekly_kpis']);
    expect(select('weekly_kpis')).toEqual(['exposure.shop.weekly_kpis']);
  });

  it('a malformed exposure selector is a user error', () => {
    expect(() => select('exposure:a.b.c')).toThrow(UserError);
    expect(() => select('exposure:a.b.c')).toThrow("'a.b.c' is not an exposure selector");
  });
});
