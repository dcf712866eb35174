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

/** Bytes gathered before each write of writeFileAtomicPieces. */
const PIECES_BUFFER = 1 << 22;

/**
 * Like writeFileAtomic, for a text produced in pieces: they are encoded into one buffer of a
 * few MB, written whenever it is full (no joined strings; a piece too large for it goes alone).
 */
export function writeFileAtomicPieces(file: string, produce: (write: (piece: string) => void) => void, bufferSize = PIECES_BUFFER): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  const buffer = Buffer.allocUnsafe(bufferSize);
  let used = 0;
  const flush = () => {
    for (let done = 0; done < used; ) done += writeSync(fd, buffer, done, used - done);
    used = 0;
  };
  try {
    produce((piece) => {
      // At most 3 bytes of UTF-8 per UTF-16 unit, so a piece that passes this check fits whole.
      if (piece.length * 3 > bufferSize - used) {
        flush();
        if (piece.length * 3 > bufferSize) {
          writeSync(fd, piece);
          return;
        }
      }
      used += buffer.write(piece, used);
    });
    flush();
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
  // The manifest is written in some 90,000 pieces at 10,000 models: most hold no secret at all.
  for (const secret of secrets) if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('*****');
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
