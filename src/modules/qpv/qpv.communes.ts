// The 2015 QPV shapefile names the main commune but gives no INSEE code; this finds the code
// from the name and the département of the QPV code (COG of @etalab/decoupage-administratif).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { normalizeText } from '../../lib/text.ts';
import type { CommuneCodeResolver } from './qpv.file.ts';

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
}

let byName: Map<string, string> | undefined;

function index(): Map<string, string> {
  if (byName) return byName;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@etalab/decoupage-administratif/data/communes.json');
  const communes = JSON.parse(fs.readFileSync(file, 'utf8')) as RawCommune[];
  byName = new Map();
  for (const c of communes) {
    if (c.type === 'commune-actuelle') byName.set(`${c.departement}|${normalizeText(c.nom)}`, c.code);
  }
  return byName;
}

export const resolveCommuneByName: CommuneCodeResolver = (nom, codeDepartement) =>
  index().get(`${codeDepartement}|${normalizeText(nom)}`) ?? null;
