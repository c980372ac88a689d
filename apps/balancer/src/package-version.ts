/** lb-balancer's version, from its package.json at run time. */
import { packageVersion } from '@lb/cli-kit';

export const BALANCER_VERSION: string = packageVersion(import.meta.url);
