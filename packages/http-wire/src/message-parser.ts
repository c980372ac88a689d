/**
 * The incremental HTTP/1.1 engine behind RequestParser and ResponseParser (internal, not exported
 * from the package).
 *
 * Design, for speed and for split-independence:
 * - A byte state machine whose decisions depend only on the bytes seen so far, so any split of the
 *   input produces the same events and the same error (code and offset) as the whole input.
 * - The head (and a trailer section) is scanned in tight loops over the chunk, recording token
 *   offsets only; at the end one latin1 string is made for the whole section and every name, value
 *   and start-line token is a substring of it (one native call per head instead of one per token;
 *   bodiless heads pipelined in one chunk share one decoded window, see sectionText).
 * - A section that spans chunks has its bytes so far copied into `pending` (bounded by the limits);
 *   scanning resumes where it stopped, so feeding one byte per call stays linear.
 * - Body bytes are never copied: events carry `subarray` views of the chunk.
 */
import {
  findFieldValueStop,
  findTargetStop,
  MIN_WORD_SCAN,
  NO_WORDS,
  wordsOf,
} from './control-byte-scan.js';
import { HttpParseError, type HttpParseErrorCode } from './errors.js';
import { HeaderList } from './headers.js';
import { type ParserLimits, resolveParserLimits } from './limits.js';
import {
  badByteIndex,
  CONNECTION_CLOSE,
  CONNECTION_KEEP_ALIVE,
  CONNECTION_UPGRADE,
  expectsContinue,
  findInvalidAuthorityByte,
  parseConnectionOptions,
  parseContentLength,
  parseTransferEncoding,
  TRANSFER_CODING_CHUNKED,
} from './message-framing.js';
import type { ExecuteResult, ParseEvent } from './parse-event.js';
import type { RequestHead } from './request-parser.js';
import {
  findInvalidTargetByte,
  METHOD_CONNECT,
  METHOD_OPTIONS,
  METHOD_OTHER,
} from './request-target.js';
import type { ResponseHead } from './response-parser.js';
import {
  asciiBytes,
  equalsLowerTchar,
  HEX_VALUE,
  latin1String,
  TCHAR,
  TCHAR_PAIR,
} from './tokens.js';

// Byte values as module-local constants: an imported binding costs a load and a hole check on
// every use, which shows in the per-byte loops (hot loops also alias the imported tables).
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const DEL = 0x7f;

type AnyHead = RequestHead | ResponseHead;
type AnyEvent = ParseEvent<AnyHead>;

// Phases of the message stream.
const P_IDLE = 0; // between messages (skipping empty lines)
const P_IDLE_LF = 1; // CR of an empty line seen, LF expected
const P_HEAD = 2; // start line and header section: see the S_* states
const P_BODY_LENGTH = 3;
const P_BODY_EOF = 4; // close-delimited response body
const P_CHUNK_SIZE = 5;
const P_CHUNK_EXT = 6;
const P_CHUNK_SIZE_LF = 7;
const P_CHUNK_DATA = 8;
const P_CHUNK_DATA_CR = 9;
const P_CHUNK_DATA_LF = 10;
const P_TRAILERS = 11; // trailer section: the S_FIELD_* states
const P_UPGRADED = 12; // stopped: the connection left HTTP/1.1
const P_CLOSED = 13; // finish() was called
const P_FAILED = 14;

// States inside a head or trailer section. Start-line states come first (see overflowError).
const S_REQ_METHOD = 0;
const S_REQ_TARGET = 1;
const S_REQ_VERSION = 2;
const S_RES_VERSION = 3;
const S_RES_STATUS = 4;
const S_RES_REASON = 5;
const S_LINE_LF = 6;
const S_FIELD_START = 7;
const S_FIELD_NAME = 8;
const S_FIELD_OWS = 9;
const S_FIELD_VALUE = 10;
const S_FIELD_LF = 11;
const S_END_LF = 12;

// Header fields the parser interprets.
const F_OTHER = 0;
const F_CONTENT_LENGTH = 1;
const F_TRANSFER_ENCODING = 2;
const F_CONNECTION = 3;
const F_HOST = 4;
const F_EXPECT = 5;
const F_UPGRADE = 6;

const NAME_HOST = asciiBytes('host');
const NAME_EXPECT = asciiBytes('expect');
const NAME_UPGRADE = asciiBytes('upgrade');
const NAME_CONNECTION = asciiBytes('connection');
const NAME_CONTENT_LENGTH = asciiBytes('content-length');
const NAME_TRANSFER_ENCODING = asciiBytes('transfer-encoding');
const METHOD_CONNECT_BYTES = asciiBytes('CONNECT');
const METHOD_OPTIONS_BYTES = asciiBytes('OPTIONS');
const METHOD_HEAD = 'HEAD';
const METHOD_CONNECT_NAME = 'CONNECT';

// "HTTP/" then DIGIT "." DIGIT; 0 marks the digit positions.
const VERSION_TEMPLATE = asciiBytes('HTTP/\0.\0');

const FIRST_FIELD_CAPACITY = 32;
const FIRST_PENDING_CAPACITY = 1024;
// Bytes of a chunk decoded at once for head strings (see sectionText).
const TEXT_WINDOW = 4096;
const MAX_CHUNK_SIZE_DIGITS = 13; // 16^13 = 2^52: every size stays an exact integer
const FOLD = /[\t ]*\r\n[\t ]*/g;
const EDGE_WHITESPACE = /^[\t ]+|[\t ]+$/g;

function classifyField(buf: Uint8Array, start: number, end: number): number {
  let name: Uint8Array;
  let kind: number;
  switch (end - start) {
    case 4:
      name = NAME_HOST;
      kind = F_HOST;
      break;
    case 6:
      name = NAME_EXPECT;
      kind = F_EXPECT;
      break;
    case 7:
      name = NAME_UPGRADE;
      kind = F_UPGRADE;
      break;
    case 10:
      name = NAME_CONNECTION;
      kind = F_CONNECTION;
      break;
    case 14:
      name = NAME_CONTENT_LENGTH;
      kind = F_CONTENT_LENGTH;
      break;
    case 17:
      name = NAME_TRANSFER_ENCODING;
      kind = F_TRANSFER_ENCODING;
      break;
    default:
      return F_OTHER;
  }
  // The first letter rejects most other names of these lengths without the comparison loop.
  return (buf[start]! | 0x20) === name[0] && equalsLowerTchar(buf, start, name) ? kind : F_OTHER;
}

