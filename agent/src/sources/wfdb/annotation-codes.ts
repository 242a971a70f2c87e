/**
 * MIT annotation codes: the standard WFDB table of mnemonics, which codes are
 * beats, and the AAMI/EC57 beat classes.
 *
 * References: WFDB lib/ecgcodes.h and lib/annot.c (the mnemonic table);
 * PhysioNet "Annotation definitions" (which codes are beats); ANSI/AAMI EC57
 * and de Chazal et al., IEEE TBME 51(7), 2004 (the five classes).
 *
 * Two notions of "beat", on purpose: isBeat() is PhysioNet's list of beat
 * annotations (what rdann-based beat counts, including REFERENCE.tsv, use);
 * isQrs() is the WFDB library's isqrs() table, which also counts '!'
 * (ventricular flutter wave, code 31), as bxb does.
 */

/** Highest annotation code (ACMAX); codes 59-63 are pseudo-codes of the file format. */
export const MAX_ANNOTATION_CODE = 49;

const SYMBOLS: readonly string[] = [
  ' ', 'N', 'L', 'R', 'a', 'V', 'F', 'J', 'A', 'S', // 0-9
  'E', 'j', '/', 'Q', '~', '[15]', '|', '[17]', 's', 'T', // 10-19
  '*', 'D', '"', '=', 'p', 'B', '^', 't', '+', 'u', // 20-29
  '?', '!', '[', ']', 'e', 'n', '@', 'x', 'f', '(', // 30-39
  ')', 'r', // 40-41
];

/** Named codes, as in WFDB's ecgcodes.h. */
export const AnnotationCode = {
  NOTQRS: 0, NORMAL: 1, LBBB: 2, RBBB: 3, ABERR: 4, PVC: 5, FUSION: 6, NPC: 7, APC: 8, SVPB: 9,
  VESC: 10, NESC: 11, PACE: 12, UNKNOWN: 13, NOISE: 14, ARFCT: 16, STCH: 18, TCH: 19, SYSTOLE: 20,
  DIASTOLE: 21, NOTE: 22, MEASURE: 23, PWAVE: 24, BBB: 25, PACESP: 26, TWAVE: 27, RHYTHM: 28, UWAVE: 29,
  LEARN: 30, FLWAV: 31, VFON: 32, VFOFF: 33, AESC: 34, SVESC: 35, LINK: 36, NAPC: 37, PFUS: 38,
  WFON: 39, WFOFF: 40, RONT: 41,
} as const;

/** The mnemonic of a code ('N' for 1); '[42]' style for codes without one. */
export function symbolOf(code: number): string {
  return SYMBOLS[code] ?? `[${code}]`;
}

const CODES: ReadonlyMap<string, number> = new Map(
  SYMBOLS.map((s, code) => [s, code] as const).filter(([s, code]) => code > 0 && !/^\[\d+\]$/.test(s)),
);

/** The code of a mnemonic ('V' => 5), or undefined for an unknown one. */
export function codeOf(symbol: string): number | undefined {
  return CODES.get(symbol);
}

// PhysioNet's beat annotations: N L R B A a J S V r F e j n E / f Q ?
const BEATS = new Set([1, 2, 3, 25, 8, 4, 7, 9, 5, 41, 6, 34, 11, 35, 10, 12, 38, 13, 30]);
// WFDB isqrs(): the same plus '!' (31).
const QRS = new Set([...BEATS, 31]);

/** True for PhysioNet's beat annotation codes (the rdann beat counts). */
export function isBeat(code: number): boolean {
  return BEATS.has(code);
}

/** True where WFDB's isqrs() is: the beat codes and '!' (flutter wave). */
export function isQrs(code: number): boolean {
  return QRS.has(code);
}

/** AAMI EC57 beat classes. */
export type AamiClass = 'N' | 'S' | 'V' | 'F' | 'Q';

const AAMI: ReadonlyMap<string, AamiClass> = new Map([
  ['N', 'N'], ['L', 'N'], ['R', 'N'], ['e', 'N'], ['j', 'N'],
  ['A', 'S'], ['a', 'S'], ['J', 'S'], ['S', 'S'],
  ['V', 'V'], ['E', 'V'],
  ['F', 'F'],
  ['/', 'Q'], ['f', 'Q'], ['Q', 'Q'],
]);

/**
 * The AAMI class of an MIT-BIH beat, by symbol or code; undefined for non-beats
 * and for the beat types MIT-BIH does not use (B, r, n, ?), which the mapping
 * of de Chazal et al. leaves out.
 */
export function aamiClass(symbolOrCode: string | number): AamiClass | undefined {
  return AAMI.get(typeof symbolOrCode === 'number' ? symbolOf(symbolOrCode) : symbolOrCode);
}
