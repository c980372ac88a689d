export { Backoff, type BackoffOptions } from './backoff.js';
export {
  SHA256_BASE64_PATTERN,
  type Sha256Base64,
  sha256Base64,
  sha256OfFile,
  sha256OfSource,
} from './digest.js';
export {
  FragmentMapInvalidError,
  FragmentMapVersionError,
  InvalidArgumentError,
  InvalidPlanError,
  ManifestCorruptError,
  type ManifestCorruptReason,
  type ManifestDifference,
  ManifestMismatchError,
  ManifestUnverifiableError,
  type ManifestUnverifiableReason,
  ManifestVersionError,
  PartFileClosedError,
  PartFileSizeError,
  SegmentsError,
  ShortReadError,
  SourceBusyError,
  UnknownAssignmentError,
  UnknownSourceError,
} from './errors.js';
export { FragmentBitmap } from './fragment-bitmap.js';
export {
  buildFragmentMap,
  FRAGMENT_MAP_CONTENT_TYPE,
  FRAGMENT_MAP_PATH_PREFIX,
  FRAGMENT_MAP_VERSION,
  type FragmentMap,
  type FragmentMapMeta,
  fragmentMapPath,
  isSafeFileName,
  parseFragmentMap,
  planForMap,
  serializeFragmentMap,
  validateFragmentMap,
} from './fragment-map.js';
export {
  isStrongEtag,
  MANIFEST_VERSION,
  Manifest,
  type ManifestFile,
  type ManifestInit,
  manifestPathFor,
  type RemoteFileIdentity,
} from './manifest.js';
export {
  type ManifestIO,
  nodeManifestIO,
  syncDirectory,
  writeFileAtomic,
} from './manifest-store.js';
export { PartFile, type PartFileOptions, partPathFor, writeFully } from './part-file.js';
export {
  DEFAULT_FRAGMENT_SIZE,
  DEFAULT_MAX_FRAGMENTS,
  type Fragment,
  type FragmentPlan,
  type FragmentPolicy,
  fragmentAt,
  planFragments,
  planWithFragmentSize,
} from './plan-fragments.js';
export {
  type FileSource,
  MAX_READ_SIZE,
  openFileSource,
  type RandomAccessSource,
  readExactly,
} from './random-access-source.js';
export {
  type AddSourceOptions,
  type Assignment,
  type AssignmentId,
  type CompleteResult,
  type EndgameOptions,
  type FailReason,
  type FailResult,
  FragmentScheduler,
  type SchedulerOptions,
  type SourceGroup,
  type SourceId,
  type SourceStats,
  type StallOptions,
} from './scheduler.js';
