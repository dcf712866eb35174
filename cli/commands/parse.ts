import type { Session } from '../session.js';
import { writeManifest } from '../session.js';

/** `parse`: reads every project file and writes target/manifest.json. */
export async function runParse(session: Session): Promise<number> {
  const { project, logger } = session;
  writeManifest(session);
  const count = (type: string) => [...project.nodes.values()].filter((n) => n.resource_type === type).length;
  // Time since the process started: what a user waits for, start-up included.
  const seconds = (performance.now() / 1000).toFixed(2);
  const some = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  logger.info(`Parsed ${some(count('model'), 'model')}, ${some(count('seed'), 'seed')}, ${some(project.sources.size, 'source')}, ${some(project.exposures.size, 'exposure')}, ${some(project.macros.nodes.size, 'macro')} in ${seconds}s`, 'parsed', {
    models: count('model'),
    seeds: count('seed'),
    sources: project.sources.size,
    exposures: project.exposures.size,
    macros: project.macros.nodes.size,
  });
  return 0;
}
