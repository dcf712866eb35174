import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Files under `dir` (relative to `root`) with one of `extensions`, sorted, as project-relative paths with '/'. */
export function findFiles(root: string, dir: string, extensions: readonly string[]): string[] {
  const base = path.join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(base, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const normalised = entry.split(path.sep).join('/');
    if (normalised.split('/').some((part) => part.startsWith('.'))) continue;
    if (extensions.some((ext) => normalised.endsWith(ext))) out.push(`${dir.replace(/\/$/, '')}/${normalised}`);
  }
  return out.sort();
}
