import type { ManifestNode, NodeConfig, SourceNode } from '../../manifest/nodes.js';
import { copyConfig, defaultConfig, mergeConfig } from '../node-config.js';
import { FolderConfigs } from '../folder-config.js';
import type { MacroSet } from '../macro-files.js';
import type { ProjectFile } from '../project-file.js';
import type { PropertyFile } from '../property-files.js';
import { builtinGenericTests } from './builtin-generic-tests.js';
import { declareGenericTests, testTargets, type GenericTestArguments } from './generic-test-declarations.js';
import { resolveYamlRef } from './resolve-yaml-ref.js';

const TEST_MACRO = /^(?:[a-z0-9]+__)?test_(.+)$/;

/** Generic tests that exist in a project: the built-ins and every `test_<name>` macro. */
export function genericTestNames(macros: MacroSet): Map<string, GenericTestArguments> {
  const out = new Map<string, GenericTestArguments>();
  for (const [name, def] of builtinGenericTests()) out.set(name, { required: def.required, unsupported: def.unsupported, choices: def.choices });
  for (const name of macros.names()) {
    const match = TEST_MACRO.exec(name);
    if (!match) continue;
    const builtin = out.get(match[1]);
    // A project's own version of a built-in takes whatever arguments it reads.
    if (builtin) builtin.unsupported = builtin.choices = undefined;
    else out.set(match[1], { required: [] });
  }
  return out;
}

/** Test nodes for every generic test declared in the property files of a project. */
export function declareDataTests(
  project: ProjectFile,
  nodes: ReadonlyMap<string, ManifestNode>,
  sources: ReadonlyMap<string, SourceNode>,
  propertyFiles: PropertyFile[],
  macros: MacroSet,
): ManifestNode[] {
  const modelIds = new Map<string, string>();
  for (const node of nodes.values()) if (node.resource_type !== 'test') modelIds.set(node.name, node.unique_id);
  const sourceIds = new Set(sources.keys());
  const known = new Set<string>([...modelIds.values(), ...sourceIds]);
  const folders = new FolderConfigs(project.folderConfigs.tests, 'test');
  // Tests of one folder get the same layers (see layersFor): merged once, copied per test.
  const folderDefaults = new WeakMap<readonly Record<string, unknown>[], NodeConfig>();
  const ctx = {
    projectName: project.name,
    genericTests: genericTestNames(macros),
    resolve: (expression: string) => resolveYamlRef(expression, project.name, modelIds, sourceIds),
    folderConfig: (fqn: string[]) => {
      const layers = folders.layersFor(fqn);
      let merged = folderDefaults.get(layers);
      if (!merged) {
        merged = defaultConfig('test');
        for (const layer of layers) mergeConfig(merged, layer);
        folderDefaults.set(layers, merged);
      }
      return copyConfig(merged);
    },
  };
  const tests: ManifestNode[] = [];
  for (const file of propertyFiles) {
    for (const target of testTargets(file, project.name, known)) {
      const attached = nodes.get(target.id) ?? sources.get(target.id)!;
      tests.push(...declareGenericTests(target, ctx, attached));
    }
  }
  return tests;
}
