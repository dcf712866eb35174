import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../core/errors/user-error.js';
import type { LakeFormat } from '../../../core/lake/lake-layout.js';
import { LocalLakeStorage } from '../../../core/lake/local-lake-storage.js';
import type { PartEncoder } from '../../../core/lake/part-encoders.js';
import { loadWindows } from './calendar.js';
import { exchangeRatesCsv } from './exchange-rates.js';
import { computeGroundTruth, type GroundTruth } from './ground-truth.js';
import { clearGeneratorData, landedLoads, landLoads } from './lake-loads.js';
import { TABLES } from './tables.js';
import { simulateWorld } from './world.js';

/** What `strata generate` is asked to do. */
export interface GenerateShopOptions {
  /** The lake root folder (the project's `lake-path`). */
  lakeRoot: string;
  /** Where `exchange_rates.csv` goes when it is missing (the project's first seed path). */
  seedsDir?: string;
  /** A new encoder for parts of a format (the CLI passes DuckDB's Parquet appender). */
  encoderFor: (format: LakeFormat) => PartEncoder;
  /** Omitted: the seed the lake's generated loads have when continuing them (--if-missing, a later --day), else 42. */
  seed?: number;
  /** Omitted: the scale the lake's generated loads have when continuing them, else 1. */
  scale?: number;
  day: number;
  ifMissing: boolean;
  log?: (line: string) => void;
}

export interface GenerateShopResult {
  /** Nothing was written: --if-missing and the lake already holds this seed and scale. */
  skipped: boolean;
  /** Rows landed by this run, per `source.table`. */
  rows: Map<string, number>;
  loads: string[];
  groundTruth?: GroundTruth;
  seconds: number;
}

export const GROUND_TRUTH_FOLDER = 'ground_truth';

/** Simulates the shop and lands the loads the lake lacks, then rewrites the ground truth. */
export async function generateShop(options: GenerateShopOptions): Promise<GenerateShopResult> {
  const started = performance.now();
  const { day } = options;
  const storage = new LocalLakeStorage(options.lakeRoot);
  const byTable = await landedLoads(storage);
  const landed = [...byTable.values()];
  // Continuing (--if-missing, or a later day) without --seed/--scale carries on with what the lake holds.
  const held = continuing(options) ? heldSeedAndScale(landed) : undefined;
  const seed = options.seed ?? held?.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? held?.scale ?? DEFAULT_SCALE;
  checkNumber('--seed', seed, Number.isInteger(seed) && seed >= 0, 'a whole number >= 0, e.g. --seed 42');
  checkNumber('--scale', scale, scale > 0 && scale <= 1000, 'a number above 0, e.g. --scale 1 (10,000 customers) or --scale 0.1');
  checkNumber('--day', day, Number.isInteger(day) && day >= 1 && day <= 365, 'a whole number from 1 to 365 (the exchange-rate seed covers a year after the history)');
  const log = options.log ?? (() => {});
  if (options.seedsDir && !existsSync(path.join(options.seedsDir, 'exchange_rates.csv'))) {
    mkdirSync(options.seedsDir, { recursive: true });
    writeFileSync(path.join(options.seedsDir, 'exchange_rates.csv'), exchangeRatesCsv());
    log(`Wrote ${path.join(options.seedsDir, 'exchange_rates.csv')}`);
  }

  const mine = landed.every((loads) => loads.length > 0 && loads.every((g) => g.seed === seed && g.scale === scale));
  if (options.ifMissing && mine) {
    log(`The lake already holds generated loads for seed ${seed} and scale ${scale}: nothing to do.`);
    return { skipped: true, rows: new Map(), loads: [], seconds: (performance.now() - started) / 1000 };
  }
  const heldDay = mine ? Math.max(...landed.flat().map((g) => g.day)) : 0;
  const fresh = !mine || (day === 1 && !options.ifMissing);
  if (!fresh && heldDay > day) {
    throw new UserError(`the lake already holds day ${heldDay} of seed ${seed} and scale ${scale}; cannot go back to day ${day}`, { hint: `run 'strata generate --day ${heldDay + 1}' to add a day, or 'strata generate' to start again from day 1` });
  }
  if (fresh) {
    await clearGeneratorData(storage);
    byTable.clear();
  }
  // The windows some table still lacks; each table lands only the ones it lacks.
  const windows = loadWindows(day).filter((w) => TABLES.some((t) => !(byTable.get(`${t.source}.${t.table}`) ?? []).some((g) => g.load === w.name)));
  log(`Simulating the shop (seed ${seed}, scale ${scale}, day ${day})...`);
  const world = simulateWorld(seed, scale, day);
  log(`Landing ${windows.length} load${windows.length === 1 ? '' : 's'} per table into ${storage.root}/raw`);
  const rows = await landLoads(world, storage, windows, options.encoderFor, byTable, (table, n) => log(`  ${table.padEnd(36)} ${n.toLocaleString('en-US').padStart(10)} rows`));
  const groundTruth = computeGroundTruth(world);
  for (const [name, value] of Object.entries(groundTruth)) {
    await storage.put(`${GROUND_TRUTH_FOLDER}/${name}.json`, Buffer.from(`${JSON.stringify(value, null, 1)}\n`));
  }
  const seconds = (performance.now() - started) / 1000;
  log(`Wrote the ground truth to ${path.join(storage.root, GROUND_TRUTH_FOLDER)} (${seconds.toFixed(1)} s)`);
  return { skipped: false, rows, loads: windows.map((w) => w.name), groundTruth, seconds };
}

const DEFAULT_SEED = 42;
const DEFAULT_SCALE = 1;

function continuing(options: GenerateShopOptions): boolean {
  return options.ifMissing || options.day > 1;
}

/** The seed and scale every generated load in the lake shares, if it holds any and they agree. */
function heldSeedAndScale(landed: { seed: number; scale: number }[][]): { seed: number; scale: number } | undefined {
  const all = landed.flat();
  if (all.length === 0) return undefined;
  const [first] = all;
  return all.every((g) => g.seed === first.seed && g.scale === first.scale) ? { seed: first.seed, scale: first.scale } : undefined;
}

function checkNumber(flag: string, value: number, ok: boolean, hint: string): void {
  if (!Number.isFinite(value) || !ok) throw new UserError(`${flag} must be ${hint.split(',')[0]}, got ${value}`, { hint });
}
