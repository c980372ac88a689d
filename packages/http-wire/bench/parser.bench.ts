/**
 * Request parsing speed of @lb/http-wire against Node's llhttp binding and http-parser-js, in one
 * process. Run with `pnpm --filter @lb/http-wire bench` (needs --expose-internals for llhttp).
 *
 * Pipelined: 64 copies of a sample in one buffer, one execute call per buffer (every parser makes
 * the method, target and header strings). One byte per call: the sample fed as 1-byte views.
 * Each figure is the median of 5 runs after a warm-up of every contender on every input. Time is the process's CPU time, not wall
 * time, so that other processes on a shared machine do not count against whoever runs while they
 * are busy; runs of the contenders are interleaved for the same reason.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { RequestParser } from '../src/index.js';
import { SAMPLES, type Sample } from './samples.js';

const require = createRequire(import.meta.url);
const PIPELINED = 64;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_RUN_MS = 300;

type Feed = (chunks: Uint8Array[]) => number;

interface Contender {
  name: string;
  /** Returns a function that parses the chunks and returns the number of requests seen. */
  make(): Feed;
}

const ours: Contender = {
  name: '@lb/http-wire',
  make() {
    const parser = new RequestParser();
    return (chunks) => {
      let requests = 0;
      for (const chunk of chunks) {
        const { events } = parser.execute(chunk);
        for (const event of events) if (event.kind === 'end') requests++;
      }
      return requests;
    };
  },
};

interface BindingParser {
  initialize(type: number, resource: object): void;
  execute(data: Uint8Array): number | Error;
  [key: number]: unknown;
}
interface BindingParserClass {
  new (): BindingParser;
  REQUEST: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

function loadLlhttp(): BindingParserClass | null {
  try {
    const { internalBinding } = require('internal/test/binding') as {
      internalBinding(name: string): { HTTPParser: BindingParserClass };
    };
    return internalBinding('http_parser').HTTPParser;
  } catch {
    return null;
  }
}

/** Both llhttp (Node's binding) and http-parser-js speak the same callback protocol. */
function callbackContender(
  name: string,
  Parser: BindingParserClass,
  isBinding: boolean,
): Contender {
  return {
    name,
    make() {
      let requests = 0;
      let sink = 0;
      const parser = isBinding
        ? new Parser()
        : new (Parser as unknown as new (type: number) => BindingParser)(Parser.REQUEST);
      if (isBinding) parser.initialize(Parser.REQUEST, {});
      // The header strings arrive in these callbacks: that is the "with header strings" baseline.
      parser[Parser.kOnHeaders] = () => {};
      parser[Parser.kOnHeadersComplete] = (...args: unknown[]) => {
        sink += args.length;
      };
      parser[Parser.kOnBody] = (data: Uint8Array) => {
        sink += data.length;
      };
      parser[Parser.kOnMessageComplete] = () => {
        requests++;
      };
      return (chunks) => {
        const before = requests;
        for (const chunk of chunks) {
          const result = parser.execute(chunk);
          if (typeof result !== 'number') throw result;
        }
        if (sink < 0) throw new Error('unreachable');
        return requests - before;
      };
    },
  };
}

function pipelinedInput(sample: Sample): Uint8Array[] {
  const buffer = Buffer.alloc(sample.bytes.length * PIPELINED);
  for (let k = 0; k < PIPELINED; k++) buffer.set(sample.bytes, k * sample.bytes.length);
  return [buffer];
}

function oneByteInput(sample: Sample): Uint8Array[] {
  const buffer = Buffer.from(sample.bytes);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < buffer.length; i++) chunks.push(buffer.subarray(i, i + 1));
  return chunks;
}

interface Trial {
  feed: Feed;
  iterations: number;
  results: number[];
}

/** Warms a contender up and sizes a run to take about TARGET_RUN_MS. */
function prepare(contender: Contender, chunks: Uint8Array[], requestsPerFeed: number): Trial {
  const feed = contender.make();
  let iterations = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < iterations; k++) {
      if (feed(chunks) !== requestsPerFeed) throw new Error(`${contender.name}: wrong count`);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms > TARGET_RUN_MS / 4) {
      return {
        feed,
        iterations: Math.max(1, Math.round((iterations * TARGET_RUN_MS) / ms)),
        results: [],
      };
    }
    iterations *= 2;
  }
}

