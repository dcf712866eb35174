// What `{{var}}` and `{{env}}` resolve to, for model templates (the compiler) and for the
// templated values of property files (parse time) alike: one lookup, one set of messages.
import { didYouMean } from '../errors/did-you-mean.js';
import type { UserError } from '../errors/user-error.js';
import { SECRET_ENV_PREFIX } from './profiles.js';

/** Builds the error for a mistake at the call being rendered (its file and line). */
export type CallError = (message: string, hint?: string) => UserError;

/** `{{var "name"}}` or `{{var "name" "default"}}`: `args` are the call's arguments without its options. */
export function varValue(args: readonly unknown[], vars: Record<string, unknown>, fail: CallError): unknown {
  const name = String(args[0]);
  if (name in vars) return vars[name];
  if (args.length > 1) return args[1];
  throw fail(`required var '${name}' is not set`, didYouMean(name, Object.keys(vars)) || `set it under vars: in project.yml, pass --vars '{${name}: ...}', or give a default: {{var "${name}" "default"}}`);
}

/**
 * `{{env "NAME"}}` or `{{env "NAME" "default"}}`. A secret (STRATA_ENV_SECRET_*) is refused:
 * `secretHint` says where the value would have been written.
 */
export function envValue(args: readonly unknown[], env: Record<string, string | undefined>, fail: CallError, secretHint: string): unknown {
  const name = String(args[0]);
  if (name.startsWith(SECRET_ENV_PREFIX)) throw fail(`${name} is a secret and may only be used in profiles.yml`, secretHint);
  const value = env[name];
  if (value !== undefined) return value;
  if (args.length > 1) return args[1];
  throw fail(`environment variable ${name} is not set`, `export ${name}=..., or give a default: {{env "${name}" "value"}}`);
}
