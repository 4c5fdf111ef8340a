// What both maps (search results, "Proposer un lieu") need from MapLibre: the library loaded
// only when a map is drawn, the background (tiles when configured, else France's contours),
// and the map's own buttons named in French. Imported as an ES module: the asset store
// rewrites `./map-base.js` to this file's hashed URL.

/** Loads MapLibre's stylesheet and module (~300 KB compressed) named by the container's data attributes. */
export async function loadMapLibre(container) {
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = container.dataset.maplibreCssUrl;
  document.head.appendChild(css);
  const module = await import(container.dataset.maplibreUrl);
  return module.default ?? module;
}

export function styleFor(dataset) {
  const sources = {};
  const layers = [{ id: 'fond', type: 'background', paint: { 'background-color': '#f6f6f6' } }];
  if (dataset.tilesUrl) {
    sources.tuiles = { type: 'raster', tiles: [dataset.tilesUrl], tileSize: 256, attribution: dataset.tilesAttribution ?? '' };
    layers.push({ id: 'tuiles', type: 'raster', source: 'tuiles' });
  } else if (dataset.contoursUrl) {
    sources.contours = { type: 'geojson', data: dataset.contoursUrl };
    layers.push({ id: 'contours-fond', type: 'fill', source: 'contours', paint: { 'fill-color': '#ffffff' } });
    layers.push({ id: 'contours-trait', type: 'line', source: 'contours', paint: { 'line-color': '#929292', 'line-width': 0.8 } });
  }
  return { version: 8, sources, layers };
}

/** The map's own controls are real buttons: name them in French; `title` names the map itself. */
export function frenchLocale(title) {
  return {
    'Map.Title': title,
    'NavigationControl.ZoomIn': 'Zoomer',
    'NavigationControl.ZoomOut': 'Dézoomer',
    'NavigationControl.ResetBearing': 'Réorienter vers le nord',
    'AttributionControl.ToggleAttribution': 'Afficher les crédits',
    'AttributionControl.MapFeedback': 'Signaler une erreur de carte',
  };
}
