import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { main } from '../cli/main.js';
import { writeFiles } from '../core/__fixtures__/temp-folder.js';

/** A throwaway project folder built from a map of relative path to file contents. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-'));
  writeFiles(dir, files);
  return dir;
}

export { writeFiles };

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface CliResult {
  code: number;
  output: string;
}

/** Runs the CLI in this process against a project folder and captures what it prints. */
export async function strata(dir: string, ...args: string[]): Promise<CliResult> {
  let output = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  const command = args[0];
  const code = await main([command, ...args.slice(1), '--project-dir', dir], sink);
  return { code, output };
}

/** A minimal project.yml. */
export function projectYml(extra = ''): string {
  return `name: shop\nversion: "1.0"\n${extra}`;
}

/**
 * A factory of throwaway projects (project.yml included unless given) that are removed
 * after each test of the calling file.
 */
export function tempProjects(defaults: Record<string, string> = { 'project.yml': projectYml() }): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterEach(() => {
    while (dirs.length) removeProject(dirs.pop()!);
  });
  return (files) => {
    const dir = makeProject({ ...defaults, ...files });
    dirs.push(dir);
    return dir;
  };
}
