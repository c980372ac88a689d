import { defineLbConfig } from '../../tsup.shared.ts';

export default defineLbConfig({ index: 'src/index.ts', 'sim/index': 'src/sim/index.ts' });
