// Licence and catalogue of the open-data exports (Licence Ouverte / Open Licence 2.0).
export const licence = {
  id: 'etalab-2.0',
  title: 'Licence Ouverte / Open Licence version 2.0',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

export interface ExportResource {
  path: string;
  format: string;
  media_type: string;
  titre: string;
  schema: string;
}

const standardSchema = 'https://schema.data.gouv.fr/LaMednum/standard-mediation-num/';
const dataInclusionSchema = 'https://github.com/gip-inclusion/data-inclusion-schema';

export const exportResources: ExportResource[] = [
  { path: '/api/v1/exports/lieux.csv', format: 'standard-csv', media_type: 'text/csv', titre: 'Lieux publiés, standard v1, CSV (« | » entre les valeurs multiples)', schema: standardSchema },
  { path: '/api/v1/exports/lieux.json', format: 'standard-json', media_type: 'application/json', titre: 'Lieux publiés, standard v1, JSON', schema: standardSchema },
  { path: '/api/v1/exports/lieux.geojson', format: 'geojson', media_type: 'application/geo+json', titre: 'Lieux publiés, GeoJSON (points, propriétés du standard v1)', schema: standardSchema },
  { path: '/api/v1/exports/data-inclusion/structures.json', format: 'data-inclusion-structures', media_type: 'application/json', titre: 'Structures au schéma data·inclusion', schema: dataInclusionSchema },
  { path: '/api/v1/exports/data-inclusion/services.json', format: 'data-inclusion-services', media_type: 'application/json', titre: 'Services au schéma data·inclusion', schema: dataInclusionSchema },
];

/** The `Link` header sent with every export, pointing to the licence. */
export const licenceLinkHeader = `<${licence.url}>; rel="license"; title="${licence.id}"`;
