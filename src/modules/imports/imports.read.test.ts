// Golden tests: one tiny realistic fixture per format in, the expected standard v1 records out.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from './imports.errors.ts';
import { parseMapping } from './imports.mapping.ts';
import { readSourceFile, type ReadInput } from './imports.read.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/imports');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const departementMapping = () => parseMapping(JSON.parse(fixture('tableau-departement.mapping.json').toString('utf8')));

async function fileError(input: ReadInput): Promise<string> {
  try {
    await readSourceFile(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('standard v1', () => {
  it('reads CSV: `|` multi-values, quoted multi-line text, placeholder pivot kept as written', async () => {
    const result = await readSourceFile({ bytes: fixture('standard-v1.csv') });
    expect(result).toMatchObject({ format: 'standard-csv', encoding: 'utf-8', delimiter: ',', total: 2, errors: [], ignoredColumns: [] });
    expect(result.records.map((r) => [r.row, r.externalId])).toEqual([[2, 'nievre-001'], [4, 'nievre-002']]);
    expect(result.records[0]!.lieu).toEqual({
      id: 'nievre-001',
      pivot: '21580194700019',
      nom: 'Médiathèque Jean-Jaurès',
      commune: 'Nevers',
      code_postal: '58000',
      code_insee: '58194',
      adresse: '12 rue du Commandant Rivière',
      complement_adresse: 'Rez-de-chaussée',
      latitude: '46.9896',
      longitude: '3.1590',
      typologie: ['BIB', 'MUNI'],
      telephone: '+33386683500',
      courriels: ['mediatheque@ville-nevers.fr', 'numerique@ville-nevers.fr'],
      site_web: ['https://www.ville-nevers.fr'],
      horaires: 'Tu-Sa 10:00-18:00',
      presentation_resume: 'Ateliers numériques et accès libre aux ordinateurs.',
      presentation_detail: 'Accès libre aux ordinateurs.\nAteliers collectifs le mercredi après-midi.',
      source: 'Département de la Nièvre',
      itinerance: ['Fixe'],
      date_maj: '2024-05-02',
      services: ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'],
      publics_specifiquement_adresses: ['Seniors', 'Jeunes'],
      prise_en_charge_specifique: ['Surdité'],
      frais_a_charge: ['Gratuit'],
      dispositif_programmes_nationaux: ['Conseillers numériques'],
      autres_formations_labels: ['QPV'],
      modalites_acces: ['Se présenter', 'Téléphoner'],
      modalites_accompagnement: ['Accompagnement individuel', 'Dans un atelier collectif'],
    });
    expect(result.records[1]!.lieu).toMatchObject({ pivot: '00000000000000', dispositif_programmes_nationaux: ['France Services', 'Aidants Connect'], prise_rdv: 'https://rdv.anct.gouv.fr/' });
    expect(result.records[1]!.lieu).not.toHaveProperty('complement_adresse');
  });

  it('reads JSON with arrays or `|` strings for multi-values, numbers as text', async () => {
    const result = await readSourceFile({ bytes: fixture('standard-v1.json') });
    expect(result).toMatchObject({ format: 'standard-json', total: 2, errors: [] });
    expect(result.records[0]!.lieu).toMatchObject({ latitude: '48.1055', longitude: '-1.6743', typologie: ['EPN'], frais_a_charge: ['Gratuit'] });
    expect(result.records[1]!.lieu).toEqual({
      id: 'bzh-0043',
      pivot: '13002526500013',
      nom: 'PIMMS Médiation Brest',
      commune: 'Brest',
      code_postal: '29200',
      adresse: '8 rue Bruat',
      typologie: ['PIMMS'],
      date_maj: '2024-02-11',
      services: ['Aide aux démarches administratives', 'Accès internet et matériel informatique'],
    });
  });

  it('reads an XLSX workbook with standard headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lieux');
    sheet.addRow(['id', 'pivot', 'nom', 'commune', 'code_postal', 'adresse', 'date_maj', 'services']);
    sheet.addRow(['occ-1', '21310555400017', 'La Grainerie numérique', 'Toulouse', 31000, '61 rue Saint-Jean', new Date('2024-03-05T00:00:00Z'), 'Loisirs et créations numériques']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const result = await readSourceFile({ bytes });
    expect(result.format).toBe('standard-csv');
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      row: 2,
      externalId: 'occ-1',
      lieu: { code_postal: '31000', date_maj: '2024-03-05', services: ['Loisirs et créations numériques'] },
    });
  });
});

