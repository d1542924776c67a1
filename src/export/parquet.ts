/**
 * Rows written as an Apache Parquet file through DuckDB's Parquet writer, for tools that load
 * Parquet directly (ClickHouse, Azure Data Explorer, Spark, pandas). Columns are typed up front,
 * so a file's schema never depends on which values happen to be present; rows go through
 * DuckDB's appender into an in-memory table, then `COPY ... (FORMAT parquet)` to a file beside
 * the target, renamed into place only when complete.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type ParquetType = 'text' | 'integer' | 'double' | 'boolean' | 'timestamp' | 'text[]';

export interface ParquetColumn {
  name: string;
  type: ParquetType;
}

const SQL_TYPE: Record<ParquetType, string> = {
  text: 'VARCHAR',
  integer: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  'text[]': 'VARCHAR[]',
};

export class ParquetError extends Error {}

/** A column name as a SQL identifier: names come from our own code, but quote them anyway. */
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Writes `rows` (objects keyed by column name; missing keys and `null` are SQL NULL) to `file`.
 * A value of the wrong type is an error naming the row and column; nothing is left at `file`
 * unless the whole file was written.
 */
export async function writeParquet(
  file: string,
  columns: readonly ParquetColumn[],
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
): Promise<{ rows: number }> {
  if (columns.length === 0) throw new ParquetError('a Parquet file needs at least one column');
  const { DuckDBInstance, LIST, VARCHAR, DuckDBTimestampTZValue } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const partial = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  let count = 0;
  try {
    await conn.run(
      `CREATE TABLE t (${columns.map((c) => `${ident(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`,
    );
    const ap = await conn.createAppender('t');
    const list = LIST(VARCHAR);
    for await (const row of rows) {
      count++;
      for (const c of columns) {
        const v = row[c.name];
        if (v === null || v === undefined) {
          ap.appendNull();
          continue;
        }
        const bad = () =>
          new ParquetError(`row ${count}, column ${c.name}: expected ${c.type}, got ${JSON.stringify(v)}`);
        switch (c.type) {
          case 'text':
            if (typeof v !== 'string') throw bad();
            ap.appendVarchar(v);
            break;
          case 'integer':
            if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad();
            ap.appendBigInt(BigInt(v));
            break;
          case 'double':
            if (typeof v !== 'number') throw bad();
            ap.appendDouble(v);
            break;
          case 'boolean':
            if (typeof v !== 'boolean') throw bad();
            ap.appendBoolean(v);
            break;
          case 'timestamp': {
            const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
            if (Number.isNaN(ms)) throw bad();
            ap.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(ms) * 1000n));
            break;
          }
          case 'text[]':
            if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad();
            ap.appendList(v as string[], list);
            break;
        }
      }
      ap.endRow();
    }
    ap.closeSync();
    await conn.run(`COPY t TO '${partial.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
    renameSync(partial, file);
    return { rows: count };
  } catch (err) {
    rmSync(partial, { force: true });
    if (err instanceof ParquetError) throw err;
    throw new ParquetError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Columns for rows of plain values whose shape is known only at run time (the KPI table, whose
 * measures grow): each key's type from its non-null values, integers kept apart from decimals.
 * A key with only nulls is text. `fallback` names the columns when there are no rows.
 */
export function inferColumns(
  rows: readonly Record<string, unknown>[],
  fallback: readonly ParquetColumn[],
): ParquetColumn[] {
  if (rows.length === 0) return [...fallback];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const k of Object.keys(row))
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
  return names.map((name) => {
    let type: ParquetType | undefined;
    for (const row of rows) {
      const v = row[name];
      if (v === null || v === undefined) continue;
      const t: ParquetType =
        typeof v === 'boolean'
          ? 'boolean'
          : typeof v === 'number'
            ? Number.isSafeInteger(v)
              ? 'integer'
              : 'double'
            : Array.isArray(v)
              ? 'text[]'
              : 'text';
      if (type === undefined || type === t) type = t;
      else if ((type === 'integer' && t === 'double') || (type === 'double' && t === 'integer'))
        type = 'double';
      else type = 'text';
    }
    return { name, type: type ?? 'text' };
  });
}
