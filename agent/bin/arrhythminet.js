#!/usr/bin/env node
// Entry point of the `arrhythminet` command. The agent is TypeScript run through
// tsx's loader, so a fresh `npm ci` needs no build step on the Pi.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
