import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertLieu } from '../../../test/builders/lieu.ts';
import { createReport, hashIp, TooManyReportsError } from './reports.use-cases.ts';
import { reportsOfLieu } from './reports.use-cases.ts';
import { REPORTS_PER_WINDOW } from './reports.schema.ts';
import { fixedClock } from '../../lib/clock.ts';

let t: TestApp;
let lieuId: string;
beforeAll(async () => {
  t = await buildTestApp();
  lieuId = (await insertLieu(t.deps.db, { nom: 'Espace numérique des Pentes' })).id;
});
afterAll(() => t.close());

const form = (body: Record<string, string>, ip = '192.0.2.10') => ({
  method: 'POST' as const,
  url: `/lieux/${lieuId}/signalement`,
  headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
  remoteAddress: ip,
  payload: new URLSearchParams(body).toString(),
});

describe('Signaler une erreur', () => {
  it('stores a valid report without the IP address and redirects to a thank-you', async () => {
    const res = await t.app.inject(form({ kind: 'horaires', message: 'Le lieu est fermé le lundi matin.', email: 'a@exemple.fr' }, '192.0.2.1'));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/lieux/${lieuId}?signalement=envoye#signaler`);
    const stored = await reportsOfLieu(t.deps, lieuId);
    const mine = stored.find((r) => r.message === 'Le lieu est fermé le lundi matin.');
    expect(mine).toMatchObject({ kind: 'horaires', email: 'a@exemple.fr', status: 'open', ip_hash: hashIp('192.0.2.1') });
    expect(JSON.stringify(stored)).not.toContain('192.0.2.1');
    const thanks = await t.app.inject({ url: res.headers.location as string, headers: { accept: 'text/html' } });
    expect(thanks.body).toContain('votre signalement a bien été envoyé');
  });

  it('re-renders the page with French errors naming each field and keeps what was typed', async () => {
    const res = await t.app.inject(form({ kind: 'n-importe', message: 'court', email: 'pas-un-courriel' }, '192.0.2.2'));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Choisissez ce qui est faux dans la fiche.');
    expect(res.body).toContain('au moins 10 caractères');
    expect(res.body).toContain('L’adresse électronique n’a pas le bon format');
    expect(res.body).toContain('value="pas-un-courriel"');
    expect(await reportsOfLieu(t.deps, lieuId)).toHaveLength(1);
  });

  it('drops a report whose honeypot is filled, as if it were accepted', async () => {
    const before = (await reportsOfLieu(t.deps, lieuId)).length;
    const res = await t.app.inject(form({ kind: 'autre', message: 'Achetez nos montres pas chères', site: 'http://spam.example' }, '192.0.2.3'));
    expect(res.statusCode).toBe(303);
    expect(await reportsOfLieu(t.deps, lieuId)).toHaveLength(before);
  });

  it('limits reports per IP within an hour, in French, with a 429', async () => {
    const ip = '192.0.2.4';
    for (let i = 0; i < REPORTS_PER_WINDOW; i++) {
      expect((await t.app.inject(form({ kind: 'autre', message: `Signalement numéro ${i} sur ce lieu` }, ip))).statusCode).toBe(303);
    }
    const refused = await t.app.inject(form({ kind: 'autre', message: 'Un signalement de trop sur ce lieu' }, ip));
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Réessayez dans une heure');
    // Another IP is not affected, and an hour later the same IP may report again.
    expect((await t.app.inject(form({ kind: 'autre', message: 'Autre personne, autre message' }, '192.0.2.5'))).statusCode).toBe(303);
    const later = { db: t.deps.db, clock: fixedClock(new Date(Date.now() + 61 * 60 * 1000)) };
    await expect(createReport(later, lieuId, { kind: 'autre', message: 'Une heure plus tard, encore' }, ip)).resolves.toMatchObject({ stored: true });
    const now = { db: t.deps.db, clock: fixedClock(new Date()) };
    await expect(createReport(now, lieuId, { kind: 'autre', message: 'Toujours trop tôt pour ça' }, ip)).rejects.toBeInstanceOf(TooManyReportsError);
  });

  it('answers 404 for a report on an unknown or malformed place id', async () => {
    const unknown = await t.app.inject({ ...form({ kind: 'autre', message: 'Ce lieu n’existe pas du tout' }), url: '/lieux/00000000-0000-4000-8000-000000000000/signalement' });
    expect(unknown.statusCode).toBe(404);
    const malformed = await t.app.inject({ ...form({ kind: 'autre', message: 'Ce lieu n’existe pas du tout' }), url: '/lieux/pas-un-id/signalement' });
    expect(malformed.statusCode).toBe(404);
    expect(malformed.headers['content-type']).toContain('text/html');
  });
});
