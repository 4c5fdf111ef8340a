import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createTerritories } from './territories.use-cases.ts';
import type { CommuneQuery } from './territories.types.ts';

const referenceDir = path.resolve('../shared/data');
const territories = createTerritories({ referenceDir });

// What sources really send, and the INSEE code they mean (codes checked against the COG).
const resolvable: [CommuneQuery, string][] = [
  [{ code_postal: '75015', commune: 'Paris' }, '75115'],
  [{ commune: 'Paris 15e' }, '75115'],
  [{ commune: 'PARIS 15' }, '75115'],
  [{ commune: 'Paris XVe arrondissement' }, '75115'],
  [{ code_postal: '75116', commune: 'PARIS' }, '75116'],
  [{ code_postal: '75016', commune: 'Paris 16ème' }, '75116'],
  [{ commune: 'Paris 1er' }, '75101'],
  [{ commune: 'Lyon 3ème' }, '69383'],
  [{ code_postal: '69007', commune: 'LYON' }, '69387'],
  [{ commune: 'Marseille 8e Arrondissement' }, '13208'],
  [{ code_postal: '13008', commune: 'Marseille' }, '13208'],
  [{ code_insee: '75056', code_postal: '75011' }, '75111'],
  [{ commune: 'Paris' }, '75056'],
  [{ commune: 'Havre (Le)' }, '76351'],
  [{ commune: 'Le Havre' }, '76351'],
  [{ code_postal: '76600', commune: 'HAVRE' }, '76351'],
  [{ commune: 'ST ETIENNE' }, '42218'],
  [{ commune: 'St-Étienne-du-Rouvray' }, '76575'],
  [{ commune: 'Ste Genevieve des Bois', code_postal: '91700' }, '91549'],
  [{ commune: 'saint etienne' }, '42218'],
  [{ commune: 'SAINT-MALO' }, '35288'],
  [{ code_postal: '01000', commune: 'bourg en bresse' }, '01053'],
  [{ code_postal: '1000', commune: 'Bourg-en-Bresse' }, '01053'],
  [{ code_postal: '01000', commune: 'Saint Denis les Bourg' }, '01344'],
  [{ code_postal: '93200', commune: 'Saint-Denis' }, '93066'],
  [{ code_postal: '97400', commune: 'ST DENIS' }, '97411'],
  [{ commune: "L'Haÿ-les-Roses" }, '94038'],
  [{ commune: 'L HAY LES ROSES' }, '94038'],
  [{ commune: "Villeneuve d'Ascq" }, '59009'],
  [{ commune: 'villeneuve-d’ascq' }, '59009'],
  [{ commune: 'CHALONS EN CHAMPAGNE' }, '51108'],
  [{ commune: 'Boulogne Billancourt' }, '92012'],
  [{ code_postal: '62200', commune: 'Boulogne s/ Mer' }, '62160'],
  [{ code_insee: '59350' }, '59350'],
  [{ code_insee: '1053' }, '01053'],
  [{ code_insee: '2a004', commune: 'Ajaccio' }, '2A004'],
  [{ code_postal: '20200', commune: 'BASTIA' }, '2B033'],
  [{ commune: '59000 Lille' }, '59350'],
  [{ code_postal: '59000', commune: 'Lile' }, '59350'],
  [{ code_postal: '74940', commune: 'Annecy-le-Vieux' }, '74010'],
  [{ commune: 'Annecy le Vieux' }, '74010'],
  [{ code_insee: '74011' }, '74010'],
  [{ commune: 'Cherbourg-Octeville', code_postal: '50100' }, '50129'],
  [{ code_postal: '75700', commune: 'Paris Cedex 07' }, '75056'],
  [{ code_postal: '59045', commune: 'LILLE CEDEX' }, '59350'],
  [{ code_insee: '35238', code_postal: '35043', commune: 'Rennes Cedex' }, '35238'],
  [{ code_postal: ' 59 000 ', commune: ' Lille ' }, '59350'],
  [{ commune: 'Pointe-à-Pitre' }, '97120'],
  [{ commune: 'FORT DE FRANCE' }, '97209'],
  [{ code_insee: '31555', code_postal: '31000', commune: 'TOULOUSE' }, '31555'],
  [{ code_insee: '31555', commune: 'Toulouse Centre social' }, '31555'],
  [{ code_postal: '75004', commune: 'Paris Centre' }, '75104'],
  [{ commune: 'PARIS-15E-ARRONDISSEMENT' }, '75115'],
  [{ code_postal: '69003', commune: 'Lyon 3e' }, '69383'],
];

