/**
 * The protective marking as a line at the top and bottom of a human-readable document: one
 * helper per markup, so every document (reports, the TRA, the readiness brief) shows it alike.
 * The text is escaped: a free-text marking is data like any other.
 */
import { escapeHtml } from './html-escape.ts';

/** HTML: a centred line; none without a marking. */
export function htmlMarkingLine(marking: string | undefined, where: 'top' | 'bottom'): string {
  return marking ? `<div class="marking marking-${where}" role="note">${escapeHtml(marking)}</div>` : '';
}

/**
 * Markdown: a centred paragraph (HTML, which GitHub, Azure DevOps and GitLab render; Markdown
 * itself cannot centre) and a blank line; no lines without a marking.
 */
export function markdownMarkingLines(marking: string | undefined): string[] {
  return marking ? [`<p align="center"><strong>${escapeHtml(marking)}</strong></p>`, ''] : [];
}
