/**
 * The one-line messages a person sees on stderr for what the engine reports (scripts read the
 * --json events instead). Each names the server as in the metrics ("Server k") and its URL.
 */
import type { DownloadEvent } from '@lb/download';

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function formatEngineEvent(event: DownloadEvent): string {
  switch (event.event) {
    case 'mirror-rejected':
      return `Server ${event.server} (${event.url}) is not used: it disagrees with the other mirrors (${event.reason})`;
    case 'mirror-down':
      return `Server ${event.server} (${event.url}) failed: ${event.reason}; retrying in ${seconds(event.retryInMs)} (with backoff)`;
    case 'mirror-up':
      return `Server ${event.server} (${event.url}) is back`;
    case 'mirror-dropped':
      return `Server ${event.server} (${event.url}) dropped: ${event.reason}`;
    case 'fragment-corrupt':
      return `fragment ${event.index} from Server ${event.server} (${event.url}) failed SHA-256 verification; fetching it elsewhere`;
    case 'waiting':
      return `all servers are unreachable; waiting up to ${seconds(event.waitMs)} for one to come back`;
    case 'wait-over':
      return `Server ${event.server} answers again; continuing`;
    case 'notice':
      // The library says "resume"; the command line's word for it is -r.
      if (event.kind === 'unresumable') {
        return 'this download cannot be resumed: the mirrors offer no SHA-256 and no strong ETag, so nothing could prove on -r that they still serve the same file';
      }
      if (event.kind === 'replacing-partial') {
        return `replacing the partial download ${event.partPath} (use -r to resume it instead)`;
      }
      return event.message;
    case 'started': {
      const resumed =
        event.resumedBytes > 0
          ? `, resuming with ${event.resumedBytes} bytes already verified`
          : '';
      const check =
        event.verification === 'fragments'
          ? 'each fragment and the whole file checked by SHA-256'
          : event.verification === 'digest'
            ? 'the whole file checked by SHA-256'
            : 'no digest offered: checked by size and validators only';
      return `downloading ${event.path}: ${event.size} bytes in ${event.fragments} fragments of ${event.fragmentSize} bytes (${check})${resumed}`;
    }
    case 'verifying':
      return `checking the SHA-256 of ${event.path}`;
  }
}
