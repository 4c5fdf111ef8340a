import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { validateLieu } from './lieux.validation.ts';
import { standardFields } from './lieux.schema.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });

const base = {
  pivot: '21750001600019',
  nom: 'Espace numérique de la mairie',
  commune: 'Paris',
  code_postal: '75015',
  adresse: '31 rue Péclet',
  date_maj: '2024-05-31',
};

function valid(overrides: Record<string, unknown>) {
  const result = validateLieu({ ...base, ...overrides }, territories);
  if (!result.ok) throw new Error(`expected valid, got ${JSON.stringify(result.errors)}`);
  return result.value as unknown as Record<string, unknown>;
}

function invalid(overrides: Record<string, unknown>) {
  const result = validateLieu({ ...base, ...overrides }, territories);
  if (result.ok) throw new Error(`expected errors for ${JSON.stringify(overrides)}`);
  return result.errors;
}

const UUID = '3f2b8c1e-5d4a-4c3b-9a1e-7f6d5c4b3a29';
const longText = 'x'.repeat(281);

// field, a valid value and what is stored, an invalid value, a value to normalise and its result.
type Case = [field: string, valid: unknown, stored: unknown, bad: unknown, raw: unknown, normalised: unknown];
const cases: Case[] = [
  ['id', UUID, UUID, 'lieu-42', UUID.toUpperCase(), UUID],
  ['pivot', '21750001600019', '21750001600019', '1234', '217 500 016 00019', '21750001600019'],
  ['nom', 'Médiathèque', 'Médiathèque', '   ', '  Médiathèque   Jean  Jaurès ', 'Médiathèque Jean Jaurès'],
  ['commune', 'Paris', 'Paris', 'Marseille', '  Paris  ', 'Paris'],
  ['code_postal', '75015', '75015', '7501A', ' 75 015 ', '75015'],
  ['code_insee', '75115', '75115', '7A115', ' 75115 ', '75115'],
  ['adresse', '31 rue Péclet', '31 rue Péclet', '', ' 31  rue Péclet ', '31 rue Péclet'],
  ['complement_adresse', 'Bâtiment B', 'Bâtiment B', { etage: 2 }, '  Bâtiment B ', 'Bâtiment B'],
  ['latitude', 48.84, 48.84, 'nord', '48,84', 48.84],
  ['longitude', 2.29, 2.29, 181, '2,29', 2.29],
  ['typologie', 'EPN|BIB', ['EPN', 'BIB'], 'CYBERCAFE', ['epn', 'PE', 'tiers lieux'], ['EPN', 'FT', 'TIERS_LIEUX']],
  ['telephone', '+33123456789', '+33123456789', '12 34', '01 23 45 67 89', '+33123456789'],
  ['courriels', 'contact@mairie.fr', ['contact@mairie.fr'], 'pas-une-adresse', ' Contact@Mairie.FR ; autre@exemple.fr', ['contact@mairie.fr', 'autre@exemple.fr']],
  ['site_web', 'https://www.mairie.fr', ['https://www.mairie.fr'], 'pas une url', 'www.mairie.fr|https://b.fr', ['https://www.mairie.fr', 'https://b.fr']],
  ['horaires', 'Mo-Fr 09:00-12:00; PH off', 'Mo-Fr 09:00-12:00; PH off', 'Mo-Fr 25:00-26:00', ' Mo-Fr  09:00-12:00 ', 'Mo-Fr 09:00-12:00'],
  ['presentation_resume', 'Aide au numérique.', 'Aide au numérique.', longText, '  Aide au numérique. ', 'Aide au numérique.'],
  ['presentation_detail', 'Un long texte.', 'Un long texte.', ['a'], ' Un long texte. ', 'Un long texte.'],
  ['source', 'Hub du Sud', 'Hub du Sud', true, ' Hub du Sud ', 'Hub du Sud'],
  ['itinerance', 'Fixe', ['Fixe'], 'Mobile', 'itinerant | FIXE', ['Itinérant', 'Fixe']],
  ['structure_parente', 'Ville de Paris', 'Ville de Paris', { nom: 'x' }, ' Ville de Paris ', 'Ville de Paris'],
  ['date_maj', '2024-05-31', '2024-05-31', '2024-02-30', '31/05/2024', '2024-05-31'],
  ['services', 'Aide aux démarches administratives', ['Aide aux démarches administratives'], 'Cours de cuisine', 'aide aux demarches  administratives|LOISIRS ET CREATIONS NUMERIQUES', ['Aide aux démarches administratives', 'Loisirs et créations numériques']],
  ['publics_specifiquement_adresses', ['Jeunes', 'Étudiants'], ['Jeunes', 'Étudiants'], 'Adultes', 'etudiants', ['Étudiants']],
  ['prise_en_charge_specifique', 'Surdité', ['Surdité'], 'Daltonisme', 'langues etrangeres (anglais)', ['Langues étrangères (anglais)']],
  ['frais_a_charge', 'Gratuit', ['Gratuit'], 'Adhésion', 'gratuit sous condition', ['Gratuit sous condition']],
  ['dispositif_programmes_nationaux', 'France Services', ['France Services'], 'CNFS', "point d’acces numerique caf", ["Point d'accès numérique CAF"]],
  ['formations_labels', 'Étapes numériques (La Poste)', ['Étapes numériques (La Poste)'], 'Label inconnu', 'formé à "mon espace santé"', ['Formé à « Mon Espace Santé »']],
  ['autres_formations_labels', 'QPV|FRR', ['QPV', 'FRR'], [1, 2], ' QPV | QPV ', ['QPV']],
  ['modalites_acces', 'Se présenter', ['Se présenter'], 'Venir', 'telephoner', ['Téléphoner']],
  ['modalites_accompagnement', 'À distance', ['À distance'], 'Seul', 'a distance', ['À distance']],
  ['fiche_acces_libre', 'https://acceslibre.beta.gouv.fr/app/x', 'https://acceslibre.beta.gouv.fr/app/x', 'ftp://x', 'acceslibre.beta.gouv.fr/app/x', 'https://acceslibre.beta.gouv.fr/app/x'],
  ['prise_rdv', 'https://rdv.anct.gouv.fr/x', 'https://rdv.anct.gouv.fr/x', 'rdv en ligne', 'rdv.anct.gouv.fr/x', 'https://rdv.anct.gouv.fr/x'],
];

