/**
 * Resume from plain nginx mirrors: no fragment map, no Repr-Digest, only size and nginx's strong
 * ETag (`"<mtime>-<size>"` in hex). The manifest records the ETag (and `sha256: null`); `-r`
 * resumes when the servers still send it and refuses (exit 7) when the file changed. Skipped,
 * saying why, when nginx is missing.
 */
import { existsSync } from 'node:fs';
import { readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDownloaded,
  FAST_CHECKPOINTS,
  jsonEvents,
  MiB,
  makeTempDir,
  metricsSoFar,
  removeDir,
  runClient,
  sha256File,
  spawnClient,
  writeRandomFile,
} from './helpers.js';
import { findNginx, type NginxMirrors, startNginx } from './nginx.js';

const nginx = findNginx();
if (!nginx) console.log('resume-nginx: nginx is not installed; skipping the nginx resume tests');

const size = 8 * MiB + 333;

type Metrics = { servers: Array<{ bytes: number }>; size: number; checkpointedBytes: number };

describe.skipIf(!nginx)('resume from nginx mirrors (no digest, strong ETag)', () => {
  const work = useTempDir();
  let root: string;
  let sha: string;
  let mirrors: NginxMirrors;

  beforeAll(async () => {
    root = await makeTempDir();
    sha = await writeRandomFile(join(root, 'plain.bin'), size);
    // ~8 MiB over two mirrors at 1 MiB/s each: about 4 s, time enough to kill it midway.
    mirrors = await startNginx(nginx!, root, ['1m', '1m']);
  });

  afterAll(async () => {
    await mirrors?.stop();
    await removeDir(root);
  });

  const args = (out: string, extra: string[] = []) => [
    ...FAST_CHECKPOINTS,
    '-o',
    `${out}/`,
    mirrors.url(1, '/plain.bin'),
    mirrors.url(2, '/plain.bin'),
    ...extra,
  ];

  /** Run 1, SIGKILLed once it received half the file and a manifest recorded some of it. */
  async function interrupted(name: string): Promise<{ out: string; stderr: string }> {
    const out = join(work.path, name);
    const first = spawnClient(args(out));
    let killed = false;
    first.child.stdout?.on('data', () => {
      if (killed) return;
      const reports = metricsSoFar<Metrics>(first.stdout);
      const latest = reports.at(-1);
      if (latest === undefined) return;
      const received = latest.servers.reduce((sum, s) => sum + s.bytes, 0);
      if (received >= 0.5 * latest.size && latest.checkpointedBytes > 0) {
        killed = first.child.kill('SIGKILL');
      }
    });
    const { signal } = await first.exited;
    expect(signal).toBe('SIGKILL');
    expect(existsSync(join(out, 'plain.bin.part'))).toBe(true);
    const manifest = JSON.parse(await readFile(join(out, 'plain.bin.lb-manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ version: 1, file: { size, sha256: null } });
    expect(manifest.file.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    return { out, stderr: first.stderr };
  }

  it('SIGKILL midway, then -r: the identical file, fetching less than the whole', async () => {
    const { out, stderr } = await interrupted('resumed');
    expect(stderr).not.toContain('cannot be resumed');
    const run = await runClient(args(out, ['-r']));
    await expectDownloaded(run, join(out, 'plain.bin'), sha);
    expect(existsSync(join(out, 'plain.bin.part'))).toBe(false);
    expect(existsSync(join(out, 'plain.bin.lb-manifest.json'))).toBe(false);
    const events = jsonEvents(run.stdout);
    const started = events.find((e) => e.event === 'started')!;
    expect(started).toMatchObject({ verification: 'validators' });
    expect(started['resumedBytes'] as number).toBeGreaterThan(0);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: 'done', verification: 'validators' });
    const fetched = (done['serverBytes'] as number[]).reduce((a, b) => a + b, 0);
    expect(fetched).toBeLessThan(size);
    expect(fetched + (done['resumedBytes'] as number)).toBeGreaterThanOrEqual(size);
  });

  // Last: it changes the served file.
  it('the file changed on nginx (new ETag): -r exits 7, the old .part is not mixed', async () => {
    const { out } = await interrupted('changed');
    const part = join(out, 'plain.bin.part');
    const partBefore = await sha256File(part);
    const manifestBefore = await readFile(join(out, 'plain.bin.lb-manifest.json'), 'utf8');
    await writeRandomFile(join(root, 'plain.bin'), size);
    // nginx's ETag is mtime-size in whole seconds: move the mtime so the tag surely changes.
    const later = new Date(Date.now() + 120_000);
    await utimes(join(root, 'plain.bin'), later, later);
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(
      new RegExp(
        `^lb-client: cannot resume: the file on the servers is not the one ${part.replaceAll('.', '\\.')} was started from \\(etag was "[0-9a-f-]+", is now "[0-9a-f-]+"\\); rerun without -r to download it anew\\n`,
        'm',
      ),
    );
    expect(await sha256File(part)).toBe(partBefore);
    expect(await readFile(join(out, 'plain.bin.lb-manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(existsSync(join(out, 'plain.bin'))).toBe(false);
  });
});
