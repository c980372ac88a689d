#!/usr/bin/env node
import './runtime-tuning.js';
import { main } from './cli.js';

await main();
