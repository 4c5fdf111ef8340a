// Progressive enhancement for every page. Without this file everything still works:
// plain forms, plain links. With it: commune suggestions, "Autour de moi", live filters.

const debounce = (fn, ms) => {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
};

// --- Commune suggestions (ARIA 1.2 combobox with a listbox popup) -------------------------
function communesOf(payload) {
  if (Array.isArray(payload)) return payload;
  return payload.data ?? payload.communes ?? payload.items ?? payload.results ?? [];
}

function labelOf(c) {
  const cp = (c.codesPostaux ?? c.codes_postaux ?? [])[0] ?? c.code_postal ?? '';
  return cp ? `${c.nom} (${cp})` : c.nom;
}

function enhanceCombobox(input) {
  const wrapper = input.closest('.maillage-combobox') ?? input.parentElement;
  const list = document.createElement('ul');
  list.id = `${input.id}-suggestions`;
  list.className = 'maillage-suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Communes suggérées');
  list.hidden = true;
  wrapper.appendChild(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');
  const hidden = input.form?.querySelector('input[name="commune"]');
  let active = -1;
  let controller;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const choose = (li) => {
    input.value = li.dataset.label;
    if (hidden) hidden.value = li.dataset.code;
    close();
  };
  const highlight = (i) => {
    const items = [...list.children];
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((li, j) => li.setAttribute('aria-selected', String(j === active)));
    input.setAttribute('aria-activedescendant', items[active].id);
  };

  const suggest = debounce(async () => {
    const q = input.value.trim();
    if (hidden) hidden.value = '';
    if (q.length < 2 || /^\d{1,4}$/.test(q)) return close();
    controller?.abort();
    controller = new AbortController();
    try {
      const res = await fetch(`/api/v1/communes?q=${encodeURIComponent(q)}&limit=8`, { signal: controller.signal, headers: { accept: 'application/json' } });
      if (!res.ok) return close();
      const communes = communesOf(await res.json()).slice(0, 8);
      list.replaceChildren(
        ...communes.map((c, i) => {
          const li = document.createElement('li');
          li.id = `${list.id}-${i}`;
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', 'false');
          li.dataset.code = c.code;
          li.dataset.label = labelOf(c);
          li.textContent = labelOf(c);
          li.addEventListener('mousedown', (e) => {
            e.preventDefault();
            choose(li);
          });
          return li;
        }),
      );
      list.hidden = communes.length === 0;
      input.setAttribute('aria-expanded', String(communes.length > 0));
      active = -1;
    } catch {
      /* aborted or offline: the plain form still works */
    }
  }, 200);

  input.addEventListener('input', suggest);
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
    else if (e.key === 'Escape') close();
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(list.children[active]); }
  });
}

// --- "Autour de moi" ----------------------------------------------------------------------
function enhanceGeolocation(button) {
  if (!('geolocation' in navigator)) return;
  button.hidden = false;
  const status = document.getElementById(button.getAttribute('aria-describedby') ?? '') ?? null;
  button.addEventListener('click', () => {
    if (status) status.textContent = 'Recherche de votre position…';
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const form = button.form;
        const params = new URLSearchParams(form ? new FormData(form) : undefined);
        params.delete('q');
        params.delete('commune');
        params.set('lat', pos.coords.latitude.toFixed(5));
        params.set('lon', pos.coords.longitude.toFixed(5));
        window.location.assign(`/recherche?${params}`);
      },
      () => {
        if (status) status.textContent = 'Votre position n’a pas pu être déterminée. Saisissez une commune ou un code postal.';
      },
      { timeout: 10000, maximumAge: 600000 },
    );
  });
}

// --- Live results on the search page ------------------------------------------------------
function queryOf(form) {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v) !== '') params.append(k, String(v));
  params.delete('page');
  return params.toString();
}

async function refreshResults(url, push) {
  const target = document.getElementById('resultats');
  if (!target) return;
  target.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(url, { headers: { 'x-maillage-fragment': 'resultats' } });
    if (!res.ok) {
      window.location.assign(url);
      return;
    }
    target.innerHTML = await res.text();
    const announce = document.getElementById('resultats-annonce');
    if (announce) announce.textContent = target.querySelector('[data-count]')?.textContent ?? '';
    if (push) history.pushState({ maillage: true }, '', url);
    document.dispatchEvent(new CustomEvent('maillage:results'));
  } finally {
    target.removeAttribute('aria-busy');
  }
}

function enhanceLiveSearch(form) {
  const submit = debounce(() => refreshResults(`${form.action}?${queryOf(form)}`, true), 250);
  form.addEventListener('change', (e) => {
    if (e.target.name === 'q') return; // typing a place is confirmed with the button
    submit();
  });
  window.addEventListener('popstate', () => window.location.reload());
}

for (const input of document.querySelectorAll('input[data-autocomplete="communes"]')) enhanceCombobox(input);
for (const button of document.querySelectorAll('button[data-geolocate]')) enhanceGeolocation(button);
for (const form of document.querySelectorAll('form[data-live-search]')) enhanceLiveSearch(form);

// --- Share link on the place page ----------------------------------------------------------
for (const button of document.querySelectorAll('button[data-share]')) {
  button.hidden = false;
  button.addEventListener('click', async () => {
    const url = window.location.href;
    const status = document.getElementById('partage-statut');
    try {
      if (navigator.share) await navigator.share({ title: document.title, url });
      else {
        await navigator.clipboard.writeText(url);
        if (status) status.textContent = 'Le lien a été copié.';
      }
    } catch {
      if (status) status.textContent = `Copiez ce lien : ${url}`;
    }
  });
}
for (const button of document.querySelectorAll('button[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
