import { newLoadId, type LakeFormat, type LoadManifest } from '../../../core/lake/lake-layout.js';
import type { LakeStorage } from '../../../core/lake/lake-storage.js';
import { LakeWriter } from '../../../core/lake/lake-writer.js';
import type { PartEncoder } from '../../../core/lake/part-encoders.js';
import type { LoadWindow } from './calendar.js';
import { stream } from './prng.js';
import { TABLES, type TableSpec } from './tables.js';
import type { World } from './world.js';

/**
 * Lands the generator's loads through the one lake writer, and reads back which loads the lake
 * already holds. The manifest's state says which generator run a load belongs to.
 */

/** What a load's manifest `state.generator` records. */
export interface GeneratorState {
  seed: number;
  scale: number;
  day: number;
  load: string;
}

/** The generator loads a lake holds, per `source.table`: their window names and generator states. */
export async function landedLoads(storage: LakeStorage): Promise<Map<string, GeneratorState[]>> {
  const writer = new LakeWriter(storage);
  const out = new Map<string, GeneratorState[]>();
  for (const t of TABLES) {
    const loads = await writer.committedLoads(t.source, t.table);
    out.set(`${t.source}.${t.table}`, loads.map((l) => (l.state as { generator?: GeneratorState }).generator).filter((g): g is GeneratorState => g !== undefined));
  }
  return out;
}

/** Deletes everything the generator writes: its four sources' folders and the ground truth. */
export async function clearGeneratorData(storage: LakeStorage): Promise<void> {
  const sources = [...new Set(TABLES.map((t) => t.source))];
  for (const prefix of [...sources.map((s) => `raw/${s}/`), 'ground_truth/']) {
    for (const key of await storage.list(prefix)) await storage.delete(key);
  }
}

/**
 * Lands `windows` of every table, skipping a table's windows it already holds (a run killed
 * halfway through a day left some tables with that day's load); returns the rows landed per `source.table`.
 */
export async function landLoads(world: World, storage: LakeStorage, windows: LoadWindow[], encoderFor: (format: LakeFormat) => PartEncoder, held: Map<string, GeneratorState[]> = new Map(), onTable?: (table: string, rows: number) => void): Promise<Map<string, number>> {
  const writer = new LakeWriter(storage);
  const counts = new Map<string, number>();
  // Two lanes: while DuckDB writes one table's Parquet part, JS generates the other's rows.
  const queue = [...TABLES];
  const lane = async () => {
    const encoders = new Map<LakeFormat, PartEncoder>();
    const encoder = (format: LakeFormat) => encoders.get(format) ?? encoders.set(format, encoderFor(format)).get(format)!;
    try {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        let rows = 0;
        const landed = new Set((held.get(`${spec.source}.${spec.table}`) ?? []).map((g) => g.load));
        for (const window of windows) if (!landed.has(window.name)) rows += (await landLoad(writer, world, spec, window, encoder(spec.format))).rows;
        counts.set(`${spec.source}.${spec.table}`, rows);
        onTable?.(`${spec.source}.${spec.table}`, rows);
      }
    } finally {
      await Promise.all([...encoders.values()].map((e) => e.close?.()));
    }
  };
  await Promise.all([lane(), lane()]);
  return new Map(TABLES.map((t) => [`${t.source}.${t.table}`, counts.get(`${t.source}.${t.table}`) ?? 0]));
}

function landLoad(writer: LakeWriter, world: World, spec: TableSpec, window: LoadWindow, encoder: PartEncoder): Promise<LoadManifest> {
  const loadedAt = new Date(window.loadedAt);
  const random = stream(world.seed, 'load-id', spec.source, spec.table, window.name);
  const generator: GeneratorState = { seed: world.seed, scale: world.scale, day: window.day, load: window.name };
  return writer.writeLoad({
    source: spec.source,
    table: spec.table,
    rows: spec.rows(world, window),
    encoder,
    schema: spec.schema,
    system: spec.system,
    disposition: spec.disposition,
    primaryKey: spec.primaryKey,
    cursorField: spec.cursorField,
    state: (cursor) => ({ generator, ...(cursor ? { cursor: cursor.max } : {}) }),
    ...(spec.fileSource ? { sourceFile: `${spec.table === 'inventory_snapshots' ? 'inventory' : 'settlements'}/` } : {}),
    loadedAt,
    loadId: newLoadId(loadedAt, () => random.next()),
    maxRowsPerPart: 100_000,
  });
}
