// Finds the commune a source means from what it really sends (INSEE code, postal code, name, in
// any combination and spelling), or says in French which field does not match and why.
import { distance } from 'fastest-levenshtein';
import type { Commune, CommuneQuery, CommuneResolution } from './territories.types.ts';
import type { BaseData, CommuneRecord } from './territories.data.ts';
import {
  departementsOfPostalCode,
  keyWithoutArticle,
  nameKey,
  normalizeInseeCode,
  normalizePostalCode,
  parseArrondissement,
} from './territories.names.ts';

type Field = 'code_insee' | 'code_postal' | 'commune';

const MAX_LISTED = 10;

function clean(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function createCommuneResolver(data: BaseData, toCommune: (code: string) => Commune) {
  const record = (code: string) => data.communes.get(code)!;
  const label = (code: string) => `${record(code).nom} (${record(code).codeDepartement})`;
  const list = (codes: string[]) =>
    codes.slice(0, MAX_LISTED).map(label).join(', ') + (codes.length > MAX_LISTED ? `… (${codes.length} au total)` : '');

  const fail = (field: Field, message: string, candidates?: string[]): CommuneResolution =>
    candidates?.length
      ? { ok: false, field, message, candidates: candidates.slice(0, MAX_LISTED).map(toCommune) }
      : { ok: false, field, message };
  const ok = (code: string): CommuneResolution => ({ ok: true, commune: toCommune(code) });

  /** Communes (or arrondissements) a name designates, homonyms included. */
  function codesForName(key: string): string[] {
    const arrondissement = parseArrondissement(key);
    if (arrondissement) return [arrondissement];
    return data.byName.get(key) ?? data.byName.get(keyWithoutArticle(key)) ?? [];
  }

  /** Whether the name designates this commune, its city (for an arrondissement) or one of its arrondissements. */
  function nameFits(rec: CommuneRecord, key: string): boolean {
    return codesForName(key).some(
      (code) => code === rec.code || code === rec.parent || rec.arrondissements.includes(code),
    );
  }

  function postalCodeFits(rec: CommuneRecord, cp: string): boolean {
    return rec.codesPostaux.includes(cp) || rec.arrondissements.some((a) => record(a).codesPostaux.includes(cp));
  }

  /** Communes of a postal code; Paris uses every 750xx code, so its arrondissement stands for it. */
  function postalCandidates(cp: string): string[] {
    const all = data.byPostalCode.get(cp) ?? [];
    return all.filter((code) => !record(code).arrondissements.some((a) => all.includes(a)));
  }

  /** Typos ("Bourg en Bress") among the few communes of a postal code. */
  function closeNames(codes: string[], key: string): string[] {
    const bare = keyWithoutArticle(key);
    return codes.filter((code) => {
      const other = keyWithoutArticle(record(code).key);
      const allowed = Math.min(3, Math.floor(Math.max(bare.length, other.length) / 5));
      return distance(bare, other) <= allowed;
    });
  }

  /** For Paris, Lyon, Marseille: the arrondissement a postal code or a name points to. */
  function refineToArrondissement(rec: CommuneRecord, cp: string | undefined, key: string | undefined): CommuneRecord {
    if (rec.arrondissements.length === 0) return rec;
    const byPostalCode = cp ? rec.arrondissements.find((a) => record(a).codesPostaux.includes(cp)) : undefined;
    if (byPostalCode) return record(byPostalCode);
    const byName = key ? parseArrondissement(key) : undefined;
    if (byName && rec.arrondissements.includes(byName)) return record(byName);
    return rec;
  }

  function byInseeCode(rawInsee: string, cp: string | undefined, key: string | undefined, rawName: string | undefined): CommuneResolution {
    const code = normalizeInseeCode(rawInsee);
    if (!code) {
      return fail('code_insee', `Le code INSEE « ${rawInsee} » n'est pas valide : 5 caractères attendus (par exemple 75056 ou 2A004).`);
    }
    const direct = data.communes.get(code) ?? data.communes.get(data.formerCodes.get(code)?.code ?? '');
    if (!direct) {
      // A postal code in the INSEE column is the most frequent mix-up: say so, with the right code.
      const example = postalCandidates(code)[0];
      const hint = example ? ` (c'est un code postal : le code INSEE est un autre code, par exemple ${example} pour ${record(example).nom})` : '';
      return fail('code_insee', `Le code INSEE « ${rawInsee} » ne correspond à aucune commune${hint}.`);
    }
    const rec = refineToArrondissement(direct, cp, key);

    if (cp && !postalCodeFits(rec, cp)) {
      const knownPostalCode = data.byPostalCode.has(cp);
      const sameDepartement = departementsOfPostalCode(cp).includes(rec.codeDepartement);
      if (knownPostalCode || !sameDepartement) {
        const expected = rec.codesPostaux.join(', ') || 'aucun';
        if (!knownPostalCode) {
          return fail('code_postal', `Le code postal « ${cp} » est inconnu et ne correspond pas à ${label(rec.code)}, code INSEE ${rec.code} (codes postaux : ${expected}).`);
        }
        if (key && nameFits(rec, key)) {
          return fail('code_postal', `Le code postal « ${cp} » ne correspond pas à ${label(rec.code)}, code INSEE ${rec.code} (codes postaux : ${expected}).`, postalCandidates(cp));
        }
        return fail(
          'code_insee',
          `Le code INSEE « ${rawInsee} » désigne ${label(rec.code)}, qui ne correspond pas au code postal « ${cp} »` +
            (rawName ? ` ni à la commune « ${rawName} »` : '') +
            ` (communes du code postal ${cp} : ${list(postalCandidates(cp))}).`,
          postalCandidates(cp),
        );
      }
      // Unknown code in the right département: a CEDEX code; the INSEE code decides.
    }
    if (key && !nameFits(rec, key)) {
      const others = codesForName(key);
      // A name that designates no commune may be a locality ("lieu-dit"): the INSEE code decides.
      if (others.length > 0) {
        return fail('code_insee', `Le code INSEE « ${rawInsee} » désigne ${label(rec.code)}, pas la commune « ${rawName} ».`, others);
      }
    }
    return ok(rec.code);
  }

  function byPostalCode(cp: string, key: string | undefined, rawName: string | undefined): CommuneResolution {
    const candidates = postalCandidates(cp);
    if (candidates.length > 0) {
      if (!key) {
        if (candidates.length === 1) return ok(candidates[0]!);
        return fail('commune', `Le code postal « ${cp} » couvre plusieurs communes (${list(candidates)}) : précisez la commune.`, candidates);
      }
      let matched = candidates.filter((code) => nameFits(record(code), key));
      if (matched.length === 0) matched = closeNames(candidates, key);
      if (matched.length === 1) return ok(matched[0]!);
      if (matched.length > 1) {
        return fail('commune', `La commune « ${rawName} » désigne plusieurs communes du code postal ${cp} (${list(matched)}) : précisez le code INSEE.`, matched);
      }
      return fail('commune', `La commune « ${rawName} » ne correspond à aucune commune du code postal ${cp} : ${list(candidates)}.`, candidates);
    }
    // Unknown postal code: a CEDEX code, or a typo. The name decides within the département.
    if (!key) return fail('code_postal', `Le code postal « ${cp} » ne correspond à aucune commune.`);
    const departements = departementsOfPostalCode(cp);
    const named = codesForName(key);
    const inDepartement = named.filter((code) => departements.includes(record(code).codeDepartement));
    if (inDepartement.length === 1) return ok(inDepartement[0]!);
    if (inDepartement.length > 1) {
      return fail('commune', `Plusieurs communes s'appellent « ${rawName} » dans le département ${departements.join(' ou ')} (${list(inDepartement)}) : précisez le code INSEE.`, inDepartement);
    }
    if (named.length > 0) {
      return fail('code_postal', `Le code postal « ${cp} » est inconnu et ne correspond pas au département de la commune « ${rawName} » (${list(named)}).`, named);
    }
    return fail('code_postal', `Le code postal « ${cp} » est inconnu et la commune « ${rawName} » n'a pas été trouvée.`);
  }

  function byName(key: string, rawName: string): CommuneResolution {
    const named = codesForName(key);
    if (named.length === 1) return ok(named[0]!);
    if (named.length > 1) {
      return fail('commune', `Plusieurs communes s'appellent « ${rawName} » (${list(named)}) : précisez le code postal ou le code INSEE.`, named);
    }
    return fail('commune', `La commune « ${rawName} » est inconnue : vérifiez son orthographe ou indiquez son code postal.`);
  }

  /**
   * Resolutions by query: an import asks the same few thousand questions again and again (each
   * record twice: position check, then validation). Successes keep the commune code, failures
   * their result; each call gets its own object. Emptied when full, to bound memory.
   */
  const memo = new Map<string, string | Extract<CommuneResolution, { ok: false }>>();
  const MEMO_SIZE = 50_000;
  const part = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : null);

  return function resolveCommune(query: CommuneQuery): CommuneResolution {
    const insee = part(query.code_insee);
    const postalCode = part(query.code_postal);
    const name = part(query.commune);
    if (insee === null || postalCode === null || name === null) return resolve(query);
    const key = `${insee.length}:${insee}${postalCode.length}:${postalCode}${name}`; // lengths keep keys unambiguous
    let known = memo.get(key);
    if (known === undefined) {
      const resolution = resolve(query);
      known = resolution.ok ? resolution.commune.code : resolution;
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(key, known);
    }
    if (typeof known === 'string') return ok(known);
    return known.candidates ? { ...known, candidates: [...known.candidates] } : { ...known };
  };

  function resolve(query: CommuneQuery): CommuneResolution {
    const rawInsee = clean(query.code_insee);
    const rawPostalCode = clean(query.code_postal);
    let rawName = clean(query.commune);

    let cp: string | undefined;
    if (rawPostalCode) {
      cp = normalizePostalCode(rawPostalCode);
      if (!cp) return fail('code_postal', `Le code postal « ${rawPostalCode} » n'est pas valide : 5 chiffres attendus.`);
    } else if (rawName) {
      // "75015 Paris", "Lille 59000": the postal code sent inside the name.
      const inName = /(?:^|\s)(\d{5})(?:\s|$)/.exec(rawName);
      if (inName) {
        cp = inName[1];
        rawName = clean(rawName.replace(inName[1]!, ' ').replace(/\s+/g, ' '));
      }
    }
    const key = rawName ? nameKey(rawName) || undefined : undefined;

    if (rawInsee) return byInseeCode(rawInsee, cp, key, rawName);
    if (cp) return byPostalCode(cp, key, rawName);
    if (key && rawName) return byName(key, rawName);
    return fail('commune', 'Aucune commune indiquée : renseignez le code INSEE, le code postal ou le nom de la commune.');
  }
}
