import { closeSync, openSync, readSync } from 'node:fs';

/** A project root with one trailing '/', to which project-relative paths (with '/', as findFiles gives them) are appended: path.join cost 75 ms per 10,000 files. */
export function folderPrefix(root: string): string {
  return root.endsWith('/') ? root : `${root}/`;
}

/** Kept between calls and grown as needed: most model files fit the first size. */
let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * The text of a file as `readFileSync(file, 'utf8')` gives it, read into one buffer kept between
 * calls. For the 10,000 small files of a large project this takes a third less time: no fstat,
 * no options to normalise and no buffer per file.
 */
export function readText(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let used = 0;
    for (;;) {
      if (used === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, used);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, used, buffer.length - used, null);
      if (read === 0) break;
      used += read;
    }
    return buffer.toString('utf8', 0, used);
  } finally {
    closeSync(fd);
  }
}
