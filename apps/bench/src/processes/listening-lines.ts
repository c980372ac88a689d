/** Addresses of the apps' listeners, read by @lb/test-kit from their `--json` listening events. */
import { type Address, addressOf, hostPort } from '@lb/test-kit';

export type ListeningAddress = Address;
export { addressOf, hostPort };
