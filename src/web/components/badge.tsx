// DSFR "badge" (a status) and "tag" (a category).
export type BadgeType = 'success' | 'error' | 'info' | 'warning' | 'new';

export function Badge(p: { label: string; type?: BadgeType; small?: boolean; noIcon?: boolean }) {
  const cls = ['fr-badge', p.type ? `fr-badge--${p.type}` : '', p.small ? 'fr-badge--sm' : '', p.noIcon ? 'fr-badge--no-icon' : '']
    .filter(Boolean)
    .join(' ');
  return <p class={cls}>{p.label}</p>;
}

export function TagList(p: { tags: string[]; small?: boolean }) {
  if (p.tags.length === 0) return null;
  return (
    <ul class={`fr-tags-group${p.small ? ' fr-tags-group--sm' : ''}`}>
      {p.tags.map((t) => (
        <li>
          <p class={`fr-tag${p.small ? ' fr-tag--sm' : ''}`}>{t}</p>
        </li>
      ))}
    </ul>
  );
}
