// The map beside the results list. Loaded only on pages with a map container, and
// MapLibre itself (~300 KB compressed) is fetched once the page is idle, so the list shows
// first. Markers are HTML elements (clusters with counts need no glyph files), and the list
// stays the accessible alternative; the markers are hidden from assistive technology.

import { frenchLocale, loadMapLibre, styleFor } from './map-base.js';

const container = document.getElementById('carte');

function pointsFromList() {
  return [...document.querySelectorAll('#resultats [data-lieu-id]')]
    .filter((el) => el.dataset.lat && el.dataset.lon)
    .map((el) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [Number(el.dataset.lon), Number(el.dataset.lat)] },
      properties: { id: el.dataset.lieuId, nom: el.dataset.nom ?? '' },
    }));
}

function boundsOf(features) {
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const f of features) {
    const [x, y] = f.geometry.coordinates;
    w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
  }
  return [[w, s], [e, n]];
}

function selectInList(id) {
  for (const li of document.querySelectorAll('#resultats li.maillage-selected')) li.classList.remove('maillage-selected');
  const item = document.querySelector(`#resultats [data-lieu-id="${CSS.escape(id)}"]`);
  if (!item) return;
  item.classList.add('maillage-selected');
  item.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

async function start() {
  const maplibregl = await loadMapLibre(container);
  const map = new maplibregl.Map({
    container,
    style: styleFor(container.dataset),
    center: [2.4, 46.6],
    zoom: 4.5,
    attributionControl: container.dataset.tilesUrl ? {} : false,
    locale: frenchLocale('Carte des lieux (la liste donne les mêmes informations)'),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  window.maillageMap = map;
  const markers = new Map();

  function refreshMarkers() {
    const seen = new Set();
    for (const f of map.querySourceFeatures('lieux')) {
      const p = f.properties;
      const key = p.cluster ? `c${p.cluster_id}` : `p${p.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (markers.has(key)) continue;
      const el = document.createElement('div');
      el.className = p.cluster ? 'maillage-marker' : 'maillage-marker maillage-marker--single';
      el.setAttribute('aria-hidden', 'true');
      el.dataset.key = key;
      if (p.cluster) {
        el.textContent = String(p.point_count_abbreviated ?? p.point_count);
        el.addEventListener('click', async () => {
          const zoom = await map.getSource('lieux').getClusterExpansionZoom(p.cluster_id);
          map.easeTo({ center: f.geometry.coordinates, zoom });
        });
      } else {
        el.dataset.lieuId = p.id;
        el.title = p.nom;
        el.addEventListener('click', () => {
          for (const m of container.querySelectorAll('.maillage-marker--selected')) m.classList.remove('maillage-marker--selected');
          el.classList.add('maillage-marker--selected');
          selectInList(p.id);
        });
      }
      markers.set(key, new maplibregl.Marker({ element: el }).setLngLat(f.geometry.coordinates).addTo(map));
    }
    for (const [key, marker] of markers) {
      if (!seen.has(key)) {
        marker.remove();
        markers.delete(key);
      }
    }
  }

  function setPoints(fit) {
    const features = pointsFromList();
    map.getSource('lieux').setData({ type: 'FeatureCollection', features });
    if (fit && features.length) map.fitBounds(boundsOf(features), { padding: 40, maxZoom: 14, duration: 0 });
  }

  map.on('load', () => {
    map.addSource('lieux', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, cluster: true, clusterRadius: 50, clusterMaxZoom: 14 });
    // An invisible layer keeps the source's tiles loaded so its features can be queried.
    map.addLayer({ id: 'lieux-invisibles', type: 'circle', source: 'lieux', paint: { 'circle-radius': 0, 'circle-opacity': 0 } });
    setPoints(true);
    container.dataset.ready = 'true';
  });
  map.on('render', () => {
    if (map.getSource('lieux') && map.isSourceLoaded('lieux')) refreshMarkers();
  });
  document.addEventListener('maillage:results', () => setPoints(true));

  // Hovering or focusing an entry of the list shows where it is.
  const highlight = (event) => {
    const item = event.target.closest?.('[data-lieu-id]');
    if (!item) return;
    for (const m of container.querySelectorAll('.maillage-marker--selected')) m.classList.remove('maillage-marker--selected');
    container.querySelector(`.maillage-marker[data-lieu-id="${CSS.escape(item.dataset.lieuId)}"]`)?.classList.add('maillage-marker--selected');
  };
  document.getElementById('resultats')?.addEventListener('mouseover', highlight);
  document.getElementById('resultats')?.addEventListener('focusin', highlight);
}

if (container) {
  container.hidden = false;
  const go = () =>
    start().catch((error) => {
      // The list is the page: without a map, hide the empty frame and say why in the console.
      console.error('carte indisponible', error);
      container.hidden = true;
    });
  if ('requestIdleCallback' in window) window.addEventListener('load', () => requestIdleCallback(go, { timeout: 2000 }));
  else window.addEventListener('load', () => setTimeout(go, 200));
}
