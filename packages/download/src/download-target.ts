/**
 * The files of one multi-source download: `<final>.part` (preallocated, positional writes) and
 * `<final>.lb-manifest.json` (which fragments of the `.part` are verified), both beside the final
 * name. Starting fresh replaces any earlier partial download; resuming only continues one that
 * provably belongs to the same remote file, and otherwise stops with a ResumeError rather than
 * produce a file mixing two versions.
 *
 * The manifest identifies the remote file by its SHA-256 when a mirror offers one, else by its
 * strong ETag (plain static servers such as nginx: no Repr-Digest, no fragment map). Without
 * either, nothing could prove on resume that the servers still hold the same bytes, so no manifest
 * is kept and the download cannot be resumed (`unresumableReason` says why, once, at the start).
 * Without a fragment map, done fragments are not re-verified on resume: their `.part` bytes are
 * trusted, since a fragment is recorded only after the `.part` was fsynced.
 */
import { access, stat } from 'node:fs/promises';
import {
  type FragmentPlan,
  Manifest,
  ManifestCorruptError,
  ManifestMismatchError,
  ManifestUnverifiableError,
  ManifestVersionError,
  manifestPathFor,
  PartFile,
  PartFileSizeError,
  partPathFor,
  sha256OfFile,
} from '@lb/segments';
import { localFileError, ResumeError } from './errors.js';
import type { NoticeKind } from './events.js';
import type { MirrorIdentity } from './mirror-probe.js';

/** What happened to an earlier partial download, for the caller to tell its user. */
export interface TargetNotice {
  kind: NoticeKind;
  message: string;
  /** For 'replacing-partial': the `.part` being replaced. */
  partPath?: string;
}

export interface TargetRequest {
  finalPath: string;
  /** Local name recorded in the manifest. */
  name: string;
  identity: MirrorIdentity;
  plan: FragmentPlan;
  resume: boolean;
  /** Mirror URLs, recorded in the manifest for the record. */
  sources: readonly string[];
}

/** A resume found the previous run had finished: the final file is there and verified. */
export interface CompletedTarget {
  alreadyComplete: true;
  notice: TargetNotice;
}

