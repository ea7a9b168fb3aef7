// Dumps hold customer phone numbers and attributes. Two promises, checked here:
// 1. No network request of any kind: the built bundles (dist/extension.js, server.js, cli.js,
//    webview.js) load no network module and call no network API. The one exception is the
//    `net` module inside vscode-jsonrpc's node transport, which carries LSP over a local pipe
//    or 127.0.0.1; every use of it must have that shape.
// 2. Nothing the server logs (stderr,
//    window/logMessage, window/showMessage, telemetry) contains record contents.
// Works on development and production (minified) builds alike: run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TimelineRequest } from '../../server/src/shared/protocol';
import { LspClient } from '../lsp/lspClient';

const DIST = resolve(__dirname, '../../dist');
const BUNDLES = ['extension.js', 'server.js', 'cli.js', 'webview.js'];

// ---- 1. the bundles ---------------------------------------------------------------------------------

interface Violation {
  what: string;
  /** The bundled module it sits in (development builds name them), else '(minified)'. */
  module: string;
  snippet: string;
}

/** Node modules that open connections. `net` is handled apart (local LSP transport). */
const NETWORK_MODULES = ['http', 'https', 'http2', 'tls', 'dgram', 'dns', 'undici', 'net'];
/** Browser and Node globals that make requests. `fetch` does not occur at all in today's bundles. */
const NETWORK_GLOBALS = /\b(fetch|XMLHttpRequest|WebSocket|EventSource|RTCPeerConnection|importScripts|sendBeacon)\b/g;
/** URL literals the webview may hold: XML namespaces (SVG export), which are names, not requests. */
const WEBVIEW_URL_OK = /^http:\/\/www\.w3\.org\//;

/** esbuild's development bundles start each module with a `// path/to/module.js` line. */
function moduleAt(text: string): (offset: number) => string {
  const starts: { at: number; name: string }[] = [];
  const re = /^\s*\/\/ ((?:node_modules|server|client)\/\S+\.[cm]?[jt]s)\s*$/gm;
  for (let m; (m = re.exec(text));) starts.push({ at: m.index, name: m[1] });
  return (offset) => {
    let name = '(minified)';
    for (const s of starts) {
      if (s.at > offset) break;
      name = s.name;
    }
    return name;
  };
}

/** The text of the parenthesised argument list that starts at `open` (which holds `(`). */
function argsAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 2000; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i).trim();
  }
  return text.slice(open + 1, open + 200);
}

