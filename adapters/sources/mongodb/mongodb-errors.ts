/**
 * Driver failures turned into one line that says what went wrong and what to do (the extract
 * runner puts the source and table in front).
 * The URL is never quoted whole: it may hold a password; only its hosts are named.
 */

import { UserError } from '../../../core/errors/user-error.js';

/** A MongoDB table could not be extracted; the message says why and what to do. */
export class MongoSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MongoSourceError';
  }
}

// https://www.mongodb.com/docs/manual/reference/error-codes/
const AUTHENTICATION_FAILED = 18;
/** The server's code for a command the user may not run. */
export const UNAUTHORIZED = 13;

/** What went wrong (unreachable, bad credentials, not allowed...); the runner names the source and table. */
export function describeMongoError(error: unknown, context: { hosts: string; database: string; username?: string; file?: string; reading?: boolean }): Error {
  if (error instanceof MongoSourceError || error instanceof UserError) return error;
  const e = error as { name?: string; code?: unknown; codeName?: string; message?: string; cause?: unknown };
  const message = redact(String(e?.message ?? error));
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const name = e?.name ?? '';
  if (code === AUTHENTICATION_FAILED || e?.codeName === 'AuthenticationFailed' || /Authentication failed/i.test(message)) {
    const user = context.username ?? 'the user in the URL';
    return new MongoSourceError(`MongoDB at ${context.hosts} refused the credentials of ${context.username ? `user '${user}'` : user} (authentication failed); check the user, password and auth_source in the environment`, { cause: error });
  }
  if (code === UNAUTHORIZED || e?.codeName === 'Unauthorized') {
    return new MongoSourceError(`MongoDB at ${context.hosts} does not allow this user to read database '${context.database}': ${message}`, { cause: error });
  }
  if (name === 'MongoParseError' || name === 'MongoInvalidArgumentError' || name === 'MongoAPIError') {
    return new UserError(`the MongoDB connection settings are not valid: ${message}`, { file: context.file, cause: error });
  }
  if (name === 'MongoServerSelectionError' || name === 'MongoNetworkError' || name === 'MongoNetworkTimeoutError' || name === 'MongoTopologyClosedError') {
    const reason = redact(String((e.cause as { message?: string } | undefined)?.message ?? '')) || message;
    if (context.reading) return new MongoSourceError(`lost the connection to MongoDB at ${context.hosts} while reading: ${reason}; nothing of this load was committed, so a rerun reads it again`, { cause: error });
    return new MongoSourceError(`cannot reach MongoDB at ${context.hosts}: ${reason}; check that the server is running and the URL's host and port`, { cause: error });
  }
  return new MongoSourceError(`MongoDB failed: ${message}`, { cause: error });
}

/** Removes a `user:password@` part from anything that looks like a connection string. */
export function redact(text: string): string {
  return text.replace(/(mongodb(?:\+srv)?:\/\/)[^@/\s]*@/g, '$1');
}
