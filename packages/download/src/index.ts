export { AUTO_CONNECTIONS } from './connection-autoscaler.js';
export type { ConnectionRampOptions } from './connection-ramp.js';
export { Download, download } from './download.js';
export { unresumableReason } from './download-target.js';
export {
  DownloadAbortedError,
  DownloadError,
  type DownloadErrorCode,
  describeFileError,
  InternalDownloadError,
  InvalidOptionError,
  LocalFileError,
  localFileError,
  NoMirrorLeftError,
  ResumeError,
  ServersLostError,
  VerificationError,
} from './errors.js';
export type {
  DownloadEvent,
  DownloadResult,
  DownloadSnapshot,
  NoticeKind,
  Verification,
} from './events.js';
export type { DownloadLogger } from './logger.js';
export { chooseAgreeingMirrors, disagreement } from './mirror-agreement.js';
export {
  type MirrorIdentity,
  type ProbeOptions,
  type ProbeResult,
  probeMirror,
  REDIRECT_STATUSES,
} from './mirror-probe.js';
export type { MirrorStatus } from './mirror-set.js';
export { describeNetworkFailure } from './network-failure.js';
export type { Destination, DownloadOptions } from './options.js';
export { fileNameFromUrl } from './remote-file-name.js';
export { baseRequestHeaders, DEFAULT_USER_AGENT, type HeaderFields } from './request-headers.js';
