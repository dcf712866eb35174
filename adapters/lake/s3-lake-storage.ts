import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import type { LakeStorage } from '../../core/lake/lake-storage.js';
import { quietSdkNodeWarning } from './aws-node-support.js';

/** How to reach the bucket; absent fields come from the AWS SDK's usual chain (env, ~/.aws, instance role). */
export interface S3LakeOptions {
  region?: string;
  /** An S3-compatible endpoint (MinIO, s3rver, R2...). */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`; default true with an endpoint. */
  forcePathStyle?: boolean;
  /** Objects larger than this go up as a multipart upload in parts of this size (S3's minimum is 5 MiB). */
  partSize?: number;
  /** A client to use instead of one made from the options above. */
  client?: S3Client;
}

const MIN_PART = 5 * 1024 * 1024;

/** The lake in an S3 bucket under a prefix: `s3://bucket/prefix`. Objects are written whole. */
export class S3LakeStorage implements LakeStorage {
  readonly root: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly partSize: number;

  constructor(root: string, options: S3LakeOptions = {}) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(root);
    if (!match) throw new Error(`an S3 lake root looks like s3://bucket/prefix, got '${root}'`);
    this.bucket = match[1];
    this.prefix = match[2].replace(/\/+$/, '');
    this.root = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
    this.partSize = Math.max(MIN_PART, options.partSize ?? 16 * 1024 * 1024);
    if (!options.client) quietSdkNodeWarning();
    this.client = options.client ?? new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) } }
        : {}),
    });
  }

  private objectKey(key: string): string {
    if (!key || key.startsWith('/') || key.split('/').includes('..')) throw new Error(`lake key '${key}' must be a relative path inside the lake`);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /** A single PUT when the body fits in one part, else a multipart upload, completed only once every part is up. */
  async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const Key = this.objectKey(key);
    if (body instanceof Uint8Array && body.length <= this.partSize) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentLength: body.length }));
      return;
    }
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const uploadPart = async (bytes: Uint8Array) => {
      uploadId ??= (await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }))).UploadId;
      const PartNumber = parts.length + 1;
      const result = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: uploadId, PartNumber, Body: bytes, ContentLength: bytes.length }));
      parts.push({ ETag: result.ETag, PartNumber });
    };
    try {
      const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = body instanceof Uint8Array ? [body] : body;
      for await (const chunk of chunks) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        while (pendingBytes >= this.partSize) {
          const all = Buffer.concat(pending);
          await uploadPart(all.subarray(0, this.partSize));
          const rest = all.subarray(this.partSize);
          pending = rest.length ? [rest] : [];
          pendingBytes = rest.length;
        }
      }
      const last = Buffer.concat(pending);
      if (!uploadId) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: last, ContentLength: last.length }));
        return;
      }
      if (last.length) await uploadPart(last);
      // The object appears, whole, only here.
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      if (uploadId) await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(this.prefix ? object.Key.slice(this.prefix.length + 1) : object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  /** Closes the HTTP connections. */
  close(): void {
    this.client.destroy();
  }
}
