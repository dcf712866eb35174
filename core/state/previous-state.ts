import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { STRATA_SCHEMA_VERSION } from '../artifacts/artifact-metadata.js';
import { UserError } from '../errors/user-error.js';
import type { ManifestLike } from './compare-manifests.js';

/** run_results.json as state selection and retry read it. */
export interface RunResultsLike {
  results: { unique_id: string; status: string }[];
  args?: Record<string, unknown>;
}

/** sources.json as `source_status:` reads it. */
export interface SourcesLike {
  results: { unique_id: string; status: string; max_loaded_at?: string | null }[];
}

/** The artifacts of a previous run (production's, usually) that --state points at. */
export interface PreviousState {
  /** The folder as given, for messages. */
  dir: string;
  manifest: ManifestLike;
  runResults?: RunResultsLike;
  sources?: SourcesLike;
}

const STATE_HINT = "point --state at the folder holding the previous run's artifacts (its target/ folder, or production's artifacts downloaded in CI)";

/** Reads manifest.json (required), run_results.json and sources.json (optional) from a --state folder. */
export function readPreviousState(dir: string, cwd = process.cwd()): PreviousState {
  const full = path.resolve(cwd, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) throw new UserError(`--state ${dir}: no such folder`, { hint: STATE_HINT });
  const manifestFile = path.join(full, 'manifest.json');
  if (!existsSync(manifestFile)) throw new UserError(`--state ${dir} holds no manifest.json`, { hint: STATE_HINT });
  const manifest = readArtifact<ManifestLike>(manifestFile, dir);
  if (!manifest || typeof manifest !== 'object' || typeof manifest.nodes !== 'object' || typeof manifest.metadata !== 'object') {
    throw new UserError(`${path.join(dir, 'manifest.json')} is not a manifest (no 'metadata' and 'nodes')`, { file: path.join(dir, 'manifest.json'), hint: STATE_HINT });
  }
  const version = manifest.metadata.strata_schema_version;
  if (typeof version === 'number' && version > STRATA_SCHEMA_VERSION) {
    throw new UserError(`${path.join(dir, 'manifest.json')} was written by a newer Strata (artifact schema ${version}; this one reads up to ${STRATA_SCHEMA_VERSION})`, {
      hint: 'upgrade Strata here, or compare with artifacts written by this version',
    });
  }
  const optional = <T>(name: string): T | undefined => {
    const file = path.join(full, name);
    return existsSync(file) ? readArtifact<T>(file, dir) : undefined;
  };
  return { dir, manifest, runResults: optional<RunResultsLike>('run_results.json'), sources: optional<SourcesLike>('sources.json') };
}

/** Reads target/sources.json of the current project, if `strata source freshness` wrote one. */
export function readCurrentSources(targetDir: string): SourcesLike | undefined {
  const file = path.join(targetDir, 'sources.json');
  return existsSync(file) ? readArtifact<SourcesLike>(file, path.basename(targetDir)) : undefined;
}

function readArtifact<T>(file: string, shownDir: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    const shown = path.join(shownDir, path.basename(file));
    throw new UserError(`${shown} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { file: shown, hint: 'download the artifact again; a partial download leaves a truncated file' });
  }
}
