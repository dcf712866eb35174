import { artifactMetadata } from './artifact-metadata.js';

/** Status of one node in run_results.json, as in dbt. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'runtime error';

export interface Timing {
  name: 'compile' | 'execute';
  started_at: string;
  completed_at: string;
}

/** One entry of run_results.json `results`. */
export interface NodeResult {
  unique_id: string;
  status: NodeStatus;
  timing: Timing[];
  thread_id: string;
  execution_time: number;
  adapter_response: { _message?: string; rows_affected?: number | null };
  message: string | null;
  failures: number | null;
  compiled: boolean;
  compiled_code: string | null;
  relation_name: string | null;
}

/** run_results.json, in dbt's shape (v6) plus our own schema version. */
export function runResultsArtifact(input: {
  invocationId: string;
  results: NodeResult[];
  elapsedTime: number;
  args: Record<string, unknown>;
  generatedAt?: Date;
}): Record<string, unknown> {
  return {
    metadata: artifactMetadata('run-results/v6', input.invocationId, input.generatedAt),
    results: input.results,
    elapsed_time: input.elapsedTime,
    args: input.args,
  };
}
