// DSFR "pagination": previous/next and a window of page numbers, all plain links.
export function Pagination(p: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  if (p.pageCount <= 1) return null;
  const pages: number[] = [];
  for (let i = Math.max(1, p.page - 2); i <= Math.min(p.pageCount, p.page + 2); i++) pages.push(i);
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>
          {p.page > 1 ? (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href={p.hrefFor(p.page - 1)}>
              Page précédente
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">
              Page précédente
            </a>
          )}
        </li>
        {pages.map((n) => (
          <li>
            <a
              class="fr-pagination__link"
              href={n === p.page ? undefined : p.hrefFor(n)}
              aria-current={n === p.page ? 'page' : undefined}
              title={`Page ${n}`}
            >
              {n}
            </a>
          </li>
        ))}
        <li>
          {p.page < p.pageCount ? (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={p.hrefFor(p.page + 1)}>
              Page suivante
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">
              Page suivante
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}
