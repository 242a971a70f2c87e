#!/usr/bin/env node
// `npm run build`: (re)builds the agent's bundle, agent/dist/arrhythminet.mjs
// (agent/bin/bundle.js). The `arrhythminet` command builds it itself when stale;
// run this where the install is read-only at run time (the systemd unit).
import { buildBundle, bundlePath } from './bundle.js';

await buildBundle();
process.stdout.write(`built ${bundlePath}\n`);