/** Every way `text` (one bundle) could reach the network. */
function scanBundle(text: string, options: { webview?: boolean } = {}): Violation[] {
  const out: Violation[] = [];
  const moduleOf = moduleAt(text);
  const snippet = (at: number, len = 80) => text.slice(Math.max(0, at - 40), at + len).replace(/\s+/g, ' ');

  const requireRe = new RegExp(
    String.raw`(?:\b([\w$]+)\s*=\s*(?:__toESM\()?)?\b(?:require|import)\(\s*["'](?:node:)?(${NETWORK_MODULES.join('|')})["']\s*\)`,
    'g',
  );
  const netBindings: { name: string; at: number }[] = [];
  for (let m; (m = requireRe.exec(text));) {
    if (m[2] !== 'net') {
      out.push({ what: `loads the "${m[2]}" module`, module: moduleOf(m.index), snippet: snippet(m.index) });
    } else if (!m[1]) {
      out.push({ what: 'loads "net" without binding it to a name (its uses cannot be checked)', module: moduleOf(m.index), snippet: snippet(m.index) });
    } else {
      netBindings.push({ name: m[1], at: m.index });
    }
  }
  const esImportRe = new RegExp(String.raw`\bfrom\s*["'](?:node:)?(${NETWORK_MODULES.join('|')})["']`, 'g');
  for (let m; (m = esImportRe.exec(text));) out.push({ what: `imports the "${m[1]}" module`, module: moduleOf(m.index), snippet: snippet(m.index) });

  // `net` may only serve a local transport: createServer (listen on a pipe or 127.0.0.1),
  // createConnection/connect to a pipe name or to a port on 127.0.0.1. A minified bundle reuses
  // short names across scopes, so there only calls of the binding's connect methods are checked;
  // development builds (what `npm test` builds) get every use of the binding checked.
  const minified = moduleOf(text.length) === '(minified)';
  for (const { name, at } of netBindings) {
    const escaped = name.replace(/\$/g, '\\$');
    const useRe = new RegExp(String.raw`(?<![\w$.])${escaped}(?![\w$])`, 'g');
    for (let m; (m = useRe.exec(text));) {
      if (m.index === at) continue; // the binding itself
      const rest = text.slice(m.index + name.length);
      const member = /^\s*\.\s*([\w$]+)/.exec(rest)?.[1];
      const where = { module: moduleOf(m.index), snippet: snippet(m.index) };
      if (!member) {
        if (!minified) out.push({ what: `the "net" module (${name}) is passed around, so its use cannot be checked`, ...where });
        continue;
      }
      if (member === 'createServer') continue;
      if (member !== 'createConnection' && member !== 'connect') {
        if (!minified) out.push({ what: `uses net.${member}`, ...where });
        continue;
      }
      // `net_1.createConnection(...)` or esbuild's `(0, net_1.createConnection)(...)`.
      const after = m.index + name.length + rest.indexOf(member) + member.length;
      const open = text.indexOf('(', after);
      const between = text.slice(after, open).trim();
      const args = open >= 0 && (between === '' || between === ')') ? argsAt(text, open) : '?';
      const local = /^[\w$]+$/.test(args) || /^[\w$]+\s*,\s*["']127\.0\.0\.1["']$/.test(args);
      if (!local) out.push({ what: `net.${member}(${args.slice(0, 60)}) may reach another host`, ...where });
    }
  }

  // Whatever object it is called on: a connection to a named host other than this machine.
  for (const m of text.matchAll(/\.(?:createConnection|connect)\s*\)?\s*\(\s*[\w$.]+\s*,\s*["'`]([^"'`]+)["'`]/g)) {
    if (!/^(?:127\.0\.0\.1|localhost|::1)$/.test(m[1]))
      out.push({ what: `connects to the host ${m[1]}`, module: moduleOf(m.index), snippet: snippet(m.index) });
  }

  for (let m; (m = NETWORK_GLOBALS.exec(text));) out.push({ what: `uses ${m[1]}`, module: moduleOf(m.index), snippet: snippet(m.index) });

  if (options.webview) {
    for (const m of text.matchAll(/\bhttps?:\/\/[^\s"'`)<>]*/g)) {
      if (!WEBVIEW_URL_OK.test(m[0])) out.push({ what: `the webview holds the URL ${m[0]}`, module: moduleOf(m.index), snippet: snippet(m.index) });
    }
  }
  return out;
}

