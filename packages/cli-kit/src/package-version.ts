import { createRequire } from 'node:module';

/**
 * The `version` of the package.json one folder above the module at `moduleUrl` (pass
 * `import.meta.url`): right from `src/` under tsx and from the built `dist/`, and package.json
 * ships in every package.
 */
export function packageVersion(moduleUrl: string | URL): string {
  return (createRequire(moduleUrl)('../package.json') as { version: string }).version;
}
