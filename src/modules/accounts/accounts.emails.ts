// The French text of account e-mails; links carry a single-use token.
export function verificationEmail(link: string): { subject: string; text: string } {
  return {
    subject: 'Maillage : confirmez votre adresse e-mail',
    text: `Bonjour,\n\nPour activer votre compte Maillage, confirmez votre adresse e-mail en ouvrant ce lien (valable 48 heures) :\n\n${link}\n\nSi vous n’avez pas créé de compte, ignorez ce message.\n\nL’équipe Maillage\n`,
  };
}

export function resetEmail(link: string): { subject: string; text: string } {
  return {
    subject: 'Maillage : choisissez un nouveau mot de passe',
    text: `Bonjour,\n\nPour choisir un nouveau mot de passe pour votre compte Maillage, ouvrez ce lien (valable 1 heure, utilisable une seule fois) :\n\n${link}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n\nL’équipe Maillage\n`,
  };
}
