import { s } from './index.js'; console.log('server', s);