describe('legacy standard v0.1 (Windows-1252, `;` delimiter and multi-value separator)', () => {
  it('maps renamed fields and old values to v1', async () => {
    const result = await readSourceFile({ bytes: fixture('legacy-v0.csv') });
    expect(result).toMatchObject({ format: 'legacy-csv', encoding: 'windows-1252', delimiter: ';', total: 2, errors: [] });
    const [lille, roubaix] = result.records.map((r) => r.lieu);
    expect(lille).toEqual({
      id: 'hdf-17',
      pivot: '21590350100017',
      nom: 'Espace numérique de Lille-Sud',
      commune: 'Lille',
      code_postal: '59000',
      code_insee: '59350',
      adresse: '83 rue du Faubourg des Postes',
      latitude: '50.6131',
      longitude: '3.0437',
      typologie: ['EPN'],
      telephone: '+33320000000',
      courriels: ['epn.lillesud@mairie-lille.fr'],
      site_web: ['https://www.lille.fr'],
      horaires: 'Mo-Fr 09:00-12:00,14:00-17:00',
      presentation_resume: "Accompagnement aux démarches et initiation à l'informatique",
      source: 'Hub numérique Hauts-de-France',
      date_maj: '2022-09-15',
      // 3 old services → 3 new ones
      services: ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien', 'Accès internet et matériel informatique'],
      // publics_accueillis split in two fields
      publics_specifiquement_adresses: ['Seniors'],
      prise_en_charge_specifique: ['Langues étrangères (autres)', 'Handicaps mentaux'],
      // conditions_acces → frais_a_charge
      frais_a_charge: ['Gratuit', 'Gratuit sous condition'],
      // labels_nationaux split; labels_autres → autres_formations_labels
      dispositif_programmes_nationaux: ['Conseillers numériques', "Point d'accès numérique CAF"],
      autres_formations_labels: ['Label Région', 'APTIC'],
      modalites_accompagnement: ['Accompagnement individuel', 'Dans un atelier collectif'],
      // accessibilite → fiche_acces_libre; cle_ban dropped
      fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/app/59-lille/a/bibliotheque/erp/espace-numerique-lille-sud/',
    });
    expect(roubaix).toMatchObject({
      adresse: "34 rue de l'Épeule",
      structure_parente: 'Emmaüs Connect',
      services: ['Acquisition de matériel informatique à prix solidaire', 'Parentalité et éducation avec le numérique'],
      publics_specifiquement_adresses: ['Familles et/ou enfants', 'Femmes'],
      frais_a_charge: ['Payant'],
      dispositif_programmes_nationaux: ['France Services'],
      formations_labels: ['Fabriques de Territoire'],
      modalites_accompagnement: ['En autonomie'],
    });
  });

  it('reads legacy JSON and passes unknown old values through for validation to report', async () => {
    const bytes = Buffer.from(
      JSON.stringify([{ id: 'x1', nom: 'EPN de Guéret', commune: 'Guéret', code_postal: '23000', adresse: '1 rue Maurice Rollinat', courriel: 'epn@gueret.fr', services: 'Prendre en main un ordinateur;Service inventé', conditions_acces: 'Gratuit' }]),
    );
    const result = await readSourceFile({ bytes });
    expect(result.format).toBe('legacy-json');
    expect(result.records[0]!.lieu).toMatchObject({
      courriels: ['epn@gueret.fr'],
      services: ['Maîtrise des outils numériques du quotidien', 'Service inventé'],
      frais_a_charge: ['Gratuit'],
    });
  });
});

