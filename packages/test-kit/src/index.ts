export type {
  AppRun,
  ProcessExit,
  SpawnOptions,
  WaitOptions,
} from './app-process.js';
export {
  AppExitedError,
  AppProcess,
  runApp,
  spawnApp,
} from './app-process.js';
export type { AppBuild, AppName } from './apps.js';
export { appDir, PROGRAM_NAMES, REPO_ROOT } from './apps.js';
export { bundleApp } from './bundle-app.js';
export { isAlive, killAllNow, livePids, stopAllApps } from './cleanup.js';
export {
  makeTempDir,
  patternBytes,
  removeDir,
  seededRandom,
  sha256,
  sha256File,
  writeRandomFile,
} from './files.js';
export { statusCodes } from './http-text.js';
export type { Address, ListeningEvent, ListeningLine } from './listening.js';
export { addressOf, hostPort, parseListeningEvent, parseListeningLine } from './listening.js';
export type { CapturedOutput } from './output.js';
export { captureOutput } from './output.js';
export { findProgram, hasProgram, peer, skipReason } from './peers.js';
export { freePort } from './ports.js';
export type { RunningApp, StartAppOptions } from './start-app.js';
export { startApp, startBalancer, startServer } from './start-app.js';
