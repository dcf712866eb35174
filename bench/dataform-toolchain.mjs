// The pinned Dataform CLI and core of bench/dataform/, installed from its lock file on first use.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOLCHAIN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dataform');
const CORE_DIR = path.join(TOOLCHAIN_DIR, 'node_modules', '@dataform', 'core');

/** Runs `npm ci` in bench/dataform if its node_modules is missing; returns the CLI's path. */
export function ensureDataformToolchain(log = (line) => process.stderr.write(`${line}\n`)) {
  const cli = dataformCliPath();
  if (!existsSync(cli) || !existsSync(CORE_DIR)) {
    log(`installing the pinned Dataform toolchain: npm ci --prefix ${path.relative(process.cwd(), TOOLCHAIN_DIR)}`);
    execFileSync('npm', ['ci', '--prefix', TOOLCHAIN_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit', timeout: 600_000 });
  }
  return cli;
}

export function dataformCliPath() {
  return path.join(TOOLCHAIN_DIR, 'node_modules', '@dataform', 'cli', 'bundle.js');
}

/** The exact versions pinned in bench/dataform/package.json. */
export function pinnedVersions() {
  const deps = JSON.parse(readFileSync(path.join(TOOLCHAIN_DIR, 'package.json'), 'utf8')).dependencies;
  return { cli: deps['@dataform/cli'], core: deps['@dataform/core'] };
}

/**
 * Puts @dataform/core into a generated project's node_modules, so `dataform compile` needs no
 * network. It is a copy, not a symlink: the CLI compiles inside a vm2 sandbox rooted at the
 * project folder, which refuses a module whose real path lies outside it ("Could not find NPM
 * dependencies"). Core has no dependencies of its own, so copying the one folder is enough.
 */
export function installDataformCore(projectDir) {
  const target = path.join(projectDir, 'node_modules', '@dataform', 'core');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(CORE_DIR, target, { recursive: true });
}
