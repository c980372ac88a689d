/**
 * lb-balancer's version, from its package.json at run time. `../package.json` is right both from
 * `src/` (tsx) and from the built `dist/`, and the file ships in the package.
 */
import { createRequire } from 'node:module';

export const BALANCER_VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
