// Compiles the TypeScript sources into one JavaScript file per entry point (dist/), so
// production starts without compiling TypeScript at run time (tsx costs ~100 MB of resident
// memory and seconds of start-up). Packages stay external (loaded from node_modules).
//   node scripts/build.js          -> dist/maillage.js (the `maillage` command)
// Tests and development keep running the sources through tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Modules find their own files from import.meta.url (migrations, web assets); in a bundle
 * that would be the bundle's URL, so each file's import.meta.url is rewritten to its source
 * file, relative to the bundle (dist/ and src/ stay side by side).
 */
function sourceUrlPlugin(outdir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = await fs.promises.readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const relative = path.relative(outdir, args.path).split(path.sep).join('/');
        return {
          contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/** Bundles `entry` (a path from the project root) into `outfile`; returns the output path. */
export async function buildEntry(entry, outfile) {
  const out = path.resolve(root, outfile);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [sourceUrlPlugin(path.dirname(out))],
  });
  return out;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const started = performance.now();
  await buildEntry('src/bin/maillage.ts', 'dist/maillage.js');
  process.stderr.write(`dist/maillage.js built in ${Math.round(performance.now() - started)} ms\n`);
}
