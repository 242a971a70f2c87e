/** The subcommands of `arrhythminet`, in the order the help lists them. */
import type { Command } from '../command.ts';
import { annotateCommand } from './annotate.ts';
import { benchCommand } from './bench.ts';
import { dataCommand } from './data.ts';
import { evalCommand } from './eval.ts';
import { explainCommand } from './explain.ts';
import { runCommand } from './run.ts';
import { simulateCommand } from './simulate.ts';

export const commands: readonly Command[] = [
  runCommand,
  simulateCommand,
  annotateCommand,
  evalCommand,
  explainCommand,
  benchCommand,
  dataCommand,
];