export interface OpenedTarget {
  alreadyComplete?: false;
  part: PartFile;
  manifest: Manifest | undefined;
  manifestPath: string;
  /** Fragments already verified on disk (from the manifest). */
  done: number[];
  /** What happened to an earlier partial download, for the user; undefined when nothing. */
  notice: TargetNotice | undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The final file exists with the remote file's size and SHA-256. Without a digest, a leftover
 * manifest that matched the servers' strong ETag (checked by the caller) and a final file of the
 * right size mean the previous run was killed between the final rename and the manifest's removal.
 */
async function isFinishedFile(
  path: string,
  identity: MirrorIdentity,
  matchedManifest?: Manifest,
): Promise<boolean> {
  const sha256 = identity.sha256 ?? matchedManifest?.file.sha256 ?? undefined;
  if (sha256 === undefined && matchedManifest === undefined) return false;
  try {
    if ((await stat(path)).size !== identity.size) return false;
    return sha256 === undefined || (await sha256OfFile(path)) === sha256;
  } catch {
    return false;
  }
}

/**
 * Why a download of this file cannot be resumed, or undefined when it can: the manifest needs a
 * whole-file SHA-256 or a strong ETag to recognise the file on a resume.
 */
export function unresumableReason(identity: MirrorIdentity): string | undefined {
  if (identity.sha256 !== undefined || identity.etag !== undefined) return undefined;
  return (
    'this download cannot be resumed: the mirrors offer no SHA-256 and no strong ETag, ' +
    'so nothing could prove on a resume that they still serve the same file'
  );
}

function describeDifference(error: ManifestMismatchError): string {
  return error.differences
    .map((d) => `${d.field} was ${String(d.expected)}, is now ${String(d.actual)}`)
    .join('; ');
}

export async function openDownloadTarget(
  request: TargetRequest,
): Promise<OpenedTarget | CompletedTarget> {
  const { finalPath, identity, plan } = request;
  const manifestPath = manifestPathFor(finalPath);
  const partPath = partPathFor(finalPath);
  let notice: TargetNotice | undefined;

  if (request.resume) {
    let manifest: Manifest | null;
    try {
      manifest = await Manifest.load(manifestPath);
    } catch (error) {
      if (error instanceof ManifestCorruptError || error instanceof ManifestVersionError) {
        throw new ResumeError(
          `cannot resume: the manifest ${manifestPath} is unreadable (${error.message})`,
          'start over',
          { cause: error },
        );
      }
      throw localFileError(manifestPath, 'read', error);
    }
    if (manifest !== null) {
      try {
        manifest.assertMatches({
          size: identity.size,
          etag: identity.etag,
          sha256: identity.sha256,
          fragmentSize: plan.fragmentSize,
        });
      } catch (error) {
        if (error instanceof ManifestMismatchError) {
          throw new ResumeError(
            `cannot resume: the file on the servers is not the one ${partPath} was started from ` +
              `(${describeDifference(error)})`,
            'download it anew',
            { cause: error },
          );
        }
        if (error instanceof ManifestUnverifiableError) {
          const what =
            error.side === 'manifest'
              ? `${manifestPath} records no SHA-256 and ${error.reason === 'weak-etag' ? `only the weak ETag ${error.etag}` : 'no ETag'}`
              : `the servers offer no SHA-256 and ${error.reason === 'weak-etag' ? `only the weak ETag ${error.etag}` : 'no strong ETag'}`;
          throw new ResumeError(
            `cannot resume: nothing proves the file on the servers is the one ${partPath} was ` +
              `started from (${what})`,
            'download it anew',
            { cause: error },
          );
        }
        throw error;
      }
      if (!(await exists(partPath))) {
        // Killed between the final rename and the manifest's removal: the work is done.
        if (await isFinishedFile(finalPath, identity, manifest)) {
          await Manifest.remove(manifestPath).catch(() => {});
          return {
            alreadyComplete: true,
            notice: {
              kind: 'already-complete',
              message: `${finalPath} was already downloaded and verified; removed its leftover manifest`,
            },
          };
        }
        throw new ResumeError(
          `cannot resume: ${manifestPath} exists but ${partPath} does not`,
          'start over',
        );
      }
      let part: PartFile;
      try {
        part = await PartFile.open(finalPath, identity.size);
      } catch (error) {
        if (error instanceof PartFileSizeError) {
          throw new ResumeError(
            `cannot resume: ${partPath} has ${error.actual} bytes, the file ${identity.size}`,
            'start over',
            { cause: error },
          );
        }
        throw localFileError(partPath, 'open', error);
      }
      return { part, manifest, manifestPath, done: manifest.doneFragments(), notice };
    }
    if (!(await exists(partPath)) && (await isFinishedFile(finalPath, identity))) {
      return {
        alreadyComplete: true,
        notice: {
          kind: 'already-complete',
          message: `${finalPath} is already downloaded and verified`,
        },
      };
    }
    notice = (await exists(partPath))
      ? {
          kind: 'untrusted-partial',
          message: `${partPath} has no manifest, so none of it can be trusted: starting over`,
        }
      : {
          kind: 'nothing-to-resume',
          message: `nothing to resume at ${partPath}: starting a new download`,
        };
  } else if ((await exists(partPath)) || (await exists(manifestPath))) {
    notice = {
      kind: 'replacing-partial',
      message: `replacing the partial download ${partPath} (resume it instead to keep it)`,
      partPath,
    };
  }

  try {
    await Manifest.remove(manifestPath);
  } catch (error) {
    throw localFileError(manifestPath, 'remove', error);
  }
  let part: PartFile;
  try {
    part = await PartFile.open(finalPath, identity.size, { fresh: true });
  } catch (error) {
    throw localFileError(partPath, 'create', error);
  }
  let manifest: Manifest | undefined;
  if (unresumableReason(identity) === undefined) {
    manifest = Manifest.create({
      file: {
        name: request.name,
        size: identity.size,
        etag: identity.etag ?? '',
        sha256: identity.sha256 ?? null,
        ...(identity.lastModified === undefined ? {} : { lastModified: identity.lastModified }),
      },
      fragmentSize: plan.fragmentSize,
      sources: request.sources,
    });
    try {
      await manifest.save(manifestPath);
    } catch (error) {
      await part.close();
      throw localFileError(manifestPath, 'write', error);
    }
  }
  return { part, manifest, manifestPath, done: [], notice };
}
