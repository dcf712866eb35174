import type { Project } from '../project/load-project.js';
import { readUnitTests } from './read-unit-tests.js';
import type { UnitTestNode } from './unit-test-node.js';

/**
 * Reads the project's unit tests and adds them to it as nodes that depend on their model, so
 * selection (`test_type:unit`, selecting the model) and the runner see them.
 */
export function attachUnitTests(project: Project): UnitTestNode[] {
  const tests = readUnitTests(project);
  if (!tests.length) return tests;
  // The project's graph is built on first use: here, before the tests join `all`.
  const dag = project.dag;
  for (const test of tests) {
    project.nodes.set(test.unique_id, test);
    project.all.set(test.unique_id, test);
    dag.addNode(test.unique_id);
    for (const parent of test.depends_on.nodes) if (dag.hasNode(parent)) dag.addEdge(parent, test.unique_id);
  }
  return tests;
}
