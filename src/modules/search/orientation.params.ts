// The answers of the orientation flow live in the URL: each step is a plain GET form that
// carries the earlier answers as hidden fields, so the back button and shared links work
// without JavaScript. Parameter names are the search API's wherever one exists.
import type { FieldError } from '../../lib/errors.ts';
import { enumeratedFieldValues } from './search.fields.ts';
import { DEFAULT_RAYON, RAYONS } from './views/search-form.tsx';
import { addDays, COMING_DAYS, startOfDay, type Creneau } from './orientation.hours.ts';

export type RawQuery = Record<string, string | string[] | undefined>;

/** 1 où, 2 besoin, 3 quand et conditions, 4 choix des lieux, 5 the printable sheet. */
export type Step = 1 | 2 | 3 | 4 | 5;

export const STEP_PATHS: Record<Step, string> = {
  1: '/orientation',
  2: '/orientation/besoin',
  3: '/orientation/quand',
  4: '/orientation/lieux',
  5: '/orientation/fiche',
};

export const MAX_LIEUX = 3;
export const CRENEAUX: readonly Creneau[] = ['week-end', 'soir'];
/** Hours offered for "open at" on a chosen day, every hour from 8 h to 20 h. */
export const HEURES = Array.from({ length: 13 }, (_, i) => `${String(8 + i).padStart(2, '0')}:00`);

export interface OrientationAnswers {
  q: string;
  commune: string;
  rayon: number;
  services: string[];
  prise_en_charge_specifique: string[];
  gratuit: boolean;
  quand: Creneau[];
  /** YYYY-MM-DD, one of the coming week's days, or ''. */
  jour: string;
  /** HH:MM, only with a day, or ''. */
  heure: string;
  lieux: string[];
}

/** A problem with an answer, and the step whose form holds that answer. */
export interface StepError extends FieldError {
  step: Step;
}

/** Which step asks each parameter. */
const PARAM_STEPS: Record<string, Step> = {
  q: 1,
  commune: 1,
  rayon: 1,
  services: 2,
  prise_en_charge_specifique: 3,
  frais_a_charge: 3,
  quand: 3,
  jour: 3,
  heure: 3,
  lieux: 4,
};

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined): string[] =>
  [...new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.trim()).filter((x) => x !== ''))];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** YYYY-MM-DD of a local date. */
export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The coming week's days (today first), as offered by step 3. */
export function comingDates(now: Date): Date[] {
  const today = startOfDay(now);
  return Array.from({ length: COMING_DAYS }, (_, i) => addDays(today, i));
}

/** Local midnight of a YYYY-MM-DD day, or undefined when it is not a real date. */
export function dayOf(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDay(date) === value ? date : undefined;
}

/**
 * Reads every answer present in the URL and checks its form. Whether an answer is missing
 * is the route's business: it depends on how far the person has gone.
 */
