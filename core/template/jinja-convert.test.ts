import { describe, expect, it } from 'vitest';
import { convertJinja, macroSignature, splitMacros } from './jinja-convert.js';
import { parseTemplate } from './template-parser.js';

describe('convertJinja', () => {
  it("rewrites dbt's calls, blocks and comments as Handlebars that parses", () => {
    const source = [
      "{{ config(materialized='incremental', unique_key=['order_id', 'day']) }}",
      "select * from {{ ref('stg_orders') }} join {{ source('shop', 'customers') }} using (id)",
      '{#- why -#}',
      '{% if is_incremental() %}',
      'where updated_at > (select max(updated_at) from {{ this }})',
      "{% elif var('backfill') %}",
      "where day >= '{{ var(\"start\", \"2024-01-01\") }}'",
      '{% else %}',
      'where true',
      '{% endif %}',
      "{% for m in var('methods') -%}",
      "sum(case when method = '{{ m }}' then amount end) as {{ m }}_amount{% if not loop.last %},{% endif %}",
      '{%- endfor %}',
      '{% for c in var(\'cols\') %}{{ c }}{{ "," if not loop.last }}{% else %}none{% endfor %}',
      '',
    ].join('\n');
    const { text, rewritten, left } = convertJinja(source);
    expect(left).toEqual([]);
    expect(text).toBe(
      [
        '{{config materialized="incremental" unique_key="order_id,day"}}',
        'select * from {{ref "stg_orders"}} join {{source "shop" "customers"}} using (id)',
        '{{~!-- why --~}}',
        '{{#if (is_incremental)}}',
        'where updated_at > (select max(updated_at) from {{ this }})',
        '{{else if (var "backfill")}}',
        `where day >= '{{var "start" "2024-01-01"}}'`,
        '{{else}}',
        'where true',
        '{{/if}}',
        '{{#each (var "methods") as |m|~}}',
        "sum(case when method = '{{ m }}' then amount end) as {{ m }}_amount{{#unless @last}},{{/unless}}",
        '{{~/each}}',
        '{{#each (var "cols") as |c|}}{{ c }}{{#unless @last}},{{/unless}}{{else}}none{{/each}}',
        '',
      ].join('\n'),
    );
    expect(rewritten).toBe(17);
    expect(() => parseTemplate(text, 'x.sql')).not.toThrow();
  });

  it('leaves what has no one translation, each tag once with its line, and a block as a whole', () => {
    const source = [
      "{% set methods = var('m') | list %}",
      '{% for m in methods %}{{ m }}{% endfor %}',
      "{% if var('x') %}1{% elif target.name == 'prod' %}2{% else %}3{% endif %}",
      "{{ dbt_utils.star(ref('a')) }} {{ my_macro('a') }} {{ x | upper }} {{ ref('a') }}",
      "{% if var('y') %}{% if flag %}in{% endif %}{% endif %}",
      '',
    ].join('\n');
    const { text, left } = convertJinja(source);
    const start = (line: number, message: string) => [line, message.slice(0, 36)];
    expect(left.map((l) => start(l.line, l.message))).toEqual([
      start(1, "{% set methods = var('m') | list %} is a Jinja tag"),
      start(2, "{% for m in methods %} reads 'methods', "),
      start(2, '{% endfor %} belongs to the Jinja block '),
      start(3, "{% if var('x') %} stays Jinja with its b"),
      start(3, "{% elif target.name == 'prod' %} belongs"),
      start(3, '{% else %} belongs to the Jinja block of'),
      start(3, '{% endif %} belongs to the Jinja block of'),
      start(4, "{{ dbt_utils.star(ref('a')) }} is Jinja "),
      start(4, "{{ my_macro('a') }} is Jinja (dbt's templ"),
      start(4, "{{ x | upper }} is Jinja (dbt's template "),
      start(5, "{% if flag %} reads 'flag', which a Hand"),
      start(5, '{% endif %} belongs to the Jinja block of'),
    ]);
    expect(left[0].hint).toContain('vars: in project.yml');
    expect(convertJinja("{{ source('raw', 'AQPS_' ~ table_name) }}").left[0].hint).toMatch(/^source\(\) takes literal names in Strata/);
    expect(left[8].hint).toBe("'my_macro' is no macro of this project and no helper of Strata's: write the SQL, or a partial or JS helper in macros/");
    // What could be rewritten was, around what was left.
    expect(text.split('\n')[3]).toBe("{{ dbt_utils.star(ref('a')) }} {{ my_macro('a') }} {{ x | upper }} {{ref \"a\"}}");
    expect(text.split('\n')[4]).toBe('{{#if (var "y")}}{% if flag %}in{% endif %}{{/if}}');
  });

  it('writes a constant set once at the top into what reads it, and drops the set', () => {
    const source = [
      "{% set methods = ['card', 'coupon'] %}",
      "{% set since = '2024-01-01' %}",
      '{% set n = 3 %}',
      '{% for m in methods %}{{ m }}{% endfor %} {{ n }}',
      "where day >= '{{ since }}' and x = {{ var('k', since) }}",
      '{% for since in methods %}{{ since }}{% endfor %}',
      '',
    ].join('\n');
    const { text, left } = convertJinja(source);
    expect(left).toEqual([]);
    expect(text).toBe(
      [
        '{{#each (list "card" "coupon") as |m|}}{{ m }}{{/each}} 3',
        `where day >= '2024-01-01' and x = {{var "k" "2024-01-01"}}`,
        // A loop's variable of the same name is the loop's.
        '{{#each (list "card" "coupon") as |since|}}{{ since }}{{/each}}',
        '',
      ].join('\n'),
    );
    expect(() => parseTemplate(text, 'x.sql')).not.toThrow();
    // Set twice, or inside a block, or read before its set: left as Jinja.
    expect(convertJinja("{% set a = 'x' %}{% set a = 'y' %}{{ a }}").left).toHaveLength(2);
    expect(convertJinja("{% if var('b') %}{% set a = 'x' %}{% endif %}").left.length).toBeGreaterThan(0);
    expect(convertJinja("{% for m in a %}{% endfor %}{% set a = ['x'] %}").left.length).toBeGreaterThan(0);
  });

  it("turns a project macro's calls into partials with named arguments and the macro's defaults", () => {
    const macros = new Map([['cents_to_dollars', macroSignature("macro cents_to_dollars(column_name, scale=2, label='x')")!]]);
    const { text, left } = convertJinja("{{ cents_to_dollars('amount') }} {{ cents_to_dollars('fee', label='y') }} {{ cents_to_dollars('a', 4) }}", macros);
    expect(left).toEqual([]);
    expect(text).toBe('{{> cents_to_dollars column_name="amount" scale=2 label="x"}} {{> cents_to_dollars column_name="fee" scale=2 label="y"}} {{> cents_to_dollars column_name="a" scale=4 label="x"}}');
    // Inside a macro, its parameters may be read by a block.
    expect(convertJinja('{% for c in columns %}{{ c }}{% endfor %}', macros, ['columns']).text).toBe('{{#each columns as |c|}}{{ c }}{{/each}}');
  });

  it('leaves Handlebars and SQL that only looks like a tag alone', () => {
    const source = `{{ref "a"}} {{#if (is_incremental)}}x{{/if}} '{%' {{ this }} {{!-- c --}}`;
    expect(convertJinja(source)).toEqual({ text: source, rewritten: 0, left: [] });
  });
});

