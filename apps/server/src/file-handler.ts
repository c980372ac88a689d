/**
 * lb-server's HTTP handler: each request goes to the RequestRouter, and its plan (head, bytes, a
 * file range, multipart ranges) is written with a BodyWriter — backpressure, `--rate`,
 * `--latency`, `--fail-after`, `--corrupt` — then logged. The connection itself (parsing,
 * pipelining, keep-alive, timeouts, drain) is @lb/http-wire's `serve`.
 */
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AnswerWriter,
  chooseResponseFraming,
  formatHttpDate,
  type HttpHandler,
  type RequestRejection,
  type ServerRequest,
  serializeResponseHead,
} from '@lb/http-wire';
import type { BodyAids } from './body-aids.js';
import { type BodyOutcome, BodyWriter } from './body-writer.js';
import type { BufferPool } from './buffer-pool.js';
import type { RequestRouter } from './request-router.js';
import { type ResponsePlan, textResponse } from './response-plan.js';

/** What is logged for each response. */
export interface ResponseRecord {
  method: string;
  target: string;
  status: number;
  /** Body bytes handed to the socket. */
  bytes: number;
  ms: number;
  /** `done`, `cut` (--fail-after), `aborted` (the client went away or a read failed). */
  outcome: BodyOutcome;
  err?: unknown;
}

export interface FileHandlerOptions {
  router: RequestRouter;
  pool: BufferPool;
  aids: BodyAids;
  latencyMs: number;
  sendTimeoutMs: number;
  onResponse: (record: ResponseRecord) => void;
}

const SERVER_HEADER: [string, string] = ['Server', 'lb-server'];

let dateSecond = -1;
let dateText = '';

/**
 * The Date header, formatted once per second. Kept apart from formatHttpDate's own one-entry
 * cache, which Last-Modified (a different second) would otherwise evict on every request.
 */
function currentHttpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = formatHttpDate(now);
  }
  return dateText;
}

/** The handler `serve` calls for lb-server's connections. */
export class FileHandler implements HttpHandler {
  readonly #options: FileHandlerOptions;

  constructor(options: FileHandlerOptions) {
    this.#options = options;
  }

  handle(request: ServerRequest): AnswerWriter {
    return (stream) => this.#answer(stream, request);
  }

  /** Bad input (400/414/431/505) or a head timeout (408): the connection closes after it. */
  reject(rejection: RequestRejection): AnswerWriter {
    return async (stream) => {
      const outcome = await this.#write(
        stream,
        textResponse(rejection.status),
        'GET',
        false,
        false,
      );
      // No request line could be read: method and path are logged as '-', like nginx does.
      this.#options.onResponse({
        method: '-',
        target: '-',
        status: rejection.status,
        bytes: outcome.bytes,
        ms: performance.now() - rejection.receivedAt,
        outcome: outcome.outcome,
        err: rejection.error,
      });
      return outcome.outcome === 'done';
    };
  }

  fail(error: unknown, request: ServerRequest): AnswerWriter {
    return (stream) => this.#answer(stream, request, error);
  }

  /** Writes one response; resolves whether the connection may carry another. */
  async #answer(stream: Duplex, request: ServerRequest, failure?: unknown): Promise<boolean> {
    const head = request.head;
    try {
      let plan: ResponsePlan;
      let handlerError = failure;
      if (failure === undefined) {
        try {
          plan = await this.#options.router.handle(head);
        } catch (error) {
          handlerError = error;
          plan = textResponse(500);
        }
      } else {
        plan = textResponse(500);
      }
      // An error answer to a request whose body we have not read: close rather than drain it.
      if ((request.hasBody && plan.status >= 400) || handlerError !== undefined) {
        request.close = true;
      }
      const keepAlive = !request.close;
      const outcome = await this.#write(
        stream,
        plan,
        head.method,
        head.versionMinor === 0,
        keepAlive,
      );
      this.#options.onResponse({
        method: head.method,
        target: head.target,
        status: plan.status,
        bytes: outcome.bytes,
        ms: performance.now() - request.receivedAt,
        outcome: outcome.outcome,
        err: handlerError ?? outcome.error,
      });
      return outcome.outcome === 'done';
    } catch (error) {
      // A bug while answering must cost this connection only, never the process.
      this.#options.onResponse({
        method: head.method,
        target: head.target,
        status: 500,
        bytes: 0,
        ms: performance.now() - request.receivedAt,
        outcome: 'aborted',
        err: error,
      });
      stream.destroy();
      return false;
    }
  }

  async #write(
    stream: Duplex,
    plan: ResponsePlan,
    method: string,
    http10: boolean,
    keepAlive: boolean,
  ): Promise<{ outcome: BodyOutcome; bytes: number; error?: Error | undefined }> {
    try {
      if (this.#options.latencyMs > 0) await sleep(this.#options.latencyMs);
      if (stream.destroyed) return { outcome: 'aborted', bytes: 0 };
      const framing = chooseResponseFraming({
        statusCode: plan.status,
        requestMethod: method,
        contentLength: plan.contentLength,
      });
      const headers: Array<[string, string]> = [
        ['Date', currentHttpDate()],
        SERVER_HEADER,
        ...plan.headers,
        ...framing.headers,
      ];
      if (!keepAlive) headers.push(['Connection', 'close']);
      else if (http10) headers.push(['Connection', 'keep-alive']);
      const writer = new BodyWriter({
        socket: stream,
        pool: this.#options.pool,
        sendTimeoutMs: this.#options.sendTimeoutMs,
        aids: plan.fileContent ? this.#options.aids : undefined,
      });
      writer.setHead(serializeResponseHead({ statusCode: plan.status, headers }));
      const outcome =
        framing.mode === 'none' ? await writer.flushHead() : await writeBody(writer, plan);
      return { outcome, bytes: writer.bodyBytes, error: writer.error };
    } finally {
      plan.release();
    }
  }
}

async function writeBody(writer: BodyWriter, plan: ResponsePlan): Promise<BodyOutcome> {
  const body = plan.body;
  switch (body.kind) {
    case 'bytes':
      return writer.writeBytes(body.data);
    case 'file':
      if (body.end < body.start) return writer.flushHead();
      return writer.writeFileRange(body.fd, body.start, body.end);
    case 'multipart': {
      for (const part of body.parts) {
        let outcome = await writer.writeBytes(part.framing);
        if (outcome !== 'done') return outcome;
        outcome = await writer.writeFileRange(body.fd, part.start, part.end);
        if (outcome !== 'done') return outcome;
      }
      return writer.writeBytes(body.closing);
    }
  }
}
