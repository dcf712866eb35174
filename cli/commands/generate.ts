import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import { readProjectFile } from '../../core/project/project-file.js';
import { loadShopGenerator } from '../generator-registry.js';
import type { Logger } from '../output/logger.js';

/** Options of `strata generate`. */
export interface GenerateOptions {
  projectDir?: string;
  scale?: string;
  seed?: string;
  day?: string;
  ifMissing?: boolean;
  writeRatesSeed?: boolean;
}

/** `generate`: lands the synthetic shop's raw data in the project's lake (see adapters/sources/shop-generator). */
export async function runGenerate(options: GenerateOptions, logger: Logger): Promise<number> {
  const root = path.resolve(options.projectDir ?? process.cwd());
  const project = readProjectFile(root);
  const lakeRoot = path.resolve(root, project.lakePath);
  const { generateShop, exchangeRatesCsv, encoderFor } = await loadShopGenerator();
  if (options.writeRatesSeed) {
    const file = path.resolve(root, project.seedPaths[0] ?? 'seeds', 'exchange_rates.csv');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, exchangeRatesCsv());
    logger.info(`Wrote ${path.relative(root, file)}`, 'generate');
    return 0;
  }
  const result = await generateShop({
    lakeRoot,
    encoderFor,
    seedsDir: path.resolve(root, project.seedPaths[0] ?? 'seeds'),
    seed: number('--seed', options.seed),
    scale: number('--scale', options.scale),
    day: number('--day', options.day) ?? 1,
    ifMissing: Boolean(options.ifMissing),
    log: (line) => logger.info(line, 'generate'),
  });
  if (!result.skipped) {
    const total = [...result.rows.values()].reduce((sum, n) => sum + n, 0);
    logger.info(`Generated ${total.toLocaleString('en-US')} rows in ${result.loads.length} load${result.loads.length === 1 ? '' : 's'} per table in ${result.seconds.toFixed(1)}s`, 'generated', { rows: total });
  }
  return 0;
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UserError(`${flag} must be a number, got '${text}'`, { hint: `e.g. ${flag} 1` });
  return value;
}
