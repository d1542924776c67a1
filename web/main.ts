/**
 * Entry point of the UI bundle. The single-file report carries its data in
 * `<script type="application/json" id="assay-data">`; without it the page is the live
 * dashboard and reads the API. A token given as `#token=...` (the URL `assay serve` prints)
 * moves into sessionStorage and out of the address bar.
 */
import { html } from 'htm/preact';
import { render } from 'preact';
import { App, TOKEN_KEY } from './app.ts';
import { ApiSource, type DataSource, EmbeddedSource } from './data.ts';
import type { EmbeddedReport } from './embedded.ts';
import { OrgApp } from './views/org.ts';
import './style.css';

function chooseSource(api: string | undefined): DataSource {
  const embedded = document.getElementById('assay-data');
  if (embedded) return new EmbeddedSource(JSON.parse(embedded.textContent ?? '') as EmbeddedReport);
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
else if (root) render(html`<${App} source=${chooseSource(root.dataset.api)} />`, root);
