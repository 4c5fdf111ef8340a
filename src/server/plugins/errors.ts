// One error handler for the whole app: domain errors and request validation errors become
// RFC 9457 problem+json naming each bad field in French; anything unexpected is a logged 500
// whose details never reach the client.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, type FieldError } from '../../lib/errors.ts';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const frenchByKeyword: Record<string, (p: Record<string, unknown>) => string> = {
  minimum: (p) => `doit être supérieur ou égal à ${p.limit}`,
  maximum: (p) => `doit être inférieur ou égal à ${p.limit}`,
  exclusiveMinimum: (p) => `doit être strictement supérieur à ${p.limit}`,
  exclusiveMaximum: (p) => `doit être strictement inférieur à ${p.limit}`,
  minLength: (p) => `doit contenir au moins ${p.limit} caractère(s)`,
  maxLength: (p) => `doit contenir au plus ${p.limit} caractère(s)`,
  minItems: (p) => `doit contenir au moins ${p.limit} valeur(s)`,
  maxItems: (p) => `doit contenir au plus ${p.limit} valeur(s)`,
  type: (p) => `doit être de type ${frenchType(String(p.type))}`,
  enum: (p) => `doit être l'une des valeurs : ${(p.allowedValues as unknown[]).join(', ')}`,
  const: (p) => `doit valoir ${String(p.allowedValue)}`,
  pattern: () => `n'a pas le format attendu`,
  format: (p) => `n'a pas le format attendu (${String(p.format)})`,
  required: () => `est obligatoire`,
  additionalProperties: () => `n'est pas un paramètre reconnu`,
};

function frenchType(type: string): string {
  return (
    { integer: 'nombre entier', number: 'nombre', string: 'texte', boolean: 'booléen', array: 'liste', object: 'objet' }[
      type
    ] ?? type
  );
}

function fieldOf(issue: AjvIssue): string {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (issue.keyword === 'required') return [base, issue.params.missingProperty].filter(Boolean).join('.');
  if (issue.keyword === 'additionalProperties') return [base, issue.params.additionalProperty].filter(Boolean).join('.');
  return base || '(corps)';
}

export function validationIssuesToFieldErrors(issues: AjvIssue[]): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const issue of issues) {
    const field = fieldOf(issue);
    if (seen.has(field)) continue; // the first failure per field is the useful one
    const translate = frenchByKeyword[issue.keyword];
    const message = translate ? translate(issue.params) : `n'est pas valide`;
    seen.set(field, { field, message: `« ${field} » ${message}.` });
  }
  return [...seen.values()];
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

/** Response schema of every error an API route may send (RFC 9457, with per-field errors). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }, { additionalProperties: true }))),
  },
  { additionalProperties: true },
);

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

/** Pages register their own renderer for HTML error pages; the API always gets JSON. */
export type HtmlErrorRenderer = (request: FastifyRequest, reply: FastifyReply, problem: Problem) => FastifyReply;

export function registerErrorHandling(app: FastifyInstance, renderHtml?: HtmlErrorRenderer): void {
  const wantsHtml = (request: FastifyRequest) =>
    renderHtml !== undefined && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');

  const respond = (request: FastifyRequest, reply: FastifyReply, problem: Problem) =>
    wantsHtml(request) ? renderHtml!(request, reply, problem) : sendProblem(reply, problem);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return respond(request, reply, {
        type: `https://maillage.anct.gouv.fr/problemes/${error.code}`,
        title: error.message,
        status: error.status,
        instance: request.url,
        ...(error.errors.length ? { errors: error.errors } : {}),
      });
    }
    if (error.validation) {
      const errors = validationIssuesToFieldErrors(error.validation as AjvIssue[]);
      return respond(request, reply, {
        type: 'https://maillage.anct.gouv.fr/problemes/validation',
        title: 'Paramètres invalides',
        status: 400,
        detail: errors.map((e) => e.message).join(' '),
        instance: request.url,
        errors,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, unsupported media type).
      return respond(request, reply, {
        type: 'about:blank',
        title: clientErrorTitle(status),
        status,
        instance: request.url,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return respond(request, reply, {
      type: 'about:blank',
      title: 'Erreur interne du serveur. L’incident a été enregistré.',
      status: 500,
      instance: request.url,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    respond(request, reply, { type: 'about:blank', title: 'Page ou ressource introuvable.', status: 404, instance: request.url }),
  );
}

function clientErrorTitle(status: number): string {
  switch (status) {
    case 400:
      return 'Requête invalide : le contenu envoyé ne peut pas être lu.';
    case 413:
      return 'Le contenu envoyé est trop volumineux.';
    case 415:
      return 'Type de contenu non pris en charge.';
    case 429:
      return 'Trop de requêtes : réessayez dans un instant.';
    default:
      return 'Requête refusée.';
  }
}
