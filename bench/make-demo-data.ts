// Writes src/modules/lieux/lieux.demo.data.ts: the demonstration places, drawn once from
// the real commune reference (centres, postal codes, QPV contours) and committed, so the
// product never needs the reference folder to seed them.
//   npx tsx bench/make-demo-data.ts [referenceDir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { normalizeText } from '../src/lib/text.ts';
import { findCentresFile, loadReferenceCommunes, type ReferenceCommune } from './communes.ts';
import { generateOne, jitter, luhnCheckDigit, type StandardLieu } from './generate.ts';
import { Random } from './random.ts';
import { HORAIRES, PLACE_KINDS, type PlaceKind } from './vocabulary.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(projectDir, 'src/modules/lieux/lieux.demo.data.ts');
const REFERENCE_DAY = Date.parse('2026-11-20T00:00:00Z');

/** Hand-written places: QPV neighbourhoods and well-known kinds of places. */
interface HandPlace {
  nom: string;
  commune: string;
  departement: string;
  code_postal: string;
  adresse: string;
  kind: string;
  /** Name of the 2015 QPV whose contour must hold the position. */
  qpv?: string;
  horaires?: string;
  presentation_resume?: string;
  typologie?: string[];
}

const HAND: HandPlace[] = [
  // Toulouse, QPV
  { nom: 'Maison de quartier de Bagatelle', commune: 'Toulouse', departement: '31', code_postal: '31100', adresse: '18 rue Henri Desbals', kind: 'MQ', qpv: 'Grand Mirail', horaires: 'Mo-Fr 09:00-12:00,14:00-18:00; PH off' },
  { nom: 'Espace numérique de la Reynerie', commune: 'Toulouse', departement: '31', code_postal: '31100', adresse: 'Place André Abbal', kind: 'EPN', qpv: 'Grand Mirail', horaires: 'Tu-Sa 10:00-12:30,14:00-18:00; PH off' },
  { nom: 'Médiathèque Grand M', commune: 'Toulouse', departement: '31', code_postal: '31100', adresse: '37 avenue de la Reynerie', kind: 'BIB', qpv: 'Grand Mirail', horaires: 'Tu,Th,Fr 14:00-19:00; We,Sa 10:00-18:00; PH off' },
  { nom: 'Emmaüs Connect Toulouse', commune: 'Toulouse', departement: '31', code_postal: '31100', adresse: '4 allée de Bellefontaine', kind: 'EMMAUS', qpv: 'Grand Mirail', horaires: 'Mo-Th 09:30-12:30,13:30-17:00' },
  { nom: 'France Services Toulouse Empalot', commune: 'Toulouse', departement: '31', code_postal: '31400', adresse: '38 avenue Jean Moulin', kind: 'MSAP', qpv: 'Empalot' },
  { nom: 'Centre social des Izards', commune: 'Toulouse', departement: '31', code_postal: '31200', adresse: '3 rue Gaston Doumergue', kind: 'CSC', qpv: 'Les Izards - La Vache' },
  { nom: 'PIMMS Médiation Toulouse Bourbaki', commune: 'Toulouse', departement: '31', code_postal: '31200', adresse: '9 rue du Général Bourbaki', kind: 'PIMMS', qpv: 'Bourbaki' },
  // Montpellier, QPV
  { nom: 'Médiathèque William Shakespeare', commune: 'Montpellier', departement: '34', code_postal: '34080', adresse: '150 avenue Paul Bringuier', kind: 'BIB', qpv: 'Mosson', horaires: 'Tu 14:00-19:00; We 10:00-18:00; Th-Fr 14:00-19:00; Sa 10:00-18:00; PH off' },
  { nom: 'Maison pour tous Léo Lagrange', commune: 'Montpellier', departement: '34', code_postal: '34080', adresse: '155 rue de Bologne', kind: 'MQ', qpv: 'Mosson' },
  { nom: 'France Services Montpellier Mosson', commune: 'Montpellier', departement: '34', code_postal: '34080', adresse: 'Place Jacques Brel', kind: 'MSAP', qpv: 'Mosson' },
  { nom: 'Espace numérique du Petit Bard', commune: 'Montpellier', departement: '34', code_postal: '34070', adresse: '12 avenue de Lodève', kind: 'EPN', qpv: 'Petit Bard Pergola' },
  { nom: "Emmaüs Connect Montpellier", commune: 'Montpellier', departement: '34', code_postal: '34070', adresse: '22 rue des Araucarias', kind: 'EMMAUS', qpv: "Près D'Arènes" },
  // Rennes, QPV
  { nom: 'Espace social commun du Blosne', commune: 'Rennes', departement: '35', code_postal: '35200', adresse: '7 boulevard de Yougoslavie', kind: 'CSC', qpv: 'Le Blosne' },
  { nom: 'Bibliothèque du Triangle', commune: 'Rennes', departement: '35', code_postal: '35200', adresse: 'Boulevard de Yougoslavie', kind: 'BIB', qpv: 'Le Blosne', horaires: 'Tu,Fr 13:00-18:30; We,Sa 10:00-18:00; Th 13:00-18:30; PH off' },
  { nom: 'Cyber-base du Blosne', commune: 'Rennes', departement: '35', code_postal: '35200', adresse: 'Place de Zagreb', kind: 'EPN', qpv: 'Le Blosne' },
  { nom: 'Espace social commun Gros-Chêne', commune: 'Rennes', departement: '35', code_postal: '35700', adresse: 'Place du Gros-Chêne', kind: 'CSC', qpv: 'Maurepas' },
  { nom: 'Point numérique de Maurepas', commune: 'Rennes', departement: '35', code_postal: '35700', adresse: '32 rue de la Marbaudais', kind: 'EPN', qpv: 'Maurepas' },
  { nom: 'Maison de quartier de Villejean', commune: 'Rennes', departement: '35', code_postal: '35000', adresse: '2 rue de Bourgogne', kind: 'MQ', qpv: 'Villejean' },
  // Other cities
  { nom: 'Emmaüs Connect Lille', commune: 'Lille', departement: '59', code_postal: '59000', adresse: '25 rue du Molinel', kind: 'EMMAUS' },
  { nom: 'Centre social Marcel Bertrand', commune: 'Lille', departement: '59', code_postal: '59000', adresse: '24 rue de Wattignies', kind: 'CSC' },
  { nom: 'Médiathèque La Grand-Plage', commune: 'Roubaix', departement: '59', code_postal: '59100', adresse: '2 rue Pierre Motte', kind: 'BIB' },
  { nom: 'PIMMS Médiation Roubaix', commune: 'Roubaix', departement: '59', code_postal: '59100', adresse: '57 boulevard de Belfort', kind: 'PIMMS' },
  { nom: 'Médiathèque Marguerite Duras', commune: 'Paris', departement: '75', code_postal: '75020', adresse: '115 rue de Bagnolet', kind: 'BIB', horaires: 'Tu,Th,Fr 13:00-19:00; We,Sa 10:00-18:00; Su 13:00-18:00; PH off' },
  { nom: 'Emmaüs Connect Paris', commune: 'Paris', departement: '75', code_postal: '75019', adresse: '71 rue Archereau', kind: 'EMMAUS' },
  { nom: 'Espace public numérique Belleville', commune: 'Paris', departement: '75', code_postal: '75011', adresse: '14 rue de la Fontaine au Roi', kind: 'EPN', horaires: 'Mo-Fr 10:00-13:00,14:00-20:00; Sa 10:00-17:00' },
  { nom: 'Centre social Air Bel', commune: 'Marseille', departement: '13', code_postal: '13011', adresse: '36 bis rue de la Pinède', kind: 'CSC' },
  { nom: 'Cyber-base Marseille Nord', commune: 'Marseille', departement: '13', code_postal: '13015', adresse: '19 boulevard Ferdinand de Lesseps', kind: 'EPN' },
  { nom: 'Médiathèque de Vaise', commune: 'Lyon', departement: '69', code_postal: '69009', adresse: 'Place Valmy', kind: 'BIB' },
  { nom: 'Emmaüs Connect Lyon', commune: 'Lyon', departement: '69', code_postal: '69007', adresse: '9 rue Jangot', kind: 'EMMAUS' },
  { nom: 'Centre socioculturel du Neuhof', commune: 'Strasbourg', departement: '67', code_postal: '67100', adresse: '1 rue de Clairvivre', kind: 'CSC' },
  { nom: 'Médiathèque Olympe de Gouges', commune: 'Strasbourg', departement: '67', code_postal: '67000', adresse: '3 rue Kuhn', kind: 'BIB' },
  { nom: 'Maison de quartier des Dervallières', commune: 'Nantes', departement: '44', code_postal: '44100', adresse: '5 rue Auguste Renoir', kind: 'MQ' },
  { nom: 'PIMMS Médiation Nantes Bellevue', commune: 'Nantes', departement: '44', code_postal: '44100', adresse: '2 place Mendès France', kind: 'PIMMS' },
  { nom: 'Les Fabriques du Ponant', commune: 'Brest', departement: '29', code_postal: '29200', adresse: '40 rue Jules Lesven', kind: 'FABLAB', horaires: 'We 14:00-20:00; Fr 17:00-21:00; Sa 14:00-19:00' },
  { nom: 'Espace numérique Bordeaux Bastide', commune: 'Bordeaux', departement: '33', code_postal: '33100', adresse: '42 avenue Thiers', kind: 'EPN' },
  { nom: 'EPN du Chaudron', commune: 'Saint-Denis', departement: '974', code_postal: '97490', adresse: '12 rue Auguste Vinson', kind: 'EPN', horaires: 'Mo-Fr 08:00-12:00,13:00-16:30' },
  { nom: 'Fablab de Clermont-Ferrand', commune: 'Clermont-Ferrand', departement: '63', code_postal: '63000', adresse: '9 rue Kessler', kind: 'FABLAB' },
  { nom: 'France Services de Saint-Affrique', commune: 'Saint-Affrique', departement: '12', code_postal: '12400', adresse: '1 boulevard Victor Hugo', kind: 'MSAP' },
  { nom: 'France Services de Carhaix', commune: 'Carhaix-Plouguer', departement: '29', code_postal: '29270', adresse: 'Place de la Mairie', kind: 'MSAP' },
  { nom: 'Médiathèque intercommunale du Pays de Mormal', commune: 'Le Quesnoy', departement: '59', code_postal: '59530', adresse: '2 rue du Maréchal Joffre', kind: 'BIB' },
];

