import { PtexecError } from './ptexec-error.js';

/**
 * Why the database cannot be used. Each is the user's to fix (restore, free space, permissions,
 * the other writer, an upgrade), never a bug in ptexec.
 */
export type StorageErrorKind =
  | 'corrupt' // damaged or truncated: restore from a backup
  | 'not_a_database' // the path holds some other file
  | 'read_only' // the file or its folder cannot be written by this user
  | 'locked' // another process holds the database
  | 'full' // the disk is full
  | 'is_directory' // the path is a folder
  | 'cannot_open' // missing or inaccessible folder, or the file cannot be opened
  | 'io' // the disk failed to read or write
  | 'newer_version' // written by a newer ptexec
  | 'replaced'; // the file was deleted or replaced while this process was writing to it

/** Failures after which a run can carry on from the same database once the cause is fixed. */
const RESUMABLE: ReadonlySet<StorageErrorKind> = new Set(['full', 'locked', 'read_only', 'io', 'replaced']);

/** The database at `path` cannot be used; `message` says what and where, `hint` what to do. */
export class StorageError extends PtexecError {
  readonly category = 'storage' as const;
  /** Whether a run this stopped can be resumed once the cause is fixed (see `hint`). */
  readonly resumable: boolean;

  constructor(
    readonly kind: StorageErrorKind,
    readonly path: string,
    message: string,
    override readonly hint: string,
    /** The run that was executing when the database failed, if one was. */
    readonly runId?: string,
    options: { cause?: unknown; resumable?: boolean } = {},
  ) {
    super(message, { hint, cause: options.cause });
    this.name = 'StorageError';
    this.resumable = options.resumable ?? RESUMABLE.has(kind);
  }

  /** SQLite's extended result code (`SQLITE_FULL`, …) or the system's (`EACCES`, …) behind it. */
  get code(): string | undefined {
    const code = (this.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : undefined;
  }

  /** The same failure, as it stopped run `runId`. */
  inRun(runId: string): StorageError {
    return new StorageError(this.kind, this.path, this.message, this.hint, runId, { cause: this.cause, resumable: this.resumable });
  }
}
