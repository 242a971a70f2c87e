/** The subcommands of `arrhythminet`, in the order the help lists them. */
import type { Command } from '../command.ts';
import { notBuilt } from './not-built.ts';
import { annotateCommand } from './annotate.ts';

export const commands: readonly Command[] = [
  notBuilt('run', 'the gateway agent', 'arrhythminet run [--config FILE]', 'issue 5'),
  notBuilt('simulate', 'stream a record or synthetic ECG as ADS1292 frames',
    'arrhythminet simulate [--record R|--synthetic] [--format ours|openview] [--rate 500] [--out FILE|--pty]', 'issue 3'),
  annotateCommand,
  notBuilt('eval', 'EC57 evaluation of detection or classification',
    'arrhythminet eval detect|classify --db DIR [--records ...] [--json]', 'issue 3'),
  notBuilt('explain', 'Grad-CAM or SHAP picture of one beat',
    'arrhythminet explain RECORD --beat N --method gradcam|shap --out FILE.svg', 'issue 7'),
  notBuilt('bench', 'throughput, latency and memory benchmarks', 'arrhythminet bench [--json]', 'issue 8'),
  notBuilt('data', 'download a PhysioNet database and verify it', 'arrhythminet data fetch mitdb --to DIR', 'issue 2'),
];
