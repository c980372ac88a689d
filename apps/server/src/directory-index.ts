/**
 * The directory index: how a client that knows only an address and port finds what is served.
 * JSON for programs (`Accept: application/json`), HTML for browsers, both listing every servable
 * file under the directory (recursively) with its size and whole-file SHA-256 (null/"pending"
 * until the background digest is ready).
 */
import { escapeHtml } from '@lb/http-wire';
import { fragmentMapPath } from '@lb/segments';
import { encodeUrlPath } from './url-path.js';

export interface IndexedFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  size: number;
  etag: string;
  lastModified: string;
  /** Base64 SHA-256 of the whole file, null while it is being computed. */
  sha256: string | null;
}

/** The JSON document; field names are part of the documented interface. */
export interface DirectoryIndexDocument {
  server: string;
  /** The listed directory as a path (not URL-encoded): `/` or `/releases/`. */
  directory: string;
  files: Array<IndexedFile & { url: string; fragmentMap: string }>;
}

export function directoryIndexDocument(
  serverId: string,
  directory: string,
  files: readonly IndexedFile[],
): DirectoryIndexDocument {
  return {
    server: serverId,
    directory: directory === '' ? '/' : `/${directory}/`,
    files: files.map((file) => {
      const url = encodeUrlPath(file.path);
      return { ...file, url, fragmentMap: fragmentMapPath(url) };
    }),
  };
}

export function directoryIndexHtml(document: DirectoryIndexDocument): string {
  const title = `Index of ${escapeHtml(document.directory)}`;
  const rows = document.files
    .map(
      (file) =>
        `<tr><td><a href="${escapeHtml(file.url)}">${escapeHtml(file.path)}</a></td>` +
        `<td>${file.size}</td>` +
        `<td><code>${file.sha256 === null ? 'pending' : escapeHtml(file.sha256)}</code></td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<p>Server ${escapeHtml(document.server)}</p>
<table>
<thead><tr><th>Name</th><th>Size (bytes)</th><th>SHA-256 (base64)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
