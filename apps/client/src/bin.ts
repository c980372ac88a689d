#!/usr/bin/env node
import { skipOptimizingCompiler } from './compiler-tier.js';

// Before the rest of the program is even evaluated: a hot loop at import would already be optimized.
skipOptimizingCompiler();
const { main } = await import('./cli.js');
await main();
