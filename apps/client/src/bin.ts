#!/usr/bin/env node
import { main } from './cli.js';
import { skipOptimizingCompiler } from './compiler-tier.js';

skipOptimizingCompiler();
await main();