describe('resolveCommune on what sources send', () => {
  it.each(resolvable)('%j → %s', (query, expected) => {
    const result = territories.resolveCommune(query);
    if (!result.ok) throw new Error(`${result.field}: ${result.message}`);
    expect(result.commune.code).toBe(expected);
  });

  it('finds the arrondissement with its EPCI, département, région and centre', () => {
    const result = territories.resolveCommune({ code_postal: '75015', commune: 'Paris' });
    expect(result.ok && result.commune).toMatchObject({
      code: '75115',
      nom: 'Paris 15e Arrondissement',
      codeDepartement: '75',
      codeRegion: '11',
      codeEpci: '200054781',
      codesPostaux: ['75015'],
    });
    const centre = result.ok ? result.commune.centre : null;
    expect(centre?.latitude).toBeCloseTo(48.84, 1);
    expect(centre?.longitude).toBeCloseTo(2.29, 1);
  });
});

// Inputs that must not resolve, the field at fault and words the French message must contain.
const rejected: [CommuneQuery, 'code_insee' | 'code_postal' | 'commune', RegExp][] = [
  [{ code_insee: '13001', code_postal: '13001', commune: 'Marseille' }, 'code_insee', /13001.*Aix-en-Provence.*code postal « 13001 »/],
  [{ code_insee: '59350', code_postal: '75015' }, 'code_insee', /Lille.*75015/],
  [{ code_insee: '59350', code_postal: '75015', commune: 'Lille' }, 'code_postal', /code postal « 75015 » ne correspond pas à Lille/],
  [{ code_insee: '59350', commune: 'Roubaix' }, 'code_insee', /désigne Lille.*Roubaix/],
  [{ code_insee: '99999' }, 'code_insee', /ne correspond à aucune commune/],
  [{ code_insee: '59000', commune: 'Lille' }, 'code_insee', /« 59000 » ne correspond à aucune commune \(c'est un code postal : .*59350 pour Lille\)/],
  [{ code_insee: 'ABC' }, 'code_insee', /n'est pas valide/],
  [{ code_postal: '7100', commune: 'Privas' }, 'commune', /« Privas » ne correspond à aucune commune du code postal 07100 : .*Annonay/],
  [{ code_postal: '750' }, 'code_postal', /« 750 » n'est pas valide/],
  [{ code_postal: '01000' }, 'commune', /plusieurs communes.*Bourg-en-Bresse.*Saint-Denis-lès-Bourg/],
  [{ code_postal: '01000', commune: 'Lyon' }, 'commune', /« Lyon ».*code postal 01000.*Bourg-en-Bresse/],
  [{ commune: 'Saint-Denis' }, 'commune', /Plusieurs communes s'appellent « Saint-Denis »/],
  [{ commune: 'Nulle-Part-sur-Mer' }, 'commune', /« Nulle-Part-sur-Mer » est inconnue/],
  [{ code_postal: '99999' }, 'code_postal', /ne correspond à aucune commune/],
  [{ code_postal: '59999', commune: 'Rennes' }, 'code_postal', /inconnu.*département.*Rennes/],
  [{}, 'commune', /Aucune commune indiquée/],
  [{ code_insee: '  ', code_postal: '', commune: null }, 'commune', /Aucune commune indiquée/],
];

describe('resolveCommune refusals', () => {
  it.each(rejected)('%j → %s', (query, field, message) => {
    const result = territories.resolveCommune(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.message).toMatch(message);
  });

  it('lists the communes of the postal code as candidates', () => {
    const result = territories.resolveCommune({ code_postal: '01000', commune: 'Lyon' });
    expect(result.ok ? [] : result.candidates?.map((c) => c.code).sort()).toEqual(['01053', '01344']);
  });

  it('names the arrondissement, not the whole city, when an INSEE code contradicts a Marseille postal code', () => {
    const result = territories.resolveCommune({ code_insee: '13001', code_postal: '13001' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/communes du code postal 13001 : Marseille 1er Arrondissement \(13\)\)/);
    expect(result.candidates?.map((c) => c.code)).toEqual(['13201']);
  });
});

describe('resolveCommune asked the same question again', () => {
  it('answers the same, each time with its own result', () => {
    const fresh = createTerritories({ referenceDir });
    for (const query of [{ code_postal: '01000', commune: 'Lyon' }, { code_postal: '75015', commune: 'Paris' }, { code_insee: '13001', code_postal: '13001' }]) {
      const first = fresh.resolveCommune(query);
      const again = fresh.resolveCommune({ ...query });
      expect(again).toEqual(first);
      expect(again).not.toBe(first);
      if (!first.ok && first.candidates) {
        first.candidates.length = 0; // a caller changing its result does not change the next one
        expect(fresh.resolveCommune(query)).toEqual(again);
      }
    }
  });

  it('does not mix up queries whose parts differ but read the same end to end', () => {
    const fresh = createTerritories({ referenceDir });
    expect(fresh.resolveCommune({ code_postal: '75015', commune: 'Paris' })).toMatchObject({ ok: true, commune: { code: '75115' } });
    expect(fresh.resolveCommune({ code_postal: '7501', commune: '5Paris' })).toMatchObject({ ok: false });
  });
});

describe('look-ups', () => {
  it('gets communes by code, former codes leading to the commune nouvelle', () => {
    expect(territories.getCommune('69123')?.nom).toBe('Lyon');
    expect(territories.getCommune('74011')?.code).toBe('74010');
    expect(territories.getCommune('00000')).toBeUndefined();
    expect(territories.getCommune('n/a')).toBeUndefined();
  });

  it('gets every kind of territory with its name and population', () => {
    expect(territories.getTerritory('commune', '59350')).toMatchObject({ type: 'commune', nom: 'Lille' });
    expect(territories.getTerritory('epci', '200093201')).toMatchObject({ nom: 'Métropole Européenne de Lille' });
    expect(territories.getTerritory('departement', '2a')).toMatchObject({ code: '2A', nom: 'Corse-du-Sud' });
    const region = territories.getTerritory('region', '32');
    expect(region?.nom).toBe('Hauts-de-France');
    // The region is the sum of its communes, about 6 million people.
    expect(region?.population).toBeGreaterThan(5_500_000);
    expect(region?.population).toBeLessThan(6_500_000);
    expect(territories.getTerritory('epci', '000000000')).toBeUndefined();
  });

  it('lists the communes of a territory, arrondissements included', () => {
    const nord = territories.communesOf('departement', '59');
    expect(nord.length).toBeGreaterThan(600);
    expect(nord).toContain('59350');
    expect(nord.every((code) => territories.getCommune(code)?.codeDepartement === '59')).toBe(true);
    expect(territories.communesOf('commune', '13055')).toHaveLength(17);
    expect(territories.communesOf('commune', '59350')).toEqual(['59350']);
    const grandParis = territories.communesOf('epci', '200054781');
    expect(grandParis).toContain('75056');
    expect(grandParis).toContain('75115');
    expect(territories.communesOf('region', '11')).toContain('75115');
    expect(territories.communesOf('region', 'xx')).toEqual([]);
  });
});

describe('searchCommunes', () => {
  it('completes names regardless of accents and case, biggest first', () => {
    const found = territories.searchCommunes('saint eti', 3).map((c) => c.code);
    expect(found[0]).toBe('42218');
    expect(found).toHaveLength(3);
    expect(territories.searchCommunes('HAVRE', 5).map((c) => c.code)).toContain('76351');
  });

  it('matches word prefixes anywhere in the name', () => {
    const found = territories.searchCommunes('rouvray', 10).map((c) => c.nom);
    expect(found).toContain('Saint-Étienne-du-Rouvray');
  });

  it('combines words and a postal code prefix', () => {
    expect(territories.searchCommunes('bourg en b', 3)[0]?.code).toBe('01053');
    expect(territories.searchCommunes('paris 75015', 5).map((c) => c.code)).toEqual(['75056', '75115']);
    expect(territories.searchCommunes('a', 5)).toHaveLength(5);
    expect(territories.searchCommunes('a', 5).every((c) => c.nom.toLowerCase().startsWith('a') || /[\s'-][aâà]/i.test(c.nom))).toBe(true);
  });

  it('completes postal codes by prefix', () => {
    const found = territories.searchCommunes('591', 50);
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((c) => c.codesPostaux.some((cp) => cp.startsWith('591')))).toBe(true);
    expect(territories.searchCommunes('75015', 5).map((c) => c.code)).toEqual(['75056', '75115']);
  });

  it('ranks by population and respects the limit', () => {
    const found = territories.searchCommunes('lyon', 4);
    expect(found[0]!.code).toBe('69123');
    expect(found).toHaveLength(4);
    const populations = found.slice(1).map((c) => c.population ?? 0);
    expect(populations).toEqual([...populations].sort((a, b) => b - a));
  });

  it('returns nothing for empty or absurd queries', () => {
    expect(territories.searchCommunes('   ', 10)).toEqual([]);
    expect(territories.searchCommunes('zzzzqqq', 10)).toEqual([]);
  });
});

describe('reference folder problems', () => {
  function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-ref-'));
  }

  it('has no degradation with the full reference folder', () => {
    expect(territories.degradations()).toEqual([]);
  });

  it('works without the reference folder, with null centres and a French degradation naming the file', () => {
    const t = createTerritories({ referenceDir: path.join(tempDir(), 'absent') });
    const result = t.resolveCommune({ code_postal: '59000', commune: 'Lille' });
    expect(result.ok && result.commune.code).toBe('59350');
    expect(result.ok && result.commune.centre).toBeNull();
    const [message, ...rest] = t.degradations();
    expect(rest).toEqual([]);
    expect(message).toMatch(/Fichier de référence absent : communes\/communes-centres-geoapi-2025\.json/);
    expect(message).toMatch(/centres des communes/);
  });

  it('reports a malformed centres file without throwing', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'communes'));
    fs.writeFileSync(path.join(dir, 'communes/communes-centres-geoapi-2025.json'), '[{"code": "59350", "lat": 50.6');
    const t = createTerritories({ referenceDir: dir });
    expect(t.getCommune('59350')?.centre).toBeNull();
    expect(t.degradations()[0]).toMatch(/mal formé : communes\/communes-centres-geoapi-2025\.json.*JSON invalide/);
  });

  it('places arrondissements at their city centre when no arrondissement file is there, and says so', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'communes'));
    fs.writeFileSync(
      path.join(dir, 'communes/communes-centres-geoapi-2025.json'),
      JSON.stringify([{ code: '75056', nom: 'Paris', dept: '75', lat: 48.8589, lon: 2.347, population: 2100000 }, { code: 'bad' }]),
    );
    const t = createTerritories({ referenceDir: dir });
    expect(t.getCommune('75115')?.centre).toEqual({ latitude: 48.8589, longitude: 2.347 });
    expect(t.getCommune('59350')?.centre).toBeNull();
    expect(t.degradations()).toHaveLength(1);
    expect(t.degradations()[0]).toMatch(/arrondissements de Paris, Lyon et Marseille sont placés au centre de leur ville/);
  });
});
