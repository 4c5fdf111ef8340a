import type { ComponentChildren } from 'preact';

// DSFR "tableau" with a caption (read by screen readers before the table).
// `scrolls`: a wide table that scrolls sideways on small screens; its container is then a
// focusable, labelled region so keyboard users can scroll it.
export function Table(p: { caption: string; headers: string[]; rows: ComponentChildren[][]; id?: string; scrolls?: boolean }) {
  return (
    <div class="fr-table" id={p.id}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container" {...(p.scrolls ? { tabIndex: 0, role: 'region', 'aria-label': `${p.caption} (tableau)` } : {})}>
          <div class="fr-table__content">
            <table>
              <caption>{p.caption}</caption>
              <thead>
                <tr>
                  {p.headers.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {p.rows.map((row) => (
                  <tr>
                    {row.map((cell) => (
                      <td>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
