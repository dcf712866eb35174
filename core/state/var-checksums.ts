import { createHash } from 'node:crypto';
import { stableJson } from './compare-manifests.js';

/**
 * A checksum of each var's value (project vars with --vars on top), recorded in the manifest
 * so a later run can tell which vars changed without the values themselves being written out.
 */
export function varChecksums(vars: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) out[name] = createHash('sha256').update(stableJson(value)).digest('hex');
  return out;
}
