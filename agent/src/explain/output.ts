/**
 * Writes an explanation picture or its JSON, by the --out file's extension:
 * .svg (the dependency-free renderer), .png (that SVG through resvg) or .json.
 * The extension is checked before any work starts.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../errors.ts';
import { svgToPng } from './render/png.ts';

export const OUTPUT_FORMATS = ['svg', 'png', 'json'] as const;
export type OutputFormat = typeof OUTPUT_FORMATS[number];

export function outputFormatOf(path: string): OutputFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(ext)) {
    throw new UsageError(`--out ${path}: unknown extension '${extname(path) || '(none)'}'; it must end in .svg, .png or .json`);
  }
  return ext as OutputFormat;
}

/** Writes `svg()` or `json` to `path` in the format its extension names. */
export async function writeOutput(path: string, svg: () => string, json: unknown): Promise<void> {
  const format = outputFormatOf(path);
  const body = format === 'json' ? `${JSON.stringify(json, null, 1)}\n` : format === 'svg' ? svg() : svgToPng(svg());
  await writeFile(path, body);
}
