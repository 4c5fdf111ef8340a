import { describe, expect, it } from 'vitest';
import { combineStates, emptyState, mergeIncoming, type MergeRecord, type MergeState, type Origin } from './imports.merge.ts';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const region: Origin = { kind: 'source', id: 'region', priority: 200 };
const reseau: Origin = { kind: 'source', id: 'reseau', priority: 100 };
const asso: Origin = { kind: 'source', id: 'asso', priority: 100 };
const manager: Origin = { kind: 'account', id: 'gestionnaire-1' };

const base: MergeRecord = {
  pivot: '21580194700019',
  nom: 'Médiathèque Jean-Jaurès',
  adresse: '12 rue du Commandant Rivière',
  code_postal: '58000',
  commune: 'Nevers',
  code_insee: '58194',
  latitude: 46.9896,
  longitude: 3.159,
  telephone: '+33386683500',
  services: ['Aide aux démarches administratives'],
  date_maj: '2026-01-01',
};

/** A place built by applying records in order. */
function apply(...steps: [Origin, number, MergeRecord, { partial?: boolean; position_approximate?: boolean }?][]): MergeState & { last: ReturnType<typeof mergeIncoming> } {
  let state: MergeState = emptyState();
  let last!: ReturnType<typeof mergeIncoming>;
  for (const [origin, d, record, options] of steps) {
    last = mergeIncoming(state, { origin, at: day(d), record, ...options });
    state = { fields: last.fields, contributions: last.contributions, position_approximate: options?.position_approximate && last.fields.latitude === null };
  }
  return { ...state, last };
}

