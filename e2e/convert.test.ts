import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { strata, tempProjects, writeFiles } from './harness.js';

// A dbt project as dbt writes it: Jinja models, a macro file, a generic test block and a snapshot block.
const DBT_PROJECT = {
  // dbt's keys for what Strata has no part of (dbt Cloud's CLI, the log folder) are accepted.
  'dbt_project.yml': "name: 'jaffle'\nconfig-version: 2\nprofile: 'jaffle'\nrequire-dbt-version: '>=1.7.1'\ndbt-cloud:\n  project-id: 283328\nlog-path: logs\nmodel-paths: ['models']\nvars:\n  methods: [card, coupon]\n",
  'seeds/raw_payments.csv': 'id,order_id,method,amount\n1,1,card,1000\n2,1,coupon,250\n3,2,card,-50\n',
  'macros/money.sql': [
    '{# Money, dispatched per adapter #}',
    '-- see the finance docs',
    '{% macro cents_to_dollars(column_name, scale=2) -%}',
    "    {{ return(adapter.dispatch('cents_to_dollars')(column_name, scale)) }}",
    '{%- endmacro %}',
    '',
    '{% macro default__cents_to_dollars(column_name, scale=2) %}',
    '    ({{ column_name }} * 0)',
    '{% endmacro %}',
    '',
    '{% macro duckdb__cents_to_dollars(column_name, scale=2) %}',
    '    round({{ column_name }} / 100.0, {{ scale }})',
    '{% endmacro %}',
    '',
    '{% macro pivot(methods) %}',
    '    {% for method in methods %}',
    "    sum(case when method = '{{ method }}' then amount else 0 end) as {{ method }}_amount",
    '    {{- "," if not loop.last }}',
    '    {% endfor %}',
    '{% endmacro %}',
    '',
  ].join('\n'),
  'tests/generic/is_positive.sql': '{% test is_positive(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} < 0\n{% endtest %}\n',
  'models/stg_payments.sql': [
    "{{ config(materialized='view') }}",
    '{# amounts arrive in cents #}',
    "select id as payment_id, {{ dbt_utils.generate_surrogate_key(['id', 'method']) }} as payment_key, order_id, method, {{ cents_to_dollars('amount') }} as amount",
    "from {{ ref('raw_payments') }}",
    '',
  ].join('\n'),
  'models/orders.sql': [
    "{{ config(materialized='incremental', unique_key='order_id') }}",
    "select order_id, {{ pivot(var('methods')) }}",
    "from {{ ref('stg_payments') }}",
    '{% if is_incremental() %}',
    'where order_id > (select max(order_id) from {{ this }})',
    '{% endif %}',
    'group by order_id',
    '',
  ].join('\n'),
  'models/method_names.sql': "{% set methods = ['card', 'coupon'] %}\nselect {% for m in methods %}'{{ m }}' as {{ m }}{% if not loop.last %}, {% endif %}{% endfor %}\n",
  'models/dates.sql': `{{ dbt_utils.date_spine(datepart="day", start_date="cast('2024-01-01' as date)", end_date="cast('2024-01-04' as date)") }}\n`,
  'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_payments\n    columns:\n      - name: amount\n        data_tests: [{is_positive: {config: {severity: warn}}}]\n',
  'snapshots/payments_snapshot.sql': "{% snapshot payments_snapshot %}\n{{ config(unique_key='payment_id', strategy='check', check_cols=['amount']) }}\nselect * from {{ ref('stg_payments') }}\n{% endsnapshot %}\n",
};

