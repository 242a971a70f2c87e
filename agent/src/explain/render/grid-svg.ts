/**
 * Lays out finished SVG pictures (renderBeatSvg's) as a grid in one SVG, each
 * nested as its own <svg> viewport, under a title: the global explanation's
 * one panel per class.
 */
import { escapeXml, FONT_FAMILY } from './beat-svg.ts';

export function gridSvg(title: string, panels: readonly string[], panelW: number, panelH: number, cols = 1): string {
  const rows = Math.ceil(panels.length / cols);
  const head = 32;
  const width = cols * panelW;
  const height = head + rows * panelH;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text class="grid-title" x="12" y="22" font-size="16" font-weight="bold">${escapeXml(title)}</text>`];
  panels.forEach((svg, i) => {
    const x = (i % cols) * panelW;
    const y = head + Math.floor(i / cols) * panelH;
    // The panel's own <svg> root becomes a nested viewport at (x, y).
    out.push(svg.replace(/^<svg /, `<svg class="panel" x="${x}" y="${y}" `));
  });
  out.push('</svg>');
  return out.join('\n');
}
