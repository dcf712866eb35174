import type { Session } from '../session.js';
import { writeManifest } from '../session.js';

/** `parse`: reads every project file and writes target/manifest.json. */
export async function runParse(session: Session): Promise<number> {
  const { project, logger } = session;
  writeManifest(session);
  const count = (type: string) => [...project.nodes.values()].filter((n) => n.resource_type === type).length;
  // Time since the process started: what a user waits for, start-up included.
  const seconds = (performance.now() / 1000).toFixed(2);
  logger.info(`Parsed ${count('model')} models, ${count('seed')} seeds, ${project.sources.size} sources, ${project.exposures.size} exposures, ${project.macros.nodes.size} macros in ${seconds}s`, 'parsed', {
    models: count('model'),
    seeds: count('seed'),
    sources: project.sources.size,
    exposures: project.exposures.size,
    macros: project.macros.nodes.size,
  });
  return 0;
}
