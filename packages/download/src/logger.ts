/**
 * The logger the engine writes diagnostics to: the shape of pino's (`logger.info(fields, msg)`),
 * so an app passes `logger.child({ module: 'download' })`. Without one the engine is silent.
 */
export interface DownloadLogger {
  error(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

const ignore = (): void => {};

export const SILENT_LOGGER: DownloadLogger = Object.freeze({
  error: ignore,
  info: ignore,
  debug: ignore,
});