describe('validateLieu, field by field', () => {
  it('covers every field of the standard', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual([...standardFields].sort());
  });

  // Latitude and longitude travel together: give the other one so each is tested alone.
  const companion = (field: string): Record<string, unknown> =>
    field === 'latitude' ? { longitude: 2.29 } : field === 'longitude' ? { latitude: 48.84 } : {};

  it.each(cases)('%s: accepts a valid value', (field, good, stored) => {
    expect(valid({ [field]: good, ...companion(field) })[field]).toEqual(stored);
  });

  it.each(cases)('%s: rejects an invalid value in French, naming the field', (field, _good, _stored, bad) => {
    const errors = invalid({ [field]: bad, ...companion(field) });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe(field);
    expect(errors[0]!.message).toMatch(/[éèàùô’«]|doit|n’est|obligatoire|valide/);
  });

  it.each(cases)('%s: normalises an unambiguous variant', (field, _good, _stored, _bad, raw, normalised) => {
    expect(valid({ [field]: raw, ...companion(field) })[field]).toEqual(normalised);
  });
});

describe('validateLieu, records', () => {
  it('fills territory codes and the commune centre as an approximate position', () => {
    const value = valid({});
    expect(value).toMatchObject({
      code_insee: '75115',
      code_epci: '200054781',
      code_departement: '75',
      code_region: '11',
      position_approximate: true,
    });
    expect(value.latitude).toBeCloseTo(48.84, 1);
    expect(value.longitude).toBeCloseTo(2.29, 1);
  });

  it('keeps a given position as exact', () => {
    expect(valid({ latitude: 48.8411, longitude: 2.2998 })).toMatchObject({ latitude: 48.8411, longitude: 2.2998, position_approximate: false });
  });

  it('pads a postal code that lost its leading zero and resolves the commune', () => {
    expect(valid({ commune: 'Bourg-en-Bresse', code_postal: 1000 })).toMatchObject({ code_postal: '01000', code_insee: '01053', code_departement: '01' });
    expect(valid({ commune: 'Bourg-en-Bresse', code_postal: '01000', code_insee: '1053' }).code_insee).toBe('01053');
  });

  it('names every missing required field at once', () => {
    const result = validateLieu({}, territories);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field).sort()).toEqual(['adresse', 'code_postal', 'commune', 'date_maj', 'nom', 'pivot']);
      expect(result.errors.every((e) => /obligatoire/.test(e.message))).toBe(true);
    }
  });

  it('rejects fields outside the standard unless told to ignore them', () => {
    const errors = invalid({ courriel: 'a@b.fr' });
    expect(errors).toEqual([expect.objectContaining({ field: 'courriel', message: expect.stringMatching(/n’existe pas/) })]);
    expect(validateLieu({ ...base, courriel: 'a@b.fr' }, territories, { ignoreUnknownFields: true }).ok).toBe(true);
  });

  it('reports invalid hours on that field only', () => {
    const errors = invalid({ horaires: 'Lu-Ve 9h-18h avec pause' });
    expect(errors.map((e) => e.field)).toEqual(['horaires']);
    expect(errors[0]!.message).toMatch(/opening_hours/);
  });

  it('asks for both coordinates', () => {
    expect(invalid({ latitude: 48.8 }).map((e) => e.field)).toEqual(['longitude']);
    expect(invalid({ latitude: 0, longitude: 0 }).map((e) => e.field)).toEqual(['latitude']);
  });

  it('reads overseas short phone numbers with the place’s département', () => {
    expect(valid({ commune: 'Nouméa', code_postal: '98800', telephone: '27 12 34' }).telephone).toBe('+687271234');
    expect(valid({ commune: 'Pointe-à-Pitre', code_postal: '97110', telephone: '0590 12 34 56' }).telephone).toBe('+590590123456');
  });

  it('rejects a postal code of another commune with the territories message', () => {
    const errors = invalid({ commune: 'Lyon', code_postal: '75015' });
    expect(errors[0]!.field).toBe('commune');
    expect(errors[0]!.message).toMatch(/Lyon/);
  });

  it('rejects a date that is not a date, in either order', () => {
    expect(invalid({ date_maj: '31/02/2024' }).map((e) => e.field)).toEqual(['date_maj']);
    expect(invalid({ date_maj: 'hier' }).map((e) => e.field)).toEqual(['date_maj']);
    expect(valid({ date_maj: '2024-05-31T08:00:00Z' }).date_maj).toBe('2024-05-31');
  });

  it('rejects a record that is not an object', () => {
    const result = validateLieu([] as unknown as Record<string, unknown>, territories);
    expect(result.ok).toBe(false);
  });
});

