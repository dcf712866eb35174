import { parseTemplate, type Template } from '../../template/template-parser.js';

/**
 * The built-in generic tests, written as test macros exactly as users write their own
 * (`macros/test_<name>.sql`): each renders a query whose rows are failures. `model` renders
 * to the tested relation, `column_name` to the column; a project macro `test_<name>` or an
 * adapter override `duckdb__test_<name>` replaces one.
 */
interface Source {
  template: string;
  required: string[];
  defaults?: Record<string, unknown>;
  unsupported?: Record<string, string>;
  /** Arguments that take one of a few values: another is an error at parse time, naming the line. */
  choices?: Record<string, readonly unknown[]>;
  /** Values the template reads that follow from the arguments (with defaults filled in), where dbt_utils sets them in Jinja. */
  derived?: (args: Record<string, unknown>) => Record<string, unknown>;
}

const MUTUALLY_EXCLUSIVE_GAPS: Record<string, [string, string]> = { not_allowed: ['=', 'equal_to'], allowed: ['<=', 'less_than_or_equal_to'], required: ['<', 'less_than'] };

const SOURCES: Record<string, Source> = {
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
  recency: {
    // dbt_utils: the newest value of field is older than interval dateparts ago (an empty table passes, as there).
    template:
      'with recency as (\n    select {{#if group_by_columns}}{{sql_list group_by_columns false}}, {{/if}}{{#if ignore_time_component}}cast(max({{field}}) as date){{else}}max({{field}}){{/if}} as most_recent\n    from {{model}}{{#if group_by_columns}}\n    group by {{sql_list group_by_columns false}}{{/if}}\n)\nselect {{#if group_by_columns}}{{sql_list group_by_columns false}}, {{/if}}most_recent, cast(current_timestamp - interval ({{interval}}) {{datepart}} as {{#if ignore_time_component}}date{{else}}timestamp{{/if}}) as threshold\nfrom recency\nwhere most_recent < cast(current_timestamp - interval ({{interval}}) {{datepart}} as {{#if ignore_time_component}}date{{else}}timestamp{{/if}})',
    required: ['datepart', 'field', 'interval'],
    defaults: { ignore_time_component: false },
  },
  sequential_values: {
    template:
      'with windowed as (\n    select {{#if group_by_columns}}{{sql_list group_by_columns false}}, {{/if}}{{column_name}}, lag({{column_name}}) over ({{#if group_by_columns}}partition by {{sql_list group_by_columns false}} {{/if}}order by {{column_name}}) as previous_{{column_name}}\n    from {{model}}\n)\nselect *\nfrom windowed\n{{#if datepart}}where not (cast({{column_name}} as timestamp) = cast(previous_{{column_name}} + interval ({{interval}}) {{datepart}} as timestamp)){{else}}where not ({{column_name}} = previous_{{column_name}} + {{interval}}){{/if}}',
    required: [],
    defaults: { interval: 1 },
  },
  equality: {
    // Without compare_columns, all columns (but exclude_columns, with DuckDB's * exclude), compared by
    // position: dbt_utils reads the model's column list from the warehouse, and a compile reads none.
    template:
      'with a as (\n    select {{#if compare_columns}}{{sql_list compare_columns false}}{{else}}*{{#if exclude_columns}} exclude ({{sql_list exclude_columns false}}){{/if}}{{/if}} from {{model}}\n),\nb as (\n    select {{#if compare_columns}}{{sql_list compare_columns false}}{{else}}*{{#if exclude_columns}} exclude ({{sql_list exclude_columns false}}){{/if}}{{/if}} from {{compare_model}}\n),\na_minus_b as (select * from a except select * from b),\nb_minus_a as (select * from b except select * from a)\nselect \'a_minus_b\' as which_diff, a_minus_b.* from a_minus_b\nunion all\nselect \'b_minus_a\' as which_diff, b_minus_a.* from b_minus_a',
    required: ['compare_model'],
    unsupported: {
      precision: 'round the columns in the models compared, or write macros/test_equality.sql',
    },
  },
  cardinality_equality: {
    template:
      'with table_a as (\n    select {{column_name}}, count(*) as num_rows\n    from {{model}}\n    group by {{column_name}}\n),\ntable_b as (\n    select {{field}}, count(*) as num_rows\n    from {{to}}\n    group by {{field}}\n),\nexcept_a as (select * from table_a except select * from table_b),\nexcept_b as (select * from table_b except select * from table_a)\nselect * from except_a\nunion all\nselect * from except_b',
    required: ['to', 'field'],
  },
  mutually_exclusive_ranges: {
    // dbt_utils: each row's range is not empty (lower < upper, or <= with zero_length_range_allowed) and
    // ends where gaps says against the next row's start (=, <=, <), within each partition_by group.
    template:
      'with window_functions as (\n    select\n        {{#if partition_by}}{{partition_by}} as partition_by_col,\n        {{/if}}{{lower_bound_column}} as lower_bound,\n        {{upper_bound_column}} as upper_bound,\n        lead({{lower_bound_column}}) over ({{#if partition_by}}partition by {{partition_by}} {{/if}}order by {{lower_bound_column}}) as next_lower_bound,\n        row_number() over ({{#if partition_by}}partition by {{partition_by}} {{/if}}order by {{lower_bound_column}} desc) = 1 as is_last_record\n    from {{model}}\n),\ncalc as (\n    select\n        *,\n        coalesce(lower_bound {{zero_length_operator}} upper_bound, false) as lower_bound_{{zero_length_words}}_upper_bound,\n        coalesce(upper_bound {{gaps_operator}} next_lower_bound, is_last_record, false) as upper_bound_{{gaps_words}}_next_lower_bound\n    from window_functions\n)\nselect *\nfrom calc\nwhere not (lower_bound_{{zero_length_words}}_upper_bound and upper_bound_{{gaps_words}}_next_lower_bound)',
    required: ['lower_bound_column', 'upper_bound_column'],
    defaults: { gaps: 'allowed', zero_length_range_allowed: false },
    choices: { gaps: Object.keys(MUTUALLY_EXCLUSIVE_GAPS), zero_length_range_allowed: [true, false] },
    derived: ({ gaps, zero_length_range_allowed }) => {
      const [gapsOperator, gapsWords] = MUTUALLY_EXCLUSIVE_GAPS[String(gaps)] ?? MUTUALLY_EXCLUSIVE_GAPS.allowed;
      return {
        gaps_operator: gapsOperator,
        gaps_words: gapsWords,
        zero_length_operator: zero_length_range_allowed === true ? '<=' : '<',
        zero_length_words: zero_length_range_allowed === true ? 'less_than_or_equal_to' : 'less_than',
      };
    },
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
  /** dbt_utils' arguments this one does not take, with what to do instead: refused rather than ignored. */
  unsupported: Record<string, string>;
  /** The values of optional arguments a declaration leaves out, as dbt_utils' macros default them. */
  defaults: Record<string, unknown>;
  /** Arguments that take one of a few values. */
  choices: Record<string, readonly unknown[]>;
  /** Values the template reads that follow from the arguments. */
  derived?: (args: Record<string, unknown>) => Record<string, unknown>;
}

let parsed: Map<string, GenericTestDefinition> | undefined;

/** The built-in generic tests by name, parsed once. */
export function builtinGenericTests(): ReadonlyMap<string, GenericTestDefinition> {
  parsed ??= new Map(Object.entries(SOURCES).map(([name, def]) => [name, { template: parseTemplate(def.template, `strata:generic_tests/${name}.sql`), required: def.required, unsupported: def.unsupported ?? {}, defaults: def.defaults ?? {}, choices: def.choices ?? {}, derived: def.derived }]));
  return parsed;
}

/** Renders a list as SQL: quoted and escaped string literals, or bare (`quote` false). */
export function sqlList(values: unknown, quote: unknown = true): string {
  const list = Array.isArray(values) ? values : [values];
  const quoted = quote !== false && quote !== 'false';
  return list.map((v) => (quoted && typeof v !== 'number' && typeof v !== 'boolean' ? `'${String(v).replace(/'/g, "''")}'` : String(v))).join(', ');
}
