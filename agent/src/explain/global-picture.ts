/**
 * The global explanation as one picture: a panel per class (the shared beat
 * renderer) with the mean beat, the mean attribution painted over it and the
 * regions of the class's median RR, stacked under a title.
 */
import { METHOD_NAMES } from './attribution.ts';
import { regionMarks } from './beat-picture.ts';
import type { GlobalExplanation } from './global.ts';
import { renderBeatSvg } from './render/beat-svg.ts';
import { gridSvg } from './render/grid-svg.ts';

export const PANEL = { widthPx: 800, heightPx: 300 };

export function globalSvg(g: GlobalExplanation): string {
  const name = METHOD_NAMES[g.method];
  const averaging = g.method === 'gradcam' ? 'each map scaled to max 1, then averaged' : 'SHAP values averaged';
  const panels = g.classes.filter((c) => c.beats > 0).map((c) => {
    const recs = Object.keys(c.records).length;
    const rr = c.medianRrPrevMs === null ? '' : `; median RR ${Math.round(c.medianRrPrevMs)} ms`;
    return renderBeatSvg({
      window: c.meanBeatMv, fs: g.fs, beforeSamples: g.beforeSamples,
      attribution: c.meanAttribution, attributionKind: g.method === 'shap' ? 'signed' : 'heat', attributionName: name, label: c.class,
      regions: c.summary === null ? undefined : regionMarks(c.summary.regionsMs),
      title: `${c.class}: mean of ${c.beats} beats from ${recs} record${recs === 1 ? '' : 's'} (of ${c.available})`,
      subtitle: `${name} of ${c.class}, ${averaging}; the model labels ${Math.round((100 * c.correct) / c.beats)}% of them ${c.class}${rr}`,
    }, PANEL);
  });
  return gridSvg(`${name} per class (reference labels), ${g.model.name}, ${g.records.length} record${g.records.length === 1 ? '' : 's'}`, panels, PANEL.widthPx, PANEL.heightPx);
}
