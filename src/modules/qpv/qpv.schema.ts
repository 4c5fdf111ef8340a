// The QPV of a place as the API shows it, beside the standard's fields (computed, not part of
// the standard): search items, the place API and the place page all use this shape.
import { Type } from 'typebox';

export interface QpvItem {
  code: string;
  nom: string;
  /** 'dans': the place lies in the QPV; 'proche': within the configured distance of its contour. */
  relation: 'dans' | 'proche';
  /** 0 when inside; otherwise metres to the contour (0.1 m precision). */
  distance_m: number;
}

export const QpvItemApi = Type.Object(
  {
    code: Type.String({ description: 'Code du QPV (QP… liste 2015, QN… liste 2024)' }),
    nom: Type.String(),
    relation: Type.Enum(['dans', 'proche'], { description: 'dans : le lieu est dans le quartier ; proche : à moins de la distance configurée de son contour' }),
    distance_m: Type.Number({ description: '0 dans le quartier, sinon distance au contour en mètres' }),
  },
  { additionalProperties: false },
);

export const QpvItemsApi = Type.Optional(
  Type.Array(QpvItemApi, {
    description:
      'Calculé (hors standard) : quartiers prioritaires de la politique de la ville où se trouve le lieu, ou dont le contour est à moins de la distance configurée (300 m par défaut), du plus proche au plus loin. Absent quand il n’y en a aucun.',
  }),
);

/** "Dans le quartier prioritaire Maurepas (QP035004)" or "À 120 m du quartier prioritaire …". */
export function qpvSentence(qpv: QpvItem): string {
  const name = `${qpv.nom} (${qpv.code})`;
  return qpv.relation === 'dans'
    ? `Situé dans le quartier prioritaire ${name}`
    : `À ${Math.max(10, Math.round(qpv.distance_m / 10) * 10)} m du quartier prioritaire ${name}`;
}
