/**
 * Maps a request to its response: the seed endpoints, fragment maps, directory indexes and files.
 *
 * Reserved names (documented): `/heartbeat` and `/home` answer the seed endpoints, so files with
 * those names at the root are not served; everything under the fragment-map prefix of
 * @lb/segments (a dot-directory, so it cannot collide with servable content, which never has a
 * dot segment) answers fragment maps.
 */
import { decodeRequestPath, formatRetryAfter } from '@lb/http-wire';
import {
  FRAGMENT_MAP_CONTENT_TYPE,
  FRAGMENT_MAP_PATH_PREFIX,
  type FragmentMap,
  serializeFragmentMap,
} from '@lb/segments';
import { directoryIndexDocument, directoryIndexHtml, type IndexedFile } from './directory-index.js';
import type { FileCatalog } from './file-catalog.js';
import { fileResponse } from './file-response.js';
import { fileEtag, fileLastModified } from './file-validators.js';
import { FileChangedError, type FragmentMapCache } from './fragment-map-cache.js';
import { chooseIndexFormat } from './media-negotiation.js';
import type { RequestInfo } from './request-info.js';
import {
  bytesResponse,
  emptyResponse,
  jsonResponse,
  type ResponsePlan,
  textResponse,
} from './response-plan.js';
import { encodeUrlPath, lastSegment } from './url-path.js';

export const HEARTBEAT_PATH = 'heartbeat';
export const HOME_PATH = 'home';

export interface RouterOptions {
  catalog: FileCatalog;
  fragmentMaps: FragmentMapCache;
  /** `--id`, or the virtual server's number: shown by `/home` and the index. */
  serverId: string;
  /** `GET /` (and any directory) lists the files; `--no-index` turns it off (404). */
  directoryIndex: boolean;
}

const ALLOW = 'GET, HEAD';
const NOT_CACHEABLE: [string, string] = ['Cache-Control', 'no-store'];
const ABSOLUTE_FORM_AUTHORITY = /^https?:\/\/[^/?]*/i;

export class RequestRouter {
  readonly #options: RouterOptions;
  readonly #homeBody: Buffer;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.#homeBody = Buffer.from(`Hello from Server: ${options.serverId}`, 'utf8');
  }

  async handle(request: RequestInfo): Promise<ResponsePlan> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, undefined, [['Allow', ALLOW]]);
    }
    const mapTarget = fragmentMapTarget(request.target);
    if (mapTarget !== null) return this.#fragmentMap(mapTarget);

    const decoded = decodeRequestPath(request.target);
    if (!decoded.ok) return textResponse(decoded.status);
    const { path } = decoded;
    if (path === HEARTBEAT_PATH && !decoded.isDirectory) return emptyResponse(200, [NOT_CACHEABLE]);
    if (path === HOME_PATH && !decoded.isDirectory) {
      return bytesResponse(200, this.#homeBody, [
        ['Content-Type', 'text/plain; charset=utf-8'],
        NOT_CACHEABLE,
      ]);
    }

    const resolution = this.#options.catalog.openForServing(path);
    switch (resolution.kind) {
      case 'not-found':
        return textResponse(404);
      case 'forbidden':
        return textResponse(403);
      case 'directory':
        if (!this.#options.directoryIndex) return textResponse(404);
        if (!decoded.isDirectory) {
          // Like nginx: `/dir` → `/dir/`, so relative links in the index resolve correctly.
          const location = `${encodeUrlPath(path)}/${decoded.query === '' ? '' : `?${decoded.query}`}`;
          return textResponse(301, undefined, [['Location', location]]);
        }
        return this.#directoryIndex(path, request.headers.get('accept'));
      case 'file':
        return fileResponse(request, resolution, this.#options.fragmentMaps);
    }
  }

  async #directoryIndex(directory: string, accept: string | null): Promise<ResponsePlan> {
    const { catalog, fragmentMaps, serverId } = this.#options;
    const entries = await catalog.list(directory);
    const files: IndexedFile[] = entries.map((entry) => {
      const map = fragmentMaps.peek({
        absolutePath: entry.absolutePath,
        stats: entry.stats,
        name: lastSegment(entry.path),
      });
      return {
        path: entry.path,
        size: entry.stats.size,
        etag: fileEtag(entry.stats),
        lastModified: fileLastModified(entry.stats),
        sha256: map?.sha256 ?? null,
      };
    });
    const document = directoryIndexDocument(serverId, directory, files);
    const vary: [string, string] = ['Vary', 'Accept'];
    if (chooseIndexFormat(accept) === 'json') return jsonResponse(200, document, [vary]);
    return bytesResponse(200, Buffer.from(directoryIndexHtml(document), 'utf8'), [
      ['Content-Type', 'text/html; charset=utf-8'],
      vary,
    ]);
  }

  async #fragmentMap(target: string): Promise<ResponsePlan> {
    const decoded = decodeRequestPath(target);
    if (!decoded.ok) return textResponse(decoded.status);
    if (decoded.isDirectory) return textResponse(404);
    const resolution = await this.#options.catalog.resolve(decoded.path);
    if (resolution.kind === 'forbidden') return textResponse(403);
    if (resolution.kind !== 'file') return textResponse(404);
    let map: FragmentMap;
    try {
      map = await this.#options.fragmentMaps.get({
        absolutePath: resolution.absolutePath,
        stats: resolution.stats,
        name: lastSegment(decoded.path),
      });
    } catch (error) {
      if (error instanceof FileChangedError) {
        return textResponse(503, 'The file changed while it was hashed; retry.\n', [
          ['Retry-After', formatRetryAfter(1)],
        ]);
      }
      throw error;
    }
    // The cache is per real file; a link to it is known by its own name.
    const name = lastSegment(decoded.path);
    const named = map.name === name ? map : { ...map, name };
    return bytesResponse(200, Buffer.from(serializeFragmentMap(named), 'utf8'), [
      ['Content-Type', FRAGMENT_MAP_CONTENT_TYPE],
      ['Cache-Control', 'no-cache'],
    ]);
  }
}

/**
 * If `target` names a fragment map, the file's origin-form target (`/a.iso`) to decode; else null.
 * Matched on the raw target because the safe-path decoder refuses dot segments, as it should for
 * files.
 */
export function fragmentMapTarget(target: string): string | null {
  const originForm = target.replace(ABSOLUTE_FORM_AUTHORITY, '');
  const prefix = `${FRAGMENT_MAP_PATH_PREFIX}/`;
  if (!originForm.startsWith(prefix)) return null;
  return originForm.slice(prefix.length - 1);
}
