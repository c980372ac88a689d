import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestPathFor, planFragments } from '@lb/segments';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTarget, openDownloadTarget, unresumableReason } from './download-target.js';
import type { MirrorIdentity } from './mirror-probe.js';

const base: MirrorIdentity = {
  url: 'http://m/f.bin',
  size: 4096,
  etag: undefined,
  lastModified: undefined,
  sha256: undefined,
  map: undefined,
};
const SHA = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-target-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open(identity: MirrorIdentity, resume: boolean) {
  return openDownloadTarget({
    finalPath: join(dir, 'f.bin'),
    name: 'f.bin',
    identity,
    plan: planFragments(identity.size, { fragmentSize: 1024 }),
    resume,
    sources: [identity.url],
  });
}

describe('unresumableReason', () => {
  it('resumable with a digest or a strong ETag; otherwise says why', () => {
    expect(unresumableReason({ ...base, sha256: SHA })).toBeUndefined();
    expect(unresumableReason({ ...base, etag: '"a-b"' })).toBeUndefined();
    expect(unresumableReason(base)).toBe(
      'this download cannot be resumed: the mirrors offer no SHA-256 and no strong ETag, ' +
        'so nothing could prove on a resume that they still serve the same file',
    );
  });
});

describe('openDownloadTarget without a digest', () => {
  it('writes a manifest with sha256 null and the strong ETag', async () => {
    const target = (await open({ ...base, etag: '"a-b"' }, false)) as OpenedTarget;
    await target.part.close();
    const saved = JSON.parse(await readFile(manifestPathFor(join(dir, 'f.bin')), 'utf8'));
    expect(saved.file).toEqual({ name: 'f.bin', size: 4096, etag: '"a-b"', sha256: null });
  });

  it('writes no manifest without a strong ETag either', async () => {
    const target = (await open(base, false)) as OpenedTarget;
    await target.part.close();
    expect(target.manifest).toBeUndefined();
  });

  it('-r when the servers no longer send an ETag: LB_DOWNLOAD_RESUME, says why', async () => {
    const first = (await open({ ...base, etag: '"a-b"' }, false)) as OpenedTarget;
    await first.part.close();
    const error = await open(base, true).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LB_DOWNLOAD_RESUME', advice: 'download it anew' });
    expect((error as Error).message).toBe(
      `cannot resume: nothing proves the file on the servers is the one ${join(dir, 'f.bin.part')} ` +
        'was started from (the servers offer no SHA-256 and no strong ETag)',
    );
  });

  it('-r with the same strong ETag resumes', async () => {
    const first = (await open({ ...base, etag: '"a-b"' }, false)) as OpenedTarget;
    await first.part.close();
    const again = (await open({ ...base, etag: '"a-b"' }, true)) as OpenedTarget;
    expect(again.manifest?.file.sha256).toBeNull();
    await again.part.close();
  });
});
