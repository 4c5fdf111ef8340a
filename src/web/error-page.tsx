import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../server/plugins/errors.ts';
import { sendProblem } from '../server/plugins/errors.ts';
import { Page } from './layout/page.tsx';
import { sendHtml } from './render.ts';

// The HTML face of errors for people: a DSFR error page that says what happened in plain
// French, lists the fields at fault and offers a way back.

const headings: Record<number, string> = {
  400: 'La demande ne peut pas être traitée',
  404: 'Page non trouvée',
  410: 'Page retirée',
  429: 'Trop de demandes',
  500: 'Erreur inattendue',
};

export function ErrorView({ problem }: { problem: Problem }) {
  const heading = headings[problem.status] ?? (problem.status >= 500 ? headings[500]! : headings[400]!);
  const explanation =
    problem.status === 404
      ? 'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée. Si vous avez tapé l’adresse web dans le navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible.'
      : problem.status >= 500
        ? 'Désolé, le service rencontre un problème, nous travaillons pour le résoudre le plus rapidement possible. Essayez de rafraîchir la page ou bien réessayez plus tard.'
        : problem.title;
  return (
    <div class="fr-container">
      <div class="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center">
        <div class="fr-py-0 fr-col-12 fr-col-md-8">
          <h1>{heading}</h1>
          <p class="fr-text--sm fr-mb-3w">Erreur {problem.status}</p>
          <p class="fr-text--lead fr-mb-3w">{explanation}</p>
          {problem.errors?.length ? (
            <ul class="maillage-error-list">
              {problem.errors.map((e) => (
                <li>{e.message}</li>
              ))}
            </ul>
          ) : null}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                Page d’accueil
              </a>
            </li>
          </ul>
        </div>
      </div>
    </div>
  );
}

export function renderHtmlError(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const assets = request.server.assets;
  if (!assets) return sendProblem(reply, problem);
  const heading = headings[problem.status] ?? 'Erreur';
  return sendHtml(
    reply,
    <Page ctx={{ assets, path: request.url.split('?')[0] ?? '/' }} title={heading} noindex>
      <ErrorView problem={problem} />
    </Page>,
    problem.status,
  );
}
