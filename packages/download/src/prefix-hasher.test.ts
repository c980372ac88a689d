import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planWithFragmentSize } from '@lb/segments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrefixHasher } from './prefix-hasher.js';

let dir: string;
let path: string;
const data = randomBytes(3 * 700_000 + 123);
const plan = planWithFragmentSize(data.length, 700_000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-client-hash-'));
  path = join(dir, 'f.part');
  await writeFile(path, data);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PrefixHasher', () => {
  it('hashes the written prefix as it grows, in any completion order, to the whole-file digest', async () => {
    const written = new Uint8Array(plan.count);
    const hasher = new PrefixHasher(path, plan, written);
    written[1] = 1;
    hasher.advance(); // fragment 0 missing: nothing to hash yet
    written[0] = 1;
    hasher.advance();
    written[3] = 1;
    written[2] = 1;
    hasher.advance();
    expect(await hasher.digest()).toBe(createHash('sha256').update(data).digest('base64'));
  });

  it('refuses to finish while a fragment is missing', async () => {
    const written = new Uint8Array(plan.count).fill(1);
    written[2] = 0;
    const hasher = new PrefixHasher(path, plan, written);
    await expect(hasher.digest()).rejects.toThrow('fragment 2 is not written');
    await hasher.close();
  });

  it('reports a file shorter than the plan', async () => {
    const short = join(dir, 'short.part');
    await writeFile(short, data.subarray(0, 1000));
    const hasher = new PrefixHasher(short, plan, new Uint8Array(plan.count).fill(1));
    await expect(hasher.digest()).rejects.toThrow(`${short} ended at 1000`);
    await hasher.close();
  });
});