/**
 * Median ns per request of each contender. Runs are interleaved (A B C A B C …) so that load from
 * other processes on the machine affects every contender alike.
 */
function measureAll(
  contenders: Contender[],
  chunks: Uint8Array[],
  requestsPerFeed: number,
): number[] {
  const trials = contenders.map((c) => prepare(c, chunks, requestsPerFeed));
  for (let run = 0; run < RUNS; run++) {
    for (const trial of trials) {
      // Start every run from a collected heap, so no contender pays for another's garbage.
      globalThis.gc?.();
      const start = process.cpuUsage();
      for (let k = 0; k < trial.iterations; k++) trial.feed(chunks);
      const used = process.cpuUsage(start);
      const ns = (used.user + used.system) * 1000;
      trial.results.push(ns / (trial.iterations * requestsPerFeed));
    }
  }
  return trials.map((t) => {
    const sorted = [...t.results].sort((a, b) => a - b);
    return sorted[Math.floor(RUNS / 2)]!;
  });
}

const WARM_UP_MS = 200;

/**
 * Runs every contender on every input before anything is measured, so that each measures its
 * steady state (all code paths compiled) rather than the cost of re-optimising for a new sample.
 */
function warmUp(contenders: Contender[]): void {
  for (const contender of contenders) {
    for (const sample of SAMPLES) {
      for (const [chunks, count] of [
        [pipelinedInput(sample), PIPELINED],
        [oneByteInput(sample), 1],
      ] as const) {
        if (contender.name === 'http-parser-js' && count === 1) continue;
        const feed = contender.make();
        const until = Date.now() + WARM_UP_MS / 2;
        while (Date.now() < until) feed(chunks);
      }
    }
  }
}

function format(ns: number): string {
  return ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;
}

function main(): void {
  const llhttpClass = loadLlhttp();
  const { HTTPParser: HttpParserJs } = require('http-parser-js') as {
    HTTPParser: BindingParserClass;
  };
  const llhttp = llhttpClass ? callbackContender('llhttp', llhttpClass, true) : null;
  const hpjs = callbackContender('http-parser-js', HttpParserJs, false);
  if (!llhttp) console.log('llhttp binding unavailable: run with node --expose-internals');
  const contenders = llhttp ? [ours, hpjs, llhttp] : [ours, hpjs];
  warmUp(contenders);

  const lines: string[] = [];
  lines.push(
    `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)}`,
  );
  lines.push('');
  lines.push(
    `### ${PIPELINED} pipelined requests per execute call (CPU ns per request, median of ${RUNS})`,
  );
  lines.push('');
  lines.push(
    '| sample | bytes | @lb/http-wire | llhttp | http-parser-js | vs llhttp | vs http-parser-js |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const sample of SAMPLES) {
    const [a = 0, c = 0, b = Number.NaN] = measureAll(
      llhttp ? [ours, hpjs, llhttp] : [ours, hpjs],
      pipelinedInput(sample),
      PIPELINED,
    );
    lines.push(
      `| ${sample.name} | ${sample.bytes.length} | ${format(a)} | ${format(b)} | ${format(c)} | ${(b / a).toFixed(2)}× | ${(c / a).toFixed(2)}× |`,
    );
  }
  lines.push('');
  lines.push(`### One byte per execute call (CPU ns per request, median of ${RUNS})`);
  lines.push('');
  lines.push('| sample | bytes | @lb/http-wire | llhttp | vs llhttp |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const sample of SAMPLES) {
    const [a = 0, b = Number.NaN] = measureAll(
      llhttp ? [ours, llhttp] : [ours],
      oneByteInput(sample),
      1,
    );
    lines.push(
      `| ${sample.name} | ${sample.bytes.length} | ${format(a)} | ${format(b)} | ${(b / a).toFixed(2)}× |`,
    );
  }
  lines.push('');
  lines.push('Ratios are speedups of @lb/http-wire (above 1× means faster).');
  console.log(lines.join('\n'));
}

main();
