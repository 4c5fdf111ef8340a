// HTML page of the audit log (/moderation/journal), read through listAudit, which decides who
// may read it (moderators and administrators): a refusal is the usual 403 page.
import { h } from 'preact';
import validator from 'validator';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { listAudit } from './audit.use-cases.ts';
import { AuditPage } from './views/audit-page.tsx';

const pageSize = 50;

export async function registerAuditPages(app: App, deps: AppDeps): Promise<void> {
  app.get<{ Querystring: { avant?: string; compte?: string } }>('/moderation/journal', { schema: { hide: true } }, async (request, reply) => {
    if (!request.account) return reply.redirect('/connexion', 303);
    // Bad paging or filter values are ignored rather than refused: the page is a plain list.
    const before = /^\d{1,15}$/.test(request.query.avant ?? '') ? Number(request.query.avant) : undefined;
    const account = validator.isUUID(request.query.compte ?? '') ? request.query.compte!.toLowerCase() : undefined;
    const entries = await listAudit(deps.db, request.account, { before, limit: pageSize, account_id: account });
    const older = entries.length === pageSize ? entries.at(-1)!.seq : undefined;
    return sendHtml(reply, h(AuditPage, { ctx: pageContext(request), entries, account, older }));
  });
}
