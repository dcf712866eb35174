/**
 * The AWS SDK prints a seven-line warning on Node before 22 the first time a client is made, in the
 * middle of `strata extract`'s progress lines and `--log-format json`. Strata says it once, in
 * `strata debug` (nodeSupportNote), instead; a user who sets the variable themselves keeps their choice.
 */
export function quietSdkNodeWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** What `strata debug` says about this Node version and the AWS SDK, or undefined when nothing needs saying. */
export function nodeSupportNote(version = process.version): string | undefined {
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major < 22)) return undefined;
  return `node ${version}: the AWS SDK (the s3:// lake) supports Node ${major} only in its releases up to January 2027; use Node 22 or newer for an S3 lake`;
}
