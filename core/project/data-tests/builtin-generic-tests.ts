import { parseTemplate, type Template } from '../../template/template-parser.js';

/**
 * The built-in generic tests, written as test macros exactly as users write their own
 * (`macros/test_<name>.sql`): each renders a query whose rows are failures. `model` renders
 * to the tested relation, `column_name` to the column; a project macro `test_<name>` or an
 * adapter override `duckdb__test_<name>` replaces one.
 */
const SOURCES: Record<string, { template: string; required: string[] }> = {
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
  unique_combination_of_columns: {
    template: 'select {{sql_list combination_of_columns false}}, count(*) as n_records\nfrom {{model}}\ngroup by {{sql_list combination_of_columns false}}\nhaving count(*) > 1',
    required: ['combination_of_columns'],
  },
};

/** A built-in generic test: its template and the arguments it cannot do without. */
export interface GenericTestDefinition {
  template: Template;
  required: string[];
}

let parsed: Map<string, GenericTestDefinition> | undefined;

/** The built-in generic tests by name, parsed once. */
export function builtinGenericTests(): ReadonlyMap<string, GenericTestDefinition> {
  parsed ??= new Map(Object.entries(SOURCES).map(([name, def]) => [name, { template: parseTemplate(def.template, `strata:generic_tests/${name}.sql`), required: def.required }]));
  return parsed;
}

/** Renders a list as SQL: quoted and escaped string literals, or bare (`quote` false). */
export function sqlList(values: unknown, quote: unknown = true): string {
  const list = Array.isArray(values) ? values : [values];
  const quoted = quote !== false && quote !== 'false';
  return list.map((v) => (quoted && typeof v !== 'number' && typeof v !== 'boolean' ? `'${String(v).replace(/'/g, "''")}'` : String(v))).join(', ');
}
