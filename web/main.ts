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
import './style.css';

function chooseSource(): DataSource {
  const embedded = document.getElementById('assay-data');
  if (embedded) return new EmbeddedSource(JSON.parse(embedded.textContent ?? '') as EmbeddedReport);
  const fromUrl = /^#token=([^&]+)/.exec(location.hash);
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromUrl[1]));
    history.replaceState(null, '', '#/');
  }
  return new ApiSource(sessionStorage.getItem(TOKEN_KEY) ?? undefined);
}

const root = document.getElementById('app');
if (root) render(html`<${App} source=${chooseSource()} />`, root);
