// Real-Chromium journey of a contribution, with e-mails through a real SMTP server on
// 127.0.0.1: a person signs up on /inscription, opens the verification link, signs in, claims a
// place whose domain is not theirs (moderated claim), a moderator accepts it in /moderation
// (the person is told by e-mail), the person edits the place through /compte/lieux/{id}/modifier
// (diff, then save), and the moderator reverts the edit from the place's history page; the
// public page shows the reverted value again. Also: the merges page and its split. axe-core scans
// the pages of the journey.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { mailBody, startSmtpServer, type CapturedMail, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { createMailer } from '../../src/lib/mailer.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { mergeLieux } from '../../src/modules/imports/imports.duplicates.ts';
import { createLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import type { Lieu } from '../../src/modules/lieux/lieux.schema.ts';

let t: TestApp;
let smtp: TestSmtpServer;
let browser: Browser;
let base: string;
let lieu: Lieu;
let merged: Lieu;
const captured: CapturedMail[] = [];
const password = 'un mot de passe de navigateur';
const person = 'camille@association-voisine.fr';
const moderator = 'moderation@anct.example.org';

const mailsTo = (address: string) => captured.filter((m) => m.to.includes(address)).map((m) => mailBody(m.data));
/** Waits for the n-th e-mail to an address and returns its body. */
async function nthMail(address: string, n: number): Promise<string> {
  await expect.poll(() => mailsTo(address).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(n);
  return mailsTo(address)[n - 1]!;
}
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

const place = (nom: string, telephone: string, extra: Record<string, unknown> = {}) => ({
  pivot: '21690123100011',
  nom,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: '30 boulevard Vivier-Merle',
  date_maj: '2025-01-15',
  latitude: 45.7607,
  longitude: 4.8583,
  site_web: ['https://www.bm-lyon.fr'],
  telephone,
  ...extra,
});

beforeAll(async () => {
  if (!hasChromium) return;
  smtp = await startSmtpServer(captured);
  t = await buildTestApp({ mailer: createMailer({ smtpUrl: smtp.url, from: 'Maillage <ne-pas-repondre@maillage.test>', logger: createLogger('silent') }) });
  lieu = await createLieu(t.deps, place('Médiathèque Vivier-Merle', '0472000001'), { kind: 'cli' });
  const kept = await createLieu(t.deps, place('Espace numérique de la Part-Dieu', '0472000003', { adresse: '17 rue du Docteur Bouchut' }), { kind: 'cli' });
  merged = await createLieu(t.deps, place('EPN Part-Dieu', '0472000004', { adresse: '17 rue du Dr Bouchut' }), { kind: 'cli' });
  await mergeLieux(t.deps, kept.id, merged.id, { kind: 'cli' });
  await accountWithPassword(t, { email: moderator, role: 'moderateur' }, password);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(async () => {
  await closeBrowserApp(browser, t);
  await smtp?.close();
});

describe.skipIf(!hasChromium)('contribution journey in Chromium', () => {
  it('sign up → verify → sign in → claim → moderator accepts → edit → moderator reverts from the history', async () => {
    const page = await newLocalPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Sign up, then open the link of the verification e-mail.
    await page.goto(`${base}/inscription`);
    await page.getByLabel('Adresse e-mail').fill(person);
    await page.getByLabel(/^Mot de passe/).fill(password);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await expect.poll(() => mainText(page)).toContain('Votre compte est créé');
    const link = /https?:\/\/\S+\/compte\/verifier\?jeton=[\w-]+/.exec(await nthMail(person, 1))?.[0];
    expect(link).toBeDefined();
    const url = new URL(link!);
    await page.goto(`${base}${url.pathname}${url.search}`);
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await expect.poll(() => mainText(page)).toContain('Votre adresse est confirmée');
    await signIn(page, base, person, password);

    // Claim: the account's domain is not the place's, so the claim waits for moderation.
    await page.goto(`${base}/lieux/${lieu.id}`);
    await page.getByRole('link', { name: 'Je gère ce lieu' }).click();
    await page.waitForURL(`${base}/lieux/${lieu.id}/revendiquer`);
    await page.getByLabel(/^Message pour l’équipe de modération/).fill('Je coordonne l’espace numérique de la médiathèque.');
    await page.getByRole('button', { name: 'Je gère ce lieu' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Demande envoyée à l’équipe de modération');
    expect(await nthMail(person, 2)).toContain('a bien été reçue');

    // The moderator accepts it in the queue; the person is told by e-mail.
    const mod = await newLocalPage(browser);
    await signIn(mod, base, moderator, password);
    await mod.getByRole('link', { name: 'File de modération' }).click();
    await mod.waitForURL(`${base}/moderation`);
    const item = mod.locator('li[id^="revendication-"]').filter({ hasText: person });
    await item.getByLabel(/^Commentaire/).fill('Vérifié auprès de la médiathèque.');
    await item.getByRole('button', { name: `Accepter la demande pour ${lieu.nom}` }).click();
    await mod.waitForURL(`${base}/moderation?info=revendication-acceptee`);
    const accepted = await nthMail(person, 3);
    expect(accepted).toContain('Vous pouvez désormais tenir à jour');
    expect(accepted).toContain('Vérifié auprès de la médiathèque.');

    // The person edits the place: the form, the diff, then save.
    await page.goto(`${base}/lieux/${lieu.id}`);
    await page.getByRole('link', { name: 'Modifier les informations de ce lieu' }).click();
    await page.waitForURL(`${base}/compte/lieux/${lieu.id}/modifier`);
    await page.locator('[name="telephone"]').fill('04 72 99 99 99');
    await page.getByRole('button', { name: 'Vérifier mes modifications' }).click();
    await expect.poll(() => mainText(page)).toContain('Rien n’est enregistré tant que vous n’avez pas');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.waitForURL(`${base}/compte/lieux/${lieu.id}/historique?enregistre=1`);
    await page.goto(`${base}/lieux/${lieu.id}`);
    expect(await mainText(page)).toMatch(/04\s?72\s?99\s?99\s?99/);

    // The moderator reverts the edit from the place's history, after a confirmation with the diff.
    await mod.goto(`${base}/moderation/lieux/${lieu.id}/historique`);
    expect(await mainText(mod)).toContain('Version 2 (actuelle)');
    expect(await mainText(mod)).not.toContain(person); // actors by role, never by e-mail
    await expectAccessible(mod);
    await mod.getByRole('link', { name: 'Revenir à cette version (1)' }).click();
    await mod.waitForURL(`${base}/moderation/lieux/${lieu.id}/historique/1`);
    const diff = mod.getByRole('table', { name: 'Différences entre l’état actuel et la version 1' });
    expect(await diff.textContent()).toMatch(/téléphone\+33472999999\+33472000001/i);
    await expectAccessible(mod);
    await mod.getByLabel(/^Commentaire/).fill('Numéro non vérifié : l’accueil répond au 04 72 00 00 01.');
    await mod.getByRole('button', { name: 'Confirmer le retour à la version 1' }).click();
    await mod.waitForURL(`${base}/moderation/lieux/${lieu.id}/historique?retour=1`);
    expect(await mod.getByRole('status').textContent()).toContain('Le lieu a retrouvé les informations de sa version 1 (nouvelle version 3).');
    expect(await mainText(mod)).toContain('Retour à la version 1 : Numéro non vérifié');
    await expectAccessible(mod);

    const reverted = await nthMail(person, 4);
    expect(reverted).toContain('version 1');
    expect(reverted).toContain('Numéro non vérifié');
    await page.goto(`${base}/lieux/${lieu.id}`);
    const shown = await mainText(page);
    expect(shown).toMatch(/04\s?72\s?00\s?00\s?01/);
    expect(shown).not.toMatch(/04\s?72\s?99\s?99\s?99/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a moderator splits a merge from the merges page, after a confirmation', async () => {
    const mod = await newLocalPage(browser);
    await signIn(mod, base, moderator, password);
    await mod.goto(`${base}/moderation`);
    await mod.getByRole('link', { name: 'Fusions de lieux : séparer une fusion faite par erreur' }).click();
    await mod.waitForURL(`${base}/moderation/fusions`);
    await expectAccessible(mod);
    await mod.getByRole('link', { name: /^Séparer EPN Part-Dieu/ }).click();
    await mod.waitForURL(`${base}/moderation/fusions/${merged.id}`);
    await expectAccessible(mod);
    await mod.getByLabel(/^Commentaire/).fill('Deux antennes distinctes.');
    await mod.getByRole('button', { name: 'Confirmer la séparation' }).click();
    await mod.waitForURL(`${base}/moderation/fusions?info=separe`);
    expect(await mod.getByRole('status').textContent()).toContain('Les deux lieux sont séparés.');
    expect(await mainText(mod)).toContain('Aucune fusion en cours.');
    const response = await mod.goto(`${base}/lieux/${merged.id}`);
    expect(response?.status()).toBe(200);
    expect(mod.url()).toBe(`${base}/lieux/${merged.id}`);
  }, 60_000);
});
