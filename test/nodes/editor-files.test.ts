import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ALERT_OPTIONS } from '../../nodes/src/alert/types.ts';
import { nodesDir } from './build.ts';

// What Node-RED's editor reads: the HTML (registration, form, help) and the
// English message catalogue. Checked statically: every key used exists, the
// help follows the sidebar convention, the alert node's editor defaults are the
// policy's defaults.
const NODES = ['arrhythmia-in', 'arrhythmia-alert', 'arrhythmia-classify', 'arrhythmia-render', 'arrhythmia-model'];
const read = (f: string) => readFileSync(join(nodesDir, f), 'utf8');
const lookup = (catalogue: object, key: string) => key.split('.').reduce<any>((o, k) => o?.[k], catalogue);

for (const name of NODES) {
  const type = name.replace('-', ' ');
  const html = read(`${name}.html`);
  const js = read(`${name}.cjs`);
  const catalogue = JSON.parse(read(`locales/en-US/${name}.json`));

  test(`${type}: every message key used by the node and its editor is in the catalogue`, (t) => {
    const keys = [
      ...[...js.matchAll(/RED\._\('([^']+)'/g)].map((m) => m[1]),
      ...[...js.matchAll(/RED\._\(missing \? '([^']+)' : '([^']+)'\)/g)].flatMap((m) => [m[1], m[2]]),
      ...[...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map((m) => m[1]),
    ];
    t.true(keys.length > 2);
    for (const key of keys) t.is(typeof lookup(catalogue, key), 'string', key);
  });

  test(`${type}: registered in the ArrhythmiNet category with a form and sidebar help`, (t) => {
    t.regex(html, new RegExp(`RED\\.nodes\\.registerType\\('${type}'`));
    t.regex(html, type === 'arrhythmia model' ? /category: 'config'/ : /category: 'ArrhythmiNet'/);
    t.regex(js, new RegExp(`RED\\.nodes\\.registerType\\('${type}'`));
    t.regex(html, new RegExp(`data-template-name="${type}"`));
    const help = html.slice(html.indexOf(`data-help-name="${type}"`));
    // A config node has no messages: its help needs only the details.
    const parts = type === 'arrhythmia model' ? ['<h3>Details</h3>'] : ['<h3>Inputs</h3>', '<h3>Outputs</h3>', '<dl class="message-properties">', '<h3>Details</h3>'];
    for (const part of parts) t.true(help.includes(part), part);
    t.regex(js, /node\.on\('close', \(\/\*\* @type \{boolean\} \*\/ _removed, \/\*\* @type \{Function\} \*\/ done\)/);
    if (type !== 'arrhythmia model') t.regex(js, /node\.on\('input', \(\/\*\* @type \{any\} \*\/ msg, \/\*\* @type \{Function\} \*\/ send, \/\*\* @type \{Function\} \*\/ done\)/);
  });
}

test('arrhythmia alert: the editor defaults are the policy defaults, each with required and validate', (t) => {
  const html = read('arrhythmia-alert.html');
  for (const [name, value] of Object.entries(DEFAULT_ALERT_OPTIONS)) {
    const m = new RegExp(`${name}: \\{ value: ([^,]+), required: true, validate: (\\w+) \\}`).exec(html);
    t.truthy(m, name);
    t.is(m![1], typeof value === 'string' ? `'${value}'` : String(value), name);
  }
});
