import path from 'node:path';

/** Whether a lake root is an object-store URL (`s3://bucket/prefix`) rather than a folder. */
export function isRemoteLakeRoot(root: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(root);
}

/**
 * The lake root a command uses: the target's `lake_path` (profiles.yml), else the project's
 * `lake-path` (project.yml, default `lake`); a folder is resolved against the project root.
 */
export function resolveLakeRoot(projectRoot: string, projectLakePath: string, target: Record<string, unknown>): string {
  const configured = typeof target.lake_path === 'string' && target.lake_path.trim() ? target.lake_path.trim() : projectLakePath;
  return isRemoteLakeRoot(configured) ? configured.replace(/\/+$/, '') : path.resolve(projectRoot, configured);
}
