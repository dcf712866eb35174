import { UserError } from '../errors/user-error.js';
import { toUtcMicros } from '../freshness/utc-timestamp.js';
import type { NodeStateComparison, SelectionState } from '../selection/selection-state.js';
import { ManifestComparison, type ManifestLike } from './compare-manifests.js';
import type { PreviousState, SourcesLike } from './previous-state.js';

/** What `state:`, `result:` and `source_status:` selection read: this project against a previous run's artifacts. */
export class StateSelection implements SelectionState {
  readonly comparison: ManifestComparison;
  private results: Map<string, string> | undefined;

  constructor(
    readonly previous: PreviousState,
    current: ManifestLike,
    /** target/sources.json of this project, written by `strata source freshness` just before. */
    private readonly currentSources: SourcesLike | undefined,
  ) {
    this.comparison = new ManifestComparison(previous.manifest, current);
  }

  compare(uniqueId: string): NodeStateComparison {
    return this.comparison.compare(uniqueId);
  }

  previousResult(uniqueId: string): string | undefined {
    if (!this.results) {
      if (!this.previous.runResults) {
        throw new UserError(`result: selection reads run_results.json, and --state ${this.previous.dir} has none`, {
          hint: 'keep run_results.json with the manifest when saving a run\'s artifacts (strata build writes both to target/)',
        });
      }
      this.results = new Map(this.previous.runResults.results.map((r) => [r.unique_id, r.status]));
    }
    return this.results.get(uniqueId);
  }

  isFresher(uniqueId: string): boolean {
    if (!this.previous.sources) {
      throw new UserError(`source_status: selection reads sources.json, and --state ${this.previous.dir} has none`, {
        hint: 'run `strata source freshness` in the previous run too, and keep its target/sources.json with the other artifacts',
      });
    }
    if (!this.currentSources) {
      throw new UserError('source_status: selection compares with this run\'s target/sources.json, which does not exist', {
        hint: 'run `strata source freshness` first, then `strata build --select source_status:fresher+ --state ...`',
      });
    }
    const now = this.currentSources.results.find((r) => r.unique_id === uniqueId);
    if (!now || !loadedAt(now.max_loaded_at)) return false;
    const before = this.previous.sources.results.find((r) => r.unique_id === uniqueId);
    // As in dbt, a source that had no successful check before counts as fresher once it has one.
    if (!before || !loadedAt(before.max_loaded_at)) return true;
    return loadedAt(now.max_loaded_at)! > loadedAt(before.max_loaded_at)!;
  }
}

function loadedAt(value: string | null | undefined): bigint | undefined {
  return value ? toUtcMicros(value) : undefined;
}