/** Towns that get generated places: [nom, département, count]. Mixes cities and rural towns. */
const TOWNS: [string, string, number][] = [
  ['Lille', '59', 4], ['Roubaix', '59', 2], ['Tourcoing', '59', 3], ['Dunkerque', '59', 3], ['Fourmies', '59', 2],
  ['Avesnes-sur-Helpe', '59', 1], ['Amiens', '80', 4], ['Abbeville', '80', 2], ['Arras', '62', 3], ['Lens', '62', 3],
  ['Hesdin-la-Forêt', '62', 1], ['Fruges', '62', 1], ['Beauvais', '60', 3], ['Saint-Quentin', '02', 3], ['Hirson', '02', 2],
  ['Toulouse', '31', 4], ['Montpellier', '34', 3], ['Nîmes', '30', 3], ['Perpignan', '66', 3], ['Albi', '81', 2],
  ['Lodève', '34', 1], ['Figeac', '46', 1], ['Mende', '48', 1], ['Foix', '09', 1], ['Auch', '32', 1], ['Millau', '12', 2],
  ['Rennes', '35', 3], ['Brest', '29', 3], ['Quimper', '29', 3], ['Saint-Brieuc', '22', 2], ['Lorient', '56', 2],
  ['Loudéac', '22', 1], ['Pontivy', '56', 1], ['Vitré', '35', 1],
  ['Paris', '75', 6], ['Saint-Denis', '93', 3], ['Montreuil', '93', 2], ['Argenteuil', '95', 2],
  ['Évry-Courcouronnes', '91', 2], ['Meaux', '77', 2], ['Nanterre', '92', 2],
  ['Lyon', '69', 4], ['Grenoble', '38', 3], ['Saint-Étienne', '42', 3], ['Clermont-Ferrand', '63', 3],
  ['Aurillac', '15', 1], ['Ambert', '63', 1], ['Annecy', '74', 2], ['Privas', '07', 1],
  ['Bordeaux', '33', 3], ['Limoges', '87', 2], ['Poitiers', '86', 2], ['Guéret', '23', 1], ['Pau', '64', 2], ['La Rochelle', '17', 2],
  ['Strasbourg', '67', 3], ['Metz', '57', 2], ['Nancy', '54', 2], ['Reims', '51', 2], ['Mulhouse', '68', 2], ['Charleville-Mézières', '08', 1],
  ['Marseille', '13', 4], ['Nice', '06', 2], ['Toulon', '83', 2], ['Avignon', '84', 2], ['Digne-les-Bains', '04', 1],
  ['Rouen', '76', 2], ['Caen', '14', 2], ['Le Havre', '76', 2], ['Alençon', '61', 1],
  ['Nantes', '44', 3], ['Angers', '49', 2], ['Le Mans', '72', 2],
  ['Dijon', '21', 2], ['Besançon', '25', 2], ['Nevers', '58', 1],
  ['Tours', '37', 2], ['Orléans', '45', 2], ['Bourges', '18', 1],
  ['Ajaccio', '2A', 1], ['Bastia', '2B', 1], ['Saint-Denis', '974', 1], ['Fort-de-France', '972', 1],
];

