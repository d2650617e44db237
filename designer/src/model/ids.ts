/** Ids are derived from what is already in the document so that they stay short and readable. */
export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  for (const id of used) {
    if (id.startsWith(`${prefix}-`)) {
      const tail = Number(id.slice(prefix.length + 1));
      if (Number.isInteger(tail) && tail >= n) n = tail + 1;
    }
  }
  while (used.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}
