/**
 * SVG to PNG through resvg (@resvg/resvg-js, a maintained Rust SVG renderer),
 * with the system's fonts and DejaVu Sans as the default family, so text
 * renders the same on a gateway as here (Debian: fonts-dejavu-core). `scale`
 * renders at a multiple of the SVG's size for sharp pictures in docs.
 * Limits: with no DejaVu or other system font installed, text is not drawn.
 */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
