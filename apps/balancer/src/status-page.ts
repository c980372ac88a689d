/**
 * The live status page served at the admin port's `/`: one self-contained HTML document (no external
 * resources) whose script fetches `/rep` every second and redraws a table of servers.
 *
 * The page itself carries no data, so it is served without a token; with `--admin-token`, open it
 * as `/#token=<token>`: the script sends the fragment's token as a bearer header, and a fragment
 * never leaves the browser, so the token shows up in no access log or Referer.
 */
import { createHash } from 'node:crypto';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1b1f24; background: #fafbfc; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
#summary { color: #57606a; margin-bottom: 1rem; }
#error { color: #b42318; font-weight: 600; min-height: 1.4em; }
table { border-collapse: collapse; min-width: 60rem; background: #fff; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35rem .7rem; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; }
td.server, th.server, td.state, th.state { text-align: left; }
tr.up td.state { color: #1a7f37; } tr.down td.state { color: #b42318; } tr.pending td.state { color: #9a6700; }
.bar { display: inline-block; height: .7em; background: #4c8bf5; vertical-align: middle; margin-right: .4em; }
`;

const SCRIPT = `
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const headers = token ? { authorization: 'Bearer ' + token } : {};
const $ = (id) => document.getElementById(id);
function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}
function ms(value) { return value == null ? '' : value >= 1000 ? (value / 1000).toFixed(2) + ' s' : value.toFixed(1) + ' ms'; }
function rate(value) {
  if (value == null) return '';
  const units = [['GiB/s', 1073741824], ['MiB/s', 1048576], ['KiB/s', 1024]];
  for (const [unit, size] of units) if (value >= size) return (value / size).toFixed(1) + ' ' + unit;
  return Math.round(value) + ' B/s';
}
function age(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds + ' s ago';
}
function render(report) {
  $('summary').textContent = report.strategy + ' over ' + report.totals.up + ' of ' + report.totals.servers +
    ' servers live, ' + report.totals.redirects + ' redirects, clients at ' + (report.listening || '(not listening yet)') +
    ', probe ' + report.probe.path + ' every ' + report.probe.intervalSeconds + ' s';
  const body = $('servers');
  body.replaceChildren();
  const byRank = [...report.servers].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  for (const server of byRank) {
    const row = body.insertRow();
    row.className = server.state;
    row.dataset.server = server.id;
    cell(row, server.rank == null ? '' : String(server.rank));
    cell(row, server.id, 'server');
    cell(row, server.state, 'state');
    cell(row, server.region == null ? '' : server.region + ' #' + server.machine);
    cell(row, String(server.weight));
    const share = cell(row, (server.share * 100).toFixed(1) + '%');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = Math.round(server.share * 80) + 'px';
    share.prepend(bar);
    const probe = server.lastProbe;
    cell(row, probe ? (probe.ok ? ms(probe.totalMs) : probe.error.code) : '');
    cell(row, probe && probe.ok ? rate(probe.bytesPerSec) : '');
    cell(row, probe ? age(probe.at) : '');
    cell(row, String(server.redirects));
  }
  $('updated').textContent = new Date().toLocaleTimeString();
}
async function refresh() {
  try {
    const response = await fetch('rep', { headers, cache: 'no-store' });
    if (response.status === 401) throw new Error('401 Unauthorized: open this page as /#token=<admin token>');
    if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
    render(await response.json());
    $('error').textContent = '';
  } catch (error) {
    $('error').textContent = 'cannot load /rep: ' + error.message;
  }
}
refresh();
setInterval(refresh, 1000);
`;

const HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lb-balancer status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>lb-balancer</h1>
<div id="summary">loading…</div>
<div id="error"></div>
<table>
<thead><tr><th>rank</th><th class="server">server</th><th class="state">state</th><th>region</th><th>weight</th><th>share</th><th>last probe</th><th>throughput</th><th>probed</th><th>redirects</th></tr></thead>
<tbody id="servers"></tbody>
</table>
<p>updated <span id="updated">never</span> · <a href="rep">/rep</a> · <a href="metrics">/metrics</a></p>
<script>${SCRIPT}</script>
</body>
</html>
`;

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** The page's bytes. */
export const STATUS_PAGE_HTML: string = HTML;

/**
 * A Content-Security-Policy that allows exactly the page's own inline style and script (by hash) and
 * requests to its own origin: nothing injected into the page could run or phone home.
 */
export const STATUS_PAGE_CSP: string = [
  "default-src 'none'",
  `script-src ${sha256Source(SCRIPT)}`,
  `style-src ${sha256Source(STYLE)}`,
  "connect-src 'self'",
  // The empty data: icon keeps browsers from asking for /favicon.ico.
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
