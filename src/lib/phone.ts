// French phone numbers into the national standard's form: an international prefix followed by
// digits, no spaces (`^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$`).
// Only unambiguous rewrites: the national "0" prefix tells metropolitan France from the
// overseas departments; the short local numbers of New Caledonia, Polynesia, Saint-Pierre-et-
// Miquelon and Wallis-et-Futuna need the place's département to be read.

export const STANDARD_PHONE_PATTERN = /^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$/;

// National prefixes of the overseas departments (ARCEP numbering plan): 0590 → +590 590…
const OVERSEAS_BY_NATIONAL_PREFIX: [RegExp, string][] = [
  [/^0(590|690|691)/, '+590'], // Guadeloupe, Saint-Barthélemy, Saint-Martin
  [/^0(594|694)/, '+594'], // Guyane
  [/^0(596|696|697)/, '+596'], // Martinique
  [/^0(262|263|692|693)/, '+262'], // La Réunion
  [/^0(269|639)/, '+262'], // Mayotte (dialled with +262 since 2007)
];

// Collectivities without a national "0" prefix: local numbers have 6 or 8 digits.
const LOCAL_BY_DEPARTEMENT: Record<string, { prefix: string; digits: number }> = {
  '975': { prefix: '+508', digits: 6 },
  '986': { prefix: '+681', digits: 6 },
  '987': { prefix: '+689', digits: 8 },
  '988': { prefix: '+687', digits: 6 },
};

export type PhoneResult = { ok: true; value: string } | { ok: false; message: string };

export function normalizePhone(raw: string, context: { code_departement?: string | null } = {}): PhoneResult {
  const input = raw.trim();
  if (/[/;|,]|\bou\b/i.test(input) || (input.match(/\+/g)?.length ?? 0) > 1) {
    return { ok: false, message: `Un seul numéro de téléphone est accepté par le standard (reçu « ${input} »).` };
  }
  // "+33 (0)1 23 45 67 89": the bracketed national zero is not dialled from abroad.
  let value = input.replace(/\(0\)/g, '').replace(/[\s.\-()\u00a0]/g, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (/^\+33 ?0\d{9}$/.test(value)) value = `+33${value.slice(4)}`;
  if (/^0\d{9}$/.test(value)) {
    const overseas = OVERSEAS_BY_NATIONAL_PREFIX.find(([prefix]) => prefix.test(value));
    value = overseas ? `${overseas[1]}${value.slice(1)}` : `+33${value.slice(1)}`;
  } else if (/^\d+$/.test(value) && context.code_departement) {
    const local = LOCAL_BY_DEPARTEMENT[context.code_departement];
    if (local && value.length === local.digits) value = `${local.prefix}${value}`;
  }
  if (STANDARD_PHONE_PATTERN.test(value)) return { ok: true, value };
  return {
    ok: false,
    message: `Le numéro de téléphone « ${input} » n’est pas reconnu : écrivez un numéro français à 10 chiffres (ex. 01 23 45 67 89) ou au format international (ex. +33123456789).`,
  };
}
