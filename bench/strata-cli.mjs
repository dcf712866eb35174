// Finds the built Strata CLI (dist/, from `npm run build`) and checks which commands it has.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The entry script to run with node: $STRATA_CLI if set, else the package's `bin`
 * (dist/cli/bin.js), which calls main(); dist/cli/main.js itself only exports main().
 * Returns undefined when it is not built.
 */
export function strataCliPath() {
  if (process.env.STRATA_CLI) return path.resolve(process.env.STRATA_CLI);
  const bin = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).bin?.strata;
  for (const candidate of [bin, 'dist/cli/bin.js', 'dist/cli/main.js'].filter(Boolean)) {
    const file = path.join(REPO_ROOT, candidate);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Undefined when `strata <command> --help` works; otherwise why not, in one line. */
export function strataCommandUnavailable(command) {
  const cli = strataCliPath();
  if (!cli || !existsSync(cli)) return `the Strata CLI is not built (no ${cli ?? 'dist/cli/bin.js'}): run \`npm ci && npm run build\` first`;
  const result = spawnSync(process.execPath, [cli, command, '--help'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0 || !result.stdout.includes(command)) {
    const lines = (result.stderr || result.stdout || `exit ${result.status}`).trim().split('\n');
    const why = lines.find((line) => /error/i.test(line)) ?? lines[0];
    return `\`strata ${command} --help\` does not work yet (${why})`;
  }
  return undefined;
}
