/**
 * Where the lake's objects live: a local folder now, S3 later, behind one small interface.
 * Keys are `/`-separated paths relative to the lake root (see lake-layout.ts).
 */
export interface LakeStorage {
  /** The lake root, for messages and readers: an absolute folder or `s3://bucket/prefix`. */
  readonly root: string;
  /**
   * Writes one object whole: a reader sees all of it or nothing, never a partial object
   * (a temporary file renamed into place locally; a single PUT or completed multipart upload on S3).
   * Overwrites an existing object.
   */
  put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** An object's bytes, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Keys of all objects under a prefix (`raw/mysql/orders/`), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes an object; no error when it does not exist. */
  delete(key: string): Promise<void>;
}
