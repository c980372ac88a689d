/**
 * Where things are in the monorepo. The bench runs the sibling apps from source (the way their
 * `pnpm start` does), so it needs their directories, and it writes into docs/evaluation/.
 */
import { fileURLToPath } from 'node:url';

export const REPO_ROOT: string = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVER_APP_DIR: string = fileURLToPath(new URL('../../server/', import.meta.url));
export const BALANCER_APP_DIR: string = fileURLToPath(new URL('../../balancer/', import.meta.url));
export const DEFAULT_OUT_DIR: string = fileURLToPath(
  new URL('../../../docs/evaluation/', import.meta.url),
);
