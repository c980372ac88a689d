/**
 * A response as the client hands it out: the head at once, the body as a pull-based async
 * iterable. The connection pushes the parser's body views in; while nobody is pulling, one view is
 * queued and the connection is asked to pause the socket, so a slow consumer bounds what is held in
 * memory to roughly one socket read.
 */
import { BodyUsedError } from './errors.js';
import type { HeaderList } from './headers.js';
import type { ResponseHead } from './response-parser.js';

/** What the body needs from the connection that feeds it. */
export interface BodySource {
  /** Nobody is pulling: stop reading the socket. */
  pause(): void;
  /** Someone is pulling again. */
  resume(): void;
  /** Every body byte reached the consumer and the message ended. */
  drained(): void;
  /** The consumer stopped before the end; the rest of the body can never be read. */
  abandon(): void;
}

export interface ResponseTimings {
  /** Time to establish the TCP connection; 0 when the request reused a connection. */
  connectMs: number;
  /** From writing the request to the first response byte (any 1xx included). */
  firstByteMs: number;
  /** From writing the request to the end of the response; set once the message has ended. */
  doneMs?: number;
}

type Waiter = {
  resolve: (result: IteratorResult<Uint8Array>) => void;
  reject: (error: unknown) => void;
};

/** The body of one response, fed by the connection, read once by the consumer. */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  readonly #source: BodySource;
  readonly #queue: Uint8Array[] = [];
  #waiter: Waiter | null = null;
  #ended = false;
  #drained = false;
  #error: unknown = null;
  #used = false;
  #stopped = false;
  #bytesReceived = 0;
  #trailers: HeaderList | null = null;
  /**
   * Chunks are views into a read buffer the connection reuses: the socket then stays paused
   * from the moment a chunk is handed out until the consumer asks for the next one.
   */
  readonly borrowed: boolean;

  constructor(source: BodySource, borrowed = false) {
    this.#source = source;
    this.borrowed = borrowed;
  }

  /** Body bytes that arrived so far, whether or not the consumer has read them yet. */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  get trailers(): HeaderList | null {
    return this.#trailers;
  }

  /** True once the connection has delivered the whole message. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Called by the connection for each body view the parser produced. */
  push(chunk: Uint8Array): void {
    if (this.#ended || this.#error !== null || this.#stopped) return;
    this.#bytesReceived += chunk.byteLength;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (this.borrowed) this.#source.pause();
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.#queue.push(chunk);
    this.#source.pause();
  }

  /** Called by the connection when the message is complete. */
  end(trailers: HeaderList | null): void {
    if (this.#ended || this.#error !== null) return;
    this.#ended = true;
    this.#trailers = trailers;
    if (this.#queue.length === 0) this.#finish();
  }

  /**
   * Called by the connection when the message cannot complete. Bytes already queued are still
   * delivered first, then the iterator rejects; nothing rejects unless someone is reading.
   */
  fail(error: unknown): void {
    if (this.#ended || this.#error !== null || this.#stopped) return;
    this.#error = error;
    if (this.#queue.length === 0 && this.#waiter !== null) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter.reject(error);
    }
  }

  #finish(): void {
    if (this.#drained) return;
    this.#drained = true;
    const waiter = this.#waiter;
    this.#waiter = null;
    this.#source.drained();
    waiter?.resolve({ value: undefined, done: true });
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#waiter !== null) {
      return Promise.reject(new BodyUsedError('A body read is already pending'));
    }
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      if (this.#queue.length === 0) {
        if (this.#ended) this.#finish();
        // A borrowed chunk is in the consumer's hands until it asks again.
        else if (this.#error === null && !this.borrowed) this.#source.resume();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#error !== null) return Promise.reject(this.#error);
    if (this.#ended || this.#stopped) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#source.resume();
    });
  }

  #return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#drained && !this.#stopped) {
      this.#stopped = true;
      this.#queue.length = 0;
      // A message that already ended leaves the connection clean; one cut short cannot be resumed.
      if (this.#ended) this.#finish();
      else if (this.#error === null) this.#source.abandon();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#used) throw new BodyUsedError();
    this.#used = true;
    return {
      next: () => this.#next(),
      return: () => this.#return(),
    };
  }
}

/** A response whose head has arrived. */
export class ClientResponse {
  readonly head: ResponseHead;
  /** 1xx responses seen before this one, in order (e.g. 100 Continue, 103 Early Hints). */
  readonly interim: ResponseHead[];
  readonly timings: ResponseTimings;
  readonly #body: ResponseBody;

  constructor(
    head: ResponseHead,
    interim: ResponseHead[],
    body: ResponseBody,
    timings: ResponseTimings,
  ) {
    this.head = head;
    this.interim = interim;
    this.#body = body;
    this.timings = timings;
  }

  get statusCode(): number {
    return this.head.statusCode;
  }

  /**
   * The body as the parser's views into socket buffers (no copies). Iterate it once; stopping
   * early destroys the connection because the rest of the message can no longer be skipped.
   * With `readBufferSize` a chunk is only valid until the next one is requested.
   */
  get body(): AsyncIterable<Uint8Array> {
    return this.#body;
  }

  /** Body bytes received so far. */
  get bytesReceived(): number {
    return this.#body.bytesReceived;
  }

  /** Trailer fields of a chunked body, once it has ended. */
  get trailers(): HeaderList | null {
    return this.#body.trailers;
  }

  /** Reads and drops the rest of the body so the connection can be reused. */
  async discard(): Promise<void> {
    for await (const _chunk of this.#body) {
      // Dropping the views is the point.
    }
  }

  /** The whole body, copied into one buffer. */
  async bytes(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let length = 0;
    const borrowed = this.#body.borrowed;
    for await (const chunk of this.#body) {
      chunks.push(borrowed ? new Uint8Array(chunk) : chunk);
      length += chunk.byteLength;
    }
    const out = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer as ArrayBuffer;
  }

  /** The whole body decoded as UTF-8 (invalid sequences become U+FFFD). */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
}
