// The edit form as data: the patch holds only what the person changed, and the field labels
// stay unambiguous for people and for tests (Playwright's getByLabel matches substrings).
import { describe, expect, it } from 'vitest';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { formFields, formValuesOf, patchOf } from './edit-form.ts';
import { fieldDiff } from './field-diff.ts';

const lieu = {
  id: 'f0c2a55e-1d7e-4a57-9b8e-2f9a1c3d4e5f',
  pivot: '21390198000024',
  nom: 'Médiathèque de Dole',
  commune: 'Dole',
  code_postal: '39100',
  code_insee: '39198',
  adresse: '2 rue Bauzonnet',
  complement_adresse: null,
  latitude: 47.092,
  longitude: 5.49,
  typologie: ['BIB', 'MUNI'],
  telephone: '+33384000000',
  courriels: ['contact@dole.fr'],
  site_web: [],
  horaires: 'Mo-Fr 09:00-12:00',
  presentation_resume: null,
  presentation_detail: null,
  source: null,
  itinerance: ['Fixe'],
  structure_parente: null,
  date_maj: '2026-01-02',
  services: ['Loisirs et créations numériques', 'Aide aux démarches administratives'],
  publics_specifiquement_adresses: [],
  prise_en_charge_specifique: [],
  frais_a_charge: ['Gratuit'],
  dispositif_programmes_nationaux: [],
  formations_labels: [],
  autres_formations_labels: [],
  modalites_acces: [],
  modalites_accompagnement: [],
  fiche_acces_libre: null,
  prise_rdv: null,
} as unknown as Lieu;

describe('patchOf', () => {
  it('is empty for the form as shown (checkboxes in another order, numbers as text)', () => {
    const values = formValuesOf(lieu);
    expect(patchOf(lieu, { ...values, services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'], latitude: '47.0920' })).toEqual({});
  });

  it('holds only the changed fields: cleared text as null, lines and codes as lists, a decimal comma read as a point', () => {
    const values = formValuesOf(lieu);
    const patch = patchOf(lieu, { ...values, horaires: '  ', courriels: 'contact@dole.fr\r\n\r\naccueil@dole.fr ', typologie: 'BIB; EPN', longitude: '5,5', frais_a_charge: [] });
    expect(patch).toEqual({ horaires: null, courriels: ['contact@dole.fr', 'accueil@dole.fr'], typologie: ['BIB', 'EPN'], longitude: '5.5', frais_a_charge: [] });
  });
});

describe('labels', () => {
  it('no field label is contained in another field label or option, so getByLabel finds one control', () => {
    const names = [...formFields.map((f) => `${f.label} ${f.hint ?? ''}`), ...formFields.flatMap((f) => [...(f.options ?? [])])];
    const ambiguous = formFields.filter((f) => names.filter((n) => n.toLowerCase().includes(f.label.toLowerCase())).length > 1).map((f) => f.label);
    expect(ambiguous).toEqual([]);
  });
});

describe('fieldDiff', () => {
  it('says which list items were added and removed, ignores a new order, and names fields in French', () => {
    expect(
      fieldDiff({
        services: { from: ['A', 'B'], to: ['B', 'C'] },
        itinerance: { from: ['Fixe', 'Itinérant'], to: ['Itinérant', 'Fixe'] },
        telephone: { from: '+33384000000', to: null },
        code_epci: { from: '1', to: '2' },
      }),
    ).toEqual([
      { field: 'telephone', label: 'Numéro de téléphone', list: false, from: '+33384000000', to: null },
      { field: 'services', label: 'Services proposés', list: true, added: ['C'], removed: ['A'] },
    ]);
  });
});
