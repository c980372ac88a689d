// A process for io.test.ts: says what its stop signals do, then exits 0 on the second.
import { processIo, writeLine } from './io.js';

const io = processIo();
io.stop.addEventListener('abort', () => writeLine(io.stdout, `stop ${io.stop.reason}`));
io.hurry.addEventListener('abort', () => {
  writeLine(io.stdout, `hurry ${io.hurry.reason}`);
  process.exitCode = 0;
  clearInterval(timer);
});
const timer = setInterval(() => {}, 1000);
writeLine(io.stdout, 'ready');
