import type { Adapter } from '../../core/adapter/adapter.js';
import type { NodeResult } from '../../core/artifacts/run-results.js';
import type { ManifestNode } from '../../core/manifest/nodes.js';
import { runUnitTest } from '../../core/unit-tests/run-unit-test.js';
import { UNIT_TEST_TARGET, type UnitTestNode } from '../../core/unit-tests/unit-test-node.js';
import { createAdapter } from '../adapter-registry.js';
import type { Session } from '../session.js';

/** Runs unit tests on an in-memory DuckDB, whatever the target, opened on first use. */
export function unitTestExecutor(session: Session): { run(node: ManifestNode, threadId: string): Promise<NodeResult>; close(): Promise<void> } {
  let opening: Promise<Adapter> | undefined;
  const open = () =>
    (opening ??= (async () => {
      const adapter = await createAdapter({ target: UNIT_TEST_TARGET, targetName: 'unit tests', projectRoot: session.project.file.root, threads: session.threads }, 'default');
      await adapter.open();
      return adapter;
    })());
  return {
    async run(node, threadId) {
      const adapter = await open();
      return runUnitTest({
        project: session.project,
        node: node as UnitTestNode,
        adapter,
        threadId,
        compileOptions: {
          target: { name: session.target.name, type: adapter.type, schema: adapter.defaultSchema, database: adapter.defaultDatabase, threads: session.threads },
          invocationId: session.invocationId,
          runStartedAt: session.startedAt,
        },
      });
    },
    async close() {
      if (opening) await (await opening.catch(() => undefined))?.close();
    },
  };
}
