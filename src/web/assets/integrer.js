// "Intégrer la carte": the code and the preview follow the form as it changes (the server
// writes them: the same checks as the embed itself), and copy buttons fill the clipboard.

const form = document.querySelector('form[data-integration]');
const target = document.getElementById('integration-resultat');

const debounce = (fn, ms) => {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
};

function enhanceCopyButtons() {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const field = document.getElementById(button.dataset.copy);
      const status = document.getElementById('copie-statut');
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = 'Le code a été copié.';
      } catch {
        field.select();
        if (status) status.textContent = 'Le code est sélectionné : copiez-le avec Ctrl+C.';
      }
    });
  }
}

let controller;
async function refresh() {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v) !== '') params.append(k, String(v));
  const url = `${form.action}?${params}`;
  controller?.abort();
  controller = new AbortController();
  try {
    const res = await fetch(url, { headers: { 'x-maillage-fragment': 'integration' }, signal: controller.signal });
    target.innerHTML = await res.text();
    // One short announcement instead of reading the whole code aloud.
    const announce = document.getElementById('integration-annonce');
    if (announce) announce.textContent = res.ok ? 'Code et aperçu mis à jour.' : 'Le code ne peut pas être généré : voir les erreurs.';
    history.replaceState(null, '', url);
    enhanceCopyButtons();
  } catch {
    /* aborted or offline: the button still submits the form */
  }
}

if (form && target) {
  const update = debounce(refresh, 400);
  form.addEventListener('input', update);
  form.addEventListener('change', update);
}
enhanceCopyButtons();
