import { defineLbConfig } from '../../tsup.shared.ts';

// Our own libraries are bundled (read from their src/ through the @lb/source condition), so the
// built `lb-server` runs without the libraries being built first; npm dependencies stay external.
export default defineLbConfig(['src/index.ts', 'src/bin.ts'], { noExternal: [/^@lb\//] });
