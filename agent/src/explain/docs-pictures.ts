/**
 * Regenerates every explanation picture and JSON committed under docs/explain/
 * and the table of them in docs/explainability.md (between its
 * `explain-pictures` markers), by running `arrhythminet explain` itself:
 *
 *   npm run explain:docs            (MITDB_DIR overrides ../shared/data/mitdb)
 *
 * Beats: for each class, the first beat at least a minute into the first of its
 * DS2 records below whose reference label is the class and that the model
 * labels the same (the first beat of the class when it labels none of them so:
 * the table says so). Global: --global over all DS2 records, Grad-CAM and SHAP.
 * Run it again whenever the models change. Takes a few minutes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { explainCommand, DEFAULT_MODEL } from '../cli/commands/explain.ts';
import { loadModel, type Model } from '../model/load.ts';
import { labelBeats } from '../model/classify-list.ts';
import { recordBeats } from '../pipeline/record-beats.ts';
import { formatTimeS } from './beat-select.ts';
import { readReferenceLabels, referenceLabelAt } from './reference-label.ts';
import type { GlobalExplanation } from './global.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const mitdb = process.env.MITDB_DIR ?? join(repo, '..', 'shared', 'data', 'mitdb');
const outDir = join(repo, 'docs', 'explain');
const doc = join(repo, 'docs', 'explainability.md');
/** de Chazal et al. 2004, the inter-patient test set (data README). */
const DS2 = ['100', '103', '105', '111', '113', '117', '121', '123', '200', '202', '210', '212', '213', '214', '219', '221', '222', '228', '231', '232', '233', '234'];
/** DS2 records rich in each class, searched in this order. */
const CANDIDATES: Record<string, string[]> = { N: ['100', '103'], L: ['214', '111'], R: ['212', '231'], A: ['232', '222'], V: ['233', '200'] };
const WARM_S = 60;

interface Choice { cls: string; record: string; beat: number; timeS: number; label: string; correct: boolean }

async function choose(model: Model, cls: string): Promise<Choice> {
  let fallback: Choice | null = null;
  for (const record of CANDIDATES[cls]) {
    const path = join(mitdb, record);
    const { header, beats } = await recordBeats(path);
    const labels = await labelBeats(model, beats);
    const ref = (await readReferenceLabels(path, header.fs))!;
    for (const [i, b] of beats.entries()) {
      if (b.index / b.fs < WARM_S || b.quality !== 'good' || referenceLabelAt(ref, b.sourceIndex) !== cls) continue;
      const c = { cls, record, beat: i + 1, timeS: b.index / b.fs, label: labels[i], correct: labels[i] === cls };
      if (c.correct) return c;
      fallback ??= c;
    }
  }
  if (fallback === null) throw new Error(`no ${cls} beat in records ${CANDIDATES[cls].join(', ')}`);
  return fallback;
}

const shown = (p: string) => relative(repo, p);

async function explain(args: string[], commands: string[]): Promise<void> {
  commands.push(`arrhythminet explain ${args.map((a) => (a.startsWith('/') ? shown(a) : a)).join(' ')}`);
  const code = await explainCommand.run(args);
  if (code !== 0) throw new Error(`explain ${args.join(' ')}: exit ${code}`);
}

function pct(x: number): string {
  return `${Math.round(100 * x)}%`;
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const model = await loadModel(DEFAULT_MODEL);
  const choices: Choice[] = [];
  for (const cls of model.spec.classes) choices.push(await choose(model, cls));
  const modelSha256 = model.card.sha256;
  await model.release();
  const commands: string[] = [];
  for (const c of choices) {
    for (const method of ['gradcam', 'shap']) {
      await explain([join(mitdb, c.record), '--beat', String(c.beat), '--method', method, '--out', join(outDir, `${c.cls}-${method}.png`)], commands);
    }
  }
  for (const method of ['gradcam', 'shap']) {
    await explain(['--global', '--db', mitdb, '--records', DS2.join(','), '--method', method,
      '--out', join(outDir, `global-${method}.png`), '--out', join(outDir, `global-${method}.json`)], commands);
  }
  await writeFile(join(outDir, 'beats.json'), `${JSON.stringify({ model: shown(DEFAULT_MODEL), modelSha256, beats: choices }, null, 1)}\n`);

  const lines = ['<!-- explain-pictures:start (written by npm run explain:docs) -->', '',
    `Model: \`${shown(DEFAULT_MODEL)}\`. Records are MIT-BIH DS2 (not trained on). Each beat is the first one a minute or more into`,
    'the record whose reference label is the class and that the model labels the same: the model at its best; the global',
    'tables below say how often it agrees.', '',
    '| class | record | beat | time | model label | Grad-CAM | SHAP |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const c of choices) {
    lines.push(`| ${c.cls} | ${c.record} | ${c.beat} | ${formatTimeS(c.timeS)} | ${c.label}${c.correct ? '' : ` (wrong: the model labels none of the ${c.cls} beats of records ${CANDIDATES[c.cls].join(' and ')} as ${c.cls}; the picture explains its ${c.label})`} `
      + `| [png](explain/${c.cls}-gradcam.png) | [png](explain/${c.cls}-shap.png) |`);
  }
  lines.push('');
  for (const c of choices) lines.push(`![${c.cls} beat, Grad-CAM](explain/${c.cls}-gradcam.png)`, '', `![${c.cls} beat, SHAP](explain/${c.cls}-shap.png)`, '');
  for (const method of ['gradcam', 'shap']) {
    const g = JSON.parse(await readFile(join(outDir, `global-${method}.json`), 'utf8')) as GlobalExplanation;
    lines.push(`### Global: ${method === 'gradcam' ? 'Grad-CAM' : 'SHAP'}`, '',
      `${g.perClass} beats per class at most (seed ${g.seed}), ${g.records.length} DS2 records. [JSON](explain/global-${method}.json)`, '',
      '| class | beats (of) | model agrees | P share | QRS share | T share | peak from R |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const c of g.classes) {
      const s = c.summary;
      lines.push(`| ${c.class} | ${c.beats} (${c.available}) | ${c.beats ? pct(c.correct / c.beats) : '-'} | ${s ? pct(s.shares.p) : '-'} | ${s ? pct(s.shares.qrs) : '-'} | ${s ? pct(s.shares.t) : '-'} | ${s ? `${Math.round(s.peakOffsetMs)} ms` : '-'} |`);
    }
    lines.push('', `Shares and peak: of the mean map's positive part (${method === 'shap' ? 'evidence for the class' : 'all of it'}), regions of the class's median RR.`,
      '', `![${method} per class](explain/global-${method}.png)`, '');
  }
  lines.push('The commands that made them:', '', '```', ...commands, '```', '', '<!-- explain-pictures:end -->');
  const text = await readFile(doc, 'utf8');
  const m = /<!-- explain-pictures:start[^>]*-->[\s\S]*<!-- explain-pictures:end -->/.exec(text);
  if (m === null) throw new Error(`${doc}: no <!-- explain-pictures:start --> ... <!-- explain-pictures:end --> markers`);
  await writeFile(doc, text.replace(m[0], lines.join('\n')));
  process.stdout.write(`${shown(doc)}: table and ${choices.length * 2 + 2} pictures updated\n`);
}

await main();
