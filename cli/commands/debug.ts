import path from 'node:path';
import { STRATA_VERSION } from '../../core/artifacts/artifact-metadata.js';
import { isUserError } from '../../core/errors/user-error.js';
import { nodeSupportNote } from '../../adapters/lake/aws-node-support.js';
import type { Session } from '../session.js';

/** `debug`: checks the project parses and the target answers a query. */
export async function runDebug(session: Session): Promise<number> {
  const { logger, project, target, adapter } = session;
  logger.info(`strata version: ${STRATA_VERSION}, node ${process.version}`);
  const note = nodeSupportNote();
  if (note) logger.warn(note);
  logger.info(`project: ${project.file.name} at ${project.file.root}`);
  logger.info(`  ${project.nodes.size} nodes, ${project.sources.size} sources, ${project.macros.nodes.size} macros: OK`);
  logger.info(`profile: ${target.source === 'default' ? 'none found, using the embedded DuckDB default' : `${target.profileName} from ${target.source}`}`);
  logger.info(`target: ${target.name} (${adapter.describe()})`);
  const { nativeRows } = await import('../../adapters/sources/mysql/mysql-native-rows.js');
  logger.info(
    `MySQL row parser: ${nativeRows ? 'C' : 'JavaScript only (the C one is off with STRATA_MYSQL_NATIVE=0, or not built: npm run build compiles it where there is a C compiler)'}`,
  );
  try {
    await session.connect();
    const result = await adapter.execute('select 1 as ok');
    if (String(result.rows[0]?.[0]) !== '1') throw new Error(`unexpected answer ${JSON.stringify(result.rows)}`);
    logger.info('connection: OK');
    return 0;
  } catch (error) {
    logger.error(`connection: FAILED: ${isUserError(error) ? error.format() : error instanceof Error ? error.message : String(error)}`);
    logger.info(`  check the '${target.name}' output in ${target.source === 'default' ? path.join(project.file.root, 'profiles.yml') : target.source}`);
    return 1;
  } finally {
    await adapter.close().catch(() => undefined);
  }
}
