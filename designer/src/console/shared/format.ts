/** Date and time as an operator in China reads it (2026-02-24 10:00), in the browser's time zone. */
export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** A value from case data as text: numbers grouped, booleans and empties in words, objects as JSON. */
export function formatValue(v: unknown, words: { yes: string; no: string; empty: string }): string {
  if (v === undefined || v === null || v === '') return words.empty;
  if (typeof v === 'boolean') return v ? words.yes : words.no;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Math.round(v * 10_000) / 10_000);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
