// Observatory tables: the sort links of a column header reorder the rows in place (the same
// order the server gives for the link's URL, which works without this script), update
// aria-sort and the next order of each link, and keep the URL shareable.
const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

function compare(a, b, kind) {
  if (a === b) return 0;
  if (a === '') return 1; // unknown values last, whatever the order
  if (b === '') return -1;
  return kind === 'number' ? Number(a) - Number(b) : collator.compare(a, b);
}

function sortTable(wrapper, link) {
  const table = wrapper.querySelector('table');
  const headers = [...table.tHead.rows[0].cells];
  const th = link.closest('th');
  const column = headers.indexOf(th);
  const target = new URL(link.href, location.href);
  const order = target.searchParams.get('ordre') === 'desc' ? 'desc' : 'asc';
  const sign = order === 'asc' ? 1 : -1;
  const body = table.tBodies[0];
  const rows = [...body.rows].map((row, i) => ({ row, i, value: row.cells[column].dataset.value ?? '' }));
  rows.sort((a, b) => {
    if (a.value === '' || b.value === '') return compare(a.value, b.value, link.dataset.kind) || a.i - b.i;
    return compare(a.value, b.value, link.dataset.kind) * sign || a.i - b.i;
  });
  for (const { row } of rows) body.appendChild(row);
  for (const cell of headers) {
    const other = cell.querySelector('a[data-sort]');
    if (!other) continue;
    const current = cell === th ? order : undefined;
    if (current) cell.setAttribute('aria-sort', current === 'asc' ? 'ascending' : 'descending');
    else cell.removeAttribute('aria-sort');
    const next = current === 'asc' ? 'desc' : 'asc';
    const url = new URL(other.href, location.href);
    url.searchParams.set('ordre', next);
    other.href = `${url.search}${url.hash}`;
    const mark = other.querySelector('.maillage-sort-mark');
    if (mark) mark.textContent = current === 'asc' ? ' ▲' : current === 'desc' ? ' ▼' : ' ⇅';
    const hint = other.querySelector('.fr-sr-only');
    if (hint) hint.textContent = `${current ? ` (trié ${current === 'asc' ? 'croissant' : 'décroissant'} ; ` : ' ('}trier par ordre ${next === 'asc' ? 'croissant' : 'décroissant'})`;
  }
  history.replaceState(null, '', `${target.search}${location.hash}`);
  link.focus();
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('[data-sortable] a[data-sort]') : null;
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  sortTable(link.closest('[data-sortable]'), link);
});
