/**
 * Trimming of one repeated character by plain scanning. A pattern such as `/\/+$/` is retried
 * from every position of a long run that is not at the end, which is quadratic on hostile input.
 */

/** `s` without any run of `ch` at its end. */
export function trimTrailing(s: string, ch: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ch) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without any run of `ch` at its start. */
export function trimLeading(s: string, ch: string): string {
  let start = 0;
  while (start < s.length && s[start] === ch) start++;
  return start === 0 ? s : s.slice(start);
}
