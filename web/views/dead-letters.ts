/**
 * The job queue's dead letters in the org view of `assay server` (docs/queue.md): jobs that
 * failed every attempt and jobs that were not valid, each with why, for the projects the token
 * reads. Shown only when the server's store has a queue.
 */
import { html } from 'htm/preact';
import type { DeadLetter } from '../../src/queue/dead-letter.ts';
import { getJson } from '../data.ts';
import { fmtDate, useAsync } from '../util.ts';

interface DeadView {
  available: boolean;
  dead: DeadLetter[];
}

export function DeadLetters({ token }: { token: string | undefined }) {
  const view = useAsync(() => getJson<DeadView>('/api/jobs/dead', token), 'dead-letters');
  if (!view.data?.available) return null;
  const { dead } = view.data;
  return html`<section class="dead-letters" aria-label="dead letters of the job queue">
    <h2>Dead letters</h2>
    ${
      dead.length === 0
        ? html`<p class="empty">No dead letters: every queued job ran or is still being tried.</p>`
        : html`<table class="dead-letters-table">
          <thead><tr><th>when</th><th>project</th><th>job</th><th>reason</th></tr></thead>
          <tbody>
            ${dead.map(
              (d) => html`<tr data-dead=${d.jobId ?? d.id}>
                <td>${fmtDate(d.at)}</td>
                <td>${d.project ?? '–'}</td>
                <td>${d.what}</td>
                <td>${d.reason}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}
