/**
 * A small RFC 4180 CSV reader for the framework's data sets (rosters, service lists) and for
 * mapping record numbers back to file lines. Large case exports are read by DuckDB instead.
 */
import { createReadStream } from 'node:fs';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  values: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
  /** Records whose field count differs from the header, and an unterminated quote. */
  errors: { line: number; message: string }[];
}

/** Splits text into records; quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsvRecords(
  text: string,
  delimiter = ',',
): { records: CsvRecord[]; unterminatedAt?: number } {
  const records: CsvRecord[] = [];
  let field = '';
  let values: string[] = [];
  let inQuotes = false;
  let line = 1;
  let start = 1;
  let quoteLine = 0;
  let any = false;
  const endRecord = () => {
    values.push(field);
    records.push({ line: start, values });
    values = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
      any = true;
    } else if (ch === delimiter) {
      values.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') endRecord();
      line++;
      start = line;
    } else {
      if (!any && field === '') start = line;
      field += ch;
      any = true;
    }
  }
  if (inQuotes) return { records, unterminatedAt: quoteLine };
  if (any || field !== '') endRecord();
  return { records };
}

export function parseCsv(text: string, delimiter = ','): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { records, unterminatedAt } = parseCsvRecords(body, delimiter);
  const [head, ...rest] = records;
  const header = head?.values.map((h) => h.trim()) ?? [];
  const errors: CsvTable['errors'] = [];
  const good: CsvRecord[] = [];
  for (const r of rest) {
    if (r.values.length !== header.length)
      errors.push({ line: r.line, message: `expected ${header.length} fields, found ${r.values.length}` });
    else good.push(r);
  }
  if (unterminatedAt !== undefined)
    errors.push({ line: unterminatedAt, message: 'quoted field is never closed' });
  return { header, records: good, errors };
}

/**
 * Streams a CSV file and calls `visit(recordIndex, startLine)` for each data record (0-based,
 * after the header) until it returns false, so record numbers from SQL can be shown as the
 * lines a person opens. Quotes are tracked so a field with a line break stays one record.
 */
export async function visitRecordLines(
  file: string,
  visit: (record: number, line: number) => boolean,
): Promise<void> {
  let line = 1;
  let inQuotes = false;
  let record = -1; // the header is record -1
  let atStart = false;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = chunk as string;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (atStart && ch !== 10 && ch !== 13) {
        // First character of a new record (blank lines are skipped, as DuckDB does).
        atStart = false;
        record++;
        if (!visit(record, line)) return;
      }
      if (ch === 34) inQuotes = !inQuotes;
      else if (ch === 10) {
        line++;
        if (!inQuotes) atStart = true;
      }
    }
  }
}

/** Reads the header line of a CSV file without reading the rest. */
export async function readCsvHeader(file: string, delimiter = ','): Promise<string[]> {
  let head = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    head += chunk as string;
    const { records } = parseCsvRecords(head, delimiter);
    // A complete first record exists once a second one starts or the file ends.
    if (records.length > 1) break;
  }
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const { records } = parseCsvRecords(head, delimiter);
  return records[0]?.values.map((h) => h.trim()) ?? [];
}
