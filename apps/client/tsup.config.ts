import { defineLbAppConfig } from '../../tsup.shared.ts';

export default defineLbAppConfig();
