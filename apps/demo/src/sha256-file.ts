/** The SHA-256 of a file on disk, streamed (the demo's downloads can be large). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex, as `sha256sum` prints it. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
