/**
 * The SSP annex as an `.xlsx` workbook: one sheet per baseline, one row per control, the
 * columns of ssp-annex.ts. The spreadsheet library is imported only here and only when an
 * annex is written. Every text cell is a plain string (never a formula), and text a spreadsheet
 * would read as a formula (= + - @, tab, CR) is prefixed with a quote mark as in the CSV, so it
 * stays inert when the sheet is saved again as CSV. The evidence link is a hyperlink cell.
 */
import { writeFileAtomic } from '../cli/atomic-write.ts';
import { neutraliseFormula } from './csv-cell.ts';
import { ANNEX_COLUMNS, type AnnexRow } from './ssp-annex.ts';

/** Sheet names: at most 31 characters, none of `[]:*?/\`, unique. */
function sheetName(name: string, used: Set<string>): string {
  const base = (name.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || 'annex').trim() || 'annex';
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** The workbook's bytes. */
export async function annexXlsx(rows: readonly AnnexRow[], title = 'SSP annex'): Promise<Uint8Array> {
  const { Workbook } = await import('@cj-tech-master/excelts');
  const workbook = new Workbook();
  workbook.creator = 'assay';
  workbook.title = neutraliseFormula(title);
  const baselines = [...new Set(rows.map((r) => r.baseline))];
  if (baselines.length === 0) baselines.push('annex');
  const used = new Set<string>();
  for (const baseline of baselines) {
    const sheet = workbook.addWorksheet(sheetName(baseline, used), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = ANNEX_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    for (const row of rows) {
      if (row.baseline !== baseline) continue;
      const values: Record<string, unknown> = {};
      for (const c of ANNEX_COLUMNS) {
        const v = row[c.key];
        values[c.key] = typeof v === 'number' ? v : neutraliseFormula(v);
      }
      const added = sheet.addRow(values);
      if (row.link) {
        const cell = added.getCell('link');
        cell.value = { text: neutraliseFormula(row.link), hyperlink: row.link };
      }
      added.alignment = { vertical: 'top', wrapText: true };
    }
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ANNEX_COLUMNS.length } };
  }
  return await workbook.xlsx.writeBuffer();
}

/** Writes the workbook, whole or not at all. */
export async function writeAnnexXlsx(rows: readonly AnnexRow[], file: string, title?: string): Promise<void> {
  writeFileAtomic(file, await annexXlsx(rows, title));
}
