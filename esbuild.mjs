// One build script: the extension, the language server, the CLI and the webview into dist/.
// `node esbuild.mjs --production` minifies without source maps (what the .vsix ships).
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  target: 'es2022',
};

// jsonc-parser's UMD main cannot be bundled; its ESM build can.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

const builds = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', define: { CLI_VERSION: JSON.stringify(pkg.version) } },
];
if (existsSync('client/src/webview/main.ts')) {
  builds.push({ ...common, platform: 'browser', format: 'iife', entryPoints: ['client/src/webview/main.ts'], outfile: 'dist/webview.js' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`esbuild: ${builds.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
