/**
 * Entry point of the UI bundle. The single-file report carries its data in
 * `<script id="assay-data">` (gzipped in base64, or plain JSON); without it the page is the live
 * dashboard and reads the API. A token given as `#token=...` (the URL `assay serve` prints)
 * moves into sessionStorage and out of the address bar.
 */
import { html } from 'htm/preact';
import { render } from 'preact';
import { App, TOKEN_KEY } from './app.ts';
import { ApiSource, type DataSource, EmbeddedSource } from './data.ts';
import { type EmbeddedReport, inflate } from './embedded.ts';
import { OrgApp } from './views/org.ts';
import './style.css';

/** The embedded data: gzipped in base64 (`data-encoding`, src/report/html.ts), or plain JSON as older reports hold it. */
function readEmbedded(element: HTMLElement): Promise<EmbeddedReport> {
  const text = element.textContent ?? '';
  if (element.dataset.encoding === 'gzip+base64') return inflate(text);
  return Promise.resolve(JSON.parse(text) as EmbeddedReport);
}

async function chooseSource(api: string | undefined): Promise<DataSource> {
  const embedded = document.getElementById('assay-data');
  if (embedded) return new EmbeddedSource(await readEmbedded(embedded));
  return new ApiSource(takeToken(), api);
}

function takeToken(): string | undefined {
  const fromUrl = /^#token=([^&]+)/.exec(location.hash);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromUrl[1]));
    history.replaceState(null, '', '#/');
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

// assay server's pages say which they are: the org view (data-org), or a project's dashboard (data-api).
const root = document.getElementById('app');
if (root?.dataset.org) render(html`<${OrgApp} token=${takeToken()} />`, root);
else if (root)
  chooseSource(root.dataset.api).then(
    (source) => render(html`<${App} source=${source} />`, root),
    (err: unknown) => {
      const message =
        typeof DecompressionStream === 'undefined'
          ? 'This browser cannot open this compressed report (it has no DecompressionStream): open it in a current Chrome, Edge, Firefox or Safari.'
          : `The report's data could not be read: ${err instanceof Error ? err.message : String(err)}`;
      const p = document.createElement('p');
      p.className = 'error';
      p.setAttribute('role', 'alert');
      p.textContent = message;
      root.replaceChildren(p);
    },
  );