const EMMAUS = PLACE_KINDS.find((k) => k.names[0]?.startsWith('Emmaüs'))!;

function kindOf(key: string): PlaceKind {
  if (key === 'EMMAUS') return EMMAUS;
  const kind = PLACE_KINDS.find((k) => k.typologie[0] === key);
  if (!kind) throw new Error(`unknown kind ${key}`);
  return kind;
}

interface QpvFeature {
  properties: Record<string, string>;
  geometry: Polygon | MultiPolygon;
}

function loadQpv(referenceDir: string): Map<string, QpvFeature> {
  const byName = new Map<string, QpvFeature>();
  for (const file of ['qpv-2015-occitanie.geojson', 'qpv-2015-rennes.geojson']) {
    const collection = JSON.parse(fs.readFileSync(path.join(referenceDir, 'qpv', file), 'utf8')) as { features: QpvFeature[] };
    for (const feature of collection.features) {
      byName.set(feature.properties.nom_qp ?? feature.properties.NOM_QP ?? '', feature);
    }
  }
  return byName;
}

/** A point inside the QPV contour: random draws in its bounding box until one falls inside. */
function pointInQpv(random: Random, feature: QpvFeature): { latitude: number; longitude: number } {
  const coords = JSON.stringify(feature.geometry.coordinates).match(/-?\d+\.\d+,-?\d+\.\d+/g)!.map((pair) => pair.split(',').map(Number));
  const lons = coords.map(([lon]) => lon!);
  const lats = coords.map(([, lat]) => lat!);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const point = [minLon + random.next() * (maxLon - minLon), minLat + random.next() * (maxLat - minLat)];
    if (booleanPointInPolygon(point, feature.geometry)) {
      return { latitude: Math.round(point[1]! * 1e6) / 1e6, longitude: Math.round(point[0]! * 1e6) / 1e6 };
    }
  }
  throw new Error('no point inside QPV');
}