describe('white space and list shortcuts', () => {
  it('collapses any white space, leaves clean text as it is', () => {
    expect(valid({ nom: '\u00a0Espace\tnumérique\u202f de  la\nmairie ' }).nom).toBe('Espace numérique de la mairie');
    expect(valid({ nom: 'Espace numérique' }).nom).toBe('Espace numérique');
    expect(valid({ adresse: ' 31 rue Péclet' }).adresse).toBe('31 rue Péclet');
  });

  it('reads a list given as one text, several texts or an array the same way', () => {
    expect(valid({ typologie: ' EPN ' }).typologie).toEqual(['EPN']);
    expect(valid({ typologie: 'EPN| BIB |EPN|  ' }).typologie).toEqual(['EPN', 'BIB']);
    expect(valid({ typologie: ['EPN', ' BIB', 'EPN', ''] }).typologie).toEqual(['EPN', 'BIB']);
    expect(valid({ courriels: 'A@mairie.fr; b@mairie.fr,a@mairie.fr' }).courriels).toEqual(['a@mairie.fr', 'b@mairie.fr']);
    expect(valid({ courriels: 'contact@mairie.fr' }).courriels).toEqual(['contact@mairie.fr']);
  });

  it('counts the summary in characters, not UTF-16 units', () => {
    expect(valid({ presentation_resume: '😀'.repeat(280) }).presentation_resume).toBe('😀'.repeat(280));
    expect(invalid({ presentation_resume: '😀'.repeat(281) })[0]!.message).toMatch(/\(281\)/);
  });
});
