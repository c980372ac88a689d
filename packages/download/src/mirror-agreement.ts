/**
 * Mirrors that disagree about the file are never mixed: one group of mutually consistent mirrors
 * is chosen (the largest; on a tie, the one holding the earliest-listed mirror, as the user's
 * first mirror is the one they meant) and every other mirror is named with the reason.
 *
 * Two mirrors hold the same file when their sizes are equal and, when both know a whole-file
 * SHA-256, the digests are equal (equal digests prove equal bytes, whatever the ETags); without two
 * digests, when both send strong ETags, the ETags are equal (lb-server and nginx derive them the
 * same way from size and mtime, so synced mirrors agree).
 */
import type { MirrorIdentity } from './mirror-probe.js';

/** Why `b` is not the file `a` is; undefined when they agree. */
export function disagreement(a: MirrorIdentity, b: MirrorIdentity): string | undefined {
  if (a.size !== b.size) return `size ${b.size} instead of ${a.size}`;
  if (a.sha256 !== undefined && b.sha256 !== undefined) {
    return a.sha256 === b.sha256 ? undefined : `SHA-256 ${b.sha256} instead of ${a.sha256}`;
  }
  if (a.etag !== undefined && b.etag !== undefined && a.etag !== b.etag) {
    return `ETag ${b.etag} instead of ${a.etag}`;
  }
  return undefined;
}

export interface MirrorCandidate {
  /** Position in the user's list (0-based). */
  index: number;
  identity: MirrorIdentity;
}

export interface AgreementResult {
  chosen: MirrorCandidate[];
  rejected: Array<{ candidate: MirrorCandidate; reason: string }>;
  /** The file the chosen group agrees on, with the most information any member gave. */
  identity: MirrorIdentity;
}

function informationRank(identity: MirrorIdentity): number {
  return (identity.map ? 4 : 0) + (identity.sha256 ? 2 : 0) + (identity.etag ? 1 : 0);
}

/** @throws RangeError for an empty list (the caller waits until someone answers). */
export function chooseAgreeingMirrors(candidates: readonly MirrorCandidate[]): AgreementResult {
  if (candidates.length === 0) throw new RangeError('no mirror to choose from');
  // Grouping around the best-informed mirrors first lets a digest settle what ETags cannot.
  const byInformation = [...candidates].sort(
    (a, b) => informationRank(b.identity) - informationRank(a.identity) || a.index - b.index,
  );
  const groups: MirrorCandidate[][] = [];
  for (const candidate of byInformation) {
    const group = groups.find((members) =>
      members.every((member) => disagreement(member.identity, candidate.identity) === undefined),
    );
    if (group) group.push(candidate);
    else groups.push([candidate]);
  }
  const earliest = (group: MirrorCandidate[]) => Math.min(...group.map((m) => m.index));
  groups.sort((a, b) => b.length - a.length || earliest(a) - earliest(b));
  const chosen = groups[0]!.sort((a, b) => a.index - b.index);
  const reference = [...chosen].sort(
    (a, b) => informationRank(b.identity) - informationRank(a.identity) || a.index - b.index,
  )[0]!.identity;
  const rejected = groups
    .slice(1)
    .flat()
    .sort((a, b) => a.index - b.index)
    .map((candidate) => ({
      candidate,
      reason: disagreement(reference, candidate.identity) ?? 'disagrees with the other mirrors',
    }));
  const sha256 = chosen.find((m) => m.identity.sha256)?.identity.sha256;
  const map = chosen.find((m) => m.identity.map && m.identity.map.sha256 === sha256)?.identity.map;
  const identity: MirrorIdentity = { ...reference, sha256, map };
  return { chosen, rejected, identity };
}
