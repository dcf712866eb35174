import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { artifactMetadata, scrubSecrets, writeFileAtomic } from '../../core/artifacts/artifact-metadata.js';
import { manifestArtifact } from '../../core/artifacts/manifest.js';
import { readCatalog, type Catalog, type CatalogRelation } from '../../core/docs/catalog.js';
import type { DocsManifest, DocsRunResults, DocsSources } from '../../core/docs/docs-manifest.js';
import { buildDocsSiteData } from '../../core/docs/docs-site-data.js';
import { projectLineage } from '../../core/docs/project-lineage.js';
import { grammarFor } from '../../core/docs/sql-ast.js';
import { writeDocsSite } from '../../core/docs/write-docs-site.js';
import { UserError } from '../../core/errors/user-error.js';
import { RelationCache } from '../../core/runner/relation-cache.js';
import type { Logger } from '../output/logger.js';
import { sessionCompiler, type Session } from '../session.js';

export interface DocsGenerateOptions {
  /** dbt's `--no-compile` sets this false: pages then show no compiled SQL and columns no lineage. */
  compile?: boolean;
  /** dbt's `--empty-catalog`: do not ask the warehouse for columns. */
  emptyCatalog?: boolean;
}

const COMPILED_TYPES = new Set(['model', 'snapshot', 'test']);

/**
 * `docs generate`: compiles the project, reads every relation's columns and types from the
 * warehouse (target/catalog.json), finds column-level lineage in the compiled SQL and writes the
 * static site to target/docs/ together with the last run_results.json and sources.json.
 */
export async function runDocsGenerate(session: Session, options: DocsGenerateOptions): Promise<number> {
  const { project, adapter, logger } = session;
  const started = performance.now();
  const nodes = [...project.nodes.values()];
  if (options.compile !== false) {
    const cache = new RelationCache(adapter);
    const incremental = nodes.filter((n) => n.config.materialized === 'incremental');
    if (incremental.length && !options.emptyCatalog) {
      await session.connect();
      await cache.load(incremental.map((n) => ({ database: n.database, schema: n.schema })));
    }
    const compiler = sessionCompiler(session, { state: incremental.length && !options.emptyCatalog ? cache : undefined });
    for (const node of nodes) if (COMPILED_TYPES.has(node.resource_type) && node.config.enabled !== false) compiler.compile(node);
  }
  const compiled = performance.now();
  let catalog: Catalog;
  if (options.emptyCatalog) {
    catalog = { metadata: artifactMetadata('catalog/v1', session.invocationId), nodes: {}, sources: {}, errors: null };
  } else {
    await session.connect();
    catalog = await readCatalog(adapter, catalogRelations(session), { invocationId: session.invocationId, threads: session.threads });
  }
  const cataloged = performance.now();
  const manifest = manifestArtifact(project, { invocationId: session.invocationId, adapterType: adapter.type }) as unknown as DocsManifest;
  const scrub = (text: string) => scrubSecrets(text, session.target.secrets);
  if (session.writeJson) writeFileAtomic(path.join(session.targetDir, 'manifest.json'), scrub(JSON.stringify(manifest)));
  writeFileAtomic(path.join(session.targetDir, 'catalog.json'), scrub(JSON.stringify(catalog)));
  for (const error of catalog.errors ?? []) logger.warn(`catalog: ${error}`, 'catalog_error');
  const { lineage, threads } = await projectLineage(manifest, catalog, grammarFor(adapter.type), session.threads);
  const lineaged = performance.now();
  const data = buildDocsSiteData({
    manifest,
    catalog,
    runResults: readArtifact<DocsRunResults>(session.targetDir, 'run_results.json', logger),
    sources: readArtifact<DocsSources>(session.targetDir, 'sources.json', logger),
    lineage,
  });
  const site = writeDocsSite(path.join(session.targetDir, 'docs'), data, scrub);
  const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(2);
  const relations = Object.keys(catalog.nodes).length + Object.keys(catalog.sources).length;
  const unparsed = [...lineage.values()].filter((l) => l.error).length;
  logger.info(`Catalog: columns of ${relations} relation${relations === 1 ? '' : 's'} written to ${shown(path.join(session.targetDir, 'catalog.json'))}`, 'catalog_written', { relations });
  if (unparsed) logger.info(`Column lineage: the compiled SQL of ${unparsed} of ${lineage.size} models could not be parsed; their columns show an unknown origin`, 'lineage_unparsed', { count: unparsed });
  logger.info(
    `Docs site for ${data.graph.id.length} nodes written to ${shown(site.dir)} (${(site.bytes / 1e6).toFixed(1)} MB in ${site.files} files) in ${seconds(started, performance.now())}s (compile ${seconds(started, compiled)}s, catalog ${seconds(compiled, cataloged)}s, lineage ${seconds(cataloged, lineaged)}s on ${threads} thread${threads === 1 ? '' : 's'}, layout ${data.layout.seconds.toFixed(2)}s by ELK${data.layout.mode === 'short-edges' ? ` on the ${data.layout.edges} shortest of ${data.layout.allEdges} edges` : ''})`,
    'docs_generated',
    { nodes: data.graph.id.length, bytes: site.bytes, files: site.files },
  );
  logger.info(`Open ${shown(path.join(site.dir, 'index.html'))} in a browser, or run \`strata docs serve\``);
  return 0;
}

/** Every relation a node builds or a source reads: models (not ephemeral), seeds, snapshots, sources. */
function catalogRelations(session: Session): CatalogRelation[] {
  const out: CatalogRelation[] = [];
  for (const node of session.project.nodes.values()) {
    if (!['model', 'seed', 'snapshot'].includes(node.resource_type) || node.config.materialized === 'ephemeral') continue;
    out.push({ uniqueId: node.unique_id, isSource: false, database: node.database, schema: node.schema, identifier: node.alias });
  }
  for (const source of session.project.sources.values()) {
    if (source.external) continue;
    out.push({ uniqueId: source.unique_id, isSource: true, database: source.database, schema: source.schema, identifier: source.identifier });
  }
  return out;
}

function readArtifact<T>(targetDir: string, name: string, logger: Logger): T | undefined {
  const file = path.join(targetDir, name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    logger.warn(`${shown(file)} is not valid JSON, so the docs leave it out (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

function shown(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}

/** The folder `docs serve` serves, checked before a port is opened. */
export function docsSiteDir(targetDir: string): string {
  const dir = path.join(targetDir, 'docs');
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new UserError(`no docs site in ${shown(dir)}`, { hint: 'run `strata docs generate` first' });
  }
  return dir;
}
