/**
 * JSON.parse, except that integers too large for a JS number (beyond 2^53, e.g. 64-bit ids) become
 * their exact digits as text instead of a rounded number. Node 20's JSON.parse gives no access to
 * a number's source text, so such tokens are quoted first; text without 16 digits in a row is
 * parsed as it is.
 */
export function parseJsonExact(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(last, i)}"${token}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  try {
    return JSON.parse(out + text.slice(last));
  } catch (error) {
    // The message of the text as written (positions unshifted by the quotes added).
    JSON.parse(text);
    throw error;
  }
}