describe('data·inclusion', () => {
  it('reads structures + services from JSON', async () => {
    const result = await readSourceFile({ bytes: fixture('data-inclusion.json') });
    expect(result).toMatchObject({ format: 'data-inclusion-json', total: 2, errors: [] });
    expect(result.records[0]!.lieu).toEqual({
      id: 'conseiller-numerique-5f8a',
      pivot: '41234567800027',
      nom: 'Centre social Les Minguettes',
      commune: 'Vénissieux',
      code_postal: '69200',
      code_insee: '69259',
      adresse: '11 avenue Jean Cagne',
      latitude: '45.704',
      longitude: '4.8826',
      telephone: '+33478700000',
      date_maj: '2024-04-30',
      courriels: ['accueil@cs-minguettes.fr'],
      site_web: ['https://cs-minguettes.fr'],
      horaires: 'Mo-Fr 09:00-17:00',
      fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/app/69-venissieux/a/centre-social/erp/les-minguettes/',
      source: 'mediation-numerique',
      presentation_resume: "Permanences d'aide aux démarches en ligne avec une conseillère numérique.",
      dispositif_programmes_nationaux: ['Conseillers numériques', 'France Services'],
      services: ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'],
      frais_a_charge: ['Gratuit'],
      publics_specifiquement_adresses: ['Seniors', 'Familles et/ou enfants'],
      modalites_acces: ['Se présenter', 'Téléphoner'],
      modalites_accompagnement: ['À distance'],
    });
    // No SIRET (null): the standard's placeholder for an unknown pivot; services of its own structure only.
    expect(result.records[1]!.lieu).toEqual({
      id: 'conseiller-numerique-77c1',
      pivot: '00000000000000',
      nom: 'Tiers-lieu La Fabrique',
      commune: 'Saint-Fons',
      code_postal: '69190',
      adresse: '3 rue Carnot',
      date_maj: '2024-01-09',
      source: 'mediation-numerique',
      services: ['Acquisition de matériel informatique à prix solidaire'],
      frais_a_charge: ['Payant'],
    });
  });

  it('reads a structures CSV with its services CSV', async () => {
    const result = await readSourceFile({ bytes: fixture('data-inclusion-structures.csv'), services: fixture('data-inclusion-services.csv') });
    expect(result.format).toBe('data-inclusion-csv');
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(3);
    expect(result.records[0]).toMatchObject({
      row: 2,
      externalId: 'cn-9001',
      lieu: {
        pivot: '26340001200019',
        dispositif_programmes_nationaux: ['Conseillers numériques', 'Aidants Connect'],
        services: ['Aide aux démarches administratives', 'Accès internet et matériel informatique'],
        publics_specifiquement_adresses: ['Jeunes', 'Étudiants'],
        modalites_acces: ['Contacter par mail'],
        frais_a_charge: ['Gratuit'],
      },
    });
    // Without SIRET: the RNA is the pivot; without either, the placeholder (empty cells, as exported by spreadsheets).
    expect(result.records.slice(1).map((r) => [r.row, r.externalId, r.lieu.pivot, r.lieu.nom])).toEqual([
      [3, 'cn-9002', 'W442001234', "Association Clic'Senior"],
      [4, 'cn-9003', '00000000000000', 'Tiers-lieu du Breil'],
    ]);
  });
});

describe('GeoJSON', () => {
  it('takes coordinates from the point and rejects other geometries row by row', async () => {
    const result = await readSourceFile({ bytes: fixture('lieux.geojson') });
    expect(result).toMatchObject({ format: 'geojson', total: 2 });
    expect(result.records).toHaveLength(1);
    expect(result.records[0]!.lieu).toMatchObject({ id: 'paca-310', longitude: '5.3698', latitude: '43.2965', formations_labels: ['SUD LABS (PACA)'] });
    expect(result.errors).toEqual([{ row: 2, field: 'geometry', value: 'LineString', message: expect.stringMatching(/doit être un point/) }]);
  });
});

describe('declarative mapping', () => {
  it('renames, joins, splits, turns keywords into enumeration values, adds constants and defaults', async () => {
    const result = await readSourceFile({ bytes: fixture('tableau-departement.tsv'), mapping: departementMapping() });
    expect(result).toMatchObject({ format: 'mapping', delimiter: '\t', total: 2, errors: [] });
    expect(result.records.map((r) => r.lieu)).toEqual([
      {
        id: 'D24-01',
        pivot: '00000000000000',
        nom: 'Mairie de Ribérac - espace numérique',
        adresse: '1 place du Général de Gaulle',
        code_postal: '24600',
        commune: 'Ribérac',
        services: ['Accès internet et matériel informatique', 'Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'],
        frais_a_charge: ['Gratuit'],
        courriels: ['mairie@riberac.fr'],
        source: 'Conseil départemental de la Dordogne',
        date_maj: '2024-06-01',
      },
      {
        id: 'D24-02',
        pivot: '00000000000000',
        nom: 'Bibliothèque de Nontron',
        adresse: 'rue de Verdun',
        code_postal: '24300',
        commune: 'Nontron',
        services: ['Loisirs et créations numériques'],
        frais_a_charge: ['Gratuit'],
        source: 'Conseil départemental de la Dordogne',
        date_maj: '2024-06-01',
      },
    ]);
  });

  it('reads an XLSX through the same mapping', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Feuil1');
    sheet.addRow(['Référence', 'Structure', 'N°', 'Voie', 'CP', 'Ville', 'Activités', 'Accès', 'Mail']);
    sheet.addRow(['D24-09', 'Espace France Services de Thiviers', 2, 'rue Lamy', '24800', 'Thiviers', 'Démarches, wifi', 'payant', '']);
    const result = await readSourceFile({ bytes: new Uint8Array(await workbook.xlsx.writeBuffer()), mapping: departementMapping() });
    expect(result.records[0]!.lieu).toMatchObject({
      adresse: '2 rue Lamy',
      services: ['Accès internet et matériel informatique', 'Aide aux démarches administratives'],
      frais_a_charge: ['Payant'],
    });
  });

  it('names a missing column and rejects an invalid mapping', async () => {
    const bytes = Buffer.from('Référence\tStructure\n1\tEPN\n');
    expect(await fileError({ bytes, mapping: departementMapping() })).toMatch(/absentes du fichier : n, voie, cp, ville, activites, acces, mail/);
    expect(() => parseMapping({ fields: { nom_du_lieu: 'Nom' } })).toThrow(/« nom_du_lieu » n'est pas un champ du standard/);
    expect(() => parseMapping({ fields: { nom: { frm: 'Nom' } } })).toThrow(/clé « frm » inconnue/);
    expect(() => parseMapping([])).toThrow(ImportFileError);
  });
});

