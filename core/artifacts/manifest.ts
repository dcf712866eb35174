import type { Project } from '../project/load-project.js';
import { varChecksums } from '../state/var-checksums.js';
import { adjacency } from '../graph/dag.js';
import { artifactMetadata } from './artifact-metadata.js';

export interface ManifestInput {
  invocationId: string;
  adapterType: string;
  generatedAt?: Date;
  /** Where the target's database lives (a DuckDB file), for deferral. */
  databaseLocation?: { database: string; path: string } | null;
}

/** A large section of the manifest, kept as entries so that it can be written without building the object. */
class Entries {
  constructor(readonly list: () => Iterable<[string, unknown]>) {}
}

/** The manifest's top-level keys in order, the large sections as entries. */
function manifestParts(project: Project, input: ManifestInput): [string, unknown][] {
  // Our private fields are non-enumerable (see setPrivate), so nodes go in as they are.
  const ofType = (unitTests: boolean) =>
    new Entries(function* () {
      // dbt keeps unit tests in a section of their own.
      for (const entry of project.nodes) if ((entry[1].resource_type === 'unit_test') === unitTests) yield entry;
    });
  let maps: ReturnType<typeof adjacency> | undefined;
  const adjacent = () => (maps ??= adjacency(project.all));
  return [
    [
      'metadata',
      {
        ...artifactMetadata('manifest/v12', input.invocationId, input.generatedAt),
        project_name: project.file.name,
        adapter_type: input.adapterType,
        // Ours: what state comparison and deferral need from a previous run (values of vars are not written).
        var_checksums: varChecksums(project.vars),
        ...(input.databaseLocation ? { database_location: input.databaseLocation } : {}),
      },
    ],
    ['nodes', ofType(false)],
    ['sources', new Entries(() => project.sources)],
    ['macros', new Entries(() => project.macros.nodes)],
    ['docs', new Entries(() => project.docs)],
    ['exposures', new Entries(() => project.exposures)],
    ['metrics', {}],
    ['groups', {}],
    ['selectors', {}],
    ['disabled', new Entries(function* () {
      for (const [id, node] of project.disabled) yield [id, [node]];
    })],
    ['parent_map', new Entries(() => adjacent().parents)],
    ['child_map', new Entries(() => adjacent().children)],
    ['group_map', {}],
    ['saved_queries', {}],
    ['semantic_models', {}],
    ['unit_tests', ofType(true)],
  ];
}

/** target/manifest.json in dbt's shape (v12), stamped with our own schema version. */
export function manifestArtifact(project: Project, input: ManifestInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of manifestParts(project, input)) out[key] = value instanceof Entries ? Object.fromEntries(value.list()) : value;
  return out;
}

/**
 * The text of `JSON.stringify(manifestArtifact(...))`, handed to `write` in pieces that end
 * between entries or after a section's opening brace (so a secret is never cut in two), without
 * building the big objects or the whole text. Each piece is the stringify of an object holding a
 * batch of `batchSize` entries, its braces sliced off: one flat string per batch, where joining
 * per-entry texts made ropes that cost as much to flatten as to encode (a quarter of a second at
 * 10,000 models). The writer behind `write` is expected to buffer (writeFileAtomicPieces does):
 * joining everything here first would copy 45 MB once more.
 */
export function writeManifestJson(project: Project, input: ManifestInput, write: (piece: string) => void, batchSize = 64): void {
  let separator = '{';
  for (const [key, value] of manifestParts(project, input)) {
    if (!(value instanceof Entries)) {
      write(`${separator}${JSON.stringify(key)}:${JSON.stringify(value)}`);
    } else {
      write(`${separator}${JSON.stringify(key)}:{`);
      let comma = '';
      let batch: Record<string, unknown> = {};
      let count = 0;
      const flush = () => {
        // As in JSON.stringify of an object: a key whose value has no JSON form is left out ('{}' then).
        const text = JSON.stringify(batch);
        if (text.length > 2) {
          if (comma) write(comma);
          write(text.slice(1, -1));
          comma = ',';
        }
        batch = {};
        count = 0;
      };
      for (const [id, entry] of value.list()) {
        batch[id] = entry;
        if (++count === batchSize) flush();
      }
      flush();
      write('}');
    }
    separator = ',';
  }
  write('}');
}
