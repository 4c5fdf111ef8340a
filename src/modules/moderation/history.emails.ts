// The French e-mail sent to the accounts whose edits of a place a moderator undid by bringing
// the place back to an earlier version.
const sign = '\n\nL’équipe Maillage\n';

export function revertedEmail(nom: string, link: string, version: number, comment: string | null): { subject: string; text: string } {
  return {
    subject: `Maillage : vos modifications de « ${nom} » ont été annulées`,
    text:
      `Bonjour,\n\nL’équipe de modération a rétabli les informations du lieu « ${nom} » telles qu’elles étaient à la version ${version} de son historique : ` +
      `les modifications que vous aviez faites depuis ne sont plus en ligne.\n\n${link}` +
      `${comment ? `\n\nMessage de l’équipe de modération :\n${comment}` : ''}${sign}`,
  };
}