/** Town halls, libraries and CCAS are run by the commune: their SIRET starts with its SIREN. */
function communeSiret(random: Random, commune: ReferenceCommune): string | undefined {
  if (!commune.siren) return undefined;
  const body = commune.siren + '000' + random.digits(1);
  return body + luhnCheckDigit(body);
}

function main(): void {
  const referenceDir = path.dirname(path.dirname(findCentresFile(process.argv[2])));
  const communes = loadReferenceCommunes(referenceDir);
  const find = (nom: string, departement: string): ReferenceCommune => {
    const found = communes.find((c) => c.nom === nom && c.codeDepartement === departement);
    if (!found) throw new Error(`commune ${nom} (${departement}) not found`);
    return found;
  };
  const qpv = loadQpv(referenceDir);
  const random = new Random(2026);
  const usedNames = new Set<string>(HAND.map((h) => normalizeText(h.nom)));
  const lieux: StandardLieu[] = [];

  for (const hand of HAND) {
    const commune = find(hand.commune, hand.departement);
    if (!commune.codesPostaux.includes(hand.code_postal)) throw new Error(`${hand.nom}: ${hand.code_postal} not a postal code of ${commune.nom}`);
    const kind = kindOf(hand.kind);
    const lieu = generateOne(random, commune, REFERENCE_DAY, new Set(), kind);
    lieu.nom = hand.nom;
    lieu.code_postal = hand.code_postal;
    lieu.adresse = hand.adresse;
    const slug = normalizeText(hand.nom).replace(/ /g, '-');
    lieu.courriels = [`contact@${slug}.fr`];
    lieu.site_web = [`https://www.${slug}.fr`];
    lieu.horaires = hand.horaires ?? random.weighted(HORAIRES.filter(([h]) => h !== '24/7'));
    lieu.itinerance = ['Fixe'];
    if (!kind.payant) lieu.frais_a_charge = ['Gratuit'];
    if (hand.qpv) {
      const feature = qpv.get(hand.qpv);
      if (!feature) throw new Error(`QPV ${hand.qpv} not found`);
      Object.assign(lieu, pointInQpv(random, feature));
      lieu.autres_formations_labels = ['QPV'];
    }
    lieux.push(lieu);
  }
  for (const [nom, departement, count] of TOWNS) {
    const commune = find(nom, departement);
    for (let i = 0; i < count; i++) {
      const lieu = generateOne(random, commune, REFERENCE_DAY, usedNames);
      Object.assign(lieu, jitter(random, { ...commune, population: Math.min(commune.population, 40_000) }));
      if (lieu.horaires === '24/7') lieu.horaires = 'Mo-Fr 09:00-12:00,14:00-17:30; PH off';
      lieux.push(lieu);
    }
  }
  for (const lieu of lieux) {
    const commune = find(lieu.commune, communes.find((c) => c.code === lieu.code_insee)!.codeDepartement);
    if (['MUNI', 'BIB', 'CCAS'].includes(lieu.typologie[0]!)) lieu.pivot = communeSiret(random, commune) ?? lieu.pivot;
  }

  const header = `// Demonstration places (generated by bench/make-demo-data.ts from the real commune
// reference and QPV contours; regenerate rather than edit by hand). Fictitious places in real
// communes: names, streets, SIRET, phone numbers and e-mails are invented.
// Standard field names, multi-values as arrays: the shape createLieu accepts (LieuInput).
type DemoLieu = Record<string, string | number | string[]>;

export const demoLieux: DemoLieu[] = `;
  const body = lieux.map((lieu) => `  ${JSON.stringify(lieu)},`).join('\n');
  fs.writeFileSync(outFile, `${header}[\n${body}\n];\n`);
  console.log(`${lieux.length} demonstration places written to ${path.relative(projectDir, outFile)}`);
}

main();
