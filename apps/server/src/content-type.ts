/** The Content-Type of a served file, from its name, through the `mime-types` database. */
import { extname } from 'node:path/posix';
import mimeTypes from 'mime-types';

/** Unknown extensions are served as opaque bytes, never sniffed (nginx's `default_type` too). */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** `notes.txt` → `text/plain; charset=utf-8`; `image.iso` → `application/x-iso9660-image`. */
export function contentTypeFor(filePath: string): string {
  // Only the extension is looked up: mime-types would read a bare name like `txt` as an
  // extension, and a name containing `/` as a media type.
  const extension = extname(filePath);
  if (extension === '') return DEFAULT_CONTENT_TYPE;
  return mimeTypes.contentType(extension) || DEFAULT_CONTENT_TYPE;
}
