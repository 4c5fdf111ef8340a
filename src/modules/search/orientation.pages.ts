// HTML routes of the orientation flow for helpers: /orientation (where), /orientation/besoin
// (what need), /orientation/quand (when and conditions), /orientation/lieux (matching places,
// choose 1 to 3) and /orientation/fiche (the printable sheet). Every answer is in the URL;
// an answer that cannot be used sends the person back to its step with a French message.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError } from '../../lib/errors.ts';
import { summarizeHoraires } from '../../lib/opening-hours.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { getPublishedLieu } from '../lieux/lieux.use-cases.ts';
import { accesInWords, dateInWords, fraisInWords, phoneForDisplay, serviceInWords, serviceShort } from '../lieux/views/lieu-words.ts';
import { distanceMetres } from './distance.ts';
import type { SearchItem } from './search.types.ts';
import { comingDays } from './orientation.hours.ts';
import { MAX_LIEUX, isoDay, parseAnswers, stepHref, type OrientationAnswers, type RawQuery, type Step, type StepError } from './orientation.params.ts';
import { findPlaces, resolveOrigin, type Origin } from './orientation.search.ts';
import { OrientationStepPage, type ResultCard, type StepViewModel } from './views/orientation-steps.tsx';
import { OrientationFichePage, type FicheLieu } from './views/orientation-fiche.tsx';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'territories' | 'search'>;

/** General advice by need; the standard has no field for what a place asks to bring. */
const BRING: Record<string, string[]> = {
  'Aide aux démarches administratives': [
    'Une pièce d’identité.',
    'Les courriers et papiers de la démarche (avis, numéro d’allocataire, numéro fiscal…).',
    'Vos identifiants de connexion (adresse électronique, mots de passe) si vous en avez.',
    'Votre téléphone portable, pour recevoir les codes de connexion.',
  ],
  'Insertion professionnelle via le numérique': ['Votre CV s’il existe, sur papier ou sur une clé USB.', 'Vos identifiants France Travail si vous en avez.'],
  'Maîtrise des outils numériques du quotidien': ['Votre téléphone, votre tablette ou votre ordinateur portable, avec son chargeur, si vous en avez un.'],
  'Utilisation sécurisée du numérique': ['Votre téléphone ou votre ordinateur, si vous en avez un.'],
  'Accès internet et matériel informatique': ['Une clé USB, pour repartir avec vos documents.'],
  'Acquisition de matériel informatique à prix solidaire': ['Un justificatif de ressources : il est parfois demandé pour le prix solidaire.'],
};

function distanceLabel(metres: number): string {
  if (metres < 1000) return `${Math.max(10, Math.round(metres / 10) * 10)} m`;
  return `${(metres / 1000).toLocaleString('fr-FR', { maximumFractionDigits: metres < 10_000 ? 1 : 0 })} km`;
}

function locationOf(item: Pick<Lieu, 'latitude' | 'longitude' | 'code_departement'>) {
  return item.latitude !== null && item.longitude !== null
    ? { latitude: item.latitude, longitude: item.longitude, code_departement: item.code_departement }
    : undefined;
}

function toCard(item: SearchItem, now: Date): ResultCard {
  const hours = item.horaires ? summarizeHoraires(item.horaires, now, locationOf(item)) : null;
  return {
    id: item.id,
    nom: item.nom,
    address: `${item.adresse}, ${item.code_postal} ${item.commune}`,
    distance: item.distance === undefined ? undefined : `à ${distanceLabel(item.distance)}`,
    status: hours?.status,
    open: hours?.open,
    services: item.services.map((s) => serviceShort[s] ?? s),
    gratuit: item.frais_a_charge.includes('Gratuit'),
  };
}

/** The same search on the results page with its map (the hours wishes have no equivalent there). */
function searchHref(answers: OrientationAnswers): string {
  const params = new URLSearchParams();
  if (answers.q) params.set('q', answers.q);
  if (answers.commune) params.set('commune', answers.commune);
  params.set('rayon', String(answers.rayon));
  for (const s of answers.services) params.append('services', s);
  for (const p of answers.prise_en_charge_specifique) params.append('prise_en_charge_specifique', p);
  if (answers.gratuit) params.set('frais_a_charge', 'Gratuit');
  return `/recherche?${params}`;
}

