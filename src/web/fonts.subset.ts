// Regenerates the Marianne subsets served to browsers: Latin-1 plus French typography only
// (half the size of DSFR's full fonts), and only two weights, to keep pages light.
// Run after a DSFR upgrade: npx tsx src/web/fonts.subset.ts
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

const require = createRequire(import.meta.url);
const fontsDir = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist/fonts');
const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'assets/fonts');

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)).join('');
/** Basic Latin, Latin-1, French ligatures and quotes, dashes, ellipsis, euro, arrows. */
export const SUBSET_CHARS = `${range(0x20, 0x7e)}${range(0xa0, 0xff)}ŒœŸ’‘“”‚„«»‹›–—…·•€→←↑↓✓×−\u202f`;

export const SUBSET_FONTS = ['Marianne-Regular', 'Marianne-Bold'] as const;

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of SUBSET_FONTS) {
    const source = fs.readFileSync(path.join(fontsDir, `${name}.woff2`));
    const subset = await subsetFont(source, SUBSET_CHARS, { targetFormat: 'woff2' });
    fs.writeFileSync(path.join(outDir, `${name}-latin.woff2`), subset);
    console.log(`${name}: ${source.length} → ${subset.length} octets`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
