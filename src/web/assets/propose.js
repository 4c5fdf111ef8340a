// "Proposer un lieu": progressive enhancement of a form that works without it.
// - address suggestions from /api/v1/adresses (ARIA 1.2 combobox: listbox popup, arrow keys,
//   Enter, Escape) that fill adresse, code_postal, commune and the position;
// - each field checked when it is left, with the API's own French messages
//   (POST /api/v1/lieux/validation), shown in the field's DSFR message group;
// - a lazily loaded MapLibre map whose draggable marker writes latitude and longitude (the
//   two fields stay the accessible way to give the position).

import { frenchLocale, loadMapLibre, styleFor } from './map-base.js';

const form = document.getElementById('proposer');

const debounce = (fn, ms) => {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
};

const control = (name) => form.querySelector(`[data-field="${name}"]`);
const round = (n) => String(Math.round(n * 1e6) / 1e6);

// A refused form: the summary of errors is read first (its links lead to each field).
document.getElementById('erreurs')?.focus();

// --- Live validation ---------------------------------------------------------------------
const touched = new Set();

// Lists typed in one box, split as the server splits them (propositions.pages.ts, typedLists).
const typedLists = { typologie: /[,;|]/, autres_formations_labels: /[\n|]/ };

function recordOfForm() {
  const record = {};
  for (const [name, value] of new FormData(form)) {
    if (name === '_csrf') continue;
    const multi = form.querySelector(`input[type="checkbox"][name="${CSS.escape(name)}"]`);
    if (multi) (record[name] ??= []).push(value);
    else if (typedLists[name]) {
      const items = String(value).split(typedLists[name]).map((v) => v.trim()).filter(Boolean);
      if (items.length) record[name] = items;
    } else if (String(value).trim() !== '') record[name] = value;
  }
  return record;
}

function showError(name, message) {
  const el = control(name);
  if (!el) return;
  const messages = document.getElementById(`${el.id}-messages`);
  const group = el.matches('fieldset') ? el : el.closest('.fr-input-group');
  const fieldset = el.matches('fieldset');
  group?.classList.toggle(fieldset ? 'fr-fieldset--error' : 'fr-input-group--error', Boolean(message));
  if (!fieldset) el.classList.toggle('fr-input--error', Boolean(message));
  if (!messages) return;
  const current = messages.querySelector('.fr-message--error')?.textContent ?? '';
  if (current === (message ?? '')) return;
  if (message) {
    const p = document.createElement('p');
    p.className = 'fr-message fr-message--error';
    p.textContent = message;
    messages.replaceChildren(p);
  } else messages.replaceChildren();
}

let validating;
const validate = debounce(async () => {
  validating?.abort();
  validating = new AbortController();
  try {
    const res = await fetch(form.dataset.validationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(recordOfForm()),
      signal: validating.signal,
    });
    if (!res.ok) return;
    const { errors } = await res.json();
    const byField = new Map(errors.map((e) => [e.field, e.message]));
    for (const name of touched) showError(name, byField.get(name));
    form.dataset.validated = String(Date.now());
  } catch {
    // Offline or aborted by a newer check: the server checks again on submit.
  }
}, 150);

function touch(name) {
  if (!name || !control(name)) return;
  touched.add(name);
  validate();
}

// Fields the server already refused are checked again as soon as something changes.
for (const el of form?.querySelectorAll('.fr-input--error[data-field], fieldset.fr-fieldset--error[data-field]') ?? []) touched.add(el.dataset.field);
form?.addEventListener('focusout', (event) => {
  const el = event.target;
  if (el.matches?.('input[data-field], textarea[data-field]') && !el.getAttribute('aria-expanded')?.includes('true')) touch(el.dataset.field);
});
form?.addEventListener('change', (event) => {
  const fieldset = event.target.closest?.('fieldset[data-field]');
  if (fieldset) touch(fieldset.dataset.field);
});

// --- Map with a draggable marker ------------------------------------------------------------
const container = document.getElementById('proposer-carte');
let moveMarker = () => {};

function positionOfFields() {
  const lat = Number(control('latitude')?.value.replace(',', '.'));
  const lon = Number(control('longitude')?.value.replace(',', '.'));
  const given = control('latitude')?.value.trim() && control('longitude')?.value.trim();
  return given && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lon, lat] : null;
}

function setPosition(lon, lat) {
  control('latitude').value = round(lat);
  control('longitude').value = round(lon);
  touch('latitude');
  touch('longitude');
}

