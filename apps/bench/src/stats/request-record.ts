/** What the load generator remembers about one request: enough to aggregate, nothing more. */
export interface RequestRecord {
  /** Position in the run (0-based), so records can be matched to their keys. */
  index: number;
  /** Milliseconds from the start of the run to the moment the request was sent. */
  startedAtMs: number;
  /** Full response time at the client: redirect plus transfer (just the redirect when not followed). */
  totalMs: number;
  /** Time of the balancer's answer alone. */
  redirectMs: number;
  /** `host:port` of the 301's Location, or null when no redirect came back. */
  server: string | null;
  /** Final status (the server's, or the balancer's when not followed or not a redirect); 0 on error. */
  status: number;
  /** Body bytes of the final response. */
  bytes: number;
  ok: boolean;
  /** Error `code` (e.g. `LB_WIRE_CONNECT_FAILED`) or a short reason when `ok` is false. */
  error: string | null;
}
