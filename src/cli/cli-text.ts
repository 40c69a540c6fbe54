/** Terminal columns of a string: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  }
  return w;
}

/** Pads to a column width as the terminal shows it. */
export const padDisplay = (s: string, width: number): string =>
  s + " ".repeat(Math.max(0, width - displayWidth(s)));
