/**
 * Mode 1: one URL. Each response head is printed (bodies too when they are not the file: a
 * redirect's HTML, an error page), redirects are followed, and the 2xx body is saved under the
 * file's name. With --multi, when the redirect named `Link: rel=duplicate` mirrors, the download
 * continues over all of them with the multi-source engine instead of the single stream.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileNameFromUrl } from '@lb/download';
import { sha256FromReprDigest } from '@lb/http-wire';
import type { SingleUrlConfig } from './client-config.js';
import { localFileError } from './errors.js';
import { formatResponseHead, printableBody } from './http-message-text.js';
import { resolveOutputFile } from './output-path.js';
import { followRedirects } from './redirect-follower.js';
import { notice, type RunContext } from './run-context.js';
import { runMirrors } from './run-mirrors.js';
import { saveResponseBody } from './save-response-body.js';

/** Mode 1 waits this long for a response head, and at most this long between body bytes. */
export const SINGLE_RESPONSE_TIMEOUT_MS = 30_000;

export async function runSingleUrl(context: RunContext, config: SingleUrlConfig): Promise<string> {
  const result = await followRedirects(config.url, {
    connectTimeoutMs: config.connectTimeoutMs,
    responseTimeoutMs: SINGLE_RESPONSE_TIMEOUT_MS,
    signal: context.signal,
    onResponse: (response) => context.stdout.write(formatResponseHead(response.head)),
    onOtherBody: (body) => context.stdout.write(printableBody(body)),
  });
  const finalPath = await resolveOutputFile(
    config.output,
    fileNameFromUrl(result.url),
    context.cwd,
  );
  try {
    await mkdir(dirname(finalPath), { recursive: true });
  } catch (error) {
    result.response.connection.destroy();
    throw localFileError(dirname(finalPath), 'create the directory', error);
  }

  const mirrors = [result.url, ...result.duplicates.filter((url) => url !== result.url)];
  if (config.multi && mirrors.length > 1) {
    // The engine asks every mirror for ranges; this whole-file body is not needed.
    result.response.connection.destroy();
    notice(context, `--multi: downloading from ${mirrors.length} mirrors at once`);
    return (await runMirrors(context, config, mirrors, { kind: 'file', path: finalPath })).path;
  }

  const saved = await saveResponseBody(result.response, finalPath, {
    url: result.url,
    expectedSha256: sha256FromReprDigest(result.response.head.headers.get('repr-digest')),
    onChunk: context.onBytesReceived,
  });
  notice(context, `saved ${saved.path} (${saved.bytes} bytes)`);
  return saved.path;
}
