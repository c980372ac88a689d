/** What the engine tells its caller while it runs, and what it returns. */
import type { MirrorStatus } from './mirror-set.js';

/** How the bytes are checked: a SHA-256 per fragment, the whole file's only, or none. */
export type Verification = 'fragments' | 'digest' | 'validators';

/**
 * What a notice is about: no way to resume this file later, an earlier partial download replaced,
 * untrusted (no manifest) or absent on a resume, or the file already complete.
 */
export type NoticeKind =
  | 'unresumable'
  | 'replacing-partial'
  | 'untrusted-partial'
  | 'nothing-to-resume'
  | 'already-complete';

/** Something happened. `server` is the 1-based position in `mirrors`. */
export type DownloadEvent =
  | { event: 'mirror-rejected'; server: number; url: string; reason: string }
  | { event: 'mirror-down'; server: number; url: string; reason: string; retryInMs: number }
  | { event: 'mirror-up'; server: number; url: string }
  | { event: 'mirror-dropped'; server: number; url: string; reason: string }
  | { event: 'fragment-corrupt'; server: number; url: string; index: number }
  | { event: 'waiting'; waitMs: number }
  | { event: 'wait-over'; server: number }
  | {
      event: 'notice';
      kind: NoticeKind;
      message: string;
      /** For 'replacing-partial': the `.part` being replaced. */
      partPath?: string;
    }
  | {
      event: 'started';
      path: string;
      size: number;
      fragmentSize: number;
      fragments: number;
      resumedBytes: number;
      /** 'fragments': per-fragment SHA-256 from a fragment map; 'digest': whole file only;
       * 'validators': size and ETag/Last-Modified only. */
      verification: Verification;
    }
  | { event: 'verifying'; path: string };

/** Counters at one instant (for metrics and progress bars). */
export interface DownloadSnapshot {
  /** `performance.now()` when taken. */
  atMs: number;
  size: number;
  verifiedBytes: number;
  /** Verified bytes recorded in the last saved manifest. */
  checkpointedBytes: number;
  resumedBytes: number;
  serverBytes: number[];
  serverStatus: MirrorStatus[];
  /** Connections each mirror should have now (0 once dropped). */
  serverConnections: number[];
  duplicateBytes: number;
  wastedBytes: number;
}

export interface DownloadResult {
  path: string;
  size: number;
  /** Base64 SHA-256 of the whole file, when a mirror offered one (then it was checked). */
  sha256: string | undefined;
  resumedBytes: number;
  serverBytes: number[];
  duplicateBytes: number;
  wastedBytes: number;
  verification: Verification;
}
