/**
 * The part of a parsed request head the handlers read. The connection passes @lb/http-wire's
 * `RequestHead`; tests may pass a plain object.
 */
export interface RequestInfo {
  method: string;
  target: string;
  headers: { get(name: string): string | null };
}
