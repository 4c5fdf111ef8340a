// The tables of an observatory page as data: the same rows are rendered as an HTML table
// (formatted, sortable by links that work without JavaScript) and exported as CSV (raw values,
// standard-style column names). Sorting happens on the server from the URL (?tri=table.colonne
// &ordre=asc|desc); the page script only repeats it in place.
import { stringify } from 'csv-stringify/sync';

export type CellValue = string | number | boolean | null;

export interface TableColumn {
  /** CSV column name and sort key (snake_case, like the API fields). */
  key: string;
  label: string;
  kind: 'text' | 'number' | 'percent';
  /** Fraction digits shown in HTML (numbers). */
  digits?: number;
  /** Shown after the number in HTML (e.g. " km"). */
  unit?: string;
}

export interface TableRow {
  cells: Record<string, CellValue>;
  /** Link of the first column (the territory's page). */
  href?: string;
}

export interface PageTable {
  /** Used in the URL (#tableau-<id>, ?tri=<id>.<key>, <id>.csv). */
  id: string;
  caption: string;
  columns: TableColumn[];
  rows: TableRow[];
  /** false for indicator/value lists, where an order by value means nothing. */
  sortable: boolean;
  /** Vintages or sources to print under the table. */
  note?: string;
  /** Rows shown in HTML at most (after sorting); the CSV has them all. */
  maxRows?: number;
}

export interface TableSort {
  table: string;
  column: string;
  order: 'asc' | 'desc';
}

/** Reads ?tri=<table>.<column>&ordre=asc|desc; anything unknown is ignored (the default order stays). */
export function parseSort(tables: readonly PageTable[], tri: unknown, ordre: unknown): TableSort | undefined {
  if (typeof tri !== 'string') return undefined;
  const [table, column] = tri.split('.');
  const target = tables.find((t) => t.id === table && t.sortable);
  if (!target || !target.columns.some((c) => c.key === column)) return undefined;
  return { table: table!, column: column!, order: ordre === 'desc' ? 'desc' : 'asc' };
}

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

/** Sorts rows by a column; unknown values last whatever the order; ties keep their order. */
export function sortRows(table: PageTable, column: string, order: 'asc' | 'desc'): TableRow[] {
  const sign = order === 'asc' ? 1 : -1;
  return table.rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const va = a.row.cells[column] ?? null;
      const vb = b.row.cells[column] ?? null;
      if (va === vb) return a.i - b.i;
      if (va === null) return 1;
      if (vb === null) return -1;
      const diff = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
      return diff === 0 ? a.i - b.i : diff * sign;
    })
    .map(({ row }) => row);
}

export function formatCell(column: TableColumn, value: CellValue): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'string') return value;
  if (column.kind === 'percent') return `${(value * 100).toLocaleString('fr-FR', { maximumFractionDigits: column.digits ?? 1 })} %`;
  return `${value.toLocaleString('fr-FR', { maximumFractionDigits: column.digits ?? 0 })}${column.unit ?? ''}`;
}

/** The table as CSV: raw values (rates from 0 to 1, dot decimals), one header line of column keys. */
export function tableCsv(table: PageTable, rows: readonly TableRow[] = table.rows): string {
  const records = rows.map((row) => table.columns.map((c) => {
    const v = row.cells[c.key];
    return v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'oui' : 'non') : v;
  }));
  return stringify([table.columns.map((c) => c.key), ...records]);
}
