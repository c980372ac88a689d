/**
 * V8 settings of the lb-client process, applied before anything else runs. The client's JavaScript
 * is glue around native work (SHA-256, memcpy, socket and file syscalls): with V8's optimizing
 * compiler off its CPU time for a 1 GiB download is unchanged (2.0–2.2 s user either way), while
 * the compiler's own memory is ~6 MB of the peak RSS (docs/benchmarks/client.md).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-opt');
