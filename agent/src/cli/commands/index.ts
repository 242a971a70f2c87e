/** The subcommands of `arrhythminet`, in the order the help lists them. */
import type { Command } from '../command.ts';
import { notBuilt } from './not-built.ts';
import { annotateCommand } from './annotate.ts';
import { dataCommand } from './data.ts';
import { evalCommand } from './eval.ts';
import { runCommand } from './run.ts';
import { simulateCommand } from './simulate.ts';

export const commands: readonly Command[] = [
  runCommand,
  simulateCommand,
  annotateCommand,
  evalCommand,
  notBuilt('explain', 'Grad-CAM or SHAP picture of one beat',
    'arrhythminet explain RECORD --beat N --method gradcam|shap --out FILE.svg', 'issue 7'),
  notBuilt('bench', 'throughput, latency and memory benchmarks', 'arrhythminet bench [--json]', 'issue 8'),
  dataCommand,
];