async function startMap() {
  const maplibregl = await loadMapLibre(container);
  const start = positionOfFields();
  const map = new maplibregl.Map({
    container,
    style: styleFor(container.dataset),
    center: start ?? [2.4, 46.6],
    zoom: start ? 16 : 4.5,
    attributionControl: container.dataset.tilesUrl ? {} : false,
    locale: frenchLocale('Carte : position du lieu (les champs latitude et longitude donnent la même information)'),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  const el = document.createElement('div');
  el.className = 'maillage-marker maillage-marker--single';
  el.setAttribute('aria-hidden', 'true');
  const marker = new maplibregl.Marker({ element: el, draggable: true });
  let shown = false;
  moveMarker = (lngLat, fly) => {
    marker.setLngLat(lngLat);
    if (!shown) marker.addTo(map);
    shown = true;
    if (fly) map.jumpTo({ center: lngLat, zoom: Math.max(map.getZoom(), 16) });
  };
  if (start) moveMarker(start, false);
  marker.on('dragend', () => {
    const { lng, lat } = marker.getLngLat();
    setPosition(lng, lat);
  });
  // A click places the marker too (handy when no address was picked).
  map.on('click', (event) => {
    moveMarker(event.lngLat, false);
    setPosition(event.lngLat.lng, event.lngLat.lat);
  });
  for (const name of ['latitude', 'longitude']) {
    control(name)?.addEventListener('change', () => {
      const position = positionOfFields();
      if (position) moveMarker(position, true);
    });
  }
  window.maillageProposerMap = { map, marker };
  map.on('load', () => {
    container.dataset.ready = 'true';
  });
}

if (container) {
  container.hidden = false;
  const go = () =>
    startMap().catch((error) => {
      console.error('carte indisponible', error);
      container.hidden = true;
    });
  if ('requestIdleCallback' in window) requestIdleCallback(go, { timeout: 2000 });
  else setTimeout(go, 200);
}

// --- Address suggestions (combobox) --------------------------------------------------------
function enhanceAddress(input) {
  const wrapper = input.closest('.maillage-combobox') ?? input.parentElement;
  const list = document.createElement('ul');
  list.id = `${input.id}-suggestions`;
  list.className = 'maillage-suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Adresses suggérées');
  list.hidden = true;
  (input.closest('.fr-input-group') ?? wrapper).appendChild(list);
  const status = document.createElement('p');
  status.className = 'fr-sr-only';
  status.id = `${input.id}-statut`;
  status.setAttribute('aria-live', 'polite');
  wrapper.appendChild(status);
  const notice = document.createElement('p');
  notice.className = 'fr-text--sm fr-mb-0';
  notice.id = `${input.id}-service`;
  notice.hidden = true;
  wrapper.appendChild(notice);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');
  let items = [];
  let active = -1;
  let controller;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i) => {
    const options = [...list.children];
    if (!options.length) return;
    active = (i + options.length) % options.length;
    options.forEach((li, j) => li.setAttribute('aria-selected', String(j === active)));
    input.setAttribute('aria-activedescendant', options[active].id);
    options[active].scrollIntoView({ block: 'nearest' });
  };
  const choose = (i) => {
    const s = items[i];
    if (!s) return;
    if (s.adresse) input.value = s.adresse;
    control('code_postal').value = s.code_postal;
    control('commune').value = s.commune;
    setPosition(s.longitude, s.latitude);
    moveMarker([s.longitude, s.latitude], true);
    close();
    status.textContent = `Adresse choisie : ${s.label}. Code postal, commune et position remplis.`;
    for (const name of ['adresse', 'code_postal', 'commune']) touch(name);
    input.focus();
  };

  const suggest = debounce(async () => {
    const q = input.value.trim();
    if (q.length < 3) return close();
    controller?.abort();
    controller = new AbortController();
    try {
      const res = await fetch(`${input.dataset.suggestUrl}?q=${encodeURIComponent(q)}&limite=5`, { signal: controller.signal, headers: { accept: 'application/json' } });
      if (!res.ok) return close();
      const body = await res.json();
      notice.hidden = !body.message;
      notice.textContent = body.message ?? '';
      items = body.adresses ?? [];
      list.replaceChildren(
        ...items.map((s, i) => {
          const li = document.createElement('li');
          li.id = `${list.id}-${i}`;
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', 'false');
          li.textContent = s.label;
          li.addEventListener('mousedown', (e) => {
            e.preventDefault();
            choose(i);
          });
          return li;
        }),
      );
      active = -1;
      input.removeAttribute('aria-activedescendant');
      if (!items.length) {
        close();
        status.textContent = body.message ?? 'Aucune adresse suggérée.';
        return;
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = `${items.length} adresse${items.length > 1 ? 's' : ''} suggérée${items.length > 1 ? 's' : ''} : flèches haut et bas pour parcourir, Entrée pour choisir.`;
    } catch {
      // Aborted by a newer query, or offline: the fields can be typed by hand.
    }
  }, 200);

  input.addEventListener('input', suggest);
  input.addEventListener('keydown', (event) => {
    const open = !list.hidden;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (open) highlight(active + 1);
      else suggest();
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

const address = form?.querySelector('input[data-suggest-url]');
if (address) enhanceAddress(address);
