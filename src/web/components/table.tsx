import type { ComponentChildren } from 'preact';

// DSFR "tableau" with a caption (read by screen readers before the table).
export function Table(p: { caption: string; headers: string[]; rows: ComponentChildren[][]; id?: string }) {
  return (
    <div class="fr-table" id={p.id}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
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
