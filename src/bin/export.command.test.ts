import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseExportFormat } from './export.command.ts';

describe('maillage export', () => {
  it('knows the four formats and refuses others in French', () => {
    for (const format of ['standard-csv', 'standard-json', 'geojson', 'data-inclusion']) expect(parseExportFormat(format)).toBe(format);
    expect(() => parseExportFormat('xml')).toThrow('Format d’export « xml » inconnu. Formats possibles : standard-csv, standard-json, geojson, data-inclusion.');
  });

  it('writes a file, prints to stdout, and exits with 1 on an unknown format (subprocess)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-export-data-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MAILLAGE_DATA_DIR: dataDir, MAILLAGE_SEED_DEMO: 'false', MAILLAGE_REFERENCE_DIR: path.resolve('../shared/data'), LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL; // a throwaway PGlite store, never the shared test server
    const run = (args: string[]) =>
      promisify(execFile)('node', ['bin/maillage.js', ...args], { env, timeout: 120_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    try {
      const bad = await run(['export', '--format', 'xml']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Format d’export « xml » inconnu.');
      expect(bad.stderr).not.toMatch(/\bat .*\.ts:\d+/);

      const out = path.join(dataDir, 'lieux.csv');
      const file = await run(['export', '--format', 'standard-csv', '--out', out]);
      expect(file.code).toBe(0);
      expect(fs.readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^id,pivot,nom,commune,code_postal,/);
      expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

      const stdout = await run(['export', '--format', 'data-inclusion']);
      expect(stdout.code).toBe(0);
      expect(JSON.parse(stdout.stdout)).toEqual({ structures: [], services: [] });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