test('the scanner catches every kind of network use it looks for (so the bundle test can fail)', () => {
  const bad: [string, string][] = [
    ['var https = require("https"); https.get("https://example.com/");', 'loads the "https" module'],
    ['const h = require("node:http2");', 'loads the "http2" module'],
    ['import("dns")', 'loads the "dns" module'],
    ['import { request } from "undici";', 'imports the "undici" module'],
    ['fetch("https://example.com/", { method: "POST", body })', 'uses fetch'],
    ['const f = globalThis.fetch;', 'uses fetch'],
    ['new XMLHttpRequest()', 'uses XMLHttpRequest'],
    ['new WebSocket(url)', 'uses WebSocket'],
    ['navigator.sendBeacon(url, data)', 'uses sendBeacon'],
    ['var net_1 = require("net"); (0, net_1.createConnection)(443, "example.com");', 'net.createConnection(443, "example.com") may reach another host'],
    ['var e=require("net");e.connect({host:"example.com",port:443})', 'may reach another host'],
    ['var e=require("net");new e.Socket().connect(443,"example.com")', 'uses net.Socket'],
    ['var e=require("net");send(e)', 'is passed around'],
    ['require("net").connect(443, "example.com")', 'without binding it'],
  ];
  // As in a development bundle, where every module starts with its path.
  const dev = (code: string) => `// node_modules/example/index.js\n${code}`;
  for (const [code, expected] of bad) {
    const found = scanBundle(dev(code));
    assert.ok(
      found.some((v) => v.what.includes(expected)),
      `${code}: ${JSON.stringify(found.map((v) => v.what))}`,
    );
  }
  assert.ok(scanBundle('img.src = "https://example.com/pixel.png";', { webview: true }).length > 0);
  // Minified: short names are reused, but a connection elsewhere is still caught.
  assert.ok(scanBundle('var e=require("net");(0,e.createConnection)(443,"example.com")').some((v) => v.what.includes('another host')));
  assert.ok(scanBundle('function f(t){return t.connect(443,"telemetry.example.com")}').some((v) => v.what.includes('telemetry.example.com')));

  // vscode-jsonrpc's transport, as esbuild writes it in development and in production builds.
  const jsonrpc = `
    var net_1 = require("net");
    let server = (0, net_1.createServer)((socket) => { server.close(); });
    server.listen(pipeName, () => {});
    const socket = (0, net_1.createConnection)(pipeName);
    const s2 = (0, net_1.createConnection)(port, "127.0.0.1");`;
  assert.deepEqual(scanBundle(`// node_modules/vscode-jsonrpc/lib/node/main.js${jsonrpc}`), []);
  assert.deepEqual(scanBundle('var Xe=require("net");let s=(0,Xe.createServer)(r=>{});(0,Xe.createConnection)(e);(0,Xe.createConnection)(e,"127.0.0.1")'), []);
  assert.deepEqual(scanBundle('const ns = "http://www.w3.org/2000/svg"; prefetch(x); this.fetchAll();', { webview: true }), []);
});

test('the built bundles make no network request of any kind', () => {
  const present = BUNDLES.filter((b) => existsSync(join(DIST, b)));
  assert.ok(
    present.includes('extension.js') && present.includes('server.js') && present.includes('cli.js'),
    `dist/ holds ${present.join(', ')}: run npm run build`,
  );
  const report: string[] = [];
  for (const b of present) {
    for (const v of scanBundle(readFileSync(join(DIST, b), 'utf8'), { webview: b === 'webview.js' })) {
      report.push(`dist/${b} [${v.module}]: ${v.what}\n    ${v.snippet}`);
    }
  }
  assert.deepEqual(report, []);
});

// ---- 2. the logs ---------------------------------------------------------------------------------------

// Invented customer data (555-01xx is the range reserved for fiction); each string must never be logged.
const SECRETS = ['+12065550147', '555-0147', 'Jordan Example-7f3a', 'SECRET-NOTE-7f3a', 'card-4111-7f3a'];
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/aws', name), 'utf8'));
const ctr = fixture('contact-record.voice-inbound.json');
const event = fixture('determine-acw-time.1.json');
const id = (n: number) => `00000000-0000-4000-8000-6${String(n).padStart(11, '0')}`;

function secretRecord(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...ctr,
    ContactId: id(n),
    NextContactId: id(n + 1000), // a link to nowhere: a finding that names IDs
    CustomerEndpoint: { Address: '+12065550147', Type: 'TELEPHONE_NUMBER' },
    Attributes: { customerName: 'Jordan Example-7f3a', note: 'SECRET-NOTE-7f3a', card: 'card-4111-7f3a', phone: '555-0147' },
    ...extra,
  };
}

