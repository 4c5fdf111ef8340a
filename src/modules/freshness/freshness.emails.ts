// The French text of the freshness reminder e-mail; its link carries a single-use token.
import type { Config } from '../../server/config.ts';
import { dateInWords } from '../lieux/views/lieu-words.ts';
import { agoInWords } from './freshness.ts';

export function reminderEmail(p: {
  nom: string;
  commune: string;
  date_maj: string;
  link: string;
  now: Date;
  config: Pick<Config, 'freshness' | 'publicUrl'>;
}): { subject: string; text: string } {
  return {
    subject: `Maillage : les informations de « ${p.nom} » sont-elles toujours à jour ?`,
    text:
      `Bonjour,\n\n` +
      `Vous gérez le lieu « ${p.nom} » (${p.commune}) sur Maillage. Ses informations ont été mises à jour pour la dernière fois le ${dateInWords(p.date_maj)} (${agoInWords(p.date_maj, p.now)}).\n\n` +
      `Si rien n’a changé, confirmez-le en un clic avec ce lien (valable ${p.config.freshness.linkValidityDays} jours, utilisable une seule fois) :\n\n${p.link}\n\n` +
      `Si des informations ont changé (horaires, services, contact…), connectez-vous pour les corriger :\n\n${p.config.publicUrl}/compte/fraicheur\n\n` +
      `Des informations à jour permettent aux habitants de trouver le bon lieu.\n\nL’équipe Maillage\n`,
  };
}
