/**
 * Mode 2 without `--file`: the servers' JSON index (`GET /` with `Accept: application/json`, as
 * lb-server answers it) says which file they serve. One file: that one. Several: the user must
 * choose, and is told the names.
 */
import { describeNetworkFailure } from '@lb/download';
import { httpRequest } from '@lb/http-wire';
import { UsageError } from './errors.js';
import { BASE_HEADERS } from './request-headers.js';

const MAX_INDEX_BYTES = 16 * 1024 * 1024;

export interface IndexedFile {
  /** Path relative to the server's root, `/`-separated, not URL-encoded. */
  path: string;
  /** Origin-form URL path, URL-encoded. */
  url: string;
  size: number;
}

export type IndexResult =
  | { kind: 'ok'; files: IndexedFile[] }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'unusable'; reason: string };

function readFiles(value: unknown): IndexedFile[] | undefined {
  const files = (value as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return undefined;
  const out: IndexedFile[] = [];
  for (const file of files) {
    const f = file as Record<string, unknown>;
    if (typeof f?.['path'] !== 'string' || !Number.isSafeInteger(f['size'])) return undefined;
    const url = typeof f['url'] === 'string' ? f['url'] : encodeFilePath(f['path']);
    out.push({
      path: f['path'],
      url: url.startsWith('/') ? url : `/${url}`,
      size: f['size'] as number,
    });
  }
  return out;
}

/** `dir/a b.bin` → `/dir/a%20b.bin` */
export function encodeFilePath(path: string): string {
  return `/${path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/')}`;
}

export async function fetchServerIndex(
  baseUrl: string,
  options: { connectTimeoutMs: number; responseTimeoutMs: number; signal?: AbortSignal },
): Promise<IndexResult> {
  try {
    const response = await httpRequest(new URL('/', baseUrl).href, {
      headers: [
        ...BASE_HEADERS.filter(([name]) => name !== 'Accept'),
        ['Accept', 'application/json'],
      ],
      connectTimeoutMs: options.connectTimeoutMs,
      responseTimeoutMs: options.responseTimeoutMs,
      idleTimeoutMs: options.responseTimeoutMs,
      signal: options.signal,
    });
    const status = response.head.statusCode;
    if (status !== 200 || (response.head.contentLength ?? 0) > MAX_INDEX_BYTES) {
      response.connection.destroy();
      if (status === 429 || status >= 500) {
        return { kind: 'unavailable', reason: `the index answered ${status}` };
      }
      return { kind: 'unusable', reason: `the index answered ${status}` };
    }
    const text = await response.text();
    response.connection.close();
    let files: IndexedFile[] | undefined;
    try {
      files = readFiles(JSON.parse(text));
    } catch {
      files = undefined;
    }
    if (files === undefined) {
      return { kind: 'unusable', reason: 'the index is not an lb-server JSON index' };
    }
    return { kind: 'ok', files };
  } catch (error) {
    return { kind: 'unavailable', reason: describeNetworkFailure(error) };
  }
}

/** The file to download from a non-empty index: the only one; several need --file. */
export function chooseIndexedFile(files: readonly IndexedFile[]): IndexedFile {
  if (files.length === 1) return files[0]!;
  throw new UsageError(
    `the servers serve ${files.length} files; choose one with --file NAME: ${files.map((f) => f.path).join(', ')}`,
  );
}
