import { createHash } from 'node:crypto';
import { SECRET_NAME } from '../project/profiles.js';
import { stableJson } from './compare-manifests.js';

/**
 * A checksum of each var's value (project vars with --vars on top), recorded in the manifest
 * so a later run can tell which vars changed without the values themselves being written out.
 * Vars named like secrets (`api_token`...) get no checksum: a short secret could be guessed
 * from its hash, so a change of one is not seen.
 */
export function varChecksums(vars: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    out[name] = SECRET_NAME.test(name) ? 'secret' : createHash('sha256').update(stableJson(value)).digest('hex');
  }
  return out;
}

/** Whether --vars text names a var like a secret, so it must not be written to run_results.json. */
export function varsLookSecret(vars: Record<string, unknown>): boolean {
  return Object.keys(vars).some((name) => SECRET_NAME.test(name));
}
