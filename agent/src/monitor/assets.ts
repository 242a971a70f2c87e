/**
 * The page's files, all served by the agent (no CDN, no network at run time):
 * index.html and monitor.css as written in page/, and monitor.js bundled from
 * page/main.ts by esbuild on first use (minified, one IIFE, no source map),
 * each kept in memory with its gzip.
 * Limits: the bundle is built once per process (~100 ms); edit the page, then
 * restart the agent.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

const pageDir = join(dirname(fileURLToPath(import.meta.url)), 'page');

const asset = (type: string, body: Buffer): Asset => ({ type, body, gzip: gzipSync(body, { level: 9 }) });

/** Bundles the page's TypeScript into one minified script. */
export async function bundlePage(): Promise<Buffer> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(pageDir, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

let assets: Promise<Map<string, Asset>> | null = null;

/** The page's files by URL path, built once per process. */
export function pageAssets(): Promise<Map<string, Asset>> {
  assets ??= (async () => {
    const [html, css, js] = await Promise.all([readFile(join(pageDir, 'index.html')), readFile(join(pageDir, 'monitor.css')), bundlePage()]);
    return new Map([
      ['/', asset('text/html; charset=utf-8', html)],
      ['/monitor.css', asset('text/css; charset=utf-8', css)],
      ['/monitor.js', asset('text/javascript; charset=utf-8', js)],
    ]);
  })();
  assets.catch(() => { assets = null; });
  return assets;
}
