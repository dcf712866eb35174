import { parseTemplate, type Template } from '../../template/template-parser.js';

/**
 * The built-in generic tests, written as test macros exactly as users write their own
 * (`macros/test_<name>.sql`): each renders a query whose rows are failures. `model` renders
 * to the tested relation, `column_name` to the column; a project macro `test_<name>` or an
 * adapter override `duckdb__test_<name>` replaces one.
 */
const SOURCES: Record<string, { template: string; required: string[]; defaults?: Record<string, unknown> }> = {
  not_null: {
    template: 'select {{column_name}}\nfrom {{model}}\nwhere {{column_name}} is null',
    required: [],
  },
  unique: {
    template: 'select {{column_name}} as unique_field, count(*) as n_records\nfrom {{model}}\nwhere {{column_name}} is not null\ngroup by {{column_name}}\nhaving count(*) > 1',
    required: [],
  },
  accepted_values: {
    template:
      'with all_values as (\n    select {{column_name}} as value_field, count(*) as n_records\n    from {{model}}\n    group by {{column_name}}\n)\nselect *\nfrom all_values\nwhere value_field not in ({{sql_list values quote}})',
    required: ['values'],
  },
  relationships: {
    template:
      'with child as (\n    select {{column_name}} as from_field\n    from {{model}}\n    where {{column_name}} is not null\n),\nparent as (\n    select {{field}} as to_field\n    from {{to}}\n)\nselect from_field\nfrom child\nleft join parent on child.from_field = parent.to_field\nwhere parent.to_field is null',
    required: ['to', 'field'],
  },
  // The tests below are dbt_utils' (declared bare or as dbt_utils.<name>), with its semantics.
  unique_combination_of_columns: {
    template: 'select {{sql_list combination_of_columns false}}, count(*) as n_records\nfrom {{model}}\ngroup by {{sql_list combination_of_columns false}}\nhaving count(*) > 1',
    required: ['combination_of_columns'],
  },
  expression_is_true: {
    template: 'select *\nfrom {{model}}\nwhere not ({{#if column_name}}{{column_name}} {{/if}}{{expression}})',
    required: ['expression'],
  },
  accepted_range: {
    template:
      'select *\nfrom {{model}}\nwhere 1 = 2{{#if min_value includeZero=true}}\n   or not ({{column_name}} {{#if inclusive}}>={{else}}>{{/if}} {{min_value}}){{/if}}{{#if max_value includeZero=true}}\n   or not ({{column_name}} {{#if inclusive}}<={{else}}<{{/if}} {{max_value}}){{/if}}',
    required: [],
    defaults: { inclusive: true },
  },
  not_accepted_values: {
    template: 'select {{column_name}} as value_field, count(*) as n_records\nfrom {{model}}\nwhere {{column_name}} in ({{sql_list values quote}})\ngroup by {{column_name}}',
    required: ['values'],
  },
  not_constant: {
    template:
      'select {{#if group_by_columns}}{{sql_list group_by_columns false}}, {{/if}}count(distinct {{column_name}}) as filler_column\nfrom {{model}}\n{{#if group_by_columns}}group by {{sql_list group_by_columns false}}\n{{/if}}having count(distinct {{column_name}}) = 1',
    required: [],
  },
  at_least_one: {
    template: 'select count({{column_name}}) as filler_column\nfrom {{model}}\nhaving count({{column_name}}) = 0',
    required: [],
  },
  not_empty_string: {
    template: "select {{column_name}}\nfrom {{model}}\nwhere {{#if trim_whitespace}}trim({{column_name}}){{else}}{{column_name}}{{/if}} = ''",
    required: [],
    defaults: { trim_whitespace: true },
  },
  not_null_proportion: {
    template:
      'with validation as (\n    select sum(case when {{column_name}} is null then 0 else 1 end) / cast(nullif(count(*), 0) as numeric) as not_null_proportion\n    from {{model}}\n)\nselect not_null_proportion\nfrom validation\nwhere not_null_proportion < {{at_least}} or not_null_proportion > {{at_most}}',
    required: ['at_least'],
    defaults: { at_most: 1 },
  },
  relationships_where: {
    template:
      'with left_table as (\n    select {{column_name}} as id\n    from {{model}}\n    where {{column_name}} is not null and {{from_condition}}\n),\nright_table as (\n    select {{field}} as id\n    from {{to}}\n    where {{field}} is not null and {{to_condition}}\n)\nselect left_table.id\nfrom left_table\nleft join right_table on left_table.id = right_table.id\nwhere right_table.id is null',
    required: ['to', 'field'],
    defaults: { from_condition: '1=1', to_condition: '1=1' },
  },
  equal_rowcount: {
    template:
      'with a as (select count(*) as count_a from {{model}}),\nb as (select count(*) as count_b from {{compare_model}})\nselect count_a, count_b, abs(count_a - count_b) as diff_count\nfrom a cross join b\nwhere count_a <> count_b',
    required: ['compare_model'],
  },
  fewer_rows_than: {
    template:
      'with a as (select count(*) as count_a from {{model}}),\nb as (select count(*) as count_b from {{compare_model}})\nselect count_a, count_b\nfrom a cross join b\nwhere count_a >= count_b',
    required: ['compare_model'],
  },
};

/** The built-in tests that come from dbt_utils: a declaration may name them `dbt_utils.<name>`. */
export const DBT_UTILS_TESTS: readonly string[] = Object.keys(SOURCES).slice(Object.keys(SOURCES).indexOf('unique_combination_of_columns'));

/** A built-in generic test: its template and the arguments it cannot do without. */
export interface GenericTestDefinition {
  template: Template;
  required: string[];
  /** The values of optional arguments a declaration leaves out, as dbt_utils' macros default them. */
  defaults: Record<string, unknown>;
}

let parsed: Map<string, GenericTestDefinition> | undefined;

/** The built-in generic tests by name, parsed once. */
export function builtinGenericTests(): ReadonlyMap<string, GenericTestDefinition> {
  parsed ??= new Map(Object.entries(SOURCES).map(([name, def]) => [name, { template: parseTemplate(def.template, `strata:generic_tests/${name}.sql`), required: def.required, defaults: def.defaults ?? {} }]));
  return parsed;
}

/** Renders a list as SQL: quoted and escaped string literals, or bare (`quote` false). */
export function sqlList(values: unknown, quote: unknown = true): string {
  const list = Array.isArray(values) ? values : [values];
  const quoted = quote !== false && quote !== 'false';
  return list.map((v) => (quoted && typeof v !== 'number' && typeof v !== 'boolean' ? `'${String(v).replace(/'/g, "''")}'` : String(v))).join(', ');
}