let client: LspClient;
const logged: string[] = [];
let workspace: string;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'cei-privacy-'));
  const lines = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(join(workspace, 'indexed.jsonl'), lines([secretRecord(1), secretRecord(2, { Channel: 'SECRET-NOTE-7f3a' })]));
  writeFileSync(join(workspace, 'broken.jsonl'), `${JSON.stringify(secretRecord(3)).slice(0, 200)}\n{"Attributes":{"note":"SECRET-NOTE-7f3a"`);
  // Over the size limit set below: the index logs that it skips it.
  writeFileSync(join(workspace, 'big.jsonl'), lines(Array.from({ length: 20 }, (_, i) => secretRecord(100 + i))));
  client = new LspClient();
  client.configuration = { maxIndexedFileSizeMB: 0.02 };
  for (const method of ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/logTrace']) {
    client.on(method, (p: unknown) => logged.push(`${method} ${JSON.stringify(p)}`));
  }
  await client.initialize({ rootUri: pathToFileURL(workspace).href });
});
after(() => client.shutdown());

test('the server logs no record contents', { timeout: 60_000 }, async () => {
  const text = [
    JSON.stringify(secretRecord(10)),
    JSON.stringify(secretRecord(11, { Channel: '+12065550147', LastUpdateTimestamp: 'SECRET-NOTE-7f3a' })), // schema findings quote values
    JSON.stringify(secretRecord(12)).slice(0, 300), // cut short
    JSON.stringify({ ...event, EventId: 'SECRET-NOTE-7f3a', AgentARN: 'Jordan Example-7f3a' }),
    `{"note":"SECRET-NOTE-7f3a","deep":${'['.repeat(50_000)}`,
    '\u0000+12065550147\ud800',
  ].join('\n');
  const uri = pathToFileURL(join(workspace, 'open.jsonl')).href;
  client.open(uri, 'jsonl', text);
  const diagnostics = await client.waitForDiagnostics(uri);
  // The data did reach the analysis: findings quote it (diagnostics are for the user, logs are not).
  assert.ok(JSON.stringify(diagnostics).includes('+12065550147'), 'a schema finding quotes the bad Channel value');
  // Every request a user can make, on the values that hold customer data.
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    for (const needle of ['+12065550147', 'SECRET-NOTE-7f3a', 'ContactId', 'Jordan']) {
      const character = lines[line].indexOf(needle);
      if (character < 0) continue;
      const position = { line, character: character + 2 };
      await client.request('textDocument/hover', { textDocument: { uri }, position });
      await client.request('textDocument/definition', { textDocument: { uri }, position });
      await client.request('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
      await client.request(TimelineRequest.type, { uri, position });
      await client.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: position, end: position },
        context: { diagnostics: client.diagnostics.get(uri)?.diagnostics ?? [] },
      });
    }
  }
  await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  client.change(uri, 2, [{ text: text.replace('SECRET-NOTE-7f3a', 'SECRET-NOTE-7f3a SECRET-NOTE-7f3a') }]);
  await client.waitForDiagnostics(uri, (d) => d.version === 2);
  client.notify('workspace/didChangeConfiguration', { settings: { connectInspector: { maxFindingsPerDocument: 2 } } });
  // Let the workspace index finish: it says how many dumps it read.
  const deadline = Date.now() + 20_000;
  while (!logged.some((l) => l.includes('Workspace index:') && l.includes('dumps')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  client.notify('textDocument/didClose', { textDocument: { uri } });
  await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });

  // The channel is watched (so an empty result means something): the index did log.
  assert.ok(
    logged.some((l) => l.includes('Workspace index:')),
    `nothing was logged: ${JSON.stringify(logged)}`,
  );
  assert.ok(
    logged.some((l) => l.includes('big.jsonl')),
    'the skipped file is named (its path is not customer data)',
  );
  const output = [...logged, `stderr ${client.stderr}`];
  for (const secret of SECRETS) {
    const leaks = output.filter((l) => l.includes(secret) || l.includes(JSON.stringify(secret).slice(1, -1)));
    assert.deepEqual(leaks, [], `"${secret}" was logged`);
  }
});
