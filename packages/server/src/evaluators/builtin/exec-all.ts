/**
 * All matches of a global regex, without `String.prototype.matchAll`: matchAll clones the
 * regex on every call, and V8 runs a fresh clone in its bytecode interpreter before tiering
 * up, which made large patterns several times slower. The regex's `lastIndex` is reset here.
 */
export function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = []
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m)
    if (m[0].length === 0) re.lastIndex += 1
  }
  return out
}
