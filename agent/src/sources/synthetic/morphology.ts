/**
 * Beat shapes of the synthetic ECG: the Gaussian events (P, Q, R, S, T) of
 * McSharry et al. 2003, one table per beat kind.
 *
 * An event i sits at phase thetaRad (the R peak at 0), pushes the trajectory's z
 * with strength a and spreads over bRad radians; it leaves a bump of height
 * about a * b^2 / omega in z (omega the angular speed, rad/s). The sinus table is
 * the paper's Table 1, including its heart-rate correction (widths scale by
 * sqrt(hr/60), P and T angles by its square root, Q and S angles by sqrt(hr/60)),
 * with one change: its Q, R and S are narrowed to QRS_NARROWING of their angles
 * and widths, keeping each bump's height. Table 1 as published gives a QRS of
 * 125 ms at 75 bpm (142 ms at 60, 106 ms at 100; onset and end where the signal
 * is within 20 uV of the isoelectric line): a bundle-branch-block width (120 ms
 * or more), and the classifier rightly labelled such beats R. Narrowed, the QRS
 * lasts 91 ms at 75 bpm (102 at 60, 78 at 100), a normal adult QRS (80-100 ms).
 *
 * The ectopic tables are ours, not the paper's, shaped after textbook
 * descriptions: a premature ventricular beat has no P wave, a QRS of about 140 ms
 * (normal about 90 ms) and a T wave opposite to its QRS; a premature atrial beat
 * has an abnormal (here inverted, smaller) P wave, a normal narrow QRS and T.
 * Limits: one lead, no axis or bundle branch variants, no beat-to-beat change of
 * shape besides the one heart rate correction.
 */

export type BeatKind = 'N' | 'V' | 'A';

/** One Gaussian event of a beat. */
export interface Wave {
  /** Phase of the event centre, rad; the R peak is at 0. */
  thetaRad: number;
  /** Strength of the event (McSharry's a_i), z units per rad per s. */
  a: number;
  /** Width of the event (McSharry's b_i), rad. */
  bRad: number;
}

const PI = Math.PI;

/** Angles and widths of the sinus Q, R and S relative to McSharry's Table 1 (see the header). */
export const QRS_NARROWING = 0.7;

/** `w` with its angle and width times k and the same bump height (a * b^2 kept). */
function narrowed(w: Wave, k: number): Wave {
  return { thetaRad: w.thetaRad * k, a: w.a / (k * k), bRad: w.bRad * k };
}

/** McSharry et al. 2003, Table 1: P, Q, R, S, T at 60 bpm; Q, R and S narrowed. */
const SINUS: readonly Wave[] = [
  { thetaRad: -PI / 3, a: 1.2, bRad: 0.25 },
  narrowed({ thetaRad: -PI / 12, a: -5, bRad: 0.1 }, QRS_NARROWING),
  narrowed({ thetaRad: 0, a: 30, bRad: 0.1 }, QRS_NARROWING),
  narrowed({ thetaRad: PI / 12, a: -7.5, bRad: 0.1 }, QRS_NARROWING),
  { thetaRad: PI / 2, a: 0.75, bRad: 0.4 },
];

// Heights below are fractions of the sinus R bump; a bump of height h and width b
// needs a = h * omega / b^2, and omega cancels in the ratio to the R's a * b^2
// (which the narrowing keeps).
const R_BUMP = 30 * 0.1 * 0.1;
function wave(thetaRad: number, heightOfR: number, bRad: number): Wave {
  return { thetaRad, a: (heightOfR * R_BUMP) / (bRad * bRad), bRad };
}

/**
 * Premature ventricular beat: no P, no Q; a broad R (sigma about 25 ms at 60 bpm)
 * and a broad deep S 45 ms later, so the QRS lasts about 140 ms; a T wave of
 * opposite sign to the QRS, a little later and wider than the sinus T.
 */
const VENTRICULAR: readonly Wave[] = [
  wave(0, 1.2, 0.16),
  wave(0.29, -0.55, 0.14),
  wave(PI / 2 + 0.25, -0.5, 0.45),
];

/** Premature atrial beat: inverted, smaller, narrower P closer to the QRS; QRS and T as sinus. */
const ATRIAL: readonly Wave[] = [
  { thetaRad: -PI / 4, a: -0.9, bRad: 0.2 },
  ...SINUS.slice(1),
];

const TABLES: Record<BeatKind, readonly Wave[]> = { N: SINUS, V: VENTRICULAR, A: ATRIAL };

/**
 * The waves of a beat of `kind`, corrected for the mean heart rate as McSharry et
 * al. do: widths times sqrt(hr/60); P and T angles times (hr/60)^(1/4), Q and S
 * angles times sqrt(hr/60); R stays at 0.
 */
export function beatWaves(kind: BeatKind, hrMeanBpm: number): Wave[] {
  const hrFactor = Math.sqrt(hrMeanBpm / 60);
  const hrFactor2 = Math.sqrt(hrFactor);
  return TABLES[kind].map((w) => {
    // Events far from R (P, T) move with the slower factor, as in the paper.
    const angleFactor = Math.abs(w.thetaRad) > PI / 6 ? hrFactor2 : hrFactor;
    return { thetaRad: w.thetaRad * angleFactor, a: w.a, bRad: w.bRad * hrFactor };
  });
}

/** Height of the sinus R bump in z units at angular speed omegaRadS, for scaling to mV. */
export function sinusRHeight(hrMeanBpm: number, omegaRadS: number): number {
  const r = beatWaves('N', hrMeanBpm)[2];
  return (r.a * r.bRad * r.bRad) / omegaRadS;
}
