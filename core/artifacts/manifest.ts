import type { ManifestNode, SourceNode } from '../manifest/nodes.js';
import type { Project } from '../project/load-project.js';
import { varChecksums } from '../state/var-checksums.js';
import { adjacency } from '../graph/dag.js';
import { artifactMetadata } from './artifact-metadata.js';

/** target/manifest.json in dbt's shape (v12), stamped with our own schema version. */
export function manifestArtifact(
  project: Project,
  input: { invocationId: string; adapterType: string; generatedAt?: Date; /** Where the target's database lives (a DuckDB file), for deferral. */ databaseLocation?: { database: string; path: string } | null },
): Record<string, unknown> {
  const nodes: Record<string, ManifestNode> = {};
  // Our private fields are non-enumerable (see setPrivate), so nodes go in as they are.
  const unitTests: Record<string, ManifestNode> = {};
  // dbt keeps unit tests in a section of their own.
  for (const [id, node] of project.nodes) (node.resource_type === 'unit_test' ? unitTests : nodes)[id] = node;
  const sources: Record<string, SourceNode> = {};
  for (const [id, source] of project.sources) sources[id] = source;
  const macros: Record<string, unknown> = {};
  for (const [id, macro] of project.macros.nodes) macros[id] = macro;
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  const { parents, children } = adjacency(project.all);
  for (const id of project.all.keys()) {
    parentMap[id] = parents.get(id)!;
    childMap[id] = children.get(id)!;
  }
  const disabled: Record<string, unknown[]> = {};
  for (const [id, node] of project.disabled) disabled[id] = [node];
  return {
    metadata: {
      ...artifactMetadata('manifest/v12', input.invocationId, input.generatedAt),
      project_name: project.file.name,
      adapter_type: input.adapterType,
      // Ours: what state comparison and deferral need from a previous run (values of vars are not written).
      var_checksums: varChecksums(project.vars),
      ...(input.databaseLocation ? { database_location: input.databaseLocation } : {}),
    },
    nodes,
    sources,
    macros,
    docs: {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled,
    parent_map: parentMap,
    child_map: childMap,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: unitTests,
  };
}
