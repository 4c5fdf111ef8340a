// The options of the embeddable map, read from its URL: which places (territory, network,
// parent structure, source) and how it looks (title, logo, primary colour). Every bad value
// is a French message naming the parameter, shown inside the frame (never a 500).
import type { AppDeps } from '../../server/deps.ts';
import type { FieldError } from '../../lib/errors.ts';
import { dispositif_programmes_nationaux } from '../lieux/lieux.schema.ts';
import { territoireTypes, type TerritoireType } from '../search/search.fields.ts';

/** URL parameters (and web component attributes) of the embed, apart from the public search ones. */
export const EMBED_PARAMS = ['territoire', 'reseau', 'structure_parente', 'source', 'titre', 'logo', 'couleur'] as const;

export const DEFAULT_COLOUR = '#000091';

export const territoireLabels: Record<TerritoireType, string> = {
  commune: 'commune',
  epci: 'EPCI',
  departement: 'département',
  region: 'région',
};

export interface EmbedOptions {
  territoire?: { type: TerritoireType; code: string; nom: string };
  /** Values of the standard's `dispositif_programmes_nationaux` (a place with any of them). */
  reseau: string[];
  /** Exact value of the standard's `structure_parente` (compared without case or accents). */
  structure_parente?: string;
  /** A federation source (sources.name): the places it currently gives (lieu_sources). */
  source?: { id: string; name: string; producer: string };
  titre?: string;
  /** An https:// image URL. */
  logo?: string;
  /** #rrggbb, lower case. */
  couleur?: string;
}

type RawQuery = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => x.split('|')).map((x) => x.trim()).filter(Boolean);

/** `#abc` or `#aabbcc` (any case) → `#aabbcc`; anything else → undefined. */
export function normaliseColour(raw: string): string | undefined {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(raw);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  return /^#[0-9a-f]{6}$/i.test(raw) ? raw.toLowerCase() : undefined;
}

export function parseLogo(raw: string): string | undefined {
  if (raw.length > 500) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and checks the embed options; the public search parameters are left to parseSearchParams. */
export async function parseEmbedOptions(
  deps: Pick<AppDeps, 'db' | 'territories'>,
  query: RawQuery,
): Promise<{ options: EmbedOptions; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const options: EmbedOptions = { reseau: [] };

  const territoire = one(query.territoire);
  if (territoire) {
    const [type, code] = territoire.split(':', 2) as [string, string | undefined];
    if (!territoireTypes.includes(type as TerritoireType) || !code) {
      errors.push({
        field: 'territoire',
        message: `« territoire » s’écrit type:code, le type étant commune, epci, departement ou region (exemple : departement:35) ; reçu « ${territoire.slice(0, 40)} ».`,
      });
    } else {
      const found = deps.territories.getTerritory(type as TerritoireType, code.trim());
      if (!found) {
        errors.push({ field: 'territoire', message: `« territoire » : aucun(e) ${territoireLabels[type as TerritoireType]} n’a le code « ${code.slice(0, 20)} ».` });
      } else options.territoire = { type: type as TerritoireType, code: found.code, nom: found.nom };
    }
  }

  for (const value of many(query.reseau)) {
    if ((dispositif_programmes_nationaux as readonly string[]).includes(value)) options.reseau.push(value);
    else {
      errors.push({
        field: 'reseau',
        message: `« reseau » doit être un dispositif national du standard (${dispositif_programmes_nationaux.join(', ')}) ; reçu « ${value.slice(0, 60)} ».`,
      });
    }
  }

  const structure = one(query.structure_parente);
  if (structure.length > 200) errors.push({ field: 'structure_parente', message: '« structure_parente » doit contenir au plus 200 caractères.' });
  else if (structure) options.structure_parente = structure;

  const source = one(query.source);
  if (source) {
    const row = await deps.db.selectFrom('sources').select(['id', 'name', 'producer']).where('name', '=', source.slice(0, 63)).executeTakeFirst();
    if (row) options.source = row;
    else errors.push({ field: 'source', message: `« source » : aucune source ne s’appelle « ${source.slice(0, 63)} ».` });
  }

  const titre = one(query.titre);
  if (titre.length > 80) errors.push({ field: 'titre', message: '« titre » doit contenir au plus 80 caractères.' });
  else if (titre) options.titre = titre;

  const logo = one(query.logo);
  if (logo) {
    const url = parseLogo(logo);
    if (url) options.logo = url;
    else errors.push({ field: 'logo', message: '« logo » doit être l’adresse d’une image en https:// (500 caractères au plus), ou rester vide.' });
  }

  const couleur = one(query.couleur);
  if (couleur) {
    const colour = normaliseColour(couleur);
    if (colour) options.couleur = colour;
    else errors.push({ field: 'couleur', message: `« couleur » doit être une couleur hexadécimale comme #000091 ; reçu « ${couleur.slice(0, 20)} ».` });
  }
  return { options, errors };
}

/** The embed URL parameters of some options, in a stable order (for links and snippets). */
export function embedParams(options: EmbedOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (options.territoire) params.set('territoire', `${options.territoire.type}:${options.territoire.code}`);
  if (options.reseau.length) params.set('reseau', options.reseau.join('|'));
  if (options.structure_parente) params.set('structure_parente', options.structure_parente);
  if (options.source) params.set('source', options.source.name);
  if (options.titre) params.set('titre', options.titre);
  if (options.logo) params.set('logo', options.logo);
  if (options.couleur && options.couleur !== DEFAULT_COLOUR) params.set('couleur', options.couleur);
  return params;
}

/** Relative luminance (WCAG 2.1) of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/**
 * The CSS of a primary colour: backgrounds and borders take it, with black or white text,
 * whichever contrasts more; links and outlined buttons take it only when it reads on white
 * (4.5:1), else they keep the DSFR blue — the chosen colour never costs legibility.
 */
export function themeCss(colour: string): string {
  const onColour = contrastRatio(colour, '#ffffff') >= contrastRatio(colour, '#000000') ? '#ffffff' : '#000000';
  const vars = [
    `--maillage-couleur:${colour}`,
    `--background-action-high-blue-france:${colour}`,
    `--background-action-high-blue-france-hover:color-mix(in srgb,${colour} 82%,${onColour})`,
    `--background-action-high-blue-france-active:color-mix(in srgb,${colour} 70%,${onColour})`,
    `--text-inverted-blue-france:${onColour}`,
  ];
  if (contrastRatio(colour, '#ffffff') >= 4.5) {
    vars.push(`--text-action-high-blue-france:${colour}`, `--border-action-high-blue-france:${colour}`, `--border-active-blue-france:${colour}`);
  }
  return `html:root{${vars.join(';')}}\n`;
}