function equalsBytes(buf: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (buf[start + k] !== expected[k]) return false;
  return true;
}

function classifyMethod(buf: Uint8Array, start: number, end: number): number {
  if (equalsBytes(buf, start, end, METHOD_CONNECT_BYTES)) return METHOD_CONNECT;
  if (equalsBytes(buf, start, end, METHOD_OPTIONS_BYTES)) return METHOD_OPTIONS;
  return METHOD_OTHER;
}

/**
 * Per-field bookkeeping lives in packed arrays of small integers rather than typed arrays: once
 * any ArrayBuffer in the process has been detached, V8 guards every typed-array access with a
 * detached-buffer check, which these arrays do not need (see tokens.ts).
 */
function zeros(n: number): number[] {
  return Array.from({ length: n }, () => 0);
}

/** `from` followed by zeros up to `n` elements. */
function grown(from: number[], n: number): number[] {
  const to = zeros(n);
  for (let k = 0; k < from.length; k++) to[k] = from[k]!;
  return to;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export class HttpMessageParser {
  private readonly isRequest: boolean;
  private readonly maxStartLine: number;
  private readonly maxHeaderBytes: number;
  private readonly maxFields: number;
  private readonly maxChunkExtension: number;
  private readonly maxTrailerBytes: number;

  private phase = P_IDLE;
  private failure: HttpParseError | null = null;
  /** Absolute stream offset of the first byte of the next chunk. */
  private streamOffset = 0;
  /** Absolute stream offset of `chunk[0]` during `execute`. */
  private chunkBase = 0;
  private events: AnyEvent[] = [];
  /** Chunk index just after the last complete message of this call, and its event count. */
  private lastEndPos = -1;
  private lastEndEvents = 0;

  // --- the head or trailer section being scanned ---
  private sstate = S_FIELD_START;
  /** Index of the section's first byte in the current view (0 once copied to `pending`). */
  private secStart = 0;
  /** Absolute stream offset of the section's first byte. */
  private secAbs = 0;
  /** Section-relative position the section may not reach (the active limit). */
  private limitRel = 0;
  /** View index where scanning resumes when the section continues in `pending`. */
  private resumeAt = 0;
  private sectionCapacity = 0;
  private inPending = false;
  // A Buffer, so that making the section string is a direct latin1Slice call.
  private pending: Uint8Array = Buffer.allocUnsafeSlow(0);
  private pendingLen = 0;
  private fieldCount = 0;
  /** Per field, section-relative: name start, name end, value start, value end (trimmed). */
  private fieldTok: number[];
  /** F_* per field; its length is the current field capacity (grown up to maxFields). */
  private fieldKind: number[];
  /** Set per field holding an obs-fold (responses only); `anyFolded` avoids clearing it per head. */
  private fieldFolded: number[];
  private anyFolded = false;
  // Start-line tokens, section-relative.
  private methodEnd = 0;
  private methodKind = METHOD_OTHER;
  private targetStart = 0;
  private targetEnd = 0;
  private versionStart = 0;
  private statusStart = 0;
  private reasonStart = 0;
  private reasonEnd = 0;

  /** Word view of the last array scanned (the chunk or `pending`), made on first need. */
  private wordsBuf: Uint8Array | null = null;
  private words: DataView = NO_WORDS;

  /** latin1 text of `textView[textStart, textEnd)`, shared by the heads inside it. */
  private text = '';
  private textView: Uint8Array | null = null;
  private textStart = 0;
  private textEnd = 0;

  // --- body ---
  private bodyRemaining = 0;
  private chunkSize = 0;
  private chunkDigits = 0;
  private chunkExtStartAbs = 0;
  private chunkExtSemicolon = false;
  private stopAfterMessage = false;

  // --- responses: methods of the requests still waiting for a final response ---
  private readonly expectedMethods: string[] = [];

  constructor(isRequest: boolean, limits?: ParserLimits) {
    const resolved = resolveParserLimits(limits);
    this.isRequest = isRequest;
    this.maxStartLine = resolved.maxRequestLineBytes;
    this.maxHeaderBytes = resolved.maxHeaderBytes;
    this.maxFields = resolved.maxHeaderCount;
    this.maxChunkExtension = resolved.maxChunkExtensionBytes;
    this.maxTrailerBytes = resolved.maxTrailerBytes;
    const capacity = Math.min(FIRST_FIELD_CAPACITY, this.maxFields);
    this.fieldTok = zeros(4 * capacity);
    this.fieldKind = zeros(capacity);
    this.fieldFolded = zeros(capacity);
  }

  /** True once an upgrade/CONNECT message stopped the parser. */
  get upgraded(): boolean {
    return this.phase === P_UPGRADED;
  }

  expectResponseTo(method: string): void {
    this.expectedMethods.push(method);
  }

  /** Continues HTTP parsing after an upgrade the server declined (requests only). */
  resumeAfterUpgrade(): void {
    if (this.phase === P_UPGRADED) {
      this.phase = P_IDLE;
      this.stopAfterMessage = false;
    }
  }

  execute(chunk: Uint8Array): ExecuteResult<AnyHead> {
    if (this.phase >= P_UPGRADED) return this.executeStopped();
    const events: AnyEvent[] = [];
    this.events = events;
    this.lastEndPos = -1;
    this.chunkBase = this.streamOffset;
    // A trailer section that began exactly at the end of the previous chunk has no bytes yet.
    if (!this.inPending) this.secStart = 0;
    let consumed: number;
    try {
      consumed = this.run(chunk);
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      this.phase = P_FAILED;
      this.failure = err;
      // Complete messages before the bad byte are delivered; the next call throws.
      if (this.lastEndPos < 0) throw err;
      events.length = this.lastEndEvents;
      consumed = this.lastEndPos;
    } finally {
      // Do not keep the caller's chunk alive through the word view.
      this.wordsBuf = null;
      this.words = NO_WORDS;
      this.textView = null;
      this.text = '';
    }
    this.streamOffset += consumed;
    return { consumed, events };
  }

  finish(): ExecuteResult<AnyHead> {
    if (this.failure !== null) throw this.failure;
    const events: AnyEvent[] = [];
    const phase = this.phase;
    if (phase === P_BODY_EOF) {
      events.push({ kind: 'end', trailers: null });
    } else if (phase > P_IDLE_LF && phase < P_UPGRADED) {
      throw this.failAt(
        'HPE_INVALID_EOF_STATE',
        this.streamOffset,
        'Connection ended in the middle of a message',
      );
    }
    this.phase = P_CLOSED;
    return { consumed: 0, events };
  }

  private executeStopped(): ExecuteResult<AnyHead> {
    if (this.failure !== null) throw this.failure;
    if (this.phase === P_CLOSED) {
      throw this.failAt('HPE_CLOSED_CONNECTION', this.streamOffset, 'Data after finish()');
    }
    return { consumed: 0, events: [] };
  }

  private failAt(
    code: HttpParseErrorCode,
    offset: number,
    message: string,
    requestStatus = 400,
  ): HttpParseError {
    // A response error is the upstream's fault: a gateway answers 502 whatever the cause.
    const err = new HttpParseError(code, offset, message, this.isRequest ? requestStatus : 502);
    this.phase = P_FAILED;
    this.failure = err;
    return err;
  }

  /** Error at a chunk index. */
  private failChunk(code: HttpParseErrorCode, pos: number, message: string): HttpParseError {
    return this.failAt(code, this.chunkBase + pos, `${message} at byte ${this.chunkBase + pos}`);
  }

  /** Error at a section-relative position. */
  private failSection(
    code: HttpParseErrorCode,
    rel: number,
    message: string,
    requestStatus = 400,
  ): HttpParseError {
    const offset = this.secAbs + rel;
    return this.failAt(code, offset, `${message} at byte ${offset}`, requestStatus);
  }

  private run(chunk: Uint8Array): number {
    const len = chunk.length;
    let pos = 0;
    while (pos < len) {
      switch (this.phase) {
        case P_IDLE:
          if (chunk[pos] === CR) {
            // RFC 9112 §2.2: ignore empty lines before a start line.
            pos++;
            this.phase = P_IDLE_LF;
          } else {
            this.beginHead(pos);
            pos = this.runSectionIn(chunk, pos);
          }
          break;
        case P_IDLE_LF:
          if (chunk[pos] !== LF)
            throw this.failChunk('HPE_LF_EXPECTED', pos, 'Expected LF after CR');
          pos++;
          this.phase = P_IDLE;
          break;
        case P_HEAD:
        case P_TRAILERS:
          pos = this.runSectionIn(chunk, pos);
          break;
        case P_BODY_LENGTH: {
          const remaining = this.bodyRemaining;
          if (len - pos < remaining) {
            this.events.push({ kind: 'body', data: chunk.subarray(pos, len) });
            this.bodyRemaining = remaining - (len - pos);
            pos = len;
          } else {
            this.events.push({ kind: 'body', data: chunk.subarray(pos, pos + remaining) });
            pos += remaining;
            this.endMessage(null, pos);
          }
          break;
        }
        case P_BODY_EOF:
          this.events.push({ kind: 'body', data: chunk.subarray(pos, len) });
          pos = len;
          break;
        case P_CHUNK_SIZE:
          pos = this.runChunkSize(chunk, pos);
          break;
        case P_CHUNK_EXT:
          pos = this.runChunkExtension(chunk, pos);
          break;
        case P_CHUNK_SIZE_LF:
          pos = this.runChunkSizeLf(chunk, pos);
          break;
        case P_CHUNK_DATA: {
          const remaining = this.bodyRemaining;
          if (len - pos < remaining) {
            this.events.push({ kind: 'body', data: chunk.subarray(pos, len) });
            this.bodyRemaining = remaining - (len - pos);
            pos = len;
          } else {
            this.events.push({ kind: 'body', data: chunk.subarray(pos, pos + remaining) });
            pos += remaining;
            this.phase = P_CHUNK_DATA_CR;
          }
          break;
        }
        case P_CHUNK_DATA_CR:
          if (chunk[pos] !== CR) {
            throw this.failChunk('HPE_CR_EXPECTED', pos, 'Expected CRLF after chunk data');
          }
          pos++;
          this.phase = P_CHUNK_DATA_LF;
          break;
        case P_CHUNK_DATA_LF:
          if (chunk[pos] !== LF) {
            throw this.failChunk('HPE_LF_EXPECTED', pos, 'Expected LF after chunk data');
          }
          pos++;
          this.phase = P_CHUNK_SIZE;
          break;
        default:
          // P_UPGRADED: the remaining bytes belong to the next protocol.
          return pos;
      }
    }
    return pos;
  }

  private beginHead(pos: number): void {
    if (!this.isRequest && this.expectedMethods.length === 0) {
      throw this.failChunk(
        'HPE_UNEXPECTED_RESPONSE',
        pos,
        'Response data while no request is outstanding',
      );
    }
    this.phase = P_HEAD;
    this.sstate = this.isRequest ? S_REQ_METHOD : S_RES_VERSION;
    this.limitRel = this.maxStartLine;
    this.sectionCapacity = this.maxStartLine + this.maxHeaderBytes;
    this.beginSection(pos);
  }

  private beginTrailers(pos: number): void {
    this.phase = P_TRAILERS;
    this.sstate = S_FIELD_START;
    this.limitRel = this.maxTrailerBytes;
    this.sectionCapacity = this.maxTrailerBytes;
    this.beginSection(pos);
  }

  private beginSection(pos: number): void {
    this.secStart = pos;
    this.secAbs = this.chunkBase + pos;
    this.fieldCount = 0;
    this.inPending = false;
    if (this.anyFolded) {
      this.fieldFolded.fill(0);
      this.anyFolded = false;
    }
  }

  /** Scans a section from `chunk[pos]`; returns the chunk index after what it used. */
  private runSectionIn(chunk: Uint8Array, pos: number): number {
    const len = chunk.length;
    if (!this.inPending) {
      const done = this.runSection(chunk, pos, len);
      if (done >= 0) {
        this.completeSection(chunk, done, done);
        return done;
      }
      this.stashSection(chunk);
      return len;
    }
    const before = this.pendingLen;
    // Never copy more than the limits allow: past that point the scan has stopped or thrown.
    const take = Math.min(len - pos, this.sectionCapacity - before);
    this.appendPending(chunk, pos, take);
    const done = this.runSection(this.pending, this.resumeAt, this.pendingLen);
    if (done < 0) return pos + take;
    const next = pos + (done - before);
    this.completeSection(this.pending, done, next);
    return next;
  }

  private stashSection(chunk: Uint8Array): void {
    const start = this.secStart;
    const n = chunk.length - start;
    this.pendingLen = 0;
    this.appendPending(chunk, start, n);
    this.resumeAt -= start;
    this.secStart = 0;
    this.inPending = true;
  }

  private appendPending(chunk: Uint8Array, from: number, n: number): void {
    const needed = this.pendingLen + n;
    if (needed > this.pending.length) {
      const grown = Buffer.allocUnsafeSlow(
        Math.min(
          Math.max(needed, this.pending.length * 2, FIRST_PENDING_CAPACITY),
          this.sectionCapacity,
        ),
      );
      grown.set(this.pending.subarray(0, this.pendingLen));
      this.pending = grown;
    }
    const pending = this.pending;
    let at = this.pendingLen;
    if (n < 16) {
      for (let k = 0; k < n; k++) pending[at++] = chunk[from + k]!;
    } else {
      pending.set(chunk.subarray(from, from + n), at);
    }
    this.pendingLen = needed;
  }

  private growFields(): void {
    const capacity = Math.min(this.fieldKind.length * 2, this.maxFields);
    this.fieldTok = grown(this.fieldTok, 4 * capacity);
    this.fieldKind = grown(this.fieldKind, capacity);
    this.fieldFolded = grown(this.fieldFolded, capacity);
  }

  private wordsFor(buf: Uint8Array): DataView {
    if (this.wordsBuf !== buf) {
      this.words = wordsOf(buf);
      this.wordsBuf = buf;
    }
    return this.words;
  }

  private overflowError(state: number): HttpParseError {
    const rel = this.limitRel;
    if (state <= S_LINE_LF) {
      if (this.isRequest) {
        return this.failSection('HPE_URI_TOO_LONG', rel, 'Request line too long', 414);
      }
      return this.failSection('HPE_HEADER_OVERFLOW', rel, 'Status line too long');
    }
    const what = this.phase === P_TRAILERS ? 'Trailer section' : 'Header section';
    return this.failSection('HPE_HEADER_OVERFLOW', rel, `${what} too large`, 431);
  }

  /**
   * The section state machine over `buf[i, end)`. Returns the index just after the section's final
   * CRLF, or -1 when it needs more bytes (state saved). Every position it stores is relative to the
   * section start, so the bytes can move to `pending` without rewriting anything. The start line
   * and the field lines are scanned by separate methods: the field loop is the hot one, and
   * TurboFan keeps its variables in registers better when it is compiled on its own.
   */
  private runSection(buf: Uint8Array, i: number, end: number): number {
    if (this.sstate < S_FIELD_START) {
      i = this.runStartLine(buf, i, end);
      if (i < 0) return -1;
    }
    return this.runFields(buf, i, end);
  }

  /** Start-line states; returns the index after its CRLF, or -1 when it needs more bytes. */
  private runStartLine(buf: Uint8Array, i: number, end: number): number {
    const tchar = TCHAR;
    const ss = this.secStart;
    let state = this.sstate;
    const limitPos = ss + this.limitRel;
    const lim = Math.min(end, limitPos);
    const words = end - i >= MIN_WORD_SCAN ? this.wordsFor(buf) : NO_WORDS;
    for (;;) {
      switch (state) {
        case S_REQ_METHOD: {
          while (i < lim && tchar[buf[i]!] === 1) i++;
          if (i === lim) break;
          if (buf[i] !== SP || i === ss) {
            throw this.failSection('HPE_INVALID_METHOD', i - ss, 'Invalid method');
          }
          this.methodEnd = i - ss;
          this.methodKind = classifyMethod(buf, ss, i);
          i++;
          this.targetStart = i - ss;
          state = S_REQ_TARGET;
          continue;
        }
        case S_REQ_TARGET: {
          i = findTargetStop(buf, words, i, lim);
          if (i === lim) break;
          const c = buf[i]!;
          const ts = ss + this.targetStart;
          if (c !== SP) {
            if ((c === CR || c === LF) && i > ts) {
              throw this.failSection('HPE_INVALID_VERSION', i - ss, 'Missing HTTP version');
            }
            throw this.failSection('HPE_INVALID_URL', i - ss, 'Invalid byte in request target');
          }
          const bad = i === ts ? i : findInvalidTargetByte(buf, ts, i, this.methodKind);
          if (bad >= 0)
            throw this.failSection('HPE_INVALID_URL', bad - ss, 'Invalid request target');
          this.targetEnd = i - ss;
          i++;
          this.versionStart = i - ss;
          state = S_REQ_VERSION;
          continue;
        }
        case S_REQ_VERSION:
        case S_RES_VERSION: {
          const vs = ss + this.versionStart;
          while (i < lim && i - vs < 8) {
            const c = buf[i]!;
            const expected = VERSION_TEMPLATE[i - vs]!;
            if (expected === 0 ? !isDigit(c) : c !== expected) {
              throw this.failSection('HPE_INVALID_VERSION', i - ss, 'Invalid HTTP version');
            }
            i++;
          }
          if (i === lim) break;
          const c = buf[i]!;
          if (state === S_REQ_VERSION) {
            if (c === CR) {
              i++;
              state = S_LINE_LF;
              continue;
            }
            if (c === LF) throw this.failSection('HPE_CR_EXPECTED', i - ss, 'Bare LF in head');
            throw this.failSection('HPE_INVALID_VERSION', i - ss, 'Invalid HTTP version');
          }
          if (c !== SP) {
            throw this.failSection('HPE_INVALID_VERSION', i - ss, 'Invalid HTTP version');
          }
          if (buf[vs + 5] !== 0x31 || (buf[vs + 7] !== 0x30 && buf[vs + 7] !== 0x31)) {
            throw this.failSection(
              'HPE_INVALID_VERSION',
              vs - ss,
              'Unsupported HTTP version in response',
            );
          }
          i++;
          this.statusStart = i - ss;
          state = S_RES_STATUS;
          continue;
        }
        case S_RES_STATUS: {
          const st = ss + this.statusStart;
          while (i < lim && i - st < 3) {
            if (!isDigit(buf[i]!)) {
              throw this.failSection('HPE_INVALID_STATUS', i - ss, 'Invalid status code');
            }
            i++;
          }
          if (i === lim) break;
          const c = buf[i]!;
          if (c !== SP && c !== CR) {
            if (c === LF) throw this.failSection('HPE_CR_EXPECTED', i - ss, 'Bare LF in head');
            throw this.failSection('HPE_INVALID_STATUS', i - ss, 'Invalid status code');
          }
          const status = (buf[st]! - 0x30) * 100 + (buf[st + 1]! - 0x30) * 10 + buf[st + 2]! - 0x30;
          // RFC 9110 §15: values outside 100..599 are invalid.
          if (status < 100 || status > 599) {
            throw this.failSection('HPE_INVALID_STATUS', st - ss, 'Status code out of range');
          }
          if (c === CR) {
            // "HTTP/1.1 200" without SP and reason: accepted, as most clients do.
            this.reasonStart = this.reasonEnd = i - ss;
            i++;
            state = S_LINE_LF;
            continue;
          }
          i++;
          this.reasonStart = i - ss;
          state = S_RES_REASON;
          continue;
        }
        case S_RES_REASON: {
          let c = 0;
          while (i < lim) {
            c = buf[i]!;
            if (c < SP ? c !== HTAB : c === DEL) break;
            i++;
          }
          if (i === lim) break;
          if (c === CR) {
            this.reasonEnd = i - ss;
            i++;
            state = S_LINE_LF;
            continue;
          }
          if (c === LF) throw this.failSection('HPE_CR_EXPECTED', i - ss, 'Bare LF in head');
          throw this.failSection('HPE_INVALID_STATUS', i - ss, 'Invalid byte in reason phrase');
        }
        case S_LINE_LF: {
          if (i === lim) break;
          if (buf[i] !== LF) throw this.failSection('HPE_LF_EXPECTED', i - ss, 'Bare CR in head');
          i++;
          if (this.isRequest) this.checkRequestVersion(buf, ss);
          this.limitRel = i - ss + this.maxHeaderBytes;
          this.sstate = S_FIELD_START;
          return i;
        }
      }
      // Out of bytes, or at the limit.
      if (i === limitPos) throw this.overflowError(state);
      this.sstate = state;
      this.resumeAt = i;
      return -1;
    }
  }

  /** Field lines up to the empty line that ends the section (the S_FIELD_* states, S_END_LF). */
  private runFields(buf: Uint8Array, i: number, end: number): number {
    const tchar = TCHAR;
    const tcharPair = TCHAR_PAIR;
    const ss = this.secStart;
    let state = this.sstate;
    const limitPos = ss + this.limitRel;
    const lim = Math.min(end, limitPos);
    let n = this.fieldCount;
    let tok = this.fieldTok;
    const words = end - i >= MIN_WORD_SCAN ? this.wordsFor(buf) : NO_WORDS;
    // One pass per field line: these steps run in order, and a step is skipped only when resuming
    // in the middle of a line.
    for (;;) {
      if (state === S_END_LF) {
        if (i === lim) break;
        if (buf[i] !== LF) throw this.failSection('HPE_LF_EXPECTED', i - ss, 'Bare CR in head');
        this.fieldCount = n;
        return i + 1;
      }
      if (state === S_FIELD_START) {
        if (i === lim) break;
        const c = buf[i]!;
        if (tchar[c] !== 1) {
          if (c === CR) {
            i++;
            state = S_END_LF;
            continue;
          }
          if (c === LF) throw this.failSection('HPE_CR_EXPECTED', i - ss, 'Bare LF in head');
          if (c !== SP && c !== HTAB) {
            throw this.failSection('HPE_INVALID_HEADER_TOKEN', i - ss, 'Invalid header field name');
          }
          if (this.isRequest || n === 0) {
            throw this.failSection('HPE_INVALID_HEADER_TOKEN', i - ss, 'Obsolete line folding');
          }
          // obs-fold in a response: unfolded to one SP when the strings are made.
          this.fieldFolded[n - 1] = 1;
          this.anyFolded = true;
          i++;
          state = S_FIELD_VALUE;
        } else {
          if (n === this.fieldKind.length) {
            if (n === this.maxFields) {
              throw this.failSection('HPE_HEADER_OVERFLOW', i - ss, 'Too many header fields', 431);
            }
            this.growFields();
            tok = this.fieldTok;
          }
          tok[4 * n] = i - ss;
          i++;
          state = S_FIELD_NAME;
        }
      }
      if (state === S_FIELD_NAME) {
        // Four bytes per step while all are tchar, then byte by byte up to the colon.
        const wordLim = words === NO_WORDS ? 0 : lim;
        while (i + 4 <= wordLim) {
          const x = words.getInt32(i, true);
          if ((tcharPair[x & 0xffff]! & tcharPair[x >>> 16]!) !== 1) break;
          i += 4;
        }
        while (i < lim && tchar[buf[i]!] === 1) i++;
        if (i === lim) break;
        if (buf[i] !== COLON) {
          throw this.failSection(
            'HPE_INVALID_HEADER_TOKEN',
            i - ss,
            'Invalid byte in header field name',
          );
        }
        this.fieldKind[n] = classifyField(buf, ss + tok[4 * n]!, i);
        tok[4 * n + 1] = i - ss;
        n++;
        i++;
        state = S_FIELD_OWS;
      }
      if (state === S_FIELD_OWS) {
        while (i < lim) {
          const c = buf[i];
          if (c !== SP && c !== HTAB) break;
          i++;
        }
        if (i === lim) break;
        tok[4 * n - 2] = i - ss;
        state = S_FIELD_VALUE;
      }
      if (state === S_FIELD_VALUE) {
        i = findFieldValueStop(buf, words, i, lim);
        if (i === lim) break;
        const c = buf[i]!;
        if (c !== CR) {
          if (c === LF) throw this.failSection('HPE_CR_EXPECTED', i - ss, 'Bare LF in head');
          throw this.failSection(
            'HPE_INVALID_HEADER_TOKEN',
            i - ss,
            'Invalid byte in header field value',
          );
        }
        const vs = ss + tok[4 * n - 2]!;
        let ve = i;
        while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
        tok[4 * n - 1] = ve - ss;
        i++;
        state = S_FIELD_LF;
      }
      // S_FIELD_LF
      if (i === lim) break;
      if (buf[i] !== LF) throw this.failSection('HPE_LF_EXPECTED', i - ss, 'Bare CR in head');
      i++;
      state = S_FIELD_START;
    }
    // Out of bytes, or at the limit.
    if (i === limitPos) throw this.overflowError(state);
    this.sstate = state;
    this.fieldCount = n;
    this.resumeAt = i;
    return -1;
  }

  /** A well-formed version other than 1.0/1.1 on a request line gets 505 (RFC 9110 15.6.6). */
  private checkRequestVersion(buf: Uint8Array, ss: number): void {
    const vs = ss + this.versionStart;
    if (buf[vs + 5] !== 0x31 || (buf[vs + 7] !== 0x30 && buf[vs + 7] !== 0x31)) {
      throw this.failSection('HPE_INVALID_VERSION', vs - ss, 'Unsupported HTTP version', 505);
    }
  }

  private completeSection(view: Uint8Array, done: number, chunkPos: number): void {
    this.inPending = false;
    this.pendingLen = 0;
    // An idle connection should not hold on to the buffer of one unusually large head.
    if (this.pending.length > 4 * FIRST_PENDING_CAPACITY) this.pending = Buffer.allocUnsafeSlow(0);
    if (this.phase === P_HEAD) this.completeHead(view, done, chunkPos);
    else this.completeTrailers(view, done, chunkPos);
  }

  /**
   * Text holding `view[ss, done)`; `view[ss]` is at `ss - this.textStart`. Decoding is a native
   * call with a fixed cost of about 100 ns, more than the rest of a short head: when `ahead` (the
   * next head may start inside the window) the bytes up to TEXT_WINDOW are decoded too, body bytes
   * included, so the next heads pipelined in the chunk reuse the text. A retained value keeps at
   * most that window alive, not the chunk.
   */
  private sectionText(view: Uint8Array, ss: number, done: number, ahead: boolean): string {
    if (view === this.pending || !ahead) {
      // `pending` is rewritten by the next section: no reuse.
      this.textView = null;
      this.textStart = ss;
      this.text = latin1String(view, ss, done);
    } else if (view !== this.textView || ss < this.textStart || done > this.textEnd) {
      const end = Math.min(view.length, Math.max(done, ss + TEXT_WINDOW));
      this.textView = view;
      this.textStart = ss;
      this.textEnd = end;
      this.text = latin1String(view, ss, end);
    }
    return this.text;
  }

  /** Names and values of the section's fields as substrings of `text`, where the section is at `base`. */
  private fieldStrings(text: string, base: number): string[] {
    const n = this.fieldCount;
    const tok = this.fieldTok;
    const raw: string[] = new Array(2 * n);
    for (let k = 0; k < n; k++) {
      const t = 4 * k;
      raw[2 * k] = text.slice(base + tok[t]!, base + tok[t + 1]!);
      let value = text.slice(base + tok[t + 2]!, base + tok[t + 3]!);
      if (this.anyFolded && this.fieldFolded[k] === 1) {
        value = value.replace(FOLD, ' ').replace(EDGE_WHITESPACE, '');
      }
      raw[2 * k + 1] = value;
    }
    return raw;
  }

  private completeTrailers(view: Uint8Array, done: number, chunkPos: number): void {
    // Trailer fields never change framing: they are only reported.
    let trailers: HeaderList | null = null;
    if (this.fieldCount > 0) {
      const text = this.sectionText(view, this.secStart, done, false);
      trailers = new HeaderList(this.fieldStrings(text, this.secStart - this.textStart));
    }
    this.endMessage(trailers, chunkPos);
  }

  private endMessage(trailers: HeaderList | null, chunkPos: number): void {
    this.events.push({ kind: 'end', trailers });
    this.lastEndPos = chunkPos;
    this.lastEndEvents = this.events.length;
    this.phase = this.stopAfterMessage ? P_UPGRADED : P_IDLE;
  }

  private completeHead(view: Uint8Array, done: number, chunkPos: number): void {
    const ss = this.secStart;
    const major = view[ss + this.versionStart + 5]! - 0x30;
    const minor = view[ss + this.versionStart + 7]! - 0x30;
    const http11 = minor === 1;

    // Framing and connection fields (RFC 9112 §6.1-6.3, §9.3), checked in field order so the
    // first offending field is the one reported.
    let contentLength = -1;
    let contentLengthField = -1;
    let transferEncodingField = -1;
    let chunked = false;
    let connection = 0;
    let hostCount = 0;
    let expectContinue = false;
    let upgradeField = false;
    const n = this.fieldCount;
    const tok = this.fieldTok;
    const kinds = this.fieldKind;
    for (let k = 0; k < n; k++) {
      const kind = kinds[k]!;
      if (kind === F_OTHER) continue;
      const t = 4 * k;
      const vs = ss + tok[t + 2]!;
      const ve = ss + tok[t + 3]!;
      const folded = this.anyFolded && this.fieldFolded[k] === 1;
      switch (kind) {
        case F_CONTENT_LENGTH: {
          if (folded) {
            throw this.failSection('HPE_INVALID_CONTENT_LENGTH', vs - ss, 'Folded Content-Length');
          }
          const value = parseContentLength(view, vs, ve);
          if (value < 0) {
            throw this.failSection(
              'HPE_INVALID_CONTENT_LENGTH',
              badByteIndex(value) - ss,
              'Invalid Content-Length',
            );
          }
          if (contentLength >= 0 && value !== contentLength) {
            throw this.failSection(
              'HPE_INVALID_CONTENT_LENGTH',
              vs - ss,
              'Conflicting Content-Length values',
            );
          }
          if (transferEncodingField >= 0) {
            throw this.failSection(
              'HPE_UNEXPECTED_CONTENT_LENGTH',
              tok[t]!,
              'Content-Length with Transfer-Encoding',
            );
          }
          contentLength = value;
          contentLengthField = k;
          break;
        }
        case F_TRANSFER_ENCODING: {
          if (!http11) {
            // RFC 9112 §6.1: framing of an HTTP/1.0 message with Transfer-Encoding is faulty.
            throw this.failSection(
              'HPE_INVALID_TRANSFER_ENCODING',
              tok[t]!,
              'Transfer-Encoding in an HTTP/1.0 message',
            );
          }
          if (transferEncodingField >= 0) {
            throw this.failSection(
              'HPE_INVALID_TRANSFER_ENCODING',
              tok[t]!,
              'Repeated Transfer-Encoding field',
            );
          }
          if (folded) {
            throw this.failSection(
              'HPE_INVALID_TRANSFER_ENCODING',
              vs - ss,
              'Folded Transfer-Encoding',
            );
          }
          const coding = parseTransferEncoding(view, vs, ve);
          if (coding < 0) {
            throw this.failSection(
              'HPE_INVALID_TRANSFER_ENCODING',
              badByteIndex(coding) - ss,
              'Invalid Transfer-Encoding',
            );
          }
          if (this.isRequest && coding !== TRANSFER_CODING_CHUNKED) {
            // RFC 9112 §6.3: a request body whose final coding is not chunked has no length.
            throw this.failSection(
              'HPE_INVALID_TRANSFER_ENCODING',
              vs - ss,
              'Final transfer coding of a request is not chunked',
            );
          }
          if (contentLengthField >= 0) {
            throw this.failSection(
              'HPE_UNEXPECTED_CONTENT_LENGTH',
              tok[t]!,
              'Transfer-Encoding with Content-Length',
            );
          }
          transferEncodingField = k;
          chunked = coding === TRANSFER_CODING_CHUNKED;
          break;
        }
        case F_CONNECTION:
          connection |= parseConnectionOptions(view, vs, ve);
          break;
        case F_HOST:
          if (this.isRequest) {
            hostCount++;
            if (hostCount > 1) {
              throw this.failSection('HPE_INVALID_HOST', tok[t]!, 'Repeated Host field');
            }
            const bad = findInvalidAuthorityByte(view, vs, ve, false);
            if (bad >= 0) throw this.failSection('HPE_INVALID_HOST', bad - ss, 'Invalid Host');
          }
          break;
        case F_EXPECT:
          if (expectsContinue(view, vs, ve)) expectContinue = true;
          break;
        default:
          upgradeField = true;
      }
    }
    // Strings only now: the framing above says where the next head can start. Sharing the decoded
    // window pays when that is inside it: no body, a short Content-Length body, or a chunked body
    // (its length is unknown; at worst a large one costs one 4 KiB decode per message).
    const ahead =
      transferEncodingField >= 0 || contentLength <= 0 || done + contentLength < ss + TEXT_WINDOW;
    const text = this.sectionText(view, ss, done, ahead);
    const base = ss - this.textStart;
    const headers = new HeaderList(this.fieldStrings(text, base));
    const keepAlive =
      (connection & CONNECTION_CLOSE) === 0 &&
      (http11 || (connection & CONNECTION_KEEP_ALIVE) !== 0);
    const cl = contentLength >= 0 ? contentLength : null;

    if (this.isRequest) {
      if (http11 && hostCount === 0) {
        // RFC 9112 §3.2: reported where the missing field should have been, the final CRLF.
        throw this.failSection('HPE_INVALID_HOST', done - 2 - ss, 'Missing Host field');
      }
      const connect = this.methodKind === METHOD_CONNECT;
      const upgrade = connect || ((connection & CONNECTION_UPGRADE) !== 0 && upgradeField);
      const head: RequestHead = {
        method: text.slice(base, base + this.methodEnd),
        target: text.slice(base + this.targetStart, base + this.targetEnd),
        versionMajor: major,
        versionMinor: minor,
        headers,
        keepAlive,
        contentLength: cl,
        chunked,
        // RFC 9110 10.1.1: ignore 100-continue in HTTP/1.0 requests.
        expectContinue: expectContinue && http11,
        upgrade,
      };
      this.stopAfterMessage = upgrade;
      this.events.push({ kind: 'head', head });
      // A CONNECT request has no content: the tunnel starts right after the head.
      if (connect) this.endMessage(null, chunkPos);
      else this.startBody(chunked, cl, false, chunkPos);
      return;
    }

    const statusCode = this.statusCode(view, ss);
    let bodyless = false;
    this.stopAfterMessage = false;
    if (statusCode < 200) {
      bodyless = true;
      // 1xx responses precede the final one; only 101 ends the exchange (protocol switch).
      if (statusCode === 101) {
        this.expectedMethods.shift();
        this.stopAfterMessage = true;
      }
    } else {
      const method = this.expectedMethods.shift();
      if (method === METHOD_HEAD || statusCode === 204 || statusCode === 304) bodyless = true;
      else if (method === METHOD_CONNECT_NAME && statusCode < 300) {
        bodyless = true;
        this.stopAfterMessage = true;
      }
    }
    // RFC 9112 §6.3: Transfer-Encoding not ending in chunked, or no framing at all, means the
    // body runs until the connection closes.
    const closeDelimited = !bodyless && (transferEncodingField >= 0 ? !chunked : contentLength < 0);
    const head: ResponseHead = {
      statusCode,
      reason: text.slice(base + this.reasonStart, base + this.reasonEnd),
      versionMajor: major,
      versionMinor: minor,
      headers,
      keepAlive: keepAlive && !closeDelimited && !this.stopAfterMessage,
      contentLength: cl,
      chunked: chunked && !bodyless,
    };
    this.events.push({ kind: 'head', head });
    if (bodyless) this.endMessage(null, chunkPos);
    else this.startBody(chunked, cl, closeDelimited, chunkPos);
  }

  private statusCode(view: Uint8Array, ss: number): number {
    const st = ss + this.statusStart;
    return (view[st]! - 0x30) * 100 + (view[st + 1]! - 0x30) * 10 + view[st + 2]! - 0x30;
  }

  private startBody(
    chunked: boolean,
    contentLength: number | null,
    closeDelimited: boolean,
    chunkPos: number,
  ): void {
    if (chunked) {
      this.phase = P_CHUNK_SIZE;
      this.chunkSize = 0;
      this.chunkDigits = 0;
    } else if (closeDelimited) {
      this.phase = P_BODY_EOF;
    } else if (contentLength !== null && contentLength > 0) {
      this.phase = P_BODY_LENGTH;
      this.bodyRemaining = contentLength;
    } else {
      this.endMessage(null, chunkPos);
    }
  }

  private runChunkSize(chunk: Uint8Array, pos: number): number {
    const len = chunk.length;
    const hexValue = HEX_VALUE;
    let size = this.chunkSize;
    let digits = this.chunkDigits;
    while (pos < len) {
      const h = hexValue[chunk[pos]!]!;
      if (h < 0) break;
      if (digits === MAX_CHUNK_SIZE_DIGITS) {
        throw this.failChunk('HPE_INVALID_CHUNK_SIZE', pos, 'Chunk size has too many digits');
      }
      size = size * 16 + h;
      digits++;
      pos++;
    }
    this.chunkSize = size;
    this.chunkDigits = digits;
    if (pos === len) return pos;
    const c = chunk[pos]!;
    if (digits === 0) throw this.failChunk('HPE_INVALID_CHUNK_SIZE', pos, 'Invalid chunk size');
    if (c === CR) {
      this.phase = P_CHUNK_SIZE_LF;
      return pos + 1;
    }
    if (c === SEMICOLON || c === SP || c === HTAB) {
      this.chunkExtStartAbs = this.chunkBase + pos;
      this.chunkExtSemicolon = false;
      this.phase = P_CHUNK_EXT;
      return pos;
    }
    if (c === LF) throw this.failChunk('HPE_CR_EXPECTED', pos, 'Bare LF after chunk size');
    throw this.failChunk('HPE_INVALID_CHUNK_SIZE', pos, 'Invalid chunk size');
  }

  /**
   * chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ). Extensions are ignored, so they
   * are only checked for bytes that could confuse framing (CTLs, bare CR/LF) and for length.
   */
  private runChunkExtension(chunk: Uint8Array, pos: number): number {
    const len = chunk.length;
    const limitPos = this.chunkExtStartAbs + this.maxChunkExtension - this.chunkBase;
    let semicolon = this.chunkExtSemicolon;
    while (pos < len) {
      const c = chunk[pos]!;
      if (c === CR) {
        if (!semicolon) {
          throw this.failChunk('HPE_INVALID_CHUNK_SIZE', pos, 'Whitespace after chunk size');
        }
        this.phase = P_CHUNK_SIZE_LF;
        return pos + 1;
      }
      if (pos >= limitPos) {
        throw this.failChunk('HPE_CHUNK_EXTENSIONS_OVERFLOW', pos, 'Chunk extensions too long');
      }
      if (!semicolon) {
        if (c === SEMICOLON) semicolon = true;
        else if (c !== SP && c !== HTAB) {
          throw this.failChunk('HPE_INVALID_CHUNK_SIZE', pos, 'Invalid chunk size');
        }
      } else if (c < SP ? c !== HTAB : c === DEL) {
        if (c === LF) throw this.failChunk('HPE_CR_EXPECTED', pos, 'Bare LF in chunk extension');
        throw this.failChunk('HPE_INVALID_CHUNK_SIZE', pos, 'Invalid byte in chunk extension');
      }
      pos++;
    }
    this.chunkExtSemicolon = semicolon;
    return pos;
  }

  private runChunkSizeLf(chunk: Uint8Array, pos: number): number {
    if (chunk[pos] !== LF)
      throw this.failChunk('HPE_LF_EXPECTED', pos, 'Expected LF after chunk size');
    pos++;
    const size = this.chunkSize;
    this.chunkSize = 0;
    this.chunkDigits = 0;
    if (size === 0) {
      // The usual end of a chunked body, an empty trailer section in this chunk, ends the message
      // here; what the trailer scan would do with these two bytes (limit included) is the same.
      if (chunk[pos] === CR && chunk[pos + 1] === LF && this.maxTrailerBytes >= 2) {
        this.endMessage(null, pos + 2);
        return pos + 2;
      }
      this.beginTrailers(pos);
    } else {
      this.bodyRemaining = size;
      this.phase = P_CHUNK_DATA;
    }
    return pos;
  }
}
