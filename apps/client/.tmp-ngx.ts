import { findNginx, startNginx } from './test/nginx.js';

const m = await startNginx(findNginx()!, '/tmp/ngx', ['2m', '4m', '8m', '16m']);
console.log([1, 2, 3, 4].map((k) => m.url(k, '/file.bin')).join(' '));
process.on('SIGTERM', async () => {
  await m.stop();
  process.exit(0);
});
setInterval(() => {}, 1000);
