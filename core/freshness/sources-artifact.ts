import { artifactMetadata } from '../artifacts/artifact-metadata.js';
import type { SourceFreshnessResult } from './check-source-freshness.js';

/**
 * sources.json in dbt's shape (v3) plus our own schema version. As in dbt, a runtime error
 * is written as `{unique_id, error, status}` and every other result in full.
 */
export function sourcesArtifact(input: { invocationId: string; results: readonly SourceFreshnessResult[]; elapsedTime: number; generatedAt?: Date }): Record<string, unknown> {
  return {
    metadata: artifactMetadata('sources/v3', input.invocationId, input.generatedAt),
    results: input.results.map((r) =>
      r.status === 'runtime error'
        ? { unique_id: r.unique_id, error: r.error, status: r.status }
        : {
            unique_id: r.unique_id,
            max_loaded_at: r.max_loaded_at,
            snapshotted_at: r.snapshotted_at,
            max_loaded_at_time_ago_in_s: r.max_loaded_at_time_ago_in_s,
            status: r.status,
            criteria: r.criteria,
            adapter_response: r.adapter_response,
            timing: r.timing,
            thread_id: r.thread_id,
            execution_time: r.execution_time,
          },
    ),
    elapsed_time: input.elapsedTime,
  };
}
