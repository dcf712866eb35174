// dbt renders templated values of property files at parse time: a source's
// `schema: "{{ env_var('RAW_SCHEMA', 'raw') }}"` names the schema, not those characters. Strata
// does the same for where a source lives, in Handlebars or in dbt's Jinja call form.
import { UserError } from '../errors/user-error.js';
import type { SourceNode } from '../manifest/nodes.js';
import { jinjaToHandlebars } from '../template/jinja-hints.js';
import { renderTemplate, type Helper } from '../template/render-template.js';
import { parseTemplate } from '../template/template-parser.js';
import type { TargetNaming } from './load-project.js';
import type { PropertyFile } from './property-files.js';
import { envValue, varValue } from './vars-and-env.js';

/** What a templated YAML value may read: vars, the environment and the target. */
export interface YamlTemplateContext {
  vars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  naming: TargetNaming;
}

const TAG = /\{\{-?([\s\S]*?)-?\}\}/g;

/** Renders the templated `database`, `schema` and `identifier` of every source table declared in the files. */
export function renderSourceLocations(files: readonly PropertyFile[], ctx: YamlTemplateContext): void {
  for (const properties of files) {
    for (const source of properties.sources) {
      for (const key of ['database', 'schema', 'identifier'] as const) {
        const value = source[key];
        if (typeof value === 'string' && value.includes('{{')) (source as SourceNode & Record<typeof key, string>)[key] = renderYamlValue(value, ctx, properties);
      }
    }
  }
}

/** A YAML value with its `{{ }}` tags rendered; a mistake names the value's line in the file. */
export function renderYamlValue(value: string, ctx: YamlTemplateContext, properties: Pick<PropertyFile, 'yaml'>): string {
  const { yaml } = properties;
  const line = yaml.lineOfText(value);
  const fail = (message: string, hint?: string) => new UserError(message, { file: yaml.file, line, hint });
  // dbt's form (`var('x', 'd')`) becomes the Handlebars call it stands for; Handlebars is left as it is.
  const source = value.replace(TAG, (tag, inner: string) => {
    const written = /^\s*[\w.]+\(/.test(inner) ? jinjaToHandlebars(inner) : undefined;
    return written === undefined ? tag : `{{${written}}}`;
  });
  const secretHint = 'a relation name is written to the manifest';
  const env: Helper = (...args: unknown[]) => envValue(args.slice(0, -1), ctx.env, fail, secretHint);
  const helpers: Record<string, Helper> = { var: (...args: unknown[]) => varValue(args.slice(0, -1), ctx.vars, fail), env, env_var: env };
  const target = { name: ctx.naming.targetName ?? null, type: ctx.naming.adapterType, schema: ctx.naming.defaultSchema, database: ctx.naming.defaultDatabase };
  try {
    return renderTemplate(parseTemplate(source, yaml.file), { target }, { helpers, partials: {} }).trim();
  } catch (error) {
    if (error instanceof UserError && error.file === yaml.file && error.line !== line) throw fail(error.message, error.hint);
    throw error;
  }
}