describe('splitMacros', () => {
  it("reads a macro file's macros with their parameters, bodies and lines", () => {
    const split = splitMacros("-- utils\n{% macro a(x) %}\n  {{ x }}\n{% endmacro %}\n\n{%- macro b(y='1', z=[1, 2]) -%}{{ y }}{%- endmacro -%}\n")!;
    expect(split.macros.map((m) => [m.signature, m.body, m.line, m.bodyLine])).toEqual([
      [{ name: 'a', params: [{ name: 'x' }] }, '  {{ x }}\n', 2, 3],
      [{ name: 'b', params: [{ name: 'y', default: "'1'" }, { name: 'z', default: '[1, 2]' }] }, '{{ y }}', 6, 6],
    ]);
    expect(split.rest.trim()).toBe('-- utils');
  });
});

describe("dbt's cross-database macros", () => {
  it("write dbt_utils' generate_surrogate_key as dbt_utils builds it", () => {
    expect(convertJinja("{{ dbt_utils.generate_surrogate_key(['id', 'sku']) }}").text).toBe(
      "md5(cast(coalesce(cast(id as varchar), '_dbt_utils_surrogate_key_null_') || '-' || coalesce(cast(sku as varchar), '_dbt_utils_surrogate_key_null_') as varchar))",
    );
    expect(convertJinja('{{ dbt_utils.generate_surrogate_key(cols) }}').left).toHaveLength(1);
  });

  it("write a date spine as DuckDB's range(), end excluded, in date_<datepart>", () => {
    const { text } = convertJinja(`with s as ({{ dbt_utils.date_spine(datepart="day", start_date="cast('2024-01-01' as date)", end_date="cast('2024-01-04' as date)") }}) select * from s`);
    expect(text).toBe("with s as (select range as date_day from range(cast(cast('2024-01-01' as date) as timestamp), cast(cast('2024-01-04' as date) as timestamp), interval 1 day)) select * from s");
    expect(convertJinja(`{{ dbt.date_spine('month', "date '2024-01-01'", "date '2025-01-01'") }}`).text).toBe("select range as date_month from range(cast(date '2024-01-01' as timestamp), cast(date '2025-01-01' as timestamp), interval 1 month)");
  });

  it('are written out as SQL, when their arguments are literal', () => {
    const { text, left } = convertJinja("select {{ dbt.date_trunc('day', 'ordered_at') }}, {{ dbt.datediff('a', 'b', 'day') }}, cast(x as {{ dbt.type_string() }}), {{ dbt.current_timestamp() }}, {{ dbt.safe_cast('amount', 'int') }}, {{ dbt.date_trunc('day', var('col')) }}");
    expect(text).toBe("select date_trunc('day', ordered_at), datediff('day', a, b), cast(x as varchar), current_timestamp, try_cast(amount as int), {{ dbt.date_trunc('day', var('col')) }}");
    expect(left.map((l) => l.hint)).toEqual([expect.stringContaining("Jinja's dbt object does not exist here")]);
  });
});