describe('format detection and malformed files', () => {
  it('honours an explicit format over detection', async () => {
    expect(await fileError({ bytes: fixture('standard-v1.csv'), format: 'geojson' })).toMatch(/JSON est mal formé/);
    const forced = await readSourceFile({ bytes: fixture('legacy-v0.csv'), format: 'standard-csv' });
    // read as v1, the old columns are ignored and reported
    expect(forced.format).toBe('standard-csv');
    expect(forced.ignoredColumns).toEqual(expect.arrayContaining(['courriel', 'publics_accueillis', 'cle_ban']));
    expect(forced.records[0]!.lieu).not.toHaveProperty('courriels');
  });

  it.each([
    ['empty', '', /vide/],
    ['header only', 'id,pivot,nom,commune,code_postal,adresse,date_maj\n', /qu'une ligne d'en-tête/],
    ['wrong columns', 'Nom du lieu;Ville\nEPN;Nevers\n', /Colonnes non reconnues \(Nom du lieu, Ville\)/],
    ['missing required column', 'id,pivot,nom,code_postal\n1,123456789,EPN,58000\n', /Colonnes obligatoires absentes pour le format standard v1 : adresse, commune/],
    ['truncated CSV', 'id,nom,commune,code_postal,adresse\n1,"EPN de Nevers,Nevers', /tronqué/],
    ['truncated JSON', '[{"id":"1","nom":"EPN de Nev', /JSON est mal formé ou tronqué/],
    ['empty JSON list', '[]', /n'est pas reconnu/],
    ['JSON of another kind', '{"hello":"world"}', /n'est pas reconnu/],
  ])('%s', async (_name, text, message) => {
    expect(await fileError({ bytes: Buffer.from(text) })).toMatch(message);
  });

  it('rejects binary files and broken workbooks', async () => {
    expect(await fileError({ bytes: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0x01, 0x02, 0xff, 0x00]) })).toMatch(/binaire/);
    expect(await fileError({ bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x11, 0x22]) })).toMatch(/classeur Excel est illisible/);
  });

  it('rejects a 10 MB single line', async () => {
    const bytes = Buffer.from(`id,nom,commune,code_postal,adresse\n1,"${'é'.repeat(5 * 1024 * 1024)}",Nevers,58000,rue\n`);
    expect(await fileError({ bytes })).toMatch(/dépasse 1 Mo/);
  });

  it('rejects later rows with a duplicate id, naming the first line', async () => {
    const text = 'id,pivot,nom,commune,code_postal,adresse,date_maj\nA1,123456789,EPN 1,Nevers,58000,rue A,2024-01-01\nA2,123456789,EPN 2,Nevers,58000,rue B,2024-01-01\nA1,123456789,EPN 3,Nevers,58000,rue C,2024-01-01\n';
    const result = await readSourceFile({ bytes: Buffer.from(text) });
    expect(result.records.map((r) => r.lieu.nom)).toEqual(['EPN 1', 'EPN 2']);
    expect(result.total).toBe(3);
    expect(result.errors).toEqual([{ row: 4, field: 'id', value: 'A1', message: 'Identifiant « A1 » en double : déjà utilisé ligne 2.' }]);
  });
});