const project = tempProjects({});
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('strata convert', () => {
  it("rewrites a dbt project's Jinja so that it builds, macros as partials and blocks as Strata's files", async () => {
    const dir = project(DBT_PROJECT);
    const { code, output } = await strata(dir, 'convert');
    expect(code, output).toBe(0);
    expect(output).toContain('nothing left in Jinja');
    // adapter.dispatch: the dispatcher goes, default__ is the partial, duckdb__ its DuckDB override (used here).
    expect(read(dir, 'macros/cents_to_dollars.sql')).toBe('{{!-- Money, dispatched per adapter --}}\n{{!-- see the finance docs --}}\n    ({{ column_name }} * 0)\n');
    expect(read(dir, 'macros/duckdb__cents_to_dollars.sql').trim()).toBe('round({{ column_name }} / 100.0, {{ scale }})');
    expect(read(dir, 'macros/pivot.sql')).toContain('{{~#unless @last}},{{/unless}}');
    expect(existsSync(path.join(dir, 'macros/money.sql'))).toBe(false);
    expect(read(dir, 'macros/test_is_positive.sql').trim()).toBe('select * from {{ model }} where {{ column_name }} < 0');
    expect(existsSync(path.join(dir, 'tests/generic/is_positive.sql'))).toBe(false);
    expect(read(dir, 'models/stg_payments.sql')).toContain('{{> cents_to_dollars column_name="amount" scale=2}} as amount');
    expect(read(dir, 'models/orders.sql')).toContain('{{#if (is_incremental)}}');
    expect(read(dir, 'snapshots/payments_snapshot.sql')).toBe('{{config unique_key="payment_id" strategy="check" check_cols="amount"}}\nselect * from {{ref "stg_payments"}}\n');

    const build = await strata(dir, 'build');
    // The converted generic test finds the negative payment (a warning, so the rest builds).
    expect(build.output).toMatch(/WARN 1 is_positive_stg_payments_amount/);
    expect(build.output).toContain('PASS=6 WARN=1 ERROR=0');
    expect(await queryProject(dir, 'select order_id, card_amount, coupon_amount from main.orders order by 1', 'target/jaffle.duckdb')).toEqual([
      { order_id: 1, card_amount: 10, coupon_amount: 2.5 },
      { order_id: 2, card_amount: -0.5, coupon_amount: 0 },
    ]);
    // dbt_utils' surrogate key, written out: the md5 of the fields joined by '-', as dbt_utils builds it.
    const keys = await queryProject(dir, 'select payment_id, method, payment_key from main.stg_payments order by 1', 'target/jaffle.duckdb');
    expect(keys.map((k) => k.payment_key)).toEqual(keys.map((k) => createHash('md5').update(`${k.payment_id}-${k.method}`).digest('hex')));
    // A {% set %} list became a loop over (list ...).
    expect(read(dir, 'models/method_names.sql')).toBe(`select {{#each (list "card" "coupon") as |m|}}'{{ m }}' as {{ m }}{{#unless @last}}, {{/unless}}{{/each}}\n`);
    expect(await queryProject(dir, 'select * from main.method_names', 'target/jaffle.duckdb')).toEqual([{ card: 'card', coupon: 'coupon' }]);
    // A date spine ends before its end date, as dbt's does.
    const days = await queryProject(dir, "select strftime(date_day, '%Y-%m-%d') as day from main.dates order by 1", 'target/jaffle.duckdb');
    expect(days.map((d) => d.day)).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    // Converting again finds nothing to do.
    const again = await strata(dir, 'convert');
    expect(again.code).toBe(0);
    expect(again.output).toContain('Rewrote 0 Jinja tags in 0 files; nothing left in Jinja.');
  });

  it('lists every tag it cannot rewrite by file and line with what to write, exits 1, and --dry-run changes nothing', async () => {
    const dir = project(DBT_PROJECT);
    writeFiles(dir, {
      'models/orders.sql': "{% set methods = var('methods') | list %}\nselect {{ ref('stg_payments') }}\n{% for m in methods %}{{ m }}{% endfor %}\n{{ dbt_utils.star(ref('stg_payments')) }}\n",
      // A partial in Strata's form, with a Jinja call in it.
      'macros/recent.sql': "where day > {{ var('since') }}\n",
      'macros/naming.sql': "{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name }}{% endmacro %}\n{% macro upper(x) %}upper({{ x }}){% endmacro %}\n{% macro shout(x) %}\n  {{ x | upper }}\n{% endmacro %}\n",
    });
    const before = read(dir, 'models/orders.sql');
    const dry = await strata(dir, 'convert', '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.output).toContain('Would write models/orders.sql');
    expect(read(dir, 'models/orders.sql')).toBe(before);
    expect(existsSync(path.join(dir, 'macros/money.sql'))).toBe(true);

    const { code, output } = await strata(dir, 'convert');
    expect(code).toBe(1);
    expect(output).toContain("models/orders.sql:1: {% set methods = var('methods') | list %} is a Jinja tag");
    expect(output).toContain("models/orders.sql:3: {% for m in methods %} reads 'methods', which a Handlebars template does not have");
    expect(output).toContain('hint: put the value under vars: in project.yml and read {{var "methods"}}');
    expect(output).toContain('models/orders.sql:3: {% endfor %} belongs to the Jinja block of line 3');
    expect(output).toContain("models/orders.sql:4: {{ dbt_utils.star(ref('stg_payments')) }} is Jinja");
    // dbt's generate_schema_name is a JS helper here: it stays in its file, and the other macro leaves it.
    expect(output).toContain("macros/naming.sql:1: macro 'generate_schema_name' is one dbt calls itself; in Strata it is a JS helper");
    expect(read(dir, 'macros/naming.sql')).toBe('{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name }}{% endmacro %}\n');
    expect(read(dir, 'macros/upper.sql')).toBe('upper({{ x }})');
    // A tag left in a macro's body is named by its line in the macro file.
    expect(output).toContain('macros/naming.sql:4: {{ x | upper }} is Jinja');
    expect(output).toContain('6 left for you in 2 files');
    expect(read(dir, 'models/orders.sql').split('\n')[1]).toBe('select {{ref "stg_payments"}}');
    expect(read(dir, 'macros/recent.sql')).toBe('where day > {{var "since"}}\n');
  });

  it('finds nothing to rewrite in a project written for Strata (the shop, with its partials and JS helpers)', async () => {
    const shop = fileURLToPath(new URL('..', import.meta.url));
    const { code, output } = await strata(shop, 'convert', '--dry-run');
    expect(code, output).toBe(0);
    expect(output).toContain('Would rewrite 0 Jinja tags in 0 files; nothing left in Jinja.');
  });
});
