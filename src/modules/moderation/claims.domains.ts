// When a claim is accepted without a moderator: the account's e-mail domain is the domain of
// the place's website or of one of its e-mail addresses. Webmail domains prove nothing (anyone
// can open an address there), so they always go to the moderation queue.

/** Consumer webmail domains; hotmail.*, outlook.*, yahoo.* and live.* in every country. */
export const WEBMAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'laposte.net',
  'sfr.fr',
  'neuf.fr',
  'bbox.fr',
  'numericable.fr',
  'aol.com',
  'icloud.com',
  'me.com',
  'gmx.fr',
  'gmx.com',
  'protonmail.com',
  'proton.me',
  'yopmail.com',
];
const WEBMAIL_FAMILIES = ['hotmail', 'outlook', 'yahoo', 'live', 'msn'];

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).trim().toLowerCase();
}

export function isWebmailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (WEBMAIL_DOMAINS.includes(d)) return true;
  const labels = d.split('.');
  // hotmail.fr, yahoo.co.uk, outlook.com…: the family name is the first label.
  return labels.length >= 2 && WEBMAIL_FAMILIES.includes(labels[0]!);
}

/** The host of a website address, without `www.`; null when it is not an address. */
export function websiteHost(raw: string): string | null {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.hostname.toLowerCase().replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** `domain` is the place's domain, or a parent of it (epn.lyon.fr belongs to lyon.fr). */
function sameOrSubdomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

export type DomainCheck = { automatic: true } | { automatic: false; reason: string };

/** Whether a claim by an account with this e-mail is accepted at once, and why not. */
export function checkClaimDomain(email: string, lieu: { site_web: string[]; courriels: string[] }): DomainCheck {
  const domain = emailDomain(email);
  if (isWebmailDomain(domain)) {
    return { automatic: false, reason: `Le domaine de l’adresse (${domain}) est celui d’une messagerie grand public : il ne prouve pas le lien avec le lieu.` };
  }
  const hosts = lieu.site_web.map(websiteHost).filter((h): h is string => h !== null);
  const mailDomains = lieu.courriels.map(emailDomain).filter((d) => d && !isWebmailDomain(d));
  if ([...hosts, ...mailDomains].some((h) => sameOrSubdomain(h, domain))) return { automatic: true };
  return { automatic: false, reason: `Le domaine de l’adresse (${domain}) ne correspond ni au site web ni au courriel du lieu.` };
}
