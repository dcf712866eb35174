import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Version of the shapes of our artifacts; bump on any incompatible change. */
export const STRATA_SCHEMA_VERSION = 1;
/** The framework's version, stamped into every artifact. */
export const STRATA_VERSION = '0.1.0';

/** Writes a file atomically (temp file + rename), so a killed run never leaves half a JSON file. */
export function writeFileAtomic(file: string, contents: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, file);
}

/** Like writeFileAtomic, for a text produced in pieces: each is written as it comes. */
export function writeFileAtomicPieces(file: string, produce: (write: (piece: string) => void) => void): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    produce((piece) => {
      writeSync(fd, piece);
    });
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}

/** Replaces every secret with asterisks, so artifacts and logs never carry one. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('*****');
  return out;
}

/** The `metadata` block every artifact starts with: dbt's fields plus our own schema version. */
export function artifactMetadata(dbtSchema: string, invocationId: string, generatedAt = new Date()): Record<string, unknown> {
  return {
    dbt_schema_version: `https://schemas.getdbt.com/dbt/${dbtSchema}.json`,
    strata_schema_version: STRATA_SCHEMA_VERSION,
    dbt_version: STRATA_VERSION,
    strata_version: STRATA_VERSION,
    generated_at: generatedAt.toISOString(),
    invocation_id: invocationId,
    env: {},
  };
}