describe('conflict rules', () => {
  it.each<[string, ReturnType<typeof apply>, string, unknown]>([
    ['a higher priority wins whatever the date', apply([region, 1, { ...base, telephone: '+33386000001' }], [reseau, 5, { ...base, telephone: '+33386000002' }]), 'telephone', '+33386000001'],
    ['a higher priority arriving later wins too', apply([reseau, 1, { ...base, telephone: '+33386000002' }], [region, 5, { ...base, telephone: '+33386000001' }]), 'telephone', '+33386000001'],
    ['equal priority: the most recent wins', apply([asso, 1, { ...base, nom: 'EPN Jean-Jaurès' }], [reseau, 2, { ...base, nom: 'Médiathèque J. Jaurès' }]), 'nom', 'Médiathèque J. Jaurès'],
    ['equal priority: an older record does not win', apply([asso, 5, { ...base, nom: 'EPN Jean-Jaurès' }], [reseau, 2, { ...base, nom: 'Médiathèque J. Jaurès' }]), 'nom', 'EPN Jean-Jaurès'],
    ['a source changes its own value even with an older date', apply([reseau, 5, { ...base, nom: 'Ancien nom' }], [reseau, 2, { ...base, nom: 'Nouveau nom' }]), 'nom', 'Nouveau nom'],
    ['a source clears its own value', apply([reseau, 1, { ...base, horaires: 'Mo 09:00-12:00' }], [reseau, 2, { ...base, horaires: null }]), 'horaires', null],
    ['an empty value never erases another source’s', apply([reseau, 1, { ...base, horaires: 'Mo 09:00-12:00' }], [region, 2, { ...base, horaires: null }]), 'horaires', 'Mo 09:00-12:00'],
    ['a lower source’s value shows through when the winner clears its own', apply([reseau, 1, { ...base, prise_rdv: 'https://rdv.example/a' }], [region, 2, { ...base, prise_rdv: 'https://rdv.example/b' }], [region, 3, { ...base, prise_rdv: null }]), 'prise_rdv', 'https://rdv.example/a'],
    ['list fields are unioned across sources', apply([reseau, 1, base], [region, 2, { ...base, services: ['Accès internet et matériel informatique'] }]), 'services', ['Accès internet et matériel informatique', 'Aide aux démarches administratives']],
    ['a source’s removed list values disappear', apply([reseau, 1, { ...base, services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'] }], [region, 2, { ...base, services: ['Accès internet et matériel informatique'] }], [reseau, 3, { ...base, services: ['Aide aux démarches administratives'] }]), 'services', ['Accès internet et matériel informatique', 'Aide aux démarches administratives']],
    ['a value another source still gives stays', apply([reseau, 1, { ...base, courriels: ['a@ville.fr'] }], [region, 2, { ...base, courriels: ['a@ville.fr'] }], [reseau, 3, { ...base, courriels: [] }]), 'courriels', ['a@ville.fr']],
    ['a placeholder pivot never beats a real one', apply([reseau, 1, base], [region, 2, { ...base, pivot: '00000000000000' }]), 'pivot', '21580194700019'],
    ['a real pivot replaces a placeholder', apply([region, 1, { ...base, pivot: '00000000000000' }], [reseau, 2, base]), 'pivot', '21580194700019'],
    ['date_maj is the latest date stated', apply([region, 1, { ...base, date_maj: '2025-06-01' }], [reseau, 2, { ...base, date_maj: '2025-09-01' }]), 'date_maj', '2025-09-01'],
    ['an account edit outranks every source', apply([region, 1, base], [manager, 2, { telephone: '+33300000000' }, { partial: true }], [region, 3, { ...base, telephone: '+33386999999' }]), 'telephone', '+33300000000'],
    ['an account may clear a value; sources do not bring it back', apply([region, 1, { ...base, horaires: 'Mo 09:00-12:00' }], [manager, 2, { horaires: null }, { partial: true }], [region, 3, { ...base, horaires: 'Tu 09:00-12:00' }]), 'horaires', null],
    ['an account-curated list is not extended by sources', apply([region, 1, base], [manager, 2, { services: ['Loisirs et créations numériques'] }, { partial: true }], [region, 3, { ...base, services: ['Accès internet et matériel informatique'] }]), 'services', ['Loisirs et créations numériques']],
    ['an address comes whole from one contributor', apply([region, 1, base], [reseau, 2, { ...base, adresse: '1 place de la Mairie', code_postal: '58640', commune: 'Varennes-Vauzelles', code_insee: '58303' }]), 'commune', 'Nevers'],
    ['a commune centre never beats a known position', apply([reseau, 1, base], [region, 2, { ...base, latitude: 47, longitude: 3.2 }, { position_approximate: true }]), 'latitude', 46.9896],
  ])('%s', (_name, state, field, expected) => {
    expect(state.fields[field as keyof MergeRecord]).toEqual(expected);
  });

  it('reports what an account edit refused, and only that', () => {
    const { last } = apply([region, 1, base], [manager, 2, { telephone: '+33300000000', services: ['Loisirs et créations numériques'] }, { partial: true }], [region, 3, { ...base, telephone: '+33386999999', nom: 'Médiathèque de Nevers' }]);
    expect(last.conflicts.map((c) => [c.field, c.kept, c.incoming, c.account])).toEqual([
      ['telephone', '+33300000000', '+33386999999', 'gestionnaire-1'],
      ['services', ['Loisirs et créations numériques'], ['Aide aux démarches administratives'], 'gestionnaire-1'],
    ]);
    expect(last.fields.nom).toBe('Médiathèque de Nevers');
    expect(last.changed).toEqual(['nom']);
  });

  it('lists changed fields and per-field provenance', () => {
    const first = mergeIncoming(emptyState(), { origin: reseau, at: day(1), record: base });
    expect(first.changed).toContain('nom');
    expect(first.provenance.nom).toEqual([{ origin: reseau, at: day(1) }]);
    const again = mergeIncoming({ fields: first.fields, contributions: first.contributions }, { origin: reseau, at: day(9), record: base });
    expect(again.changed).toEqual([]);
    // An unchanged value keeps the date it was first given: recency means "changed most recently".
    expect(again.provenance.nom).toEqual([{ origin: reseau, at: day(1) }]);
    const second = mergeIncoming({ fields: again.fields, contributions: again.contributions }, { origin: region, at: day(10), record: { ...base, services: ['Accès internet et matériel informatique'] } });
    expect(second.changed).toEqual(['services']);
    expect(second.provenance.services?.map((p) => p.origin)).toEqual([region, reseau]);
  });

  it('keeps values of unknown origin until a source gives one, and never lets them erase', () => {
    const state: MergeState = { fields: { ...base, horaires: 'Mo 09:00-12:00', nom: 'Saisi à la main' }, contributions: {} };
    const result = mergeIncoming(state, { origin: asso, at: day(2), record: { ...base, horaires: null, nom: 'EPN de Nevers' } });
    expect(result.fields.horaires).toBe('Mo 09:00-12:00');
    expect(result.fields.nom).toBe('EPN de Nevers');
    expect(result.provenance.horaires?.[0]?.origin).toEqual({ kind: 'registry' });
  });

  it('does not mutate its arguments', () => {
    const state = apply([reseau, 1, base]);
    const frozen = JSON.stringify(state);
    mergeIncoming(state, { origin: region, at: day(3), record: { ...base, nom: 'Autre' } });
    expect(JSON.stringify(state)).toBe(frozen);
  });

  it('combines two places with the same rules (merge of B into A)', () => {
    const a = apply([reseau, 1, { ...base, services: ['Aide aux démarches administratives'], horaires: null }]);
    const b = apply([region, 2, { ...base, nom: 'Médiathèque municipale Jean Jaurès', services: ['Loisirs et créations numériques'], horaires: 'Mo 09:00-12:00', pivot: '00000000000000' }]);
    const merged = combineStates(a, b);
    expect(merged.fields.nom).toBe('Médiathèque municipale Jean Jaurès'); // higher priority
    expect(merged.fields.pivot).toBe('21580194700019'); // a placeholder never wins
    expect(merged.fields.horaires).toBe('Mo 09:00-12:00'); // empty never erases
    expect(merged.fields.services).toEqual(['Loisirs et créations numériques', 'Aide aux démarches administratives']);
    expect(merged.changed).toEqual(expect.arrayContaining(['nom', 'horaires', 'services']));
    expect(merged.changed).not.toContain('pivot');
  });

  it('combines two places of unknown origin: the kept one wins ties, a real pivot beats a placeholder', () => {
    const a: MergeState = { fields: { ...base, pivot: '00000000000000', nom: 'EPN A', horaires: null }, contributions: {} };
    const b: MergeState = { fields: { ...base, nom: 'EPN B', horaires: 'Mo 09:00-12:00' }, contributions: {} };
    const merged = combineStates(a, b);
    expect(merged.fields).toMatchObject({ pivot: '21580194700019', nom: 'EPN A', horaires: 'Mo 09:00-12:00' });
  });
});
