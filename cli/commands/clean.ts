import { rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import { readProjectFile } from '../../core/project/project-file.js';
import type { Logger } from '../output/logger.js';

/** `clean`: deletes the project's clean-targets (target/ by default), never anything outside the project. */
export async function runClean(projectDir: string | undefined, logger: Logger): Promise<number> {
  const root = path.resolve(projectDir ?? process.cwd());
  const project = readProjectFile(root);
  for (const target of project.cleanTargets) {
    const full = path.resolve(root, target);
    if (full === root || !full.startsWith(root + path.sep)) {
      throw new UserError(`clean-targets entry '${target}' is not inside the project`, { file: project.yaml.file, hint: 'list folders such as target or logs' });
    }
    rmSync(full, { recursive: true, force: true });
    logger.info(`Cleaned ${target}/`);
  }
  return 0;
}
