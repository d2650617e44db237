import type { ReactNode } from 'react';

/** A table of figures with a caption; the accessible twin of a chart. */
export function FigureTable({ label, head, rows, testId }: { label: string; head: string[]; rows: ReactNode[][]; testId?: string }) {
  return (
    <table className="figure-table" aria-label={label} data-testid={testId}>
      <caption>{label}</caption>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {c}
                </th>
              ) : (
                <td key={j}>{c}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
