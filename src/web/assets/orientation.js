// Orientation flow, progressive: without this file the forms and the sheet work as they are.
// With it: at most three places can be ticked (the others are disabled, and a live message
// says how many are chosen), the hour is only offered once a day is chosen, and the sheet's
// "Imprimer" button (shown by app.js) replaces the line explaining how to print without it.

const MAX = 3;

for (const group of document.querySelectorAll('#orientation-lieux')) {
  const boxes = [...group.querySelectorAll('input[type="checkbox"][name="lieux"]')];
  const status = document.getElementById('orientation-selection');
  const update = (announce) => {
    const chosen = boxes.filter((b) => b.checked).length;
    for (const box of boxes) box.disabled = !box.checked && chosen >= MAX;
    if (status && announce) {
      status.textContent = chosen === 0
        ? 'Aucun lieu choisi.'
        : `${chosen} lieu${chosen > 1 ? 'x' : ''} choisi${chosen > 1 ? 's' : ''} sur ${MAX} au plus${chosen >= MAX ? ' : décochez un lieu pour en choisir un autre.' : '.'}`;
    }
  };
  for (const box of boxes) box.addEventListener('change', () => update(true));
  update(false);
}

const hour = document.getElementById('orientation-heure');
if (hour) {
  const days = [...document.querySelectorAll('input[name="jour"]')];
  const update = () => {
    const anyDay = days.some((d) => d.checked && d.value !== '');
    hour.disabled = !anyDay;
    if (!anyDay) hour.value = '';
  };
  for (const d of days) d.addEventListener('change', update);
  update();
}

for (const hint of document.querySelectorAll('[data-print-hint]')) {
  if (document.querySelector('button[data-print]')) hint.hidden = true;
}