export function parseAnswers(raw: RawQuery, now: Date, current: Step): { answers: OrientationAnswers; errors: StepError[] } {
  const errors: StepError[] = [];
  // A parameter no step asks is reported on the page asked for.
  const fail = (field: string, message: string) => errors.push({ field, message, step: PARAM_STEPS[field] ?? (Math.min(current, 4) as Step) });
  for (const key of Object.keys(raw)) {
    if (!(key in PARAM_STEPS)) fail(key, `« ${key} » n’est pas une réponse attendue par ce parcours : retirez-le de l’adresse de la page.`);
  }
  const q = one(raw.q);
  if (q.length > 200) fail('q', 'L’adresse, la commune ou le code postal doit faire au plus 200 caractères.');
  const commune = one(raw.commune);
  if (commune && !/^[0-9][0-9AB][0-9]{3}$/.test(commune)) fail('commune', '« commune » doit être un code INSEE de commune (5 caractères).');
  const rayonRaw = one(raw.rayon);
  const rayon = rayonRaw === '' ? DEFAULT_RAYON : Number(rayonRaw);
  if (!RAYONS.includes(rayon as (typeof RAYONS)[number])) fail('rayon', `La distance doit valoir ${RAYONS.join(', ')} kilomètres.`);

  const enumerated = (field: 'services' | 'prise_en_charge_specifique', label: string): string[] => {
    const values = many(raw[field]);
    const allowed = enumeratedFieldValues[field] as readonly string[];
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length) fail(field, `${label} : ${unknown.map((v) => `« ${v.slice(0, 80)} »`).join(', ')} ne fait pas partie des choix proposés.`);
    return values.filter((v) => allowed.includes(v));
  };
  const services = enumerated('services', 'Besoin');
  const prise_en_charge_specifique = enumerated('prise_en_charge_specifique', 'Accompagnement adapté');

  const frais = many(raw.frais_a_charge);
  if (frais.some((f) => f !== 'Gratuit')) fail('frais_a_charge', '« frais_a_charge » ne peut valoir que « Gratuit » dans ce parcours.');
  const quandRaw = many(raw.quand);
  const quand = CRENEAUX.filter((c) => quandRaw.includes(c));
  if (quandRaw.length !== quand.length) fail('quand', `« quand » peut valoir ${CRENEAUX.map((c) => `« ${c} »`).join(' ou ')}.`);

  const jour = one(raw.jour);
  if (jour) {
    const day = dayOf(jour);
    const offered = comingDates(now).map(isoDay);
    if (!day) fail('jour', `Le jour « ${jour.slice(0, 20)} » n’est pas une date (attendu : AAAA-MM-JJ).`);
    else if (!offered.includes(jour)) fail('jour', `Le jour « ${jour} » n’est pas dans les 7 prochains jours : choisissez un autre jour.`);
  }
  const heure = one(raw.heure);
  if (heure && !HEURES.includes(heure)) fail('heure', `L’heure « ${heure.slice(0, 10)} » n’est pas proposée : choisissez une heure entre 8 h et 20 h.`);
  else if (heure && !jour) fail('heure', 'Choisissez aussi un jour : l’heure ne sert qu’avec un jour précis.');

  const lieux = many(raw.lieux);
  if (lieux.some((id) => !UUID.test(id))) fail('lieux', 'Un des lieux choisis n’a pas un identifiant valide : choisissez les lieux dans la liste.');

  return {
    answers: { q, commune, rayon, services, prise_en_charge_specifique, gratuit: frais.includes('Gratuit'), quand, jour, heure, lieux },
    errors,
  };
}

/** Every answer given, as URL pairs in the order of the steps. */
export function answerPairs(answers: OrientationAnswers): [string, string][] {
  const pairs: [string, string][] = [];
  if (answers.q) pairs.push(['q', answers.q]);
  if (answers.commune) pairs.push(['commune', answers.commune]);
  pairs.push(['rayon', String(answers.rayon)]);
  for (const s of answers.services) pairs.push(['services', s]);
  for (const p of answers.prise_en_charge_specifique) pairs.push(['prise_en_charge_specifique', p]);
  if (answers.gratuit) pairs.push(['frais_a_charge', 'Gratuit']);
  for (const c of answers.quand) pairs.push(['quand', c]);
  if (answers.jour) pairs.push(['jour', answers.jour]);
  if (answers.heure) pairs.push(['heure', answers.heure]);
  for (const id of answers.lieux) pairs.push(['lieux', id]);
  return pairs;
}

/**
 * What the form of `step` carries as hidden fields: every answer it does not ask itself,
 * so going back to change one answer loses none of the others.
 */
export function hiddenPairs(answers: OrientationAnswers, step: Step): [string, string][] {
  return answerPairs(answers).filter(([name]) => PARAM_STEPS[name] !== step);
}

/** The URL of a step with every answer kept. */
export function stepHref(step: Step, answers: OrientationAnswers): string {
  const query = new URLSearchParams(answerPairs(answers)).toString();
  return query ? `${STEP_PATHS[step]}?${query}` : STEP_PATHS[step];
}
