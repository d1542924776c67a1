/**
 * The TRA as PDF: the HTML document (document.ts) printed by the system's Chromium, through
 * the shared document printer (src/report/document.ts).
 */
import { writeDocumentPdf } from '../../report/document.ts';

export async function writeTraPdf(html: string, out: string, marking?: string): Promise<void> {
  await writeDocumentPdf(html, out, marking);
}
