/** The subcommands of `arrhythminet`, in the order the help lists them. */
import type { Command } from '../command.ts';
import { notBuilt } from './not-built.ts';
import { annotateCommand } from './annotate.ts';
import { dataCommand } from './data.ts';
import { runCommand } from './run.ts';

export const commands: readonly Command[] = [
  runCommand,
  notBuilt('simulate', 'stream a record or synthetic ECG as ADS1292 frames',
    'arrhythminet simulate [--record R|--synthetic] [--format ours|openview] [--rate 500] [--out FILE|--pty]', 'issue 3'),
  annotateCommand,
  notBuilt('eval', 'EC57 evaluation of detection or classification',
    'arrhythminet eval detect|classify --db DIR [--records ...] [--json]', 'issue 3'),
  notBuilt('explain', 'Grad-CAM or SHAP picture of one beat',
    'arrhythminet explain RECORD --beat N --method gradcam|shap --out FILE.svg', 'issue 7'),
  notBuilt('bench', 'throughput, latency and memory benchmarks', 'arrhythminet bench [--json]', 'issue 8'),
  dataCommand,
];
