/**
 * Saves text as a file through the browser's download. CSV keeps a byte-order mark: the server
 * sends one, but decoding the response drops it, and without it Excel reads Chinese as mojibake.
 */
export function downloadText(text: string, fileName: string, type: string): void {
  const body = type.startsWith('text/csv') && !text.startsWith('\ufeff') ? `\ufeff${text}` : text;
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
