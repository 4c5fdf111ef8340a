// Network API benchmark: a réseau pushes N generated places as standard JSON with an API key
// (PUT /api/v1/sources/{id}/lieux through app.inject: key check, dry run, then the real
// import), then pushes the same body again; the same unchanged body is also imported
// directly with runImport, side by side, to show what the safety dry run costs. PGlite.
// Run alone with `npx tsx bench/network-api.bench.ts [places]`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../src/lib/clock.ts';
import { buildApp } from '../src/server/app.ts';
import { bootstrap, shutdown } from '../src/server/bootstrap.ts';
import { loadConfig } from '../src/server/config.ts';
import { createMemoryMailer } from '../src/lib/mailer.ts';
import { createAccountByOperator } from '../src/modules/accounts/accounts.use-cases.ts';
import { createApiKeyAs } from '../src/modules/api-keys/api-keys.use-cases.ts';
import { runImport } from '../src/modules/imports/imports.use-cases.ts';
import { addSource } from '../src/modules/sources/sources.use-cases.ts';
import { atMost, round, type BenchOptions } from './bench.types.ts';
import { generateLieux } from './generate.ts';

export const description = 'network API: PUT of N places with an API key (first push, identical push: median of 3) vs a direct unchanged import (median of 3, alternated)';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run(options: Partial<BenchOptions> = {}) {
  // A network pushes thousands of places, not the whole registry.
  const count = Math.min(options.places ?? 5000, options.quick ? 1000 : 5000);
  const referenceDir = options.referenceDir ?? path.join(projectDir, '..', 'shared', 'data');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bench-network-'));
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', MAILLAGE_DATA_DIR: dataDir, MAILLAGE_SEED_DEMO: 'false', MAILLAGE_REFERENCE_DIR: referenceDir });
  const deps = await bootstrap(config, { clock: fixedClock(new Date('2026-11-28T12:00:00Z')) });
  const app = await buildApp(deps);
  try {
    const source = await addSource(deps, { name: 'bench-reseau', producer: 'Banc d’essai' });
    const { id } = await createAccountByOperator({ db: deps.db, clock: deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://bench' }, { email: 'bench@example.org', role: 'reseau', scopes: [{ kind: 'source', code: source.id }] });
    const { token } = await createApiKeyAs(deps, { id, role: 'reseau', scopes: [{ kind: 'source', code: source.id }] }, { label: 'bench' }, null);
    const body = Buffer.from(JSON.stringify(generateLieux(count, options.seed ?? 42, { referenceDir })));
    const push = async () => {
      const started = performance.now();
      const res = await app.inject({ method: 'PUT', url: `/api/v1/sources/${source.id}/lieux`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
      if (res.statusCode !== 200) throw new Error(`push: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return { ms: performance.now() - started, stats: res.json().stats };
    };
    const first = await push();
    // Alternated, so that background work after the first push (search index catching up
    // with the change log) and the machine's load weigh on both sides alike.
    const directImport = async () => {
      const started = performance.now();
      const report = await runImport(deps, { source: source.name, bytes: body, format: 'standard-json' });
      return { ms: performance.now() - started, stats: report.stats };
    };
    const pushes: { ms: number; stats: unknown }[] = [];
    const directs: { ms: number; stats: { unchanged: number } }[] = [];
    for (let i = 0; i < 3; i++) {
      directs.push(await directImport());
      pushes.push(await push());
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const again = { ms: median(pushes.map((p) => p.ms)), stats: pushes[0]!.stats };
    const direct = { stats: directs[0]!.stats };
    const directMs = median(directs.map((d) => d.ms));
    return {
      places: count,
      body_mb: round(body.length / 1024 / 1024, 1),
      first_push: { ms: round(first.ms, 0), places_per_s: round((count / first.ms) * 1000, 0), stats: first.stats },
      identical_push: { ms: round(again.ms, 0), runs_ms: pushes.map((p) => round(p.ms, 0)), stats: again.stats },
      direct_unchanged_import: { ms: round(directMs, 0), runs_ms: directs.map((d) => round(d.ms, 0)), unchanged: direct.stats.unchanged },
      identical_push_vs_direct_import: round(again.ms / directMs, 2),
      targets: {
        identical_push_ratio: atMost('identical push ≤ 3 × a direct unchanged import (dry run + run + key check)', again.ms / directMs, 3),
      },
    };
  } finally {
    await app.close();
    await shutdown(deps);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  run({ places: Number(process.argv[2] ?? 2000), quick: false }).then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
