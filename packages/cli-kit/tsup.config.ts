import { defineLbConfig } from '../../tsup.shared.ts';

export default defineLbConfig(['src/index.ts']);
