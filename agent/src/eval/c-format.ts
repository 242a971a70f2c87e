/**
 * printf-style fixed-point formatting as glibc does it, so the reports match
 * bxb's text character for character.
 *
 * JavaScript's toFixed() rounds an exact tie (a double whose decimal expansion
 * ends in 5 just past the last digit, such as 12.125) away from zero; glibc
 * rounds it to even. Ties are rare in percentages but real (97/800 = 12.125%).
 */

/** `%W.Pf`: x with `digits` decimals, right-aligned in `width` characters. */
export function cFixed(x: number, digits: number, width = 0): string {
  let s = x.toFixed(digits);
  // A double's decimal expansion is finite; 60 more digits show it exactly for the magnitudes here.
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const cut = exact.indexOf('.') + 1 + digits;
  if (exact[cut] === '5' && /^0*$/.test(exact.slice(cut + 1))) {
    // Exact tie: toFixed went away from zero; glibc keeps the even neighbour.
    const kept = exact.slice(0, cut);
    const lastDigit = Number(kept[kept.length - 1] === '.' ? kept[kept.length - 2] : kept[kept.length - 1]);
    if (lastDigit % 2 === 0) s = (x < 0 ? '-' : '') + (digits === 0 ? kept.replace(/\.$/, '') : kept);
  }
  return s.padStart(width);
}

/** `%Wd` / `%Wld` / `%Ws`: right-aligned in `width` characters. */
export function cInt(x: number | string, width: number): string {
  return String(x).padStart(width);
}