function toFicheLieu(lieu: Lieu, answers: OrientationAnswers, origin: Origin | undefined, deps: Deps, now: Date): FicheLieu {
  const hasPosition = lieu.latitude !== null && lieu.longitude !== null;
  const addressLine = `${lieu.adresse}, ${lieu.code_postal} ${lieu.commune}`;
  const wished = lieu.services.filter((s) => answers.services.includes(s));
  const others = lieu.services.filter((s) => !answers.services.includes(s));
  const days = comingDays(lieu, now);
  return {
    id: lieu.id,
    nom: lieu.nom,
    adresse: lieu.adresse,
    complement_adresse: lieu.complement_adresse,
    code_postal: lieu.code_postal,
    commune: lieu.commune,
    distance:
      origin && hasPosition
        ? `À ${distanceLabel(distanceMetres(origin.latitude, origin.longitude, lieu.latitude!, lieu.longitude!))} du centre de ${origin.label}.`
        : undefined,
    acces: lieu.modalites_acces.length
      ? lieu.modalites_acces.map(accesInWords)
      : ['Les modalités d’accueil ne sont pas précisées : appelez avant de venir si vous le pouvez.'],
    days,
    horairesText: days ? undefined : (lieu.horaires ?? undefined),
    telephone: lieu.telephone ? { display: phoneForDisplay(lieu.telephone), href: `tel:${lieu.telephone}` } : undefined,
    courriels: lieu.courriels,
    priseRdv: lieu.prise_rdv ?? undefined,
    frais: lieu.frais_a_charge.length ? lieu.frais_a_charge.map(fraisInWords).join(' ; ') : undefined,
    services: [...wished, ...others].map(serviceInWords),
    presentation: lieu.presentation_resume ?? undefined,
    acceslibre: lieu.fiche_acces_libre ?? undefined,
    itineraire: hasPosition
      ? `https://www.openstreetmap.org/directions?route=%3B${lieu.latitude}%2C${lieu.longitude}`
      : `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLine)}`,
    pageUrl: `${deps.config.publicUrl}/lieux/${lieu.id}`,
  };
}

async function loadChosen(deps: Deps, ids: string[]): Promise<{ lieux: Lieu[]; missing: number }> {
  const lieux: Lieu[] = [];
  let missing = 0;
  for (const id of ids) {
    try {
      lieux.push(await getPublishedLieu(deps, id));
    } catch (error) {
      // Unpublished or deleted since the list was shown: the sheet says so and goes on.
      if (!(error instanceof DomainError) || (error.status !== 404 && error.status !== 410)) throw error;
      missing++;
    }
  }
  return { lieux, missing };
}

async function handle(deps: Deps, request: FastifyRequest, reply: FastifyReply, requested: Step): Promise<FastifyReply> {
  const now = deps.clock.now();
  const { answers, errors } = parseAnswers(request.query as RawQuery, now, requested);
  let origin: Origin | undefined;
  if (requested >= 2 || answers.q || answers.commune) {
    const found = resolveOrigin(deps, answers);
    if ('origin' in found) origin = found.origin;
    else if (requested >= 2) errors.push({ field: 'q', message: found.error, step: 1 });
  }
  if (requested === 5 && !errors.some((e) => e.field === 'lieux')) {
    if (answers.lieux.length === 0) errors.push({ field: 'lieux', message: 'Choisissez au moins un lieu pour la fiche.', step: 4 });
    if (answers.lieux.length > MAX_LIEUX) {
      errors.push({ field: 'lieux', message: `Choisissez au plus ${MAX_LIEUX} lieux (${answers.lieux.length} sont cochés).`, step: 4 });
    }
  }
  let shown = requested;
  let stepErrors: StepError[] = [];
  const blocking = errors.filter((e) => e.step <= requested);
  if (blocking.length) {
    shown = Math.min(...blocking.map((e) => e.step)) as Step;
    stepErrors = blocking.filter((e) => e.step === shown);
  }
  if (shown === 5) {
    const { lieux, missing } = await loadChosen(deps, answers.lieux);
    if (lieux.length) {
      const needs = answers.services.map(serviceInWords);
      const bringFrom = answers.services.length ? answers.services : [...new Set(lieux.flatMap((l) => l.services))];
      return sendHtml(
        reply,
        h(OrientationFichePage, {
          m: {
            ctx: pageContext(request),
            preparedOn: dateInWords(isoDay(now)),
            needs,
            bring: [...new Set(bringFrom.flatMap((s) => BRING[s] ?? []))],
            lieux: lieux.map((l) => toFicheLieu(l, answers, origin, deps, now)),
            missing,
            changeHref: stepHref(4, answers),
          },
        }),
      );
    }
    shown = 4;
    stepErrors = [{ field: 'lieux', message: 'Les lieux choisis ne sont plus dans le registre : choisissez-en d’autres.', step: 4 }];
  }
  const model: StepViewModel = { ctx: pageContext(request), step: shown as 1 | 2 | 3 | 4, answers, errors: stepErrors, now, originLabel: origin?.label };
  if (shown === 4 && origin) {
    const found = findPlaces(deps, answers, origin);
    model.results = {
      items: found.items.map((item) => toCard(item, now)),
      total: found.total,
      exact: found.exact,
      searchHref: searchHref(answers),
      hoursWishes: answers.quand.length > 0 || answers.jour !== '',
    };
  }
  return sendHtml(reply, h(OrientationStepPage, { m: model }), stepErrors.length ? 400 : 200);
}

export async function registerOrientationPages(app: App, deps: AppDeps): Promise<void> {
  const hide = { schema: { hide: true } };
  app.get('/orientation', hide, (request, reply) => handle(deps, request, reply, 1));
  app.get('/orientation/besoin', hide, (request, reply) => handle(deps, request, reply, 2));
  app.get('/orientation/quand', hide, (request, reply) => handle(deps, request, reply, 3));
  app.get('/orientation/lieux', hide, (request, reply) => handle(deps, request, reply, 4));
  app.get('/orientation/fiche', hide, (request, reply) => handle(deps, request, reply, 5));
}
