// The French text of the e-mails sent to the people concerned by a moderation decision.
type Email = { subject: string; text: string };
const sign = '\n\nL’équipe Maillage\n';
const withComment = (comment: string | null) => (comment ? `\n\nMessage de l’équipe de modération :\n${comment}` : '');

export function claimAcceptedEmail(nom: string, link: string, comment: string | null, automatic: boolean): Email {
  const why = automatic ? 'L’adresse de votre compte correspond au site web ou au courriel du lieu : votre demande est acceptée.' : 'Votre demande a été acceptée par l’équipe de modération.';
  return {
    subject: `Maillage : vous gérez désormais « ${nom} »`,
    text: `Bonjour,\n\n${why} Vous pouvez désormais tenir à jour les informations du lieu « ${nom} » :\n\n${link}${withComment(comment)}${sign}`,
  };
}

export function claimPendingEmail(nom: string): Email {
  return {
    subject: `Maillage : votre demande pour « ${nom} » est en attente`,
    text: `Bonjour,\n\nVotre demande de gestion du lieu « ${nom} » a bien été reçue. L’équipe de modération va la vérifier ; vous recevrez un e-mail dès qu’elle sera traitée.${sign}`,
  };
}

export function claimRejectedEmail(nom: string, comment: string | null): Email {
  return {
    subject: `Maillage : votre demande pour « ${nom} » n’a pas été acceptée`,
    text: `Bonjour,\n\nVotre demande de gestion du lieu « ${nom} » n’a pas été acceptée par l’équipe de modération.${withComment(comment)}${sign}`,
  };
}

export function reportDecidedEmail(nom: string, resolved: boolean, comment: string | null): Email {
  const what = resolved ? 'a été pris en compte : merci de votre aide.' : 'a été examiné mais n’a pas donné lieu à une correction.';
  return {
    subject: `Maillage : votre signalement sur « ${nom} »`,
    text: `Bonjour,\n\nLe signalement d’erreur que vous avez envoyé sur le lieu « ${nom} » ${what}${withComment(comment)}${sign}`,
  };
}

export function propositionPendingEmail(nom: string): Email {
  return {
    subject: `Maillage : votre proposition « ${nom} » est en attente`,
    text: `Bonjour,\n\nMerci ! Votre proposition du lieu « ${nom} » a bien été reçue. L’équipe de modération va la vérifier avant de la publier ; vous recevrez un e-mail dès qu’elle sera traitée.${sign}`,
  };
}

export function propositionAcceptedEmail(nom: string, link: string, comment: string | null): Email {
  return {
    subject: `Maillage : le lieu « ${nom} » est publié`,
    text: `Bonjour,\n\nVotre proposition a été acceptée par l’équipe de modération : le lieu « ${nom} » est désormais publié dans Maillage :\n\n${link}${withComment(comment)}${sign}`,
  };
}

export function propositionRejectedEmail(nom: string, comment: string | null): Email {
  return {
    subject: `Maillage : votre proposition « ${nom} » n’a pas été acceptée`,
    text: `Bonjour,\n\nVotre proposition du lieu « ${nom} » n’a pas été acceptée par l’équipe de modération.${withComment(comment)}${sign}`,
  };
}
