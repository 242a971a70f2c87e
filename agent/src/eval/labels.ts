/**
 * Beat labels for EC57 evaluation: which annotations are beats, and the class
 * each beat counts as.
 *
 * Reference: PhysioNet WFDB `ecgmap.h` (isqrs table) and `bxb.c` (amap) as of
 * WFDB 10.7; ANSI/AAMI EC57:1998 section 4.
 *
 * Limits: labels are MIT-BIH annotation mnemonics ('N', 'V', '/', '~', ...).
 * `bxbClassOf` follows bxb, not the standard's table: bxb counts nodal (j) and
 * atrial (e) escape beats as S where EC57 lists them under N. The oracle files
 * (bxb on MIT-BIH) show it: record 222's 421 S beats are its 208 A + 1 J + 212 j.
 */

/**
 * A label as the evaluator counts it: the five AAMI beat classes, and O for an
 * annotation the comparison has no beat for (a missed or extra beat), X for one
 * inside a shutdown (neither signal readable).
 */
export type EvalClass = 'N' | 'S' | 'V' | 'F' | 'Q' | 'O' | 'X';

/** The five beat classes in the order bxb prints them. */
export const BEAT_CLASSES = ['N', 'S', 'V', 'F', 'Q'] as const;
export type BeatClass = (typeof BEAT_CLASSES)[number];

/** Rows and columns of the confusion matrix, in bxb's order. */
export const EVAL_CLASSES: readonly EvalClass[] = ['N', 'S', 'V', 'F', 'Q', 'O', 'X'];

/**
 * Maps an annotation mnemonic to the class it is counted as, or null when it
 * is not a beat annotation (rhythm, noise, comments...): those are skipped,
 * except the noise and VF markers the matcher reads for shutdown and VF.
 */
export type ClassOf = (symbol: string) => EvalClass | null;

/** Mnemonics that WFDB's isqrs() calls beats, with bxb's class for each. */
const BXB_BEATS: Readonly<Record<string, EvalClass>> = {
  N: 'N', L: 'N', R: 'N', B: 'N',
  a: 'S', J: 'S', A: 'S', S: 'S', j: 'S', e: 'S', n: 'S',
  V: 'V', r: 'V', E: 'V',
  F: 'F',
  Q: 'Q', '/': 'Q', f: 'Q', '?': 'Q',
  // Ventricular flutter waves pass isqrs() but amap() gives them no class.
  '!': 'O',
};

/** bxb's mapping (WFDB 10.7, with SVEB statistics: `-L`, `-C`, `-S`). */
export const bxbClassOf: ClassOf = (symbol) => BXB_BEATS[symbol] ?? null;

/** EC57's table: as bxb, but nodal and atrial escape beats (j, e) are N. */
export const ec57ClassOf: ClassOf = (symbol) =>
  symbol === 'j' || symbol === 'e' ? 'N' : bxbClassOf(symbol);

/**
 * bxb's mapping for its reports without SVEB statistics (`-s`, `-l`, `-c`):
 * supraventricular beats are counted as N.
 */
export const bxbVebOnlyClassOf: ClassOf = (symbol) => {
  const c = bxbClassOf(symbol);
  return c === 'S' ? 'N' : c;
};

/** Mnemonics of the non-beat annotations the matcher interprets. */
export const NOISE = '~';
export const VF_ON = '[';
export const VF_OFF = ']';

/**
 * Noise annotations whose subtype has bits 4 and 5 set mark shutdown: both
 * signals unreadable (WFDB convention; MIT-BIH writes subtype -1).
 */
export function isShutdownNoise(symbol: string, subtype: number | undefined): boolean {
  return symbol === NOISE && ((subtype ?? 0) & 0x30) === 0x30;
}
