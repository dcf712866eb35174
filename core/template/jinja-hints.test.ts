import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { findJinjaTag, jinjaExpressionHint } from './jinja-hints.js';
import { parseTemplate } from './template-parser.js';

function parseError(source: string): UserError {
  try {
    parseTemplate(source, 'models/m.sql');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected an error in ${JSON.stringify(source)}`);
}

const hintOf = (tag: string) => jinjaExpressionHint(tag, 0)?.hint;

describe('Jinja calls in {{ }} tags', () => {
  it.each([
    ["{{ ref('stg_orders') }}", 'write {{ref "stg_orders"}}'],
    ['{{ ref("stg_orders") }}', 'write {{ref "stg_orders"}}'],
    ["{{ source('shop', 'orders') }}", 'write {{source "shop" "orders"}}'],
    ["{{ config(materialized='incremental', unique_key=['order_id', 'line']) }}", 'write {{config materialized="incremental" unique_key="order_id,line"}}'],
    ["{{ var('start_date', '2024-01-01') }}", 'write {{var "start_date" "2024-01-01"}}'],
    ["{{- env_var('REGION') -}}", 'write {{env_var "REGION"}}'],
    ['{{ is_incremental() }}', 'write {{is_incremental}}'],
    ["{{ cents(ref('x'), scale=2, exact=True) }}", 'write {{cents (ref "x") scale=2 exact=true}}'],
    ["{{ var(\"quote'd\") }}", `write {{var "quote'd"}}`],
  ])('%s: %s', (tag, hint) => {
    expect(hintOf(tag)).toBe(hint);
  });

  it("points dbt packages' macros and Jinja's objects to macros/", () => {
    expect(hintOf("{{ dbt_utils.star(ref('x')) }}")).toMatch(/macros of dbt packages \(dbt_utils\) are not available/);
    expect(hintOf("{{ adapter.quote('x') }}")).toMatch(/Jinja's adapter object does not exist here/);
  });

  it('explains the form of a call it cannot translate', () => {
    expect(hintOf("{{ ref('a') ~ '_suffix' }}")).toMatch(/without parentheses or commas/);
    expect(hintOf('{{ name | upper }}')).toMatch(/without parentheses or commas/);
  });

  it('says nothing of a tag that is not Jinja', () => {
    expect(jinjaExpressionHint('{{ref "x" =}}', 0)).toBeUndefined();
    expect(jinjaExpressionHint('{{#if}}', 0)).toBeUndefined();
    expect(jinjaExpressionHint('{{foo (bar 1}}', 0)).toBeUndefined();
    expect(jinjaExpressionHint('{{~foo =}}', 0)).toBeUndefined();
    expect(jinjaExpressionHint('{{#each xs as |x y}}', 0)).toBeUndefined();
  });

  it('is the parse error, on the line of the tag', () => {
    const error = parseError("select *\nfrom {{ ref('stg_orders') }}\n");
    expect(error.line).toBe(2);
    expect(error.message).toBe("{{ ref('stg_orders') }} is Jinja (dbt's template syntax); Strata's templates are Handlebars");
    // A parse names the command that rewrites every file; the hint itself stays as the converter lists it.
    expect(error.hint).toBe('write {{ref "stg_orders"}} (strata convert rewrites a dbt project\'s Jinja in one go)');
  });
});

describe('Jinja statements and comments in the text', () => {
  it.each([
    ['{% if is_incremental() %}', 'write {{#if (is_incremental)}} ... {{/if}}'],
    ["{%- if var('full', false) -%}", 'write {{#if (var "full" false)}} ... {{/if}}'],
    ['{% if not flag %}', 'write {{#unless flag}} ... {{/unless}}'],
    ['{% elif is_incremental() %}', 'write {{else if (is_incremental)}}'],
    ['{% else %}', 'write {{else}}'],
    ['{% endif %}', 'write {{/if}}'],
    ["{% for c in var('cols') %}", 'write {{#each (var "cols") as |c|}} ... {{/each}}'],
    ['{% endfor %}', 'write {{/each}}'],
    ['{% macro cents(col) %}', 'a macro is a partial, macros/cents.sql used as {{> cents arg="..."}}, or a JS helper in macros/*.js used as {{cents ...}}'],
    ["{% snapshot orders_snapshot %}", 'a snapshot is the select alone in snapshots/<name>.sql, with {{config unique_key="id" strategy="timestamp" updated_at="updated_at"}} at its top, or declared in YAML as in dbt 1.9 (relation: ref(\'x\') and a config)'],
    ['{# old filter #}', 'write {{!-- old filter --}}'],
    ['{#- trimmed -#}', 'write {{~!-- trimmed --~}}'],
  ])('%s: %s', (tag, hint) => {
    expect(findJinjaTag(`select 1 ${tag} x`)?.hint).toBe(hint);
  });

  it("falls back to a general hint for a condition it cannot translate, and for Jinja's other tags", () => {
    expect(findJinjaTag("{% if target.name == 'prod' %}")?.hint).toMatch(/comparisons go into a JS helper/);
    expect(findJinjaTag('{% set cols = ["a"] %}')?.hint).toMatch(/templates have no variables/);
    expect(findJinjaTag('{% raw %}')?.hint).toMatch(/Handlebars has blocks/);
    expect(findJinjaTag('{% macro generate_schema_name(custom_schema_name, node) -%}')?.hint).toMatch(/macros\/generate_schema_name\.js exporting function generate_schema_name\(custom_schema_name, \{ node, target \}\)/);
  });

  it('leaves SQL alone that merely holds a brace and a percent sign', () => {
    expect(findJinjaTag("select '{%' as a, '%}' as b, x like '{%d}' from t")).toBeUndefined();
    expect(findJinjaTag("select '{#' || '{%s' from t where s ~ '[{]#'")).toBeUndefined();
    expect(findJinjaTag("select '{%' from t", 0, 5)).toBeUndefined();
  });

  it('is the parse error, on the line of the tag, also inside a block', () => {
    const error = parseError('select *\nfrom t\n{{#if x}}\n  {% if is_incremental() %}\n{{/if}}\n');
    expect(error.line).toBe(4);
    expect(error.message).toBe("{% if is_incremental() %} is a Jinja tag (dbt's template syntax); Strata's templates are Handlebars");
    expect(error.hint).toContain('strata convert');
    expect(parseError('a\\{{escaped}} {{x}}\n{# note #}').line).toBe(2);
  });

  it('does not look inside Handlebars comments or escaped tags', () => {
    expect(() => parseTemplate('{{!-- {% if x %} --}}select 1', 'm.sql')).not.toThrow();
    expect(() => parseTemplate('\\{{ {% if x %} }}', 'm.sql')).not.toThrow();
  });
});
