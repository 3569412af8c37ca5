/** A column of a table for people: its heading and how a row shows in it. */
export interface Column<Row> {
  heading: string;
  cell: (row: Row) => string;
}

/**
 * Rows as a plain-text table: headings in capitals, columns padded to their widest cell and two
 * spaces apart (counted as `padEnd` counts), no trailing spaces. `empty` is printed instead when there are no rows.
 */
export function renderTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  empty: string,
): string {
  if (rows.length === 0) return `${empty}\n`;
  const cells = [
    columns.map((c) => c.heading.toUpperCase()),
    ...rows.map((row) => columns.map((c) => oneLine(c.cell(row)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** A cell keeps to its line: a reason with a line break would tear the table apart. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A table followed by notes (a blank line, then one note a line), or the table alone when there are none. */
export function withNotes(table: string, notes: readonly string[]): string {
  return notes.length === 0 ? table : `${table}\n${notes.join('\n')}\n`;
}
