// What a public report is made of, and how its form input is checked.
import type { FieldError } from '../../lib/errors.ts';
import type { ReportKind } from './reports.tables.ts';

export const REPORT_KINDS: { value: ReportKind; label: string }[] = [
  { value: 'horaires', label: 'Les horaires sont faux' },
  { value: 'coordonnees', label: 'Le téléphone, le courriel ou le site sont faux' },
  { value: 'adresse', label: 'L’adresse ou la position sur la carte est fausse' },
  { value: 'services', label: 'Les services proposés ne sont pas les bons' },
  { value: 'ferme', label: 'Le lieu a fermé ou n’existe pas' },
  { value: 'autre', label: 'Autre chose' },
];

export const MESSAGE_MIN = 10;
export const MESSAGE_MAX = 2000;
/** Reports accepted from one IP within the window; more gets a 429. */
export const REPORTS_PER_WINDOW = 5;
export const REPORT_WINDOW_MS = 60 * 60 * 1000;

export interface ReportForm {
  kind?: string;
  message?: string;
  email?: string;
  /** Honeypot: hidden from people, filled by bots. */
  site?: string;
}

export interface ValidReport {
  kind: ReportKind;
  message: string;
  email: string | null;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateReport(form: ReportForm): { ok: true; value: ValidReport } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const kind = REPORT_KINDS.find((k) => k.value === form.kind)?.value;
  if (!kind) errors.push({ field: 'kind', message: 'Choisissez ce qui est faux dans la fiche.' });
  const message = (form.message ?? '').trim();
  if (message.length < MESSAGE_MIN) {
    errors.push({ field: 'message', message: `Décrivez l’erreur en quelques mots (au moins ${MESSAGE_MIN} caractères).` });
  } else if (message.length > MESSAGE_MAX) {
    errors.push({ field: 'message', message: `Le message doit contenir au plus ${MESSAGE_MAX} caractères (il en contient ${message.length}).` });
  }
  const email = (form.email ?? '').trim();
  if (email && (email.length > 254 || !emailPattern.test(email))) {
    errors.push({ field: 'email', message: 'L’adresse électronique n’a pas le bon format (exemple : nom@domaine.fr).' });
  }
  if (errors.length || !kind) return { ok: false, errors };
  return { ok: true, value: { kind, message, email: email || null } };
}
